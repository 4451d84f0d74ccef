"""Deterministic fault injection: decision = hash(fault_seed, method, url, attempt) < fault_rate.

A fault plan reads its knobs from any object with the attributes of `FaultSettings` (a simulator's
config dataclass); it keeps a reference, so changing the config changes the plan.
"""

from __future__ import annotations

import hashlib
import re
import threading
from typing import Protocol

ALL_FAULT_KINDS = ("429", "500", "502", "503", "drop", "truncate", "slow")
DEFAULT_FAULT_KINDS = ("429", "500", "502", "503", "drop", "truncate")


class FaultSettings(Protocol):
    """The fault knobs of a simulator's config."""

    fault_rate: float  # share of requests (per URL attempt) that fault, 0..1
    fault_seed: int
    fault_kinds: tuple[str, ...]  # subset of ALL_FAULT_KINDS
    fault_max_per_url: int  # at most this many faults in a row per URL
    fail_paths: tuple[str, ...]  # regexes over `path?sorted-query`: matching requests always get 503


def check_fault_settings(cfg: FaultSettings) -> None:
    """Raise ValueError naming the bad knob."""
    bad = [k for k in cfg.fault_kinds if k not in ALL_FAULT_KINDS]
    if bad:
        raise ValueError(f"unknown fault kinds {bad}; allowed {ALL_FAULT_KINDS}")
    if not 0.0 <= cfg.fault_rate <= 1.0:
        raise ValueError("fault_rate must be within 0..1")


def url_key(path: str, query: dict[str, str]) -> str:
    """Canonical URL identity: path plus sorted query."""
    return path + "?" + "&".join(f"{k}={v}" for k, v in sorted(query.items()))


class FaultPlan:
    """Per-URL attempt counters and the deterministic fault decision."""

    def __init__(self, cfg: FaultSettings):
        self.cfg = cfg
        self._attempts: dict[str, int] = {}
        self._streak: dict[str, int] = {}
        self._lock = threading.Lock()
        self._fail = [re.compile(p) for p in cfg.fail_paths]

    def decide(self, method: str, path: str, query: dict[str, str]) -> str | None:
        """Fault kind for this request, or None. `fail_path` for fail_paths matches."""
        key = url_key(path, query)
        target = path + ("?" + "&".join(f"{k}={v}" for k, v in sorted(query.items())) if query else "")
        if any(rx.search(target) for rx in self._fail):
            return "fail_path"
        cfg = self.cfg
        if cfg.fault_rate <= 0 or not cfg.fault_kinds:
            return None
        with self._lock:
            attempt = self._attempts.get(key, 0)
            self._attempts[key] = attempt + 1
            h = hashlib.blake2b(
                f"{cfg.fault_seed}|{method}|{key}|{attempt}".encode(), digest_size=16
            ).digest()
            x = int.from_bytes(h[:8], "little") / 2**64
            fault = None
            if x < cfg.fault_rate and self._streak.get(key, 0) < cfg.fault_max_per_url:
                fault = cfg.fault_kinds[int.from_bytes(h[8:], "little") % len(cfg.fault_kinds)]
            self._streak[key] = self._streak.get(key, 0) + 1 if fault else 0
            return fault

    def reset(self) -> None:
        with self._lock:
            self._attempts.clear()
            self._streak.clear()
