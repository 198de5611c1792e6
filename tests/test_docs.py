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
