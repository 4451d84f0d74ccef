"""Deterministic building blocks of the generated world: stable hashes and timestamps."""

from __future__ import annotations

import hashlib
from datetime import date, datetime, timedelta


def digest(*parts: object) -> int:
    """A stable 64-bit integer from `parts` (same on every run and machine)."""
    return int.from_bytes(
        hashlib.blake2b("|".join(map(str, parts)).encode(), digest_size=8).digest(), "little"
    )


def stamp(d: date, minute: int = 0) -> str:
    """`d` at 08:00 UTC plus `minute` minutes, as `YYYY-MM-DDTHH:MM:SSZ`."""
    return (datetime(d.year, d.month, d.day, 8, 0) + timedelta(minutes=minute)).strftime("%Y-%m-%dT%H:%M:%SZ")
