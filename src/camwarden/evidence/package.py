"""What an evidence package is made of, shared by the writer and the verifier.

```
camwarden-evidence-<UTC yyyymmddThhmmssZ>-<export id>/
  clips/<camera>-<UTC start>.mp4   the footage, by stream copy
  documents/<name>.pdf             written records, e.g. an incident's biên bản (optional)
  manifest.json                    what, when, who, why; size and SHA-256 of every file
  manifest.json.sig                raw 64-byte Ed25519 signature of manifest.json's bytes
  public-key.pem                   the installation's public key
  SHA256SUMS                       `sha256sum -c SHA256SUMS` checks clips and manifest
  README.txt                       how to check it, in Vietnamese and English
```

The manifest is canonical JSON (sorted keys, UTF-8, indent 2, one trailing newline), so the same
content always gives the same bytes, and the signature covers exactly those bytes: nothing
needs re-serialising to verify it.
"""

from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

FORMAT = "camwarden-evidence"
FORMAT_VERSION = 1

CLIPS_DIR = "clips"
# Written records that go with the footage (an incident's biên bản), signed with it.
DOCUMENTS_DIR = "documents"
MANIFEST = "manifest.json"
SIGNATURE = "manifest.json.sig"
PUBLIC_KEY = "public-key.pem"
SUMS = "SHA256SUMS"
README = "README.txt"
TOP_LEVEL = frozenset({CLIPS_DIR, DOCUMENTS_DIR, MANIFEST, SIGNATURE, PUBLIC_KEY, SUMS, README})

_HASH_CHUNK_BYTES = 1 << 20


def canonical_json(document: Any) -> bytes:
    return (json.dumps(document, sort_keys=True, ensure_ascii=False, indent=2) + "\n").encode()


def compact_utc(moment: datetime) -> str:
    """20261126T010000Z: for file names, sortable, no characters a file system refuses."""
    return moment.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def iso_utc(moment: datetime) -> str:
    """2026-11-26T01:00:00.000Z: milliseconds, which is finer than any camera's frame."""
    return moment.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def slug(name: str) -> str:
    """'Cổng chính (A)' → 'cong-chinh-a': a file name any system and any reader can type."""
    # NFKD takes the accents off every Vietnamese letter but đ, which is a letter of its own.
    plain = unicodedata.normalize("NFKD", name.replace("đ", "d").replace("Đ", "D"))
    ascii_only = plain.encode("ascii", "ignore").decode("ascii").lower()
    return re.sub(r"[^a-z0-9]+", "-", ascii_only).strip("-") or "camera"


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as source:
        while chunk := source.read(_HASH_CHUNK_BYTES):
            digest.update(chunk)
    return digest.hexdigest()


def sums_text(hashes: dict[str, str]) -> str:
    """sha256sum's own format: '<hex>  <name>' (two spaces: text mode), sorted by name."""
    return "".join(f"{digest}  {name}\n" for name, digest in sorted(hashes.items()))


def parse_sums(text: str) -> dict[str, str] | None:
    """name → hex digest; None when a line is not in sha256sum's format."""
    entries: dict[str, str] = {}
    for line in text.splitlines():
        if not line.strip():
            continue
        match = re.fullmatch(r"([0-9a-fA-F]{64}) [ *](.+)", line)
        if match is None:
            return None
        entries[match.group(2)] = match.group(1).lower()
    return entries


def readme_text(package_name: str, key_id: str) -> str:
    """The package's own instructions, for a receiver who has neither camwarden nor its docs."""
    return f"""\
GÓI BẰNG CHỨNG HÌNH ẢNH / VIDEO EVIDENCE PACKAGE
{package_name}

Mã khoá của nhà trường / School's key id:
{key_id}

TIẾNG VIỆT

Gói này gồm: các đoạn video trong thư mục clips/ (sao chép nguyên vẹn từ bản ghi, không
mã hoá lại), manifest.json (camera, thời gian yêu cầu và thời gian thực tế, người xuất,
lý do, số văn bản phê duyệt, kích thước và mã SHA-256 của từng tệp), manifest.json.sig
(chữ ký Ed25519 của manifest.json bằng khoá của nhà trường), public-key.pem (khoá công khai)
và SHA256SUMS.

Cách kiểm tra trên Linux, trong thư mục này:

  1. Các tệp không bị sửa:
       sha256sum -c SHA256SUMS
     Mọi dòng phải kết thúc bằng "OK" (không có dòng nào "FAILED" hay "BỊ LỖI").
  2. manifest.json do khoá này ký:
       openssl pkeyutl -verify -pubin -inkey public-key.pem -rawin \\
           -in manifest.json -sigfile manifest.json.sig
     Phải in "Signature Verified Successfully".
  3. Khoá là của nhà trường:
       openssl pkey -pubin -in public-key.pem -outform DER | sha256sum
     Kết quả phải trùng với mã khoá nhà trường công bố (và với mã khoá ở trên).

Bước 1 và 2 chứng minh các tệp giống hệt lúc xuất và manifest.json được ký bằng khoá trong
gói. Chỉ bước 3 chứng minh khoá đó là của nhà trường: kẻ giả mạo có thể thay cả khoá.

ENGLISH

This package holds: the video clips in clips/ (copied as recorded, never re-encoded),
manifest.json (cameras, requested and actual times, who exported it, why, the approval
reference, the size and SHA-256 of every file), manifest.json.sig (the Ed25519 signature of
manifest.json by the school's key), public-key.pem (the public key) and SHA256SUMS.

To check it on Linux, in this folder:

  1. The files are unchanged:
       sha256sum -c SHA256SUMS
     Every line must end in "OK" (none in "FAILED").
  2. manifest.json was signed by this key:
       openssl pkeyutl -verify -pubin -inkey public-key.pem -rawin \\
           -in manifest.json -sigfile manifest.json.sig
     It must print "Signature Verified Successfully".
  3. The key is the school's:
       openssl pkey -pubin -in public-key.pem -outform DER | sha256sum
     The result must equal the key id the school publishes (and the key id above).

Steps 1 and 2 prove the files are exactly as exported and that manifest.json was signed with
the key in the package. Only step 3 proves that key is the school's: a forger could replace
the key too.
"""
