"""The `Sandbox` facade: world + pure Api + the shared HTTP machinery (server, faults, request log).

This is the only module that touches the shared machinery. Until it moves to
`lac_connector/sandbox/`, it comes from `lac_sandbox`: its server strips a `/portal` base path and
catches `lac_sandbox.api.ApiError`, so `_Handler` serves LedgerLou's `/v1/...` at the root and
`_ServedApi` translates errors. Switching means replacing the three `lac_sandbox` imports below.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass

from lac_sandbox import api as _lac_api
from lac_sandbox import server as _lac_server
from lac_sandbox.faults import FaultPlan

from .advance import advance
from .api import Api, ApiError, Principal, Response
from .config import SandboxConfig
from .shapes import Shape
from .truth import Truth
from .world import SCOPES, Tenant, World


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
    tenant_id: str | None


class _ServedApi:
    """The pure Api as the shared server expects it (its own ApiError class)."""

    def __init__(self, api: Api):
        self._api = api

    def authenticate(self, authorization: str | None) -> Principal:
        try:
            return self._api.authenticate(authorization)
        except ApiError as e:
            raise _lac_api.ApiError(e.status, e.code, e.detail) from None

    def handle(self, method: str, path: str, query: dict[str, str], principal: Principal) -> Response:
        try:
            return self._api.handle(method, path, query, principal)
        except ApiError as e:
            res = self._api.render_error(e)
            if principal.tenant_id is not None:
                res.tenant_id = principal.tenant_id
            return res


class _Handler(_lac_server._Handler):
    def _serve(self, method: str) -> None:
        self.path = (
            _lac_server.BASE + self.path
        )  # LedgerLou lives at the root, the shared server under /portal
        super()._serve(method)


class _Server(_lac_server.SandboxServer):
    def __init__(self, sandbox: Sandbox, host: str, port: int):
        super().__init__(sandbox, host, port)
        self.httpd.RequestHandlerClass = _Handler

    @property
    def base_url(self) -> str:
        return f"http://{self.host}:{self.port}"


class Sandbox:
    """A deterministic, mutable LedgerLou world you can serve over HTTP."""

    def __init__(self, cfg: SandboxConfig | None = None):
        self.cfg = cfg or SandboxConfig()
        self.lock = threading.RLock()
        self.world = World(self.cfg)
        self.shape = Shape(self.cfg.shape, self.cfg.shape_seed)
        self.pure_api = Api(self.world, self.shape)
        self.api = _ServedApi(self.pure_api)
        self.faults = FaultPlan(self.cfg)
        self.truth = Truth(self)
        self.requests: list[RequestRecord] = []
        self.server: _Server | None = None
        self._log_lock = threading.Lock()

    # ---- serving ---------------------------------------------------------------------------
    def serve(self, host: str = "127.0.0.1", port: int = 0) -> _Server:
        """Start serving in a background thread; use as a context manager to stop."""
        self.server = _Server(self, host, port).start()
        return self.server

    # ---- identity --------------------------------------------------------------------------
    @property
    def tenant_ids(self) -> list[str]:
        return [t.tenant_id for t in self.world.tenants]

    def tenant(self, tenant_id: str) -> Tenant:
        return self.world.by_id[tenant_id]

    def api_key(self, tenant_id: str, bank: bool = True) -> str:
        """The tenant's read key with every scope, or (bank=False) the one without the `bank` scope."""
        return self.world.key_for(tenant_id, bank)

    @property
    def session_token(self) -> str:
        """Sees every tenant (select one with `?tenant_id=`; default the first) with every scope."""
        return self.world.session_token

    def add_api_key(self, key: str, tenant_id: str, scopes=SCOPES) -> None:
        with self.lock:
            self.world.add_key(key, tenant_id, scopes, "Added")

    @property
    def shape_info(self) -> dict:
        """Where each field of each object kind went in this shape (for tests, never for clients)."""
        return self.shape.info

    # ---- mutation --------------------------------------------------------------------------
    def advance(self) -> dict:
        """Apply one deterministic upstream change round; returns exactly what changed."""
        with self.lock:
            return advance(self.world)

    def generated_bookings(self, tenant_id: str) -> int:
        """How many generated bookings of a tenant were derived so far (scale assertions)."""
        return self.tenant(tenant_id).journal.bulk.generated

    # ---- request log -----------------------------------------------------------------------
    def _record(self, method, path, query, status, started, finished, fault, tenant_id) -> None:
        with self._log_lock:
            self.requests.append(
                RequestRecord(method, path, dict(query), status, started, finished, fault, tenant_id)
            )

    def request_count(self, path: str | None = None, method: str | None = "GET", **query_filters: str) -> int:
        """Requests matching path, method (None = any) and exact query params."""
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
