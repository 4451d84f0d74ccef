"""The `Sandbox` facade: world + pure Api + the shared simulator machinery (server, faults, request log)."""

from __future__ import annotations

from lac_connector.sandbox.simulator import Simulator

from .advance import advance
from .api import Api
from .config import SandboxConfig
from .shapes import Shape
from .truth import Truth
from .world import SCOPES, Tenant, World


class Sandbox(Simulator):
    """A deterministic, mutable LedgerLou world you can serve over HTTP (at the root: `/v1/...`)."""

    thread_name = "ledgerlou-sandbox"

    def __init__(self, cfg: SandboxConfig | None = None):
        cfg = cfg or SandboxConfig()
        self.world = World(cfg)
        self.shape = Shape(cfg.shape, cfg.shape_seed)
        super().__init__(cfg, Api(self.world, self.shape))
        self.truth = Truth(self)

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
