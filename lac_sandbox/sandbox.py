"""The `Sandbox` facade: world model + API + truth, served by the shared simulator machinery."""

from __future__ import annotations

from lac_connector.sandbox import RequestRecord, Simulator

from .api import Api
from .config import SandboxConfig
from .rendering import renderer
from .shape_info import ShapeInfo
from .truth import Truth
from .world import World

__all__ = ["RequestRecord", "Sandbox"]


class Sandbox(Simulator):
    """A deterministic, mutable LAC world you can serve over HTTP (`serve()`, `requests`, ...)."""

    thread_name = "lac-sandbox"

    def __init__(self, cfg: SandboxConfig | None = None):
        cfg = cfg or SandboxConfig()
        self.world = World(cfg)
        super().__init__(cfg, Api(self.world, renderer(cfg.shape, cfg.shape_seed)))
        self.truth = Truth(self)

    @property
    def shape_info(self) -> ShapeInfo:
        """What the shape put where (key and row-field paths, hidden keys). For tests only: the
        connector must discover all of it from the responses."""
        return self.api.shape.info

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
