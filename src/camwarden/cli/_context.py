"""What every command needs: the installation, an actor, and errors shown in the user's language."""

from __future__ import annotations

import getpass
import os
import signal
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path

import typer

from camwarden import i18n
from camwarden.config import DATA_DIR_ENV, load_settings
from camwarden.errors import CamwardenError
from camwarden.governance.authorization import SYSTEM_ACTOR, Actor
from camwarden.installation import Installation, open_installation

DEFAULT_DATA_DIR = Path("/var/lib/camwarden")


@dataclass
class CliState:
    data_dir: Path


def data_dir_from(value: Path | None) -> Path:
    if value is not None:
        return value
    from_env = os.environ.get(DATA_DIR_ENV)
    return Path(from_env) if from_env else DEFAULT_DATA_DIR


def cli_actor() -> Actor:
    """Commands run on the server by its operator; the audit log names the OS account."""
    try:
        who = getpass.getuser()
    except (KeyError, OSError):
        who = "unknown"
    return replace(SYSTEM_ACTOR, username=f"cli:{who}"[:64])


def acting_for(inst: Installation, username: str) -> Actor:
    """The named account a command acts for (`--as USERNAME`): what it may do is that person's,
    and its audit entries name the person and, as the address, the operator who ran it."""
    from camwarden.governance.accounts import actor_for

    with inst.database.reading() as session:
        user = inst.accounts.by_username(session, username.strip().lower())
        if user is None or not user.is_active:
            raise fail(i18n.gettext("There is no active account '{value}'.").format(value=username))
        return replace(actor_for(user), ip=cli_actor().username)


def fail(message: str, code: int = 1) -> typer.Exit:
    typer.secho(message, err=True, fg=typer.colors.RED)
    return typer.Exit(code)


@contextmanager
def installation(ctx: typer.Context) -> Iterator[Installation]:
    """Open the installation; a domain error is printed translated and exits with status 1."""
    state: CliState = ctx.obj
    inst = None
    try:
        inst = open_installation(load_settings(state.data_dir))
        yield inst
    except CamwardenError as error:
        raise fail(error.render(i18n.gettext)) from None
    finally:
        if inst is not None:
            inst.close()


def stop_cleanly_on_sigterm() -> None:
    """SIGTERM (systemd's stop) ends the program like Ctrl-C: clean-up code runs.

    Uvicorn shuts down gracefully on SIGTERM and then raises the signal again with the
    handler that was there before it started; Python's default would end the process on the
    spot, skipping the recorders' shutdown (their last segments would wait for fsck).
    """
    signal.signal(signal.SIGTERM, lambda _signum, _frame: sys.exit(0))
