// Live grid: refresh each tile's snapshot every 2 s; live page: play the camera's stream.
"use strict";

document.addEventListener("DOMContentLoaded", () => {
  const tiles = document.querySelectorAll("img[data-snapshot]");
  const refresh = () => {
    tiles.forEach((img) => {
      const next = new Image();
      next.onload = () => { img.src = next.src; img.closest(".tile-cam").dataset.state = "ok"; };
      next.onerror = () => { img.closest(".tile-cam").dataset.state = "lost"; };
      next.src = `${img.dataset.snapshot}?t=${Date.now()}`;
    });
  };
  if (tiles.length) {
    refresh();
    setInterval(refresh, 2000);
  }

  const video = document.querySelector("video[data-live]");
  if (video) {
    const status = document.getElementById("live-status");
    const start = async () => {
      const response = await CamPlayer.play(video, video.dataset.live, {
        live: true,
        onError: (message) => { status.textContent = message; status.hidden = false; },
      });
      if (response) status.hidden = true;
    };
    // The stream ends when the camera drops; try again every few seconds.
    video.addEventListener("ended", () => setTimeout(start, 3000));
    start();
  }
});
