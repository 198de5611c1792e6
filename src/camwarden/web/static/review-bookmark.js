// Bookmark for the 15-day review from the playback page (R-5.1): mark start and end on the
// video, say why, and the bookmark goes into the open review cycle that covers that moment.
"use strict";

document.addEventListener("DOMContentLoaded", () => {
  const box = document.getElementById("review-bookmark");
  if (!box) return;
  const day = document.querySelector("#playback input[name=day]");
  const result = box.querySelector(".result");
  const problem = box.querySelector(".problem");
  const field = (name) => box.querySelector(`input[name=${name}]`);
  // The wall-clock time of the video, read from the player's clock text (dd/mm/yyyy HH:MM:SS).
  const videoWallClock = () => {
    const text = document.querySelector("#playback .clock").textContent.trim();
    const match = text.match(/(\d{2}):(\d{2}):(\d{2})$/);
    return match ? `${match[1]}:${match[2]}:${match[3]}` : "";
  };
  box.querySelectorAll("[data-review-mark]").forEach((button) => {
    button.addEventListener("click", () => {
      field(`review_${button.dataset.reviewMark}`).value = videoWallClock();
    });
  });
  // School time (Asia/Ho_Chi_Minh is UTC+7, no DST) → an ISO instant.
  const instant = (time) => `${day.value}T${time.length === 5 ? `${time}:00` : time}+07:00`;
  const show = (element, text) => {
    element.textContent = text;
    element.hidden = false;
  };
  box.querySelector("[data-review-bookmark]").addEventListener("click", async () => {
    result.hidden = true;
    problem.hidden = true;
    const start = instant(field("review_from").value);
    const end = instant(field("review_to").value);
    const listed = await fetch("/api/v1/reviews", { credentials: "same-origin" });
    const cycles = listed.ok ? (await listed.json()).items : [];
    const at = Date.parse(start);
    const cycle = cycles.find((c) => c.status === "open"
      && Date.parse(c.period_start) <= at && at < Date.parse(c.period_end));
    if (!cycle) {
      show(problem, box.dataset.noCycle);
      return;
    }
    const response = await fetch(`/api/v1/reviews/${cycle.id}/bookmarks`, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRF-Token": box.dataset.csrf },
      body: JSON.stringify({
        camera_id: Number(box.dataset.camera),
        start_at: start,
        end_at: end,
        note: field("review_note").value,
      }),
    });
    const answer = await response.json();
    if (!response.ok) {
      show(problem, answer.error.message);
      return;
    }
    result.textContent = `${box.dataset.done} `;
    const link = document.createElement("a");
    link.href = `/reviews/${cycle.id}`;
    link.textContent = box.dataset.open;
    result.append(link);
    result.hidden = false;
  });
});
