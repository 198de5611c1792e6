"""What QCVN 135:2024/BTTTT asks of a camera, checked from outside (docs/inspection.md).

From the network one can see whether the camera hands its stream to anyone, whether it takes a
factory login, whether the stream is encrypted, and over ONVIF its model, firmware and clock.
Everything else the regulation asks (update management, stored secrets, data deletion...) is
the supplier's certificate of conformity, not something a school can test.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from urllib.parse import urlsplit

from camwarden.i18n import N_
from camwarden.inspection import _rtsp, onvif
from camwarden.inspection.checks import Check, Result, Text

# Factory logins of the cameras sold in Vietnam's schools, from the makers' manuals and the
# public default-password lists (docs/inspection.md names the sources). Short on purpose: a
# camera that follows Decision 724/QĐ-BTTTT locks a login out after 5 failures in 30 s.
FACTORY_CREDENTIALS: tuple[tuple[str, str], ...] = (
    ("admin", "12345"),  # Hikvision before firmware 5.3 (2016)
    ("admin", "admin"),  # Dahua before 2017, many OEM cameras
    ("admin", ""),  # XMEye/Xiongmai OEM boards, Uniview and Dahua in some firmware
    ("admin", "123456"),  # Uniview, KBVision, Vantech and other OEM brands
    ("admin", "888888"),  # Dahua (local login)
    ("admin", "password"),  # generic
    ("666666", "666666"),  # Dahua's second factory account
    ("888888", "888888"),  # Dahua's local account
    ("root", "pass"),  # Axis before firmware 5.x
    ("root", "root"),  # generic Linux-based cameras
    ("ubnt", "ubnt"),  # Ubiquiti
    ("supervisor", "supervisor"),  # Dahua/OEM
)

# Camera clock against the server's: the recording is timed by the server, the camera burns
# its own time into the picture; two times that disagree weaken the footage as evidence.
CLOCK_WARN_S = 5.0
CLOCK_FAIL_S = 60.0

QCVN_PASSWORD = N_("QCVN 135:2024/BTTTT: unique password initialisation")
QCVN_CHANNEL = N_("QCVN 135:2024/BTTTT: secure communication channel")
QCVN_INTERFACES = N_("QCVN 135:2024/BTTTT: protection against attacks through the interfaces")
QCVN_UPDATES = N_("QCVN 135:2024/BTTTT: update management")
EVIDENCE_TIME = N_("Evidence: the camera's time must match the recording's")


@dataclass(frozen=True)
class SecurityTarget:
    url: str  # without credentials
    username: str | None
    password: str | None
    onvif_address: str | None  # http://host:port/onvif/device_service, or None to skip


def onvif_address_for(url: str, port: int | None) -> str:
    host = urlsplit(url).hostname or ""
    host = f"[{host}]" if ":" in host else host
    return f"http://{host}:{port or 80}{onvif.DEVICE_SERVICE_PATH}"


def is_factory_pair(username: str | None, password: str | None) -> bool:
    """A login that any attacker tries first: a factory pair, an empty password, or the
    password equal to the username."""
    if not username:
        return False
    secret = password or ""
    return (username, secret) in FACTORY_CREDENTIALS or not secret or secret == username


def check_security(
    target: SecurityTarget, *, now: Callable[[], datetime] = lambda: datetime.now(UTC)
) -> list[Check]:
    """Raises `_rtsp.RtspUnreachable` when nothing answers RTSP at the address."""
    anonymous = _anonymous(target)
    checks = [anonymous, *_factory(target, open_to_all=anonymous.result is Result.FAIL)]
    checks.append(_encryption(target))
    if target.onvif_address:
        checks += _onvif(target, target.onvif_address, now)
    return checks


def _anonymous(target: SecurityTarget) -> Check:
    status = _rtsp.describe(target.url)
    label = N_("Stream without a login")
    if status == 200:
        return Check(
            "security.anonymous_stream",
            label,
            Result.FAIL,
            Text(N_("The camera sends its stream to anyone, without a login.")),
            Text(N_("The camera asks every reader for a login.")),
            QCVN_PASSWORD,
        )
    if status == 401:
        return Check(
            "security.anonymous_stream",
            label,
            Result.PASS,
            Text(N_("The camera asks for a login (RTSP 401).")),
            Text(N_("The camera asks every reader for a login.")),
            QCVN_PASSWORD,
        )
    return Check(
        "security.anonymous_stream",
        label,
        Result.NOT_CHECKABLE,
        Text(N_("The camera answered RTSP {status}."), {"status": status}),
        None,
        QCVN_PASSWORD,
    )


def _factory(target: SecurityTarget, *, open_to_all: bool) -> list[Check]:
    configured = Check(
        "security.configured_login",
        N_("The login camwarden uses"),
        Result.FAIL if is_factory_pair(target.username, target.password) else Result.PASS,
        Text(N_("A factory or trivial login ({username})."), {"username": target.username})
        if is_factory_pair(target.username, target.password)
        else (
            Text(N_("A login of its own ({username})."), {"username": target.username})
            if target.username
            else Text(N_("No login stored for this camera."))
        ),
        Text(N_("A login unique to this camera, not the factory one.")),
        QCVN_PASSWORD,
    )
    if open_to_all:  # any login "works" on a camera that asks for none
        return [
            configured,
            Check(
                "security.factory_logins",
                N_("Factory logins"),
                Result.NOT_CHECKABLE,
                Text(N_("The camera asks for no login at all.")),
                Text(N_("No factory login is accepted.")),
                QCVN_PASSWORD,
            ),
        ]
    # The configured account is skipped: its password is the configured one (the stream was
    # read with it), so a factory password could only fail, and failures lock accounts out.
    accepted: tuple[str, str] | None = None
    for username, password in FACTORY_CREDENTIALS:
        if username == target.username:
            continue
        if _rtsp.describe(target.url, username, password) == 200:
            accepted = (username, password)
            break  # one is enough to refuse the camera; fewer tries, fewer lockouts
    if accepted is None:
        seen = Text(N_("No factory login accepted ({count} tried)."), {"count": _tried(target)})
    elif accepted[1]:
        seen = Text(
            N_("The camera accepts the factory login {username} / {password}."),
            {"username": accepted[0], "password": accepted[1]},
        )
    else:
        seen = Text(
            N_("The camera accepts the factory login {username} with no password."),
            {"username": accepted[0]},
        )
    tried = Check(
        "security.factory_logins",
        N_("Factory logins"),
        Result.FAIL if accepted else Result.PASS,
        seen,
        Text(N_("No factory login is accepted.")),
        QCVN_PASSWORD,
    )
    return [configured, tried]


def _tried(target: SecurityTarget) -> int:
    return sum(1 for username, _ in FACTORY_CREDENTIALS if username != target.username)


def _encryption(target: SecurityTarget) -> Check:
    secure = urlsplit(target.url).scheme.lower() == "rtsps"
    return Check(
        "security.encryption",
        N_("Encrypted stream"),
        Result.PASS if secure else Result.WARN,
        Text(N_("RTSPS: the stream is encrypted."))
        if secure
        else Text(N_("Plain RTSP: the picture crosses the network unencrypted.")),
        Text(N_("RTSPS where the camera offers it; otherwise a camera network of its own.")),
        QCVN_CHANNEL,
    )


def _onvif(target: SecurityTarget, address: str, now: Callable[[], datetime]) -> list[Check]:
    checks: list[Check] = []
    try:
        onvif.device_information(address, None, None)
        checks.append(
            Check(
                "security.onvif_anonymous",
                N_("ONVIF without a login"),
                Result.WARN,
                Text(N_("The camera tells anyone its model and firmware over ONVIF.")),
                Text(N_("ONVIF asks for a login.")),
                QCVN_INTERFACES,
            )
        )
    except onvif.OnvifUnreachable as error:
        not_there = Text(
            N_("No ONVIF device service at {address} ({error})."),
            {"address": address, "error": str(error)[:120]},
        )
        return [
            Check("security.onvif_device", N_("Model and firmware"), Result.NOT_CHECKABLE,
                  not_there, None, QCVN_UPDATES),
            Check("security.clock", N_("Camera clock"), Result.NOT_CHECKABLE, not_there, None,
                  EVIDENCE_TIME),
        ]  # fmt: skip
    except onvif.OnvifRefused:
        pass  # as it should
    checks.append(_device(target, address))
    checks.append(_clock(target, address, now))
    return checks


def _device(target: SecurityTarget, address: str) -> Check:
    label = N_("Model and firmware")
    try:
        info = onvif.device_information(address, target.username, target.password)
    except (onvif.OnvifUnreachable, onvif.OnvifRefused) as error:
        return Check(
            "security.onvif_device",
            label,
            Result.NOT_CHECKABLE,
            Text(N_("ONVIF refused the camera's login ({error})."), {"error": str(error)[:120]}),
            None,
            QCVN_UPDATES,
        )
    return Check(
        "security.onvif_device",
        label,
        Result.PASS,
        Text(
            N_("{manufacturer} {model}, firmware {firmware}, serial {serial}."),
            {
                "manufacturer": info.manufacturer,
                "model": info.model,
                "firmware": info.firmware,
                "serial": info.serial,
            },
        ),
        Text(N_("Compare with the supplier's latest firmware for this model.")),
        QCVN_UPDATES,
    )


def _clock(target: SecurityTarget, address: str, now: Callable[[], datetime]) -> Check:
    label = N_("Camera clock")
    try:
        before = now()
        camera_time = onvif.system_time(address, target.username, target.password)
        after = now()
    except (onvif.OnvifUnreachable, onvif.OnvifRefused) as error:
        return Check(
            "security.clock",
            label,
            Result.NOT_CHECKABLE,
            Text(N_("The camera did not give its time ({error})."), {"error": str(error)[:120]}),
            None,
            EVIDENCE_TIME,
        )
    # The answer is whole seconds: compare with the middle of the exchange.
    offset = (camera_time - (before + (after - before) / 2)).total_seconds()
    result = (
        Result.PASS
        if abs(offset) <= CLOCK_WARN_S
        else Result.WARN
        if abs(offset) <= CLOCK_FAIL_S
        else Result.FAIL
    )
    return Check(
        "security.clock",
        label,
        result,
        Text(N_("The camera's clock is {offset} s off."), {"offset": f"{offset:+.0f}"}),
        Text(
            N_("Within {warn} s (at most {fail} s); set the camera to the school's NTP server."),
            {"warn": f"{CLOCK_WARN_S:g}", "fail": f"{CLOCK_FAIL_S:g}"},
        ),
        EVIDENCE_TIME,
    )
