"""Exact money: integer cents inside, JSON numbers in their shortest exact decimal form outside.

Amounts travel as JSON numbers written the way a JavaScript backend writes them: `119`, `1234.5`,
`0.07` (never `119.00`). Parsing them as binary floats loses cents; a client must parse them as
decimals. FX rates are units of the foreign currency per 1 EUR (ECB style) with 4 decimals.
"""

from __future__ import annotations

import json
import re
from decimal import Decimal

_MARK = "\x00"
_MARKED = re.compile(r'"\\u0000(-?[0-9.]+)\\u0000"')


def div_round(num: int, den: int) -> int:
    """num/den rounded half away from zero (commercial rounding), exact integers."""
    if den < 0:
        num, den = -num, -den
    q, r = divmod(abs(num), den)
    if 2 * r >= den:
        q += 1
    return q if num >= 0 else -q


def percent_of(cents: int, rate_percent: int) -> int:
    """VAT of a net amount at an integer percent rate, commercially rounded."""
    return div_round(cents * rate_percent, 100)


def to_base(amount_cents: int, rate_e4: int) -> int:
    """Foreign amount -> EUR cents at `rate_e4` (foreign units per EUR, times 10,000)."""
    return div_round(amount_cents * 10_000, rate_e4)


def amount(cents: int) -> Decimal:
    """Cents -> an exact Decimal in currency units (serialised as a JSON number)."""
    return Decimal(cents).scaleb(-2)


def rate(rate_e4: int) -> Decimal:
    return Decimal(rate_e4).scaleb(-4)


def cents(value: Decimal | int | str) -> int:
    """Currency units (Decimal, int or decimal string) -> integer cents; raises if not whole cents."""
    d = Decimal(str(value)) * 100
    if d != d.to_integral_value():
        raise ValueError(f"{value!r} is not a whole number of cents")
    return int(d)


def number_text(d: Decimal) -> str:
    """Shortest exact decimal text: 119.00 -> 119, 1234.50 -> 1234.5, 0.070 -> 0.07."""
    if d == 0:
        return "0"
    return format(d.normalize(), "f")


def _default(o: object) -> str:
    if isinstance(o, Decimal):
        return f"{_MARK}{number_text(o)}{_MARK}"
    raise TypeError(f"not JSON serialisable: {type(o).__name__}")


def dumps(payload: object) -> bytes:
    """JSON bytes with every Decimal written as a bare JSON number."""
    text = json.dumps(payload, ensure_ascii=False, default=_default, separators=(",", ":"))
    return _MARKED.sub(r"\1", text).encode("utf-8")
