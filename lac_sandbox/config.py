"""Sandbox configuration knobs."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from lac_connector.sandbox import ALL_FAULT_KINDS, DEFAULT_FAULT_KINDS, check_fault_settings

__all__ = ["ALL_FAULT_KINDS", "DEFAULT_FAULT_KINDS", "SHAPES", "SandboxConfig"]

SHAPES = ("flat", "nested", "random")


@dataclass
class SandboxConfig:
    """Every knob of the simulated LAC world; all data derives deterministically from these."""

    seed: int = 7
    companies: int = 2
    months: int = 14
    rows_per_month: int = 120
    today: date = field(default_factory=lambda: date(2026, 11, 21))
    shape: str = "flat"
    shape_seed: int = 0  # names of the `random` shape (ignored by `flat` / `nested`)
    invoices: int = 40
    uploads: int = 6
    outputs: int = 4
    imports: int = 2
    messages: int = 12
    employees: int = 3
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
        if self.companies < 1 or self.months < 1 or self.rows_per_month < 0:
            raise ValueError("companies and months must be >= 1, rows_per_month >= 0")
        check_fault_settings(self)
        self.fault_kinds = tuple(self.fault_kinds)
        self.fail_paths = tuple(self.fail_paths)
