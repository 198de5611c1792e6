"""A simulated camera's ONVIF device service: real HTTP answering two SOAP calls.

`GetSystemDateAndTime` answers anyone (as ONVIF allows) with the camera's clock, which runs
`clock_offset_s` away from the real one; `GetDeviceInformation` wants a WS-UsernameToken
digest of `user`/`password` unless `open_device_information` is set (a badly set up camera).
Runs in a thread of the test process: `with OnvifResponder(...) as onvif: onvif.port`.
"""

from __future__ import annotations

import base64
import re
import threading
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType

from camwarden.inspection.onvif import password_digest

_DATE_TIME = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope" '
    'xmlns:tds="http://www.onvif.org/ver10/device/wsdl" xmlns:tt="http://www.onvif.org/ver10/'
    'schema"><s:Body><tds:GetSystemDateAndTimeResponse><tds:SystemDateAndTime>'
    "<tt:DateTimeType>Manual</tt:DateTimeType><tt:DaylightSavings>false</tt:DaylightSavings>"
    "<tt:UTCDateTime><tt:Time><tt:Hour>{t.hour}</tt:Hour><tt:Minute>{t.minute}</tt:Minute>"
    "<tt:Second>{t.second}</tt:Second></tt:Time><tt:Date><tt:Year>{t.year}</tt:Year>"
    "<tt:Month>{t.month}</tt:Month><tt:Day>{t.day}</tt:Day></tt:Date></tt:UTCDateTime>"
    "</tds:SystemDateAndTime></tds:GetSystemDateAndTimeResponse></s:Body></s:Envelope>"
)
_DEVICE = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope" '
    'xmlns:tds="http://www.onvif.org/ver10/device/wsdl"><s:Body>'
    "<tds:GetDeviceInformationResponse><tds:Manufacturer>{manufacturer}</tds:Manufacturer>"
    "<tds:Model>{model}</tds:Model><tds:FirmwareVersion>{firmware}</tds:FirmwareVersion>"
    "<tds:SerialNumber>{serial}</tds:SerialNumber><tds:HardwareId>1.0</tds:HardwareId>"
    "</tds:GetDeviceInformationResponse></s:Body></s:Envelope>"
)
_FAULT = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope" '
    'xmlns:ter="http://www.onvif.org/ver10/error"><s:Body><s:Fault><s:Code>'
    "<s:Value>s:Sender</s:Value><s:Subcode><s:Value>ter:NotAuthorized</s:Value></s:Subcode>"
    "</s:Code><s:Reason><s:Text>Sender not authorized</s:Text></s:Reason></s:Fault></s:Body>"
    "</s:Envelope>"
)


def _tag(body: str, name: str) -> str:
    match = re.search(rf"<(?:\w+:)?{name}\b[^>]*>([^<]*)</", body)
    return match.group(1) if match else ""


class OnvifResponder:
    def __init__(
        self,
        *,
        user: str | None = None,
        password: str | None = None,
        clock_offset_s: float = 0.0,
        manufacturer: str = "Camwarden Simulator",
        model: str = "SIM-IPC-2MP",
        firmware: str = "V5.7.3 build 240115",
        serial: str = "SIM0001",
        open_device_information: bool = False,
        host: str = "127.0.0.1",
    ) -> None:
        self.user, self.password = user, password
        self.clock_offset_s = clock_offset_s
        self.device = {
            "manufacturer": manufacturer,
            "model": model,
            "firmware": firmware,
            "serial": serial,
        }
        self.open_device_information = open_device_information
        self._server = ThreadingHTTPServer((host, 0), self._handler())
        self._thread: threading.Thread | None = None

    @property
    def port(self) -> int:
        return int(self._server.server_address[1])

    @property
    def address(self) -> str:
        return f"http://127.0.0.1:{self.port}/onvif/device_service"

    def start(self) -> None:
        self._thread = threading.Thread(
            target=self._server.serve_forever, name="onvif-responder", daemon=True
        )
        self._thread.start()

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        if self._thread is not None:
            self._thread.join()

    def __enter__(self) -> OnvifResponder:
        self.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.stop()

    def authorised(self, body: str) -> bool:
        if self.user is None:
            return True
        try:
            nonce = base64.b64decode(_tag(body, "Nonce"))
        except ValueError:
            return False
        expected = password_digest(nonce, _tag(body, "Created"), self.password or "")
        return _tag(body, "Username") == self.user and _tag(body, "Password") == expected

    def answer(self, body: str) -> tuple[int, str]:
        if "GetSystemDateAndTime" in body:
            now = datetime.now(UTC) + timedelta(seconds=self.clock_offset_s)
            return 200, _DATE_TIME.format(t=now)
        if "GetDeviceInformation" in body:
            if not self.open_device_information and not self.authorised(body):
                return 400, _FAULT
            return 200, _DEVICE.format(**self.device)
        return 400, _FAULT

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        responder = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = min(int(self.headers.get("Content-Length") or 0), 65536)
                body = self.rfile.read(length).decode("utf-8", errors="replace")
                status, text = responder.answer(body)
                payload = text.encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/soap+xml; charset=utf-8")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            def log_message(self, format: str, *args: object) -> None:
                pass

        return Handler
