"""Check an evidence package with nothing but the package: no database, no network.

Every problem is reported, not just the first, each naming the file and what is wrong, so
that whoever received the package can say exactly which part cannot be trusted.

What a package alone can prove is that its files are the ones its own key signed. A forger
could re-sign altered files with a key of their own and put that key in `public-key.pem`;
only a public key obtained from the school by another way (its web site, a letter) closes
that door. Given one (`trusted_key`), the signature is checked against it, and a package
whose key differs is reported.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from camwarden.evidence import package as pkg
from camwarden.evidence.signing import key_id, load_public_key, shown_key_id, signature_is_valid
from camwarden.i18n import N_

Gettext = Any  # a gettext function, or None for the English message ids


@dataclass(frozen=True)
class Problem:
    file: str  # relative to the package, POSIX style
    message: str  # English msgid, with {placeholders}
    params: dict[str, Any] = field(default_factory=dict)

    def render(self, gettext: Gettext = None) -> str:
        template = gettext(self.message) if gettext is not None else self.message
        return f"{self.file}: {template.format(**self.params)}"


@dataclass(frozen=True)
class VerificationReport:
    package: Path
    problems: list[Problem]
    key_id: str | None  # of the package's public-key.pem, when it could be read
    export_id: str | None
    clips_checked: int
    trusted_key_used: bool
    documents_checked: int = 0

    @property
    def ok(self) -> bool:
        return not self.problems


class _Check:
    def __init__(self, root: Path) -> None:
        self.root = root
        self.problems: list[Problem] = []
        self._hashes: dict[str, str] = {}

    def problem(self, file: str, message: str, **params: Any) -> None:
        self.problems.append(Problem(file, message, params))

    def sha256(self, name: str) -> str:
        """Each file is read once, however many checks need its hash."""
        if name not in self._hashes:
            self._hashes[name] = pkg.sha256_file(self.root / name)
        return self._hashes[name]

    def read(self, name: str) -> bytes | None:
        path = self.root / name
        if not path.is_file():
            self.problem(name, N_("this file is missing from the package."))
            return None
        return path.read_bytes()


def verify_package(path: Path, trusted_key: Path | None = None) -> VerificationReport:
    """Signature, key id, every clip's size and SHA-256, SHA256SUMS, and no unlisted file."""
    check = _Check(path)
    if not path.is_dir():
        check.problem(path.name, N_("this is not a folder holding an evidence package."))
        return VerificationReport(path, check.problems, None, None, 0, trusted_key is not None)
    manifest_bytes = check.read(pkg.MANIFEST)
    package_key = _package_key(check)
    signing_key = package_key
    if trusted_key is not None:
        signing_key = _trusted_key(check, trusted_key, package_key)
    signature = check.read(pkg.SIGNATURE)
    if manifest_bytes is not None and signature is not None and signing_key is not None:
        if len(signature) != 64:
            check.problem(
                pkg.SIGNATURE,
                N_("an Ed25519 signature is 64 bytes; this file has {size}."),
                size=len(signature),
            )
        elif not signature_is_valid(signing_key, signature, manifest_bytes):
            check.problem(
                pkg.MANIFEST,
                N_(
                    "the signature in {signature} does not match: the manifest was changed "
                    "after it was signed, or it was signed by another key."
                ),
                signature=pkg.SIGNATURE,
            )
    manifest = _manifest(check, manifest_bytes)
    listed: dict[str, dict[str, Any]] = {}
    documents: dict[str, dict[str, Any]] = {}
    if manifest is not None:
        package_key_id = key_id(package_key) if package_key is not None else None
        stated = manifest.get("installation_key_id")
        if package_key_id is not None and stated != package_key_id:
            check.problem(
                pkg.MANIFEST,
                N_("the key id is {stated}, but {key_file} has the key id {actual}."),
                stated=stated,
                key_file=pkg.PUBLIC_KEY,
                actual=package_key_id,
            )
        listed = _listed_clips(check, manifest)
        for name, clip in listed.items():
            _check_clip(check, name, clip)
        documents = _listed_documents(check, manifest)
        for name, document in documents.items():
            _check_clip(
                check, name, document, N_("this document is listed in the manifest but missing.")
            )
        listed = {**listed, **documents}
    _check_unlisted(check, listed)
    _check_sums(check, listed)
    return VerificationReport(
        package=path,
        problems=check.problems,
        key_id=key_id(package_key) if package_key is not None else None,
        export_id=str(manifest.get("export_id")) if manifest is not None else None,
        clips_checked=len(listed) - len(documents),
        documents_checked=len(documents),
        trusted_key_used=trusted_key is not None,
    )


def _package_key(check: _Check) -> Ed25519PublicKey | None:
    pem = check.read(pkg.PUBLIC_KEY)
    if pem is None:
        return None
    try:
        return load_public_key(pem)
    except ValueError:
        check.problem(pkg.PUBLIC_KEY, N_("this is not an Ed25519 public key in PEM form."))
        return None


def _trusted_key(
    check: _Check, trusted_key: Path, package_key: Ed25519PublicKey | None
) -> Ed25519PublicKey | None:
    try:
        trusted = load_public_key(trusted_key.read_bytes())
    except (OSError, ValueError):
        check.problem(str(trusted_key), N_("this is not an Ed25519 public key in PEM form."))
        return None
    if package_key is not None and key_id(package_key) != key_id(trusted):
        check.problem(
            pkg.PUBLIC_KEY,
            N_(
                "this is not the trusted key: its key id is {package_key_id}, the trusted "
                "key's is {trusted_key_id}."
            ),
            package_key_id=shown_key_id(key_id(package_key)),
            trusted_key_id=shown_key_id(key_id(trusted)),
        )
    return trusted


