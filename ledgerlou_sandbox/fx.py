"""Deterministic daily reference rates (foreign units per 1 EUR, times 10,000): a slow yearly swing
plus a little daily noise, so rates on nearby days are close."""

from __future__ import annotations

import hashlib
import math
from datetime import date

_CURVES = {"USD": (10_850, 350, 40), "CHF": (9_450, 200, 25)}  # centre, swing, noise


def rate_e4(currency: str, day: str) -> int:
    """The reference rate of `currency` on `day` (YYYY-MM-DD); 10,000 for EUR."""
    if currency == "EUR":
        return 10_000
    centre, swing, noise = _CURVES[currency]
    n = date.fromisoformat(day).toordinal()
    h = int.from_bytes(hashlib.blake2b(f"fx|{currency}|{day}".encode(), digest_size=4).digest(), "big")
    return centre + round(swing * math.sin(n / 58.0)) + h % (2 * noise) - noise
