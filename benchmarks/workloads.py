"""Workload definitions (LAC: W1..W5; LedgerLou: L1) and how `--scale` shrinks them."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

ALL_WORKLOADS = ("W1", "W2", "W3", "W4", "W5", "L1")
DESCRIPTIONS = {
    "W1": "full backfill, 0 ms latency",
    "W2": "full backfill, 20 ms latency per request",
    "W3": "incremental, no upstream change (after W1)",
    "W4": "incremental after one sandbox advance (after W3)",
    "W5": "full backfill at scale (~1M Books rows)",
    "L1": "LedgerLou: full backfill of one tenant, 0 ms latency",
}
# Which sandbox each workload runs against: W1, W3 and W4 share one sandbox (and one pipeline
# state), so W3/W4 see exactly what W1 loaded.
FAMILY = {"W1": "base", "W3": "base", "W4": "base", "W2": "latency", "W5": "scale", "L1": "ledgerlou"}
# Workloads against the LedgerLou sandbox (the others run against the LAC sandbox).
LEDGERLOU_WORKLOADS = ("L1",)
# Workloads measured on every `--shapes` shape (W3/W4 run on the first shape only).
SHAPED = ("W1", "W2", "W5")
# The `random` shape's seed: rows carry two lists (one of strings, one of objects) and one
# level of objects, the row window a `*total*` field (lac_sandbox `shape_info`).
RANDOM_SHAPE_SEED = 9


def known_shapes() -> tuple[str, ...]:
    """The sandbox's shapes (`flat`, `nested`, and `random` where the sandbox has it)."""
    from lac_sandbox.config import SHAPES

    return tuple(SHAPES)


@dataclass(frozen=True)
class Sizes:
    """Sandbox knobs of one workload family."""

    months: int
    rows_per_month: int
    invoices: int
    outputs: int
    latency_ms: int = 0

    def sandbox_config(self, shape: str = "flat") -> dict[str, Any]:
        """Keyword arguments for `lac_sandbox.SandboxConfig` (one company, default world otherwise)."""
        return {
            "shape": shape,
            **({"shape_seed": RANDOM_SHAPE_SEED} if shape == "random" else {}),
            "companies": 1,
            "months": self.months,
            "rows_per_month": self.rows_per_month,
            "invoices": self.invoices,
            "outputs": self.outputs,
            "latency_ms": self.latency_ms,
        }

    @property
    def books_rows(self) -> int:
        return self.months * self.rows_per_month


def _scaled(value: int, scale: float, floor: int) -> int:
    return max(floor, round(value * scale))


def family_sizes(family: str, scale: float = 1.0) -> Sizes:
    """The issue's sizes at scale 1.0: 36 months x 10,000 rows, 2,000 invoices, 200 outputs.

    W5 uses 36 x 27,778 = 1,000,008 Books rows. `scale` shrinks rows, invoices and outputs
    linearly; months shrink too but never below 4 (one more than the default 3-month lookback,
    so W3/W4 still skip a month).
    """
    months = _scaled(36, scale, 4)
    invoices = _scaled(2000, scale, 20)
    outputs = _scaled(200, scale, 4)
    if family == "base":
        return Sizes(months, _scaled(10_000, scale, 200), invoices, outputs)
    if family == "latency":
        return Sizes(months, _scaled(10_000, scale, 200), invoices, outputs, latency_ms=20)
    if family == "scale":
        return Sizes(months, _scaled(27_778, scale, 400), invoices, outputs)
    raise ValueError(f"unknown workload family {family!r}")


def ledgerlou_config(scale: float = 1.0) -> dict[str, Any]:
    """Keyword arguments for `ledgerlou_sandbox.SandboxConfig` of L1: one tenant.

    At scale 1.0: 24 months x 150 generated bookings and 8 outgoing (and 8 purchase) invoices a
    month, default master data otherwise. `scale` shrinks bookings and invoices linearly; months
    shrink too but never below 4.
    """
    return {
        "tenants": 1,
        "months": _scaled(24, scale, 4),
        "bookings_per_month": _scaled(150, scale, 8),
        "invoices_per_month": _scaled(8, scale, 2),
    }
