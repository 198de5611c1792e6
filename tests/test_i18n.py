import ast
import string
from datetime import UTC, datetime
from pathlib import Path

import pytest

import camwarden
from camwarden.errors import CamwardenError, InvalidInput
from camwarden.i18n import (
    format_datetime,
    gettext,
    local_time,
    normalise_locale,
    reset_locale,
    set_current_locale,
    translations_for,
)

SOURCE = Path(camwarden.__file__).parent
# Templates are checked apart (test_every_page_string_has_a_vietnamese_translation).
SKIPPED_DIRECTORIES: set[Path] = set()

# Calls whose first positional argument is a message id.
MESSAGE_CALLS = {
    "CamwardenError",
    "InvalidInput",
    "NotFound",
    "Conflict",
    "Forbidden",
    "NotAuthenticated",
    "PasswordChangeRequired",
    "N_",
    "gettext",
    "_",  # the command line's `from camwarden.i18n import gettext as _`
}


def _called_name(call: ast.Call) -> str | None:
    if isinstance(call.func, ast.Name):
        return call.func.id
    if isinstance(call.func, ast.Attribute):
        return call.func.attr
    return None


def _module_constants(tree: ast.Module) -> dict[str, str]:
    """NAME = "text" at module level, so that `raise NotFound(MESSAGE)` counts too."""
    constants = {}
    for node in tree.body:
        if (
            isinstance(node, ast.Assign)
            and len(node.targets) == 1
            and isinstance(node.targets[0], ast.Name)
            and isinstance(node.value, ast.Constant)
            and isinstance(node.value.value, str)
        ):
            constants[node.targets[0].id] = node.value.value
    return constants


def message_ids() -> dict[str, str]:
    """Every message id in the code outside the web package, with where it first appears."""
    found: dict[str, str] = {}
    for path in sorted(SOURCE.rglob("*.py")):
        if any(skipped in path.parents for skipped in SKIPPED_DIRECTORIES):
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        constants = _module_constants(tree)
        for node in ast.walk(tree):
            if not (isinstance(node, ast.Call) and _called_name(node) in MESSAGE_CALLS):
                continue
            if not node.args:
                continue
            first = node.args[0]
            if isinstance(first, ast.Constant) and isinstance(first.value, str):
                message = first.value
            elif isinstance(first, ast.Name) and first.id in constants:
                message = constants[first.id]
            else:
                continue
            where = f"{path.relative_to(SOURCE.parent)}:{node.lineno}"
            found.setdefault(message, where)
    return found


def is_translated(message: str) -> bool:
    vietnamese = translations_for("vi")
    if vietnamese.gettext(message) != message:
        return True
    # Some words are the same in both languages; being in the catalogue is enough then.
    return message in getattr(vietnamese, "_catalog", {})


def placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def test_the_extraction_finds_the_messages_it_should() -> None:
    found = message_ids()
    assert "Username '{value}' is already taken." in found  # an error in governance
    assert "Security guard" in found  # an N_ label
    assert "Setting '{key}' in section [{section}] is unknown; known settings: {known}." in found


def test_every_core_message_has_a_vietnamese_translation() -> None:
    missing = [
        f"{where}: {message}"
        for message, where in message_ids().items()
        if not is_translated(message)
    ]
    assert missing == [], "untranslated messages:\n" + "\n".join(missing)


def test_translations_keep_the_placeholders_of_their_message() -> None:
    vietnamese = translations_for("vi")
    broken = [
        message
        for message in message_ids()
        if placeholders(vietnamese.gettext(message)) != placeholders(message)
    ]
    assert broken == []


def test_errors_render_in_the_current_language() -> None:
    error = InvalidInput("Username '{value}' is already taken.", field="username", value="bv")
    assert error.render() == "Username 'bv' is already taken."
    token = set_current_locale("vi")
    try:
        rendered = error.render(gettext)
    finally:
        reset_locale(token)
    assert "bv" in rendered
    assert rendered == translations_for("vi").gettext(error.message).format(
        value="bv", field="username"
    )


def test_english_needs_no_catalogue() -> None:
    token = set_current_locale("en")
    try:
        assert gettext("Security guard") == "Security guard"
    finally:
        reset_locale(token)


def test_an_error_with_a_bad_template_still_renders() -> None:
    assert CamwardenError("Missing {nothing}").render() == "Missing {nothing}"


@pytest.mark.parametrize(
    ("candidate", "locale"),
    [
        ("vi", "vi"),
        ("vi-VN", "vi"),
        ("en_US", "en"),
        ("EN-gb", "en"),
        ("fr", "vi"),
        ("", "vi"),
        (None, "vi"),
    ],
)
def test_a_requested_language_falls_back_to_vietnamese(candidate: str | None, locale: str) -> None:
    assert normalise_locale(candidate) == locale


def test_times_are_shown_day_first_in_hanoi_time_whatever_the_language() -> None:
    moment = datetime(2026, 1, 5, 17, 30, 15, tzinfo=UTC)
    for language in ("vi", "en"):
        token = set_current_locale(language)
        try:
            assert format_datetime(moment) == "06/01/2026 00:30"
            assert format_datetime(moment, seconds=True) == "06/01/2026 00:30:15"
            assert format_datetime(None) == ""
        finally:
            reset_locale(token)
    assert local_time(moment).utcoffset() is not None
    assert local_time(moment).hour == 0


def test_every_page_string_has_a_vietnamese_translation() -> None:
    from babel.messages.extract import extract_from_dir

    templates = SOURCE / "web" / "templates"
    method_map = [("**.html", "jinja2")]
    options = {"**.html": {"extensions": "jinja2.ext.i18n"}}
    missing = []
    for filename, lineno, message, _comments, _context in extract_from_dir(
        str(templates), method_map=method_map, options_map=options
    ):
        message_id = message if isinstance(message, str) else message[0]
        if not is_translated(message_id):
            missing.append(f"{filename}:{lineno}: {message_id}")
    assert missing == [], "untranslated page strings:\n" + "\n".join(missing)
