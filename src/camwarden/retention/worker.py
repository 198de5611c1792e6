"""Retention in a thread beside the recorders."""

from __future__ import annotations

import threading

from camwarden.retention.service import RetentionService


class RetentionWorker:
    """Runs `RetentionService.run_forever` in a thread beside the recorders."""

    def __init__(self, service: RetentionService) -> None:
        self._service = service
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        if self._thread is not None:
            return
        self._stop.clear()
        self._thread = threading.Thread(
            target=self._service.run_forever, args=(self._stop,), name="retention", daemon=True
        )
        self._thread.start()

    def stop(self, timeout: float = 30.0) -> None:
        """Ask the loop to end and wait for the run in progress (a run is bounded)."""
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout)
            self._thread = None

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()
