"""`camwarden analyze VIDEO`: the JSON contract and the Vietnamese summary."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from camwarden.cli.main import app
from camwarden.i18n import translations_for
from tests.analysis.conftest import Grey, during, write_clip

KINDS = {
    "covered",
    "defocused",
    "moved",
    "too_dark",
    "too_bright",
    "frozen",
    "signal_loss",
    "motion",
}
CATALOGUE = (
    Path(__file__).resolve().parents[2] / "src/camwarden/i18n/locales/vi/LC_MESSAGES/analysis.po"
)


@pytest.fixture(scope="module")
def covered_clip(tmp_path_factory: pytest.TempPathFactory) -> Path:
    def cloth(t: float, view: Grey, rng: np.random.Generator) -> Grey:
        return np.full_like(view, 70.0)

    return write_clip(tmp_path_factory.mktemp("clip") / "covered.mp4", during(cloth))


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(app, list(args))
    return result.exit_code, result.output


def test_json_output_is_one_event_object_per_line(covered_clip: Path) -> None:
    code, output = run("analyze", str(covered_clip), "--json")
    assert code == 0, output
    events = [json.loads(line) for line in output.splitlines()]
    assert events
    for event in events:
        assert {"t", "event", "state", "score"} <= event.keys()
        assert isinstance(event["t"], float | int) and event["t"] >= 0
        assert event["event"] in KINDS
        assert event["state"] in {"start", "end"}
        assert isinstance(event["score"], float | int)
    assert {"event": "covered", "state": "start"}.items() <= events[
        [e["event"] for e in events].index("covered")
    ].items()


def test_json_events_of_one_kind_alternate_start_and_end_in_time_order(
    covered_clip: Path,
) -> None:
    _, output = run("analyze", str(covered_clip), "--json")
    events = [json.loads(line) for line in output.splitlines()]
    for kind in {event["event"] for event in events}:
        own = [event for event in events if event["event"] == kind]
        assert [event["t"] for event in own] == sorted(event["t"] for event in own)
        assert [event["state"] for event in own] == ["start", "end"] * (len(own) // 2) + (
            ["start"] if len(own) % 2 else []
        )


def test_the_summary_says_in_vietnamese_when_the_camera_was_covered(covered_clip: Path) -> None:
    code, output = run("--lang", "vi", "analyze", str(covered_clip))
    assert code == 0, output
    assert "bị che" in output
    assert "Từ 00:3" in output


def test_a_missing_file_is_refused_naming_it(tmp_path: Path) -> None:
    code, output = run("--lang", "en", "analyze", str(tmp_path / "nothing.mp4"))
    assert code == 1
    assert "nothing.mp4" in output


def test_a_file_that_is_not_a_video_is_refused(tmp_path: Path) -> None:
    bogus = tmp_path / "notes.mp4"
    bogus.write_text("not a video")
    code, output = run("--lang", "en", "analyze", str(bogus))
    assert code == 1
    assert "could not be read as a video" in output


def test_every_message_of_the_analysis_catalogue_is_translated() -> None:
    from babel.messages.pofile import read_po

    with CATALOGUE.open("rb") as po_file:
        catalogue = read_po(po_file, locale="vi")
    ids = [message.id for message in catalogue if message.id]
    assert ids
    assert all(message.string for message in catalogue if message.id)
    vietnamese = translations_for("vi")
    assert all(vietnamese.gettext(str(message)) != message for message in ids)
