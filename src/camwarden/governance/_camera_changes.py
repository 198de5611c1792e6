"""What the audit log is told about a camera: the facts of its register entry, its analysis
settings, and a change as the old and new value of each fact that moved. Never its login."""

from __future__ import annotations

from camwarden.storage.models import Camera


def register_facts(camera: Camera) -> dict[str, object]:
    return {
        "name": camera.name,
        "zone_id": camera.zone_id,
        "main_url": camera.main_url,
        "sub_url": camera.sub_url,
        "state": camera.state,
        "position_notes": camera.position_notes,
        "retention_days": camera.retention_days,
    }


def analysis_facts(camera: Camera) -> dict[str, object]:
    return {
        "analysis_mask": camera.analysis_mask,
        "tamper_sensitivity": camera.tamper_sensitivity,
        "motion_sensitivity": camera.motion_sensitivity,
    }


def changes(before: dict[str, object], after: dict[str, object]) -> dict[str, object]:
    """[old, new] for each fact that differs; empty when nothing did."""
    return {key: [before[key], after[key]] for key in after if before[key] != after[key]}
