"""The demo's sample casework: a parent's request for footage and a parent's complaint.

They are filed a few minutes after the start, naming footage just recorded, so that the
Board has a request to decide, the principal a complaint to handle, and the visitor two
tracking codes to follow on the public pages as the parents would.
"""

from __future__ import annotations

import threading
from datetime import timedelta

import typer

from camwarden.errors import CamwardenError
from camwarden.governance.complaints import FootageRange
from camwarden.i18n import gettext as _
from camwarden.installation import Installation

# Long enough for the cameras to have recorded what the parents name.
FILED_AFTER = timedelta(minutes=3)
NAMED_MINUTES = timedelta(minutes=2)


def file_sample_casework_later(
    inst: Installation, gate_camera_id: int, corridor_camera_id: int, stop: threading.Event
) -> None:
    """Wait `FILED_AFTER` (or until the demo stops), then file both and print their codes."""
    if stop.wait(FILED_AFTER.total_seconds()):
        return
    typer.echo(file_sample_casework(inst, gate_camera_id, corridor_camera_id))


def file_sample_casework(inst: Installation, gate_camera_id: int, corridor_camera_id: int) -> str:
    """File the request and the complaint, naming the minutes after the demo began; says
    what was filed and the tracking codes, or why nothing was."""
    now = inst.clock.now()
    start, end = now - FILED_AFTER, now - FILED_AFTER + NAMED_MINUTES
    try:
        with inst.database.transaction() as session:
            request = inst.requests.file(
                session,
                actor=None,
                name="Nguyễn Thị Lan",
                contact="lan.phuhuynh@example.com",
                organisation="Phụ huynh học sinh lớp 2B",
                purpose=(
                    "Sáng nay con tôi bị ngã ở cổng trường. Tôi xin bản sao đoạn ghi hình "
                    "để biết cháu ngã thế nào."
                ),
                access="copy",
                camera_ids=[gate_camera_id],
                footage_start=start,
                footage_end=end,
            )
        with inst.database.transaction() as session:
            complaint = inst.complaints.file(
                session,
                None,
                kind="complaint",
                name="Trần Văn Minh",
                contact="minh.phuhuynh@example.com",
                subject="Con tôi bị bạn xô ngã ở hành lang nhà B",
                description=(
                    "Cháu Trần Minh Anh, lớp 3A, về kể bị một bạn xô ngã ở hành lang tầng 1 "
                    "nhà B giờ ra chơi. Đề nghị nhà trường xem lại camera và trả lời gia đình."
                ),
                footage=[FootageRange(corridor_camera_id, start, end)],
            )
    except CamwardenError as refused:
        return _("The demo's sample request and complaint were not filed: {reason}").format(
            reason=refused.render(_)
        )
    return _(
        "Filed as parents would: request {request} (tracking code {request_code}, "
        "follow it at /request/status) and complaint {complaint} (tracking code "
        "{complaint_code}, at /complaint/status)."
    ).format(
        request=request.request.reference,
        request_code=request.tracking_code,
        complaint=complaint.complaint.reference,
        complaint_code=complaint.tracking_code,
    )
