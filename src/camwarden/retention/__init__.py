"""Retention and the disk-pressure guard: which footage goes, when, and the record of it (R-5.2).

Two passes, run together every `retention_check_seconds` (`RetentionWorker`) or once by
`camwarden retention`:

- by age: a camera's complete segments that ended more than its `retention_days` ago;
- by disk pressure: when the recordings filesystem has less than `free_margin_gb` free, the
  oldest segments across all cameras, until the margin is back (Frigate's rule, with a margin
  instead of "one hour").

Neither ever deletes footage that is protected:

- a segment still being written (`recording`);
- a segment overlapping an unreleased hold: evidence locks, open requests and complaints,
  review periods (storage/holds.py; R-4.3, R-3.1);
- a segment no closed review cycle covers yet (R-5.2): only footage ending by the end of the
  run of signed-off cycles from the first (`governance.reviews.reviewed_until`) may go, by
  age or by pressure; footage older than the first cycle counts as covered once it closes.
  Before any cycle is signed off, nothing is deleted. Bookmarked footage of a signed-off
  cycle is archived (an `archive` hold) and never goes.

When the disk is under its margin and everything left is protected, nothing is deleted: every
camera in service gets a `disk_full` event (closed when space comes back) and the report says
so. Recording then goes on until the disk is really full; the recorder records that as its
own `storage_error` event.

Deletion is crash-safe (Moonfire's order): the rows are marked `deleting` and committed,
together with the run's one audit entry; then the files are unlinked and their folder synced;
then the rows are deleted. A crash between leaves rows in `deleting`, which fsck (run at every
start) finishes. The index never points at a file that retention removed without saying so.
"""

from camwarden.retention.report import RetentionReport
from camwarden.retention.service import RetentionService
from camwarden.retention.worker import RetentionWorker

__all__ = ["RetentionReport", "RetentionService", "RetentionWorker"]
