"""Two ONVIF device-service calls by hand: GetDeviceInformation and GetSystemDateAndTime.

Two fixed SOAP requests over urllib, with a WS-UsernameToken digest when a login is given,
rather than onvif-zeep-async: that client brings zeep, lxml and the ONVIF WSDL files, and an
asyncio API, into a process that needs two read-only calls (docs/inspection.md).
"""

from __future__ import annotations

import base64
import hashlib
import os
import urllib.error
import urllib.request
from dataclasses import dataclass
from datetime import UTC, datetime
from xml.etree import ElementTree

TIMEOUT_S = 4.0
MAX_ANSWER_BYTES = 256 * 1024
DEVICE_SERVICE_PATH = "/onvif/device_service"

_ENVELOPE = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope">'
    "<s:Header>{header}</s:Header>"
    '<s:Body xmlns:tds="http://www.onvif.org/ver10/device/wsdl"><tds:{call}/></s:Body>'
    "</s:Envelope>"
)
_SECURITY = (
    '<wsse:Security s:mustUnderstand="1" xmlns:wsse="http://docs.oasis-open.org/wss/2004/01/'
    'oasis-200401-wss-wssecurity-secext-1.0.xsd" xmlns:wsu="http://docs.oasis-open.org/wss/2004/'
    '01/oasis-200401-wss-wssecurity-utility-1.0.xsd"><wsse:UsernameToken>'
    "<wsse:Username>{username}</wsse:Username>"
    '<wsse:Password Type="http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-username-'
    'token-profile-1.0#PasswordDigest">{digest}</wsse:Password>'
    '<wsse:Nonce EncodingType="http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-soap-'
    'message-security-1.0#Base64Binary">{nonce}</wsse:Nonce>'
    "<wsu:Created>{created}</wsu:Created></wsse:UsernameToken></wsse:Security>"
)


class OnvifUnreachable(Exception):
    """No ONVIF device service answered at the address."""


class OnvifRefused(Exception):
    """The device service answered, but refused the call (not authorised)."""


@dataclass(frozen=True)
class DeviceInformation:
    manufacturer: str
    model: str
    firmware: str
    serial: str


def password_digest(nonce: bytes, created: str, password: str) -> str:
    """WS-Security UsernameToken: Base64(SHA-1(nonce + created + password))."""
    return base64.b64encode(
        hashlib.sha1(nonce + created.encode() + password.encode()).digest()
    ).decode()


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _call(
    address: str, call: str, username: str | None, password: str | None
) -> ElementTree.Element:
    header = ""
    if username:
        nonce = os.urandom(16)
        created = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        header = _SECURITY.format(
            username=_escape(username),
            digest=password_digest(nonce, created, password or ""),
            nonce=base64.b64encode(nonce).decode(),
            created=created,
        )
    body = _ENVELOPE.format(header=header, call=call).encode()
    request = urllib.request.Request(
        address,
        data=body,
        headers={"Content-Type": "application/soap+xml; charset=utf-8"},
        method="POST",
    )
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT_S) as answer:
            payload = answer.read(MAX_ANSWER_BYTES)
    except urllib.error.HTTPError as error:
        if error.code in (400, 401, 403, 500):
            raise OnvifRefused(f"HTTP {error.code}") from None
        raise OnvifUnreachable(f"HTTP {error.code}") from None
    except (urllib.error.URLError, OSError, ValueError) as error:
        raise OnvifUnreachable(str(error)) from None
    try:
        return ElementTree.fromstring(payload)
    except ElementTree.ParseError as error:
        raise OnvifUnreachable(f"not SOAP: {error}") from None


def _find(root: ElementTree.Element, name: str) -> ElementTree.Element | None:
    return next((e for e in root.iter() if e.tag.rsplit("}", 1)[-1] == name), None)


def _text(root: ElementTree.Element, name: str) -> str:
    element = _find(root, name)
    return (element.text or "").strip() if element is not None else ""


def device_information(
    address: str, username: str | None, password: str | None
) -> DeviceInformation:
    root = _call(address, "GetDeviceInformation", username, password)
    if _find(root, "GetDeviceInformationResponse") is None:
        raise OnvifRefused("no GetDeviceInformationResponse")
    return DeviceInformation(
        manufacturer=_text(root, "Manufacturer"),
        model=_text(root, "Model"),
        firmware=_text(root, "FirmwareVersion"),
        serial=_text(root, "SerialNumber"),
    )


def system_time(address: str, username: str | None, password: str | None) -> datetime:
    """The camera's clock, in UTC (ONVIF allows this call before authentication)."""
    root = _call(address, "GetSystemDateAndTime", username, password)
    utc = _find(root, "UTCDateTime")
    if utc is None:
        raise OnvifRefused("no UTCDateTime in the answer")
    try:
        return datetime(
            int(_text(utc, "Year")),
            int(_text(utc, "Month")),
            int(_text(utc, "Day")),
            int(_text(utc, "Hour")),
            int(_text(utc, "Minute")),
            int(_text(utc, "Second")),
            tzinfo=UTC,
        )
    except ValueError as error:
        raise OnvifRefused(f"unreadable date: {error}") from None
