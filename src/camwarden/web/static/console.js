// Guard room console: alerts panel and camera conditions kept current by server-sent events,
// a repeating tone while an alert waits, taking an alert without leaving the page.
"use strict";

document.addEventListener("DOMContentLoaded", () => {
  const root = document.getElementById("console");
  if (!root) return;
  const text = (name, values = {}) =>
    (root.dataset[name] || "").replace(/\{(\w+)\}/g, (_, key) => String(values[key] ?? ""));
  const list = document.getElementById("alert-list");
  const summary = document.getElementById("alert-summary");
  const lost = document.getElementById("stream-lost");
  const soundOn = document.getElementById("sound-on");
  const silence = document.getElementById("sound-silence");
  const soundState = document.getElementById("sound-state");
  const baseTitle = document.title;

  // -- sound ----------------------------------------------------------------------------------
  // Browsers allow audio only after a gesture: the guard turns it on once per page.
  const TONE_EVERY_MS = 4000;
  let audio = null;
  let silencedIds = null; // ids waiting when Silence was pressed; a new one ends the silence
  let waitingIds = new Set();

  const tone = () => {
    const start = audio.currentTime;
    [[880, 0], [660, 0.35], [880, 0.7]].forEach(([frequency, at]) => {
      const oscillator = audio.createOscillator();
      const gain = audio.createGain();
      oscillator.type = "square";
      oscillator.frequency.value = frequency;
      gain.gain.setValueAtTime(0.0001, start + at);
      gain.gain.exponentialRampToValueAtTime(0.35, start + at + 0.02);
      gain.gain.exponentialRampToValueAtTime(0.0001, start + at + 0.3);
      oscillator.connect(gain).connect(audio.destination);
      oscillator.start(start + at);
      oscillator.stop(start + at + 0.32);
    });
    root.dataset.beeps = String(Number(root.dataset.beeps) + 1);
  };

  const soundMode = () => {
    if (!audio || audio.state !== "running") return "off";
    return silencedIds ? "silenced" : "on";
  };

  const showSound = () => {
    const mode = soundMode();
    root.dataset.sound = mode;
    soundOn.hidden = mode !== "off";
    soundState.hidden = mode === "off";
    silence.hidden = mode !== "on" || waitingIds.size === 0;
  };

  // The guard's choice outlives going to an alert's page and back: the browser may allow the
  // sound at once after a click on this site, otherwise the next tap anywhere brings it back.
  const REMEMBERED = "camwarden.console.sound";
  const newAudio = () => {
    audio = new (window.AudioContext || window.webkitAudioContext)();
    audio.addEventListener("statechange", showSound);
  };
  soundOn.addEventListener("click", () => {
    if (!audio) newAudio();
    audio.resume();
    silencedIds = null;
    sessionStorage.setItem(REMEMBERED, "on");
    showSound();
    if (waitingIds.size) tone();
  });
  if (sessionStorage.getItem(REMEMBERED) === "on") {
    newAudio();
    const resume = () => audio.resume();
    document.addEventListener("pointerdown", resume, { once: true });
    document.addEventListener("keydown", resume, { once: true });
  }
  silence.addEventListener("click", () => {
    silencedIds = new Set(waitingIds);
    showSound();
  });
  setInterval(() => {
    if (soundMode() === "on" && waitingIds.size) tone();
  }, TONE_EVERY_MS);

  // -- the alerts panel -----------------------------------------------------------------------
  const items = new Map(); // alert id -> <li>

  const element = (tag, className, content) => {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (content !== undefined) node.textContent = content;
    return node;
  };

  const acknowledge = async (alert, note, form) => {
    const status = form.querySelector(".take-status");
    status.textContent = "";
    const response = await fetch(`/api/v1/alerts/${alert.id}/acknowledge`, {
      method: "POST",
      headers: { "Content-Type": "application/json", "X-CSRF-Token": root.dataset.csrf },
      body: JSON.stringify({ note }),
    }).catch(() => null);
    if (response && response.ok) {
      form.hidden = true;
      return;
    }
    const body = response ? await response.json().catch(() => null) : null;
    status.textContent = body?.error?.message || lost.textContent;
  };

  const takeForm = (alert, li) => {
    const form = element("form", "take-form");
    form.hidden = true;
    const label = element("label", "", text("textNote"));
    const note = element("input");
    note.name = "note";
    note.maxLength = 2000;
    note.id = `note-${alert.id}`;
    label.htmlFor = note.id;
    const confirm = element("button", "primary big", text("textConfirm"));
    confirm.type = "submit";
    const cancel = element("button", "big", text("textCancel"));
    cancel.type = "button";
    cancel.addEventListener("click", () => { form.hidden = true; });
    const status = element("p", "take-status error-text");
    status.setAttribute("role", "alert");
    form.append(label, note, confirm, cancel, status);
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      acknowledge(li.alert, note.value, form);
    });
    return form;
  };

  const newItem = (alert) => {
    const li = element("li", "alert");
    li.dataset.alertId = String(alert.id);
    li.append(element("div", "alert-head"), element("div", "alert-meta"));
    const actions = element("div", "alert-actions");
    const take = element("button", "big take", text("textTake"));
    take.type = "button";
    const form = takeForm(alert, li);
    take.addEventListener("click", () => {
      form.hidden = false;
      form.querySelector("input").focus();
    });
    const open = element("a", "button big", text("textOpen"));
    open.href = `/alerts/${alert.id}`;
    actions.append(take, open);
    li.append(actions, form);
    return li;
  };

  const fill = (li, alert) => {
    li.alert = alert;
    li.className = `alert sev-${alert.severity} state-${alert.state}`;
    li.dataset.state = alert.state;
    li.dataset.escalation = String(alert.escalation_level);
    const head = li.querySelector(".alert-head");
    head.replaceChildren(
      element("span", `severity sev-${alert.severity}`, alert.severity_label),
      element("strong", "kind", alert.kind_label),
    );
    const where = [alert.camera_name, alert.zone_name].filter(Boolean).join(" · ")
      || text("textWholeSchool");
    const meta = li.querySelector(".alert-meta");
    const lines = [
      element("span", "where", where),
      element("time", "when", alert.raised_at_local),
    ];
    if (alert.repeats) lines.push(element("span", "repeats", text("textRepeats", { n: alert.repeats })));
    if (alert.condition_ended_at) lines.push(element("span", "ended", text("textEnded")));
    const state = element("span", "state", alert.state_label);
    if (alert.acknowledged_by) state.textContent += ` (${text("textTakenBy", { who: alert.acknowledged_by })})`;
    lines.push(state);
    if (alert.escalation_level > 0) {
      lines.push(element("span", "escalation", `${text("textEscalated")} ${alert.escalation_label}`));
    }
    // A person's words; the system's own notes (a detector's score) are on the alert's page.
    if (alert.summary && alert.raised_by !== "system") {
      lines.push(element("span", "summary", alert.summary));
    }
    meta.replaceChildren(...lines);
    li.querySelector(".take").hidden = alert.state !== "raised";
    if (alert.state !== "raised") li.querySelector(".take-form").hidden = true;
  };

  const showAlerts = (alerts) => {
    list.querySelector(".alert-none")?.remove();
    const seen = new Set();
    alerts.forEach((alert, position) => {
      let li = items.get(alert.id);
      if (!li) {
        li = newItem(alert);
        items.set(alert.id, li);
      }
      fill(li, alert);
      seen.add(alert.id);
      // Move only what is out of place: moving a node would take the focus from its note.
      if (list.children[position] !== li) list.insertBefore(li, list.children[position] || null);
    });
    for (const [id, li] of items) {
      if (!seen.has(id)) {
        li.remove();
        items.delete(id);
      }
    }
    const waiting = alerts.filter((a) => a.state === "raised");
    waitingIds = new Set(waiting.map((a) => a.id));
    if (silencedIds && [...waitingIds].some((id) => !silencedIds.has(id))) silencedIds = null;
    summary.textContent = alerts.length
      ? text("textSummary", { waiting: waiting.length, taken: alerts.length - waiting.length })
      : text("textNone");
    summary.classList.toggle("urgent", waiting.length > 0);
    document.title = waiting.length ? `(${waiting.length}) ${baseTitle}` : baseTitle;
    if (!alerts.length) list.replaceChildren(element("li", "alert-none", text("textNone")));
    showSound();
  };

  const showCameras = (cameras) => {
    document.querySelectorAll(".tile-cam[data-camera]").forEach((tile) => {
      const status = cameras[tile.dataset.camera];
      if (!status) return;
      tile.dataset.condition = status.condition;
      const condition = tile.querySelector(".cam-condition");
      condition.textContent = status.condition_label;
      condition.hidden = false;
      const count = tile.querySelector(".cam-alerts");
      count.textContent = text("textOpenCount", { n: status.open_alerts });
      count.hidden = status.open_alerts === 0;
    });
  };

  // -- the stream -----------------------------------------------------------------------------
  let source = null;
  const connect = () => {
    source = new EventSource(root.dataset.stream);
    source.addEventListener("open", () => { lost.hidden = true; });
    source.addEventListener("alerts", (event) => {
      lost.hidden = true;
      const state = JSON.parse(event.data);
      showAlerts(state.alerts);
      showCameras(state.cameras);
    });
    source.addEventListener("error", () => {
      lost.hidden = false;
      // EventSource retries by itself unless the server refused (e.g. logged out): then a
      // fresh one every few seconds, which a login page answers with an error again.
      if (source.readyState === EventSource.CLOSED) setTimeout(connect, 5000);
    });
  };
  connect();
  showSound();
});
