"""A minimal RTSP client: one DESCRIBE, with Basic or Digest authentication when asked.

Enough to learn, in a fraction of a second and without decoding anything, whether a camera
hands out its stream to a given login (200) or refuses it (401). RTSPS is the same over TLS;
the camera's certificate is not checked here (cameras ship self-signed ones), since the
question is only which logins it accepts.
"""

from __future__ import annotations

import hashlib
import re
import socket
import ssl
import time
from base64 import b64encode
from dataclasses import dataclass
from urllib.parse import urlsplit

TIMEOUT_S = 5.0
BUSY_RETRIES = 10
BUSY_PAUSE_S = 0.3
DEFAULT_PORTS = {"rtsp": 554, "rtsps": 322}


class RtspUnreachable(Exception):
    """Nothing answered RTSP at the address."""


@dataclass(frozen=True)
class Answer:
    status: int
    authenticate: str  # the WWW-Authenticate header of a 401, "" otherwise


def describe(url: str, username: str | None = None, password: str | None = None) -> int:
    """The status of DESCRIBE `url` (without inline credentials) as `username`/`password`;
    without a username, asked anonymously."""
    first = _request(url, None)
    if first.status != 401 or username is None:
        return first.status
    return _request(url, _authorization(first.authenticate, url, username, password or "")).status


def _authorization(challenge: str, url: str, username: str, password: str) -> str:
    if challenge.lower().startswith("digest"):
        fields = dict(re.findall(r'(\w+)="?([^",]*)"?', challenge[6:]))
        realm, nonce = fields.get("realm", ""), fields.get("nonce", "")
        ha1 = hashlib.md5(f"{username}:{realm}:{password}".encode()).hexdigest()
        ha2 = hashlib.md5(f"DESCRIBE:{url}".encode()).hexdigest()
        response = hashlib.md5(f"{ha1}:{nonce}:{ha2}".encode()).hexdigest()
        return (
            f'Digest username="{username}", realm="{realm}", nonce="{nonce}", '
            f'uri="{url}", response="{response}"'
        )
    token = b64encode(f"{username}:{password}".encode()).decode()
    return f"Basic {token}"


def _request(url: str, authorization: str | None) -> Answer:
    """One DESCRIBE; a 503 (the camera busy, or still closing the last reader's session) is
    asked again a few times before it counts, and a request left unanswered once."""
    try:
        answer = _request_once(url, authorization)
    except TimeoutError:
        # Some servers let a request made while they close the last session go unanswered.
        try:
            answer = _request_once(url, authorization)
        except TimeoutError as error:
            raise RtspUnreachable(str(error) or "timed out") from None
    for _ in range(BUSY_RETRIES):
        if answer.status != 503:
            break
        time.sleep(BUSY_PAUSE_S)
        try:
            answer = _request_once(url, authorization)
        except TimeoutError as error:
            raise RtspUnreachable(str(error) or "timed out") from None
    return answer


def _request_once(url: str, authorization: str | None) -> Answer:
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    host = parts.hostname or ""
    port = parts.port or DEFAULT_PORTS.get(scheme, 554)
    lines = [f"DESCRIBE {url} RTSP/1.0", "CSeq: 1", "Accept: application/sdp"]
    if authorization:
        lines.append(f"Authorization: {authorization}")
    request = ("\r\n".join(lines) + "\r\n\r\n").encode()
    try:
        with socket.create_connection((host, port), timeout=TIMEOUT_S) as raw:
            if scheme == "rtsps":
                context = ssl.create_default_context()
                context.check_hostname = False
                context.verify_mode = ssl.CERT_NONE
                with context.wrap_socket(raw, server_hostname=host) as secure:
                    return _exchange(secure, request)
            return _exchange(raw, request)
    except TimeoutError:
        raise
    except (OSError, ValueError) as error:
        raise RtspUnreachable(str(error)) from None


def _exchange(connection: socket.socket, request: bytes) -> Answer:
    connection.sendall(request)
    received = b""
    while b"\r\n\r\n" not in received and len(received) < 65536:
        chunk = connection.recv(4096)
        if not chunk:
            break
        received += chunk
    head = received.split(b"\r\n\r\n", 1)[0].decode("latin-1")
    status_line, *header_lines = head.split("\r\n")
    match = re.match(r"RTSP/\d\.\d (\d{3})", status_line)
    if not match:
        raise RtspUnreachable(f"not an RTSP answer: {status_line[:60]!r}")
    authenticate = ""
    for line in header_lines:
        name, _, value = line.partition(":")
        if name.strip().lower() == "www-authenticate":
            value = value.strip()
            # Prefer Digest when the camera offers both, as a client should.
            if not authenticate or value.lower().startswith("digest"):
                authenticate = value
    return Answer(int(match.group(1)), authenticate)
