"""Inspections running in the background, one at a time per camera, for the web's guided page.

The permission check and the reading of the register happen in the caller's thread, so a
refusal is answered at once; only the measuring and the recording run in a thread of their
own. A job's outcome stays until the next inspection of the same camera starts.
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass
from datetime import datetime

from camwarden.errors import CamwardenError, Conflict
from camwarden.governance.authorization import Actor
from camwarden.inspection.service import Inspections
from camwarden.storage.database import Database

log = logging.getLogger(__name__)

RUNNING = "running"
DONE = "done"
FAILED = "failed"


@dataclass
class Job:
    camera_id: int
    started_at: datetime
    started_by: str
    state: str = RUNNING
    inspection_id: int | None = None
    error: CamwardenError | None = None


class InspectionJobs:
    def __init__(self, inspections: Inspections, database: Database) -> None:
        self._inspections = inspections
        self._database = database
        self._jobs: dict[int, Job] = {}
        self._lock = threading.Lock()

    def start(
        self,
        actor: Actor,
        camera_id: int,
        *,
        onvif_port: int | None = None,
        supplier: str = "",
        new_acceptance_reason: str = "",
    ) -> Job:
        with self._database.reading() as session:
            plan = self._inspections.prepare(
                session,
                actor,
                camera_id,
                onvif_port=onvif_port,
                new_acceptance_reason=new_acceptance_reason,
            )
        with self._lock:
            current = self._jobs.get(camera_id)
            if current is not None and current.state == RUNNING:
                raise Conflict(
                    "An inspection of this camera is already running (started by {who}).",
                    who=current.started_by,
                )
            job = Job(camera_id, self._inspections.now(), actor.username)
            self._jobs[camera_id] = job

        def work() -> None:
            try:
                outcome = self._inspections.run(plan)
                with self._database.transaction() as session:
                    inspection = self._inspections.record(
                        session, actor, plan, outcome, supplier=supplier
                    )
                    session.flush()
                    job.inspection_id = inspection.id
                job.state = DONE
            except CamwardenError as error:
                job.error, job.state = error, FAILED
            except Exception:  # the page must learn that it ended, whatever went wrong
                log.exception("inspection of camera %s failed", camera_id)
                job.error = Conflict("The inspection stopped on an unexpected error.")
                job.state = FAILED

        threading.Thread(target=work, name=f"inspection-{camera_id}", daemon=True).start()
        return job

    def status(self, camera_id: int) -> Job | None:
        with self._lock:
            return self._jobs.get(camera_id)


_ATTACH_LOCK = threading.Lock()


def jobs_for(holder: object, inspections: Inspections, database: Database) -> InspectionJobs:
    """The one `InspectionJobs` kept on `holder` (the web app's state), made on first use."""
    with _ATTACH_LOCK:
        jobs = getattr(holder, "inspection_jobs", None)
        if not isinstance(jobs, InspectionJobs):
            jobs = InspectionJobs(inspections, database)
            setattr(holder, "inspection_jobs", jobs)  # noqa: B010  (any holder)
        return jobs
