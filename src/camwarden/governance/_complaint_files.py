"""Files a person attaches to a complaint: checked by their content, kept by their hash.

The uploaded name is only ever shown (reduced to a plain file name); it never becomes a path.
A file is stored once under `<data>/attachments/<2 hex>/<sha256>`, whatever it is called.
"""

from __future__ import annotations

import hashlib
import os
import re
import tempfile
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from camwarden.errors import InvalidInput, NotFound
from camwarden.i18n import N_

# A phone photo is 2-6 MB; ten seconds of phone video about as much.
MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024
MAX_FILES_PER_SUBMISSION = 5
# Over the whole exchange, so that one complaint cannot fill the disk.
MAX_FILES_PER_COMPLAINT = 20

ALLOWED_KINDS_LABEL = N_("photos (JPEG, PNG, WebP, HEIC), PDF documents or short MP4/MOV videos")

# ISO base media brands: pictures from phones (HEIC/AVIF) and videos (MP4, MOV, 3GP).
_PICTURE_BRANDS = {b"heic", b"heix", b"hevc", b"mif1", b"msf1", b"avif"}
_VIDEO_BRANDS = {
    b"isom", b"iso2", b"iso4", b"iso5", b"iso6", b"mp41", b"mp42", b"avc1", b"M4V ",
    b"qt  ", b"3gp4", b"3gp5", b"3gp6", b"3g2a", b"dash", b"MSNV",
}  # fmt: skip


@dataclass(frozen=True)
class Upload:
    """One file as it came from the person: its shown name and its bytes."""

    filename: str
    content: bytes


@dataclass(frozen=True)
class StoredFile:
    filename: str
    content_type: str
    size: int
    sha256: str
    stored_path: str


def content_type_of(content: bytes) -> str | None:
    """The file's type from its first bytes, or None when it is not one we accept."""
    if content.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if content.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if content[:4] == b"RIFF" and content[8:12] == b"WEBP":
        return "image/webp"
    if content.startswith(b"%PDF-"):
        return "application/pdf"
    if content[4:8] == b"ftyp":
        brand = content[8:12]
        if brand in _PICTURE_BRANDS:
            return "image/avif" if brand == b"avif" else "image/heic"
        if brand == b"qt  ":
            return "video/quicktime"
        if brand in _VIDEO_BRANDS:
            return "video/mp4"
    return None


_UNSAFE = re.compile(r"[^\w.\- ()]+")


def display_name(filename: str) -> str:
    """A name fit to show and to offer on download: the last part of any path, no control
    characters or quotes, at most 100 characters; "attachment" when nothing is left."""
    last = re.split(r"[\\/]", filename or "")[-1]
    cleaned = _UNSAFE.sub("_", unicodedata.normalize("NFC", last)).strip(" ._")
    if len(cleaned) > 100:
        stem, dot, extension = cleaned.rpartition(".")
        cleaned = (stem[: 95 - len(extension)] + dot + extension) if dot else cleaned[:100]
    return cleaned or "attachment"


def check_uploads(uploads: list[Upload], *, already: int = 0) -> list[tuple[Upload, str]]:
    """Every file with its type, or a clear error naming the file; nothing is stored yet."""
    if len(uploads) > MAX_FILES_PER_SUBMISSION:
        raise InvalidInput(
            "At most {limit} files at a time.", field="attachments", limit=MAX_FILES_PER_SUBMISSION
        )
    if already + len(uploads) > MAX_FILES_PER_COMPLAINT:
        raise InvalidInput(
            "A complaint can carry at most {limit} files in all.",
            field="attachments",
            limit=MAX_FILES_PER_COMPLAINT,
        )
    checked: list[tuple[Upload, str]] = []
    for upload in uploads:
        name = display_name(upload.filename)
        if not upload.content:
            raise InvalidInput("The file '{name}' is empty.", field="attachments", name=name)
        if len(upload.content) > MAX_ATTACHMENT_BYTES:
            raise InvalidInput(
                "The file '{name}' is larger than {limit} MB.",
                field="attachments",
                name=name,
                limit=MAX_ATTACHMENT_BYTES // (1024 * 1024),
            )
        content_type = content_type_of(upload.content)
        if content_type is None:
            raise InvalidInput(
                "The file '{name}' is not one of the kinds accepted: {kinds}.",
                field="attachments",
                name=name,
                kinds=ALLOWED_KINDS_LABEL,
            )
        checked.append((upload, content_type))
    return checked


class AttachmentStore:
    """Files by content hash under one folder; the database keeps the rest."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def save(self, upload: Upload, content_type: str) -> StoredFile:
        digest = hashlib.sha256(upload.content).hexdigest()
        relative = f"{digest[:2]}/{digest}"
        target = self.root / relative
        if not target.exists():
            target.parent.mkdir(parents=True, exist_ok=True)
            # Written aside and renamed: a crash never leaves half a file under its hash.
            handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=".incoming-")
            with os.fdopen(handle, "wb") as file:
                file.write(upload.content)
            os.replace(temporary, target)
        return StoredFile(
            filename=display_name(upload.filename),
            content_type=content_type,
            size=len(upload.content),
            sha256=digest,
            stored_path=relative,
        )

    def path_of(self, stored_path: str) -> Path:
        """The file's place, only ever inside the store."""
        root = self.root.resolve()
        candidate = (root / stored_path).resolve()
        if not candidate.is_relative_to(root) or not candidate.is_file():
            raise NotFound("This attached file is no longer stored.")
        return candidate
