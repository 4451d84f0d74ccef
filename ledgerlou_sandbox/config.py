"""Sandbox configuration knobs."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

ALL_FAULT_KINDS = ("429", "500", "502", "503", "drop", "truncate", "slow")
DEFAULT_FAULT_KINDS = ("429", "500", "502", "503", "drop", "truncate")
SHAPES = ("flat", "nested", "random")


@dataclass
class SandboxConfig:
    """Every knob of the simulated LedgerLou world; all data derives deterministically from these."""

    seed: int = 7
    tenants: int = 2
    months: int = 14
    bookings_per_month: int = 120  # generated journal bookings per month (besides invoices, payments, ...)
    invoices_per_month: int = 6  # outgoing invoices per month; as many purchase invoices
    customers: int = 12
    vendors: int = 10
    today: date = field(default_factory=lambda: date(2026, 11, 21))
    shape: str = "flat"
    shape_seed: int = 1
    latency_ms: int = 0
    fault_rate: float = 0.0
    fault_seed: int = 1
    fault_kinds: tuple[str, ...] = DEFAULT_FAULT_KINDS
    fault_max_per_url: int = 2
    retry_after_seconds: int = 1
    slow_seconds: float = 3.0
    fail_paths: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if self.shape not in SHAPES:
            raise ValueError(f"shape must be one of {SHAPES}, got {self.shape!r}")
        if not 1 <= self.tenants <= 2:
            raise ValueError(f"tenants must be 1 or 2, got {self.tenants}")
        if self.months < 1 or self.bookings_per_month < 0 or self.invoices_per_month < 0:
            raise ValueError("months must be >= 1, bookings_per_month and invoices_per_month >= 0")
        if self.bookings_per_month >= 1 << 20:
            raise ValueError("bookings_per_month must be below 1,048,576")
        if not 4 <= self.customers <= 40 or not 6 <= self.vendors <= 40:
            raise ValueError("customers must be within 4..40 and vendors within 6..40")
        bad = [k for k in self.fault_kinds if k not in ALL_FAULT_KINDS]
        if bad:
            raise ValueError(f"unknown fault kinds {bad}; allowed {ALL_FAULT_KINDS}")
        if not 0.0 <= self.fault_rate <= 1.0:
            raise ValueError("fault_rate must be within 0..1")
        self.fault_kinds = tuple(self.fault_kinds)
        self.fail_paths = tuple(self.fail_paths)
