"""Deterministic daily reference rates (foreign units per 1 EUR, times 10,000)."""

from __future__ import annotations

import hashlib

_BANDS = {"USD": (10_480, 900), "CHF": (9_280, 520)}


def rate_e4(currency: str, day: str) -> int:
    """The reference rate of `currency` on `day` (YYYY-MM-DD); 10,000 for EUR."""
    if currency == "EUR":
        return 10_000
    low, width = _BANDS[currency]
    h = int.from_bytes(hashlib.blake2b(f"fx|{currency}|{day}".encode(), digest_size=4).digest(), "big")
    return low + h % width
