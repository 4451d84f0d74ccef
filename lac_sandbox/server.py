"""HTTP layer: stdlib ThreadingHTTPServer (HTTP/1.1 keep-alive), latency, faults, request log."""

from __future__ import annotations

import socket
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import TYPE_CHECKING
from urllib.parse import parse_qsl, urlsplit

from .api import ApiError, Response, error_response, json_response

if TYPE_CHECKING:
    from .sandbox import Sandbox

BASE = "/portal"


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    sandbox: Sandbox


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: _Server

    def setup(self) -> None:
        super().setup()
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)  # no Nagle/delayed-ACK stalls

    def log_message(self, format: str, *args) -> None:  # noqa: A002 - silence stderr logging
        return

    def do_GET(self) -> None:  # noqa: N802
        self._serve("GET")

    def do_POST(self) -> None:  # noqa: N802
        self._serve("POST")

    def do_PUT(self) -> None:  # noqa: N802
        self._serve("PUT")

    def do_PATCH(self) -> None:  # noqa: N802
        self._serve("PATCH")

    def do_DELETE(self) -> None:  # noqa: N802
        self._serve("DELETE")

    def _serve(self, method: str) -> None:
        sb = self.server.sandbox
        started = time.monotonic()
        length = int(self.headers.get("Content-Length") or 0)
        if length:
            self.rfile.read(length)
        parts = urlsplit(self.path)
        query = dict(parse_qsl(parts.query, keep_blank_values=True))
        raw_path = parts.path
        path = raw_path[len(BASE) :] if raw_path == BASE or raw_path.startswith(BASE + "/") else None
        fault: str | None = None
        cid: str | None = None
        if sb.cfg.latency_ms:
            time.sleep(sb.cfg.latency_ms / 1000)
        if path is None:
            res = error_response(ApiError(404, "not_found", f"Unknown path {raw_path}; base path is {BASE}"))
            path = raw_path
        else:
            path = path or "/"
            try:
                principal = sb.api.authenticate(self.headers.get("Authorization"))
            except ApiError as e:
                res = error_response(e)
            else:
                fault = sb.faults.decide(method, path, query)
                if fault == "slow":
                    time.sleep(sb.cfg.slow_seconds)
                if fault in ("429", "500", "502", "503", "fail_path"):
                    res = self._fault_response(fault)
                else:
                    res = self._answer(method, path, query, principal)
                cid = res.customer_id
        status = 0 if fault == "drop" else res.status
        # record before the bytes go out so a client that has its answer always sees the record
        sb._record(method, path, query, status, started, time.monotonic(), fault, cid)
        if fault == "drop":
            self.close_connection = True
            try:
                self.connection.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
        elif fault == "truncate":
            self._write(res, truncate=True)
        else:
            self._write(res)

    def _answer(self, method: str, path: str, query: dict[str, str], principal) -> Response:
        sb = self.server.sandbox
        try:
            with sb.lock:
                return sb.api.handle(method, path, query, principal)
        except ApiError as e:
            return error_response(e)
        except Exception as e:  # pragma: no cover - surfaced as 500 for debugging
            return json_response({"error": "internal_error", "detail": repr(e)}, 500)

    def _fault_response(self, fault: str) -> Response:
        sb = self.server.sandbox
        if fault == "fail_path":
            return json_response({"error": "service_unavailable", "detail": "fail_paths: always 503"}, 503)
        status = int(fault)
        codes = {429: "rate_limited", 500: "internal_error", 502: "bad_gateway", 503: "service_unavailable"}
        res = json_response({"error": codes[status], "detail": f"injected fault {fault}"}, status)
        if status == 429:
            res.headers["Retry-After"] = str(sb.cfg.retry_after_seconds)
        return res

    def _write(self, res: Response, truncate: bool = False) -> None:
        self.send_response(res.status)
        self.send_header(
            "Content-Type",
            res.content_type if res.content_type != "application/json" else "application/json; charset=utf-8",
        )
        self.send_header("Content-Length", str(len(res.body)))
        for k, v in res.headers.items():
            self.send_header(k, v)
        if truncate:
            self.send_header("Connection", "close")
            self.close_connection = True
        self.end_headers()
        body = res.body[: len(res.body) // 2] if truncate else res.body
        self.wfile.write(body)
        self.wfile.flush()


class SandboxServer:
    """A running sandbox HTTP server (context manager)."""

    def __init__(self, sandbox: Sandbox, host: str = "127.0.0.1", port: int = 0):
        self.httpd = _Server((host, port), _Handler)
        self.httpd.sandbox = sandbox
        self.host = host
        self.port = self.httpd.server_address[1]
        self._thread = threading.Thread(
            target=self.httpd.serve_forever, kwargs={"poll_interval": 0.05}, name="lac-sandbox", daemon=True
        )

    @property
    def base_url(self) -> str:
        return f"http://{self.host}:{self.port}{BASE}"

    def start(self) -> SandboxServer:
        self._thread.start()
        return self

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
        self._thread.join(timeout=5)

    def __enter__(self) -> SandboxServer:
        return self

    def __exit__(self, *exc) -> None:
        self.stop()
