"""Threaded HTTP server for any simulated API, with latency, faults, truncation and a request log.

A simulator plugs in by giving the server a `Simulation`: an object holding

- `api`, a `SimulatedApi`:
    - `base_path: str`, the path prefix every endpoint lives under (`"/portal"`, or `""` for none);
      requests outside it get a 404 without reaching `handle`;
    - `authenticate(authorization: str | None) -> principal`: the `Authorization` header to a
      principal of the API's own kind, or raise `ApiError` (401, ...);
    - `handle(method, path, query, principal) -> Response`: answer one request; `path` is relative
      to `base_path`, `query` a dict of single values; raise `ApiError` for error answers;
    - `render_error(err: ApiError) -> Response`: the API's error body (e.g. `{error, detail}`),
      used for raised errors, injected faults and unexpected exceptions (500 `internal_error`);
- `cfg`, a `ServeSettings`: `latency_ms`, `slow_seconds`, `retry_after_seconds` plus the fault
  knobs of `faults.FaultSettings`;
- `faults`, a `FaultPlan` (looked up per request, so it may be swapped while serving);
- `lock`, held while `api.handle` runs (the API's data need not be thread-safe);
- `log`, the `RequestLog` every request is recorded in before its bytes go out.

`simulator.Simulator` is a base class that provides all of these but `api` and `cfg`.

Per request: sleep `latency_ms`; authenticate; ask the fault plan. Faults: `429`/`500`/`502`/`503`
answer that status with the API's error body (429 with `Retry-After`), `fail_path` answers 503,
`slow` sleeps `slow_seconds` and then answers normally, `drop` closes the connection without a
response (logged with status 0), `truncate` sends the headers and half the body, then closes.
"""

from __future__ import annotations

import socket
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Protocol
from urllib.parse import parse_qsl, urlsplit

from .faults import FaultPlan, FaultSettings
from .request_log import RequestLog, RequestRecord
from .responses import ApiError, Response

_FAULT_CODES = {429: "rate_limited", 500: "internal_error", 502: "bad_gateway", 503: "service_unavailable"}


class SimulatedApi(Protocol):
    base_path: str

    def authenticate(self, authorization: str | None) -> Any: ...

    def handle(self, method: str, path: str, query: dict[str, str], principal: Any) -> Response: ...

    def render_error(self, err: ApiError) -> Response: ...


class ServeSettings(FaultSettings, Protocol):
    latency_ms: int
    slow_seconds: float
    retry_after_seconds: int


class Simulation(Protocol):
    api: SimulatedApi
    cfg: ServeSettings
    faults: FaultPlan
    lock: threading.RLock
    log: RequestLog


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    simulation: Simulation


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
        sim = self.server.simulation
        api, base = sim.api, sim.api.base_path
        started = time.monotonic()
        length = int(self.headers.get("Content-Length") or 0)
        if length:
            self.rfile.read(length)
        parts = urlsplit(self.path)
        query = dict(parse_qsl(parts.query, keep_blank_values=True))
        raw_path = parts.path
        inside = not base or raw_path == base or raw_path.startswith(base + "/")
        fault: str | None = None
        cid: str | None = None
        if sim.cfg.latency_ms:
            time.sleep(sim.cfg.latency_ms / 1000)
        if not inside:
            detail = f"Unknown path {raw_path}; base path is {base}"
            res = api.render_error(ApiError(404, "not_found", detail))
            path = raw_path
        else:
            path = raw_path[len(base) :] or "/"
            try:
                principal = api.authenticate(self.headers.get("Authorization"))
            except ApiError as e:
                res = api.render_error(e)
            else:
                fault = sim.faults.decide(method, path, query)
                if fault == "slow":
                    time.sleep(sim.cfg.slow_seconds)
                if fault in ("429", "500", "502", "503", "fail_path"):
                    res = self._fault_response(fault)
                else:
                    res = self._answer(method, path, query, principal)
                cid = res.customer_id
        status = 0 if fault == "drop" else res.status
        # record before the bytes go out so a client that has its answer always sees the record
        sim.log.add(RequestRecord(method, path, dict(query), status, started, time.monotonic(), fault, cid))
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

    def _answer(self, method: str, path: str, query: dict[str, str], principal: Any) -> Response:
        sim = self.server.simulation
        try:
            with sim.lock:
                return sim.api.handle(method, path, query, principal)
        except ApiError as e:
            return sim.api.render_error(e)
        except Exception as e:  # pragma: no cover - surfaced as 500 for debugging
            return sim.api.render_error(ApiError(500, "internal_error", repr(e)))

    def _fault_response(self, fault: str) -> Response:
        sim = self.server.simulation
        if fault == "fail_path":
            return sim.api.render_error(ApiError(503, "service_unavailable", "fail_paths: always 503"))
        status = int(fault)
        res = sim.api.render_error(ApiError(status, _FAULT_CODES[status], f"injected fault {fault}"))
        if status == 429:
            res.headers["Retry-After"] = str(sim.cfg.retry_after_seconds)
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
    """A running simulator HTTP server (context manager)."""

    def __init__(self, simulation: Simulation, host: str = "127.0.0.1", port: int = 0, name: str = "sandbox"):
        self.httpd = _Server((host, port), _Handler)
        self.httpd.simulation = simulation
        self.host = host
        self.port = self.httpd.server_address[1]
        self._base_path = simulation.api.base_path
        self._thread = threading.Thread(
            target=self.httpd.serve_forever, kwargs={"poll_interval": 0.05}, name=name, daemon=True
        )

    @property
    def base_url(self) -> str:
        return f"http://{self.host}:{self.port}{self._base_path}"

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
