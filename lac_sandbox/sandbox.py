"""The `Sandbox` facade: world model + HTTP server + request log + truth."""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass

from .api import Api
from .config import SandboxConfig
from .faults import FaultPlan
from .server import SandboxServer
from .truth import Truth
from .world import World


@dataclass(frozen=True)
class RequestRecord:
    """One served request (faulted ones included); timestamps are time.monotonic()."""

    method: str
    path: str
    query: dict[str, str]
    status: int  # 0 = connection dropped without a response
    started: float
    finished: float
    fault: str | None
    customer_id: str | None


class Sandbox:
    """A deterministic, mutable LAC world you can serve over HTTP."""

    def __init__(self, cfg: SandboxConfig | None = None):
        self.cfg = cfg or SandboxConfig()
        self.lock = threading.RLock()
        self.world = World(self.cfg)
        self.api = Api(self.world, self.cfg.shape)
        self.faults = FaultPlan(self.cfg)
        self.truth = Truth(self)
        self.requests: list[RequestRecord] = []
        self.server: SandboxServer | None = None
        self._log_lock = threading.Lock()

    # ---- serving ---------------------------------------------------------------------------
    def serve(self, host: str = "127.0.0.1", port: int = 0) -> SandboxServer:
        """Start serving in a background thread; use as a context manager to stop."""
        self.server = SandboxServer(self, host, port).start()
        return self.server

    # ---- identity --------------------------------------------------------------------------
    @property
    def customer_ids(self) -> list[str]:
        return [c.cid for c in self.world.companies]

    def read_key(self, cid: str) -> str:
        return self.world.by_id[cid].read_key

    def write_key(self, cid: str) -> str:
        return self.world.by_id[cid].write_key

    @property
    def session_token(self) -> str:
        return self.world.session_token

    def add_read_key(self, key: str, cid: str) -> None:
        with self.lock:
            self.world.keys[key] = (cid, "read")

    # ---- mutation --------------------------------------------------------------------------
    def advance(self) -> dict:
        """Apply one deterministic upstream change round; returns exactly what changed."""
        with self.lock:
            return self.world.advance()

    def empty_month(self, cid: str, period: str) -> None:
        """Delete every books row of a month."""
        with self.lock:
            self.world.by_id[cid].ledger.empty_month(period)

    def ledger(self, cid: str):
        return self.world.by_id[cid].ledger

    def generated_rows(self, cid: str) -> int:
        """How many base rows the ledger of `cid` has derived so far (scale assertions)."""
        return self.world.by_id[cid].ledger.generated

    # ---- request log -----------------------------------------------------------------------
    def _record(self, method, path, query, status, started, finished, fault, cid) -> None:
        with self._log_lock:
            self.requests.append(
                RequestRecord(method, path, dict(query), status, started, finished, fault, cid)
            )

    def request_count(self, path: str | None = None, method: str | None = "GET", **query_filters: str) -> int:
        """Requests matching path (after /portal), method (None = any) and exact query params."""
        with self._log_lock:
            recs = list(self.requests)
        return sum(
            1
            for r in recs
            if (path is None or r.path == path)
            and (method is None or r.method == method)
            and all(r.query.get(k) == str(v) for k, v in query_filters.items())
        )

    def reset_requests(self) -> None:
        with self._log_lock:
            self.requests.clear()
        self.faults.reset()

    def now(self) -> float:
        return time.monotonic()
