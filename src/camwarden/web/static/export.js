// Export from the playback page: mark start and end on the video, make a signed package.
"use strict";

document.addEventListener("DOMContentLoaded", () => {
  const box = document.getElementById("export");
  if (!box) return;
  const video = document.querySelector("#playback video");
  const day = document.querySelector("#playback input[name=day]");
  const result = box.querySelector(".result");
  const problem = box.querySelector(".problem");
  const hhmmss = (ms) => new Intl.DateTimeFormat("en-GB", {
    timeZone: "Asia/Ho_Chi_Minh", hour: "2-digit", minute: "2-digit", second: "2-digit",
    hour12: false,
  }).format(ms);
  // The playback page knows the wall-clock time of the video; read it from its clock text.
  const videoWallClock = () => {
    const text = document.querySelector("#playback .clock").textContent.trim(); // dd/mm/yyyy HH:MM:SS
    const match = text.match(/(\d{2})\/(\d{2})\/(\d{4}) (\d{2}):(\d{2}):(\d{2})/);
    return match ? `${match[4]}:${match[5]}:${match[6]}` : hhmmss(Date.now());
  };
  box.querySelectorAll("[data-mark]").forEach((button) => {
    button.addEventListener("click", () => {
      box.querySelector(`input[name=${button.dataset.mark}]`).value = videoWallClock();
    });
  });
  // A school-time day and time of day → an ISO instant (Asia/Ho_Chi_Minh is UTC+7, no DST).
  const instant = (time) => `${day.value}T${time.length === 5 ? `${time}:00` : time}+07:00`;
  box.querySelector("[data-export]").addEventListener("click", async () => {
    result.hidden = true;
    problem.hidden = true;
    const body = {
      ranges: [{
        camera_id: Number(box.dataset.camera),
        start: instant(box.querySelector("input[name=from]").value),
        end: instant(box.querySelector("input[name=to]").value),
      }],
      reason: box.querySelector("input[name=export_reason]").value,
      approval_reference: box.querySelector("input[name=approval]").value,
      anonymise: box.querySelector("input[name=anonymise]").checked,
    };
    const response = await fetch("/api/v1/exports", {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRF-Token": box.dataset.csrf },
      body: JSON.stringify(body),
    });
    const answer = await response.json();
    if (!response.ok) {
      problem.textContent = answer.error.message;
      problem.hidden = false;
      return;
    }
    result.textContent = "";
    result.append(`${box.dataset.done} `);
    const code = document.createElement("code");
    code.textContent = answer.manifest_sha256;
    const link = document.createElement("a");
    link.href = answer.download_url;
    link.textContent = answer.package_name + ".zip";
    link.className = "button";
    result.append(code, document.createElement("br"), link);
    result.hidden = false;
  });
});
