"""The docs keep up with the code: every setting and every command is documented."""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path
from typing import Any

import typer

from camwarden.cli.main import app
from camwarden.config import LoginPolicy, Settings

DOCS = Path(__file__).resolve().parents[1] / "docs"


def test_every_setting_is_documented_in_configuration_md() -> None:
    text = (DOCS / "configuration.md").read_text(encoding="utf-8")
    settable = {f.name for f in dataclasses.fields(Settings)} - {"data_dir", "login"}
    settable |= {f.name for f in dataclasses.fields(LoginPolicy)}
    undocumented = sorted(name for name in settable if f"`{name}`" not in text)
    assert not undocumented, f"settings missing from docs/configuration.md: {undocumented}"


def _command_paths(command: Any, prefix: str = "camwarden") -> set[str]:
    subcommands = getattr(command, "commands", None)
    if not subcommands:
        return {prefix}
    paths: set[str] = set()
    for name, sub in subcommands.items():
        paths |= _command_paths(sub, f"{prefix} {name}")
    return paths


def _documented_commands(text: str) -> set[str]:
    """Table rows like | `camwarden user add / list` | … expand to each full command."""
    documented: set[str] = set()
    for cell in re.findall(r"^\| `(camwarden [^`]+)` \|", text, flags=re.MULTILINE):
        head, *alternatives = cell.split(" / ")
        documented.add(head)
        group = head.rsplit(" ", 1)[0]
        documented |= {f"{group} {alternative}" for alternative in alternatives}
    return documented


def test_every_command_is_documented_in_operations_md() -> None:
    text = (DOCS / "operations.md").read_text(encoding="utf-8")
    commands = _command_paths(typer.main.get_command(app))
    undocumented = sorted(commands - _documented_commands(text))
    assert not undocumented, f"commands missing from docs/operations.md: {undocumented}"


def test_every_test_named_in_the_regulation_table_exists() -> None:
    """docs/regulation.md names tests as `dir/test_file.py::test_name` or `::test_name` (same
    file as the one before); each must exist, so the table cannot claim a proof that is gone."""
    tests_dir = Path(__file__).resolve().parent
    text = (DOCS / "regulation.md").read_text(encoding="utf-8")
    missing = []
    current: Path | None = None
    for reference in re.findall(r"`((?:[a-z_/]+\.py)?(?:::[a-z_0-9]+)?)`", text):
        file_part, _, name = reference.partition("::")
        if file_part and not Path(file_part).name.startswith("test_"):
            continue  # a source file, named in the "where" column
        if file_part:
            current = tests_dir / file_part
            if not current.exists():
                missing.append(file_part)
                continue
        if name and (current is None or f"def {name}(" not in current.read_text(encoding="utf-8")):
            missing.append(reference)
    assert not missing, f"docs/regulation.md names tests that do not exist: {missing}"