def _manifest(check: _Check, manifest_bytes: bytes | None) -> dict[str, Any] | None:
    if manifest_bytes is None:
        return None
    try:
        manifest = json.loads(manifest_bytes.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        check.problem(pkg.MANIFEST, N_("this is not valid JSON: {error}"), error=str(error))
        return None
    if not isinstance(manifest, dict) or manifest.get("format") != pkg.FORMAT:
        check.problem(pkg.MANIFEST, N_("this is not the manifest of a camwarden evidence package."))
        return None
    if manifest.get("format_version") != pkg.FORMAT_VERSION:
        check.problem(
            pkg.MANIFEST,
            N_("format version {found} is not one this program knows (it knows {known})."),
            found=manifest.get("format_version"),
            known=pkg.FORMAT_VERSION,
        )
    return manifest


def _listed_clips(check: _Check, manifest: dict[str, Any]) -> dict[str, dict[str, Any]]:
    listed: dict[str, dict[str, Any]] = {}
    ranges = manifest.get("ranges")
    clips = [
        clip
        for entry in (ranges if isinstance(ranges, list) else [])
        if isinstance(entry, dict) and isinstance(entry.get("clips"), list)
        for clip in entry["clips"]
    ]
    for clip in clips:
        name = clip.get("file") if isinstance(clip, dict) else None
        parts = PurePosixPath(name).parts if isinstance(name, str) else ()
        # A manifest naming ../../etc/passwd must not make the verifier read outside the package.
        if len(parts) != 2 or parts[0] != pkg.CLIPS_DIR or parts[1] in (".", ".."):
            check.problem(
                pkg.MANIFEST,
                N_("it lists the clip {value}, which is not a file directly inside clips/."),
                value=repr(name),
            )
        elif name in listed:
            check.problem(pkg.MANIFEST, N_("it lists the clip {value} twice."), value=name)
        else:
            listed[str(name)] = clip
    return listed


def _listed_documents(check: _Check, manifest: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Written records packed with the footage (an incident's biên bản), signed like the clips."""
    listed: dict[str, dict[str, Any]] = {}
    documents = manifest.get("documents", [])
    for document in documents if isinstance(documents, list) else []:
        name = document.get("file") if isinstance(document, dict) else None
        parts = PurePosixPath(name).parts if isinstance(name, str) else ()
        if len(parts) != 2 or parts[0] != pkg.DOCUMENTS_DIR or parts[1] in (".", ".."):
            check.problem(
                pkg.MANIFEST,
                N_(
                    "it lists the document {value}, which is not a file directly inside documents/."
                ),
                value=repr(name),
            )
        elif name in listed:
            check.problem(pkg.MANIFEST, N_("it lists the document {value} twice."), value=name)
        else:
            listed[str(name)] = document
    return listed


def _check_clip(
    check: _Check,
    name: str,
    clip: dict[str, Any],
    missing: str = N_("this clip is listed in the manifest but missing."),
) -> None:
    path = check.root / name
    if not path.is_file():
        check.problem(name, missing)
        return
    size = path.stat().st_size
    if size != clip.get("bytes"):
        check.problem(
            name,
            N_("the file has {actual} bytes, the manifest says {expected}."),
            actual=size,
            expected=clip.get("bytes"),
        )
    if check.sha256(name) != clip.get("sha256"):
        check.problem(
            name,
            N_("SHA-256 is {actual}, the manifest says {expected}."),
            actual=check.sha256(name),
            expected=clip.get("sha256"),
        )


def _check_unlisted(check: _Check, listed: dict[str, dict[str, Any]]) -> None:
    for entry in sorted(check.root.iterdir()):
        if entry.name not in pkg.TOP_LEVEL:
            check.problem(entry.name, N_("this file is not part of the package."))
    for folder in (check.root / pkg.CLIPS_DIR, check.root / pkg.DOCUMENTS_DIR):
        if not folder.is_dir():
            continue
        for entry in sorted(folder.rglob("*")):
            name = entry.relative_to(check.root).as_posix()
            if entry.is_file() and name not in listed:
                check.problem(name, N_("this file is not listed in the manifest."))


def _check_sums(check: _Check, listed: dict[str, dict[str, Any]]) -> None:
    raw = check.read(pkg.SUMS)
    if raw is None:
        return
    sums = pkg.parse_sums(raw.decode("utf-8", "replace"))
    if sums is None:
        check.problem(pkg.SUMS, N_("a line is not in the format of sha256sum."))
        return
    covered = [pkg.MANIFEST, *listed]
    for name in covered:
        if name not in sums:
            check.problem(pkg.SUMS, N_("it does not list {value}."), value=name)
    for name, digest in sums.items():
        if name not in covered:
            check.problem(
                pkg.SUMS, N_("it lists {value}, which the manifest does not."), value=name
            )
        elif name == pkg.MANIFEST:
            if (check.root / name).is_file() and check.sha256(name) != digest:
                check.problem(
                    name,
                    N_("SHA-256 is {actual}, {sums} says {expected}."),
                    actual=check.sha256(name),
                    sums=pkg.SUMS,
                    expected=digest,
                )
        elif digest != listed[name].get("sha256"):
            # The clip itself is compared with the manifest (the signed statement) elsewhere;
            # here only whether the two lists agree.
            check.problem(
                pkg.SUMS,
                N_("it gives {value} the SHA-256 {found}, the manifest says {expected}."),
                value=name,
                found=digest,
                expected=listed[name].get("sha256"),
            )
