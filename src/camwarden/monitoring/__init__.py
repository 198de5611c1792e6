"""Watching the watchers: camera events become alerts, waiting alerts escalate.

`AlertWorker` runs beside the web server (whether or not this process records), because a
guard's hand-filed report must escalate even on a server that only serves pages.
"""

from camwarden.monitoring.alert_worker import AlertWorker, Tick

__all__ = ["AlertWorker", "Tick"]
