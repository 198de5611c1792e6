// Playback page: a day's timeline (recorded, gaps, events) and its activity strip; click to
// play from that moment.
"use strict";

document.addEventListener("DOMContentLoaded", () => {
  const root = document.getElementById("playback");
  if (!root) return;
  const cameraId = root.dataset.camera;
  const video = root.querySelector("video");
  const bar = root.querySelector(".timeline");
  const cursor = root.querySelector(".timeline .cursor");
  const dayInput = root.querySelector("input[name=day]");
  const reasonInput = root.querySelector("input[name=reason]");
  const clock = root.querySelector(".clock");
  const status = root.querySelector(".status");
  const DAY_MS = 24 * 3600 * 1000;
  // dd/mm/yyyy HH:MM:SS in the school's time zone, whatever the browser's language.
  const parts = new Intl.DateTimeFormat("en-GB", {
    timeZone: "Asia/Ho_Chi_Minh", day: "2-digit", month: "2-digit", year: "numeric",
    hour: "2-digit", minute: "2-digit", second: "2-digit", hour12: false,
  });
  const wallClock = {
    format: (ms) => {
      const p = Object.fromEntries(parts.formatToParts(ms).map((x) => [x.type, x.value]));
      return `${p.day}/${p.month}/${p.year} ${p.hour}:${p.minute}:${p.second}`;
    },
  };
  let dayStart = 0;
  let events = [];
  let recorded = []; // [{startMs, endMs}], oldest first
  let streamStart = null; // wall-clock ms of the stream's first frame

  const say = (text) => { status.textContent = text; status.hidden = !text; };
  const place = (el, startMs, endMs) => {
    el.style.left = `${((startMs - dayStart) / DAY_MS) * 100}%`;
    el.style.width = `${Math.max(0.15, ((endMs - startMs) / DAY_MS) * 100)}%`;
  };

  async function loadDay() {
    const response = await fetch(`/api/v1/cameras/${cameraId}/timeline?day=${dayInput.value}`);
    const body = await response.json();
    if (!response.ok) { say(body.error.message); return; }
    dayStart = Date.parse(body.start);
    bar.querySelectorAll(".range, .gap, .event").forEach((el) => el.remove());
    for (const [kind, list] of [["range", body.recorded], ["gap", body.gaps]]) {
      for (const item of list) {
        const el = document.createElement("div");
        el.className = kind;
        place(el, Date.parse(item.start), Date.parse(item.end));
        bar.appendChild(el);
      }
    }
    recorded = body.recorded.map((r) => ({ startMs: Date.parse(r.start), endMs: Date.parse(r.end) }));
    events = body.events.map((e) => ({ ...e, startMs: Date.parse(e.start) }));
    for (const event of events) {
      const el = document.createElement("div");
      el.className = `event event-${event.kind}`;
      el.title = `${root.dataset[event.kind] || event.kind}: ${wallClock.format(event.startMs)}`;
      place(el, event.startMs, event.end ? Date.parse(event.end) : Date.parse(body.now));
      bar.appendChild(el);
    }
    root.querySelector(".recorded-count").textContent = body.recorded.length;
    loadActivity();
  }

  // The activity strip: one column per point, darker where more of the picture moved.
  const strip = root.querySelector(".activity-strip");
  const canvas = strip.querySelector("canvas");
  let activity = null; // {startMs, stepMs, levels}

  function drawActivity() {
    const ratio = window.devicePixelRatio || 1;
    canvas.width = Math.max(1, Math.round(strip.clientWidth * ratio));
    canvas.height = Math.max(1, Math.round(strip.clientHeight * ratio));
    const context = canvas.getContext("2d");
    context.clearRect(0, 0, canvas.width, canvas.height);
    if (!activity) return;
    const pxPerMs = canvas.width / DAY_MS;
    activity.levels.forEach((level, index) => {
      if (!level) return;
      // A square root keeps a person far away visible beside a crowd close by.
      context.fillStyle = `rgba(20, 33, 61, ${(0.2 + 0.8 * Math.sqrt(level / 255)).toFixed(3)})`;
      const x = (activity.startMs + index * activity.stepMs - dayStart) * pxPerMs;
      context.fillRect(Math.floor(x), 0, Math.max(1, Math.ceil(activity.stepMs * pxPerMs)), canvas.height);
    });
  }

  async function loadActivity() {
    activity = null;
    const since = new Date(dayStart).toISOString();
    const until = new Date(dayStart + DAY_MS).toISOString();
    const response = await fetch(`/api/v1/cameras/${cameraId}/activity?since=${encodeURIComponent(since)}`
      + `&until=${encodeURIComponent(until)}&points=1440`);
    if (response.ok) {
      const body = await response.json();
      activity = { startMs: Date.parse(body.start), stepMs: body.step_seconds * 1000, levels: body.levels };
      strip.dataset.moving = body.levels.filter((level) => level > 0).length;
    }
    drawActivity();
  }
  window.addEventListener("resize", drawActivity);
  strip.addEventListener("click", (event) => {
    const box = strip.getBoundingClientRect();
    playAt(nearestRecorded(dayStart + ((event.clientX - box.left) / box.width) * DAY_MS));
  });

  async function playAt(ms) {
    const reason = reasonInput.value.trim();
    if (!reason) {
      say(root.dataset.needReason);
      reasonInput.focus();
      return;
    }
    say("");
    const url = `/api/v1/cameras/${cameraId}/playback?at=${encodeURIComponent(new Date(ms).toISOString())}`
      + `&reason=${encodeURIComponent(reason)}`;
    const response = await CamPlayer.play(video, url, { onError: (message) => say(message) });
    if (response) {
      streamStart = Date.parse(response.headers.get("X-Playback-Start"));
      video.playbackRate = Number(root.querySelector(".speed [aria-pressed=true]").dataset.rate);
    }
  }

  // A click on a whole day's bar is a few minutes wide: play the recording nearest to it.
  const nearestRecorded = (ms) => {
    const inside = recorded.find((r) => r.startMs <= ms && ms < r.endMs);
    if (inside) return ms;
    const after = recorded.find((r) => r.startMs > ms);
    const before = recorded.filter((r) => r.endMs <= ms).pop();
    if (before && (!after || ms - before.endMs < after.startMs - ms)) {
      return Math.max(before.startMs, before.endMs - 30000);
    }
    return after ? after.startMs : ms;
  };
  bar.addEventListener("click", (event) => {
    const box = bar.getBoundingClientRect();
    playAt(nearestRecorded(dayStart + ((event.clientX - box.left) / box.width) * DAY_MS));
  });
  root.querySelectorAll(".speed button").forEach((button) => {
    button.addEventListener("click", () => {
      root.querySelectorAll(".speed button").forEach((b) => b.setAttribute("aria-pressed", "false"));
      button.setAttribute("aria-pressed", "true");
      video.playbackRate = Number(button.dataset.rate);
    });
  });
  const now = () => (streamStart === null ? dayStart : streamStart + video.currentTime * 1000);
  root.querySelector("[data-step=prev]").addEventListener("click", () => {
    const before = events.filter((e) => e.startMs < now() - 10000).pop();
    if (before) playAt(before.startMs - 5000);
  });
  root.querySelector("[data-step=next]").addEventListener("click", () => {
    const after = events.find((e) => e.startMs > now() + 1000);
    if (after) playAt(after.startMs - 5000);
  });
  video.addEventListener("timeupdate", () => {
    if (streamStart === null) return;
    const wall = now();
    clock.textContent = wallClock.format(wall);
    cursor.hidden = false;
    place(cursor, wall, wall);
  });
  // Positions are set here, not in the page: the page's security policy forbids inline styles.
  bar.querySelectorAll(".hours span").forEach((span) => {
    span.style.left = `${(Number(span.dataset.hour) / 24) * 100}%`;
  });
  // Opened from the activity search: one button plays from the moment found.
  const jump = document.querySelector("[data-play-at]");
  if (jump) jump.addEventListener("click", () => playAt(Date.parse(jump.dataset.playAt)));
  dayInput.addEventListener("change", loadDay);
  loadDay();
});
