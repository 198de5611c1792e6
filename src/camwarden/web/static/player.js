// camwarden video player: fragmented MP4 (H.264 as recorded) through Media Source Extensions.
// No build step, no library: fetch the stream, append each chunk to a SourceBuffer.
"use strict";

const CamPlayer = (() => {
  const supported = () => "MediaSource" in window;

  // Plays `url` in `video`; resolves with the response (its headers say where it starts).
  // Calling again on the same video stops the previous stream first.
  async function play(video, url, { live = false, onError = () => {} } = {}) {
    stop(video);
    const controller = new AbortController();
    video._camController = controller;
    const response = await fetch(url, { signal: controller.signal, credentials: "same-origin" });
    if (!response.ok) {
      let message = response.statusText;
      try { message = (await response.json()).error.message; } catch (_) { /* not JSON */ }
      onError(message, response.status);
      return null;
    }
    const codec = response.headers.get("X-Codec") || "avc1.42e01e";
    const mime = `video/mp4; codecs="${codec}"`;
    if (!supported() || !MediaSource.isTypeSupported(mime)) {
      onError(video.dataset.unsupported || "This browser cannot play H.264 video.", 0);
      return null;
    }
    const source = new MediaSource();
    video.src = URL.createObjectURL(source);
    await new Promise((resolve) => source.addEventListener("sourceopen", resolve, { once: true }));
    const buffer = source.addSourceBuffer(mime);
    buffer.mode = "segments";
    const reader = response.body.getReader();
    const pending = [];
    let done = false;
    const pump = () => {
      if (buffer.updating || !pending.length) {
        if (done && !buffer.updating && !pending.length && source.readyState === "open") {
          try { source.endOfStream(); } catch (_) { /* already ended */ }
        }
        return;
      }
      try {
        // Keep memory bounded on long live views: drop what lies well behind the playhead.
        if (live && buffer.buffered.length && video.currentTime - buffer.buffered.start(0) > 30) {
          buffer.remove(0, video.currentTime - 10);
          return;
        }
        buffer.appendBuffer(pending.shift());
      } catch (error) {
        onError(String(error), 0);
      }
    };
    buffer.addEventListener("updateend", () => {
      if (live && buffer.buffered.length) {
        const edge = buffer.buffered.end(buffer.buffered.length - 1);
        if (edge - video.currentTime > 1.5) video.currentTime = edge - 0.3; // stay near live
      } else if (!live && video.paused && buffer.buffered.length && video.currentTime === 0) {
        video.currentTime = buffer.buffered.start(0);
      }
      pump();
    });
    (async () => {
      try {
        for (;;) {
          const { value, done: finished } = await reader.read();
          if (finished) break;
          pending.push(value);
          pump();
        }
      } catch (_) { /* aborted: another stream replaced this one */ }
      done = true;
      pump();
    })();
    video.play().catch(() => { /* autoplay may need a tap on phones */ });
    return response;
  }

  function stop(video) {
    if (video._camController) video._camController.abort();
    video._camController = null;
  }

  return { play, stop, supported };
})();
