"""`Simulator`: the base of a simulator facade (lock, fault plan, request log, serving)."""

from __future__ import annotations

import threading
import time

from .faults import FaultPlan
from .request_log import RequestLog, RequestRecord
from .server import SandboxServer, ServeSettings, SimulatedApi


class Simulator:
    """Holds a `SimulatedApi` and its `ServeSettings`; serves them over HTTP (see `server`)."""

    thread_name = "sandbox"

    def __init__(self, cfg: ServeSettings, api: SimulatedApi):
        self.cfg = cfg
        self.api = api
        self.lock = threading.RLock()
        self.faults = FaultPlan(cfg)
        self.log = RequestLog()
        self.server: SandboxServer | None = None

    def serve(self, host: str = "127.0.0.1", port: int = 0) -> SandboxServer:
        """Start serving in a background thread; use as a context manager to stop."""
        self.server = SandboxServer(self, host, port, name=self.thread_name).start()
        return self.server

    @property
    def requests(self) -> list[RequestRecord]:
        """Every request served so far, in order (the live list)."""
        return self.log.records

    def request_count(self, path: str | None = None, method: str | None = "GET", **query_filters: str) -> int:
        """Requests matching path (after the base path), method (None = any) and exact query params."""
        return self.log.count(path, method, **query_filters)

    def reset_requests(self) -> None:
        """Forget the request log and the fault plan's per-URL attempt counters."""
        self.log.clear()
        self.faults.reset()

    def now(self) -> float:
        return time.monotonic()
