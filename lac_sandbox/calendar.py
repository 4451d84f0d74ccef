"""Period and range arithmetic (`YYYY-MM`, `YYYY-Qn`, `YYYY`, `all`, `this_month`, `last_6_months`)."""

from __future__ import annotations

import calendar as _cal
import re
from datetime import date

_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
_QUARTER = re.compile(r"^(\d{4})-Q([1-4])$")
_YEAR = re.compile(r"^(\d{4})$")


class RangeError(ValueError):
    """An unparseable range selector."""


def to_index(period: str) -> int:
    """`YYYY-MM` -> absolute month index (year*12 + month-1)."""
    m = _MONTH.match(period)
    if not m or not 1 <= int(m.group(2)) <= 12:
        raise RangeError(f"not a period: {period!r}")
    return int(m.group(1)) * 12 + int(m.group(2)) - 1


def from_index(idx: int) -> str:
    """Absolute month index -> `YYYY-MM`."""
    return f"{idx // 12:04d}-{idx % 12 + 1:02d}"


def period_of(d: date) -> str:
    """The `YYYY-MM` period containing a date."""
    return f"{d.year:04d}-{d.month:02d}"


def shift(period: str, months: int) -> str:
    """Period `months` later (negative = earlier)."""
    return from_index(to_index(period) + months)


def month_days(period: str) -> int:
    """Number of days in the period."""
    idx = to_index(period)
    return _cal.monthrange(idx // 12, idx % 12 + 1)[1]


def first_day(period: str) -> date:
    idx = to_index(period)
    return date(idx // 12, idx % 12 + 1, 1)


def last_day(period: str) -> date:
    idx = to_index(period)
    return date(idx // 12, idx % 12 + 1, month_days(period))


def span(first: str, last: str) -> list[str]:
    """Inclusive list of periods from first to last."""
    return [from_index(i) for i in range(to_index(first), to_index(last) + 1)]


def resolve_range(value: str, today: date) -> list[str] | None:
    """Resolve a range selector to its calendar months (ascending); None means `all`.

    Raises RangeError for anything unparseable.
    """
    v = (value or "").strip()
    if v == "all":
        return None
    if v == "this_month":
        return [period_of(today)]
    if v == "last_6_months":
        cur = period_of(today)
        return span(shift(cur, -5), cur)
    if m := _MONTH.match(v):
        if not 1 <= int(m.group(2)) <= 12 or int(m.group(1)) < 1900:
            raise RangeError(f"invalid month in range {value!r}")
        return [v]
    if m := _QUARTER.match(v):
        year, q = int(m.group(1)), int(m.group(2))
        if year < 1900:
            raise RangeError(f"invalid year in range {value!r}")
        return [f"{year:04d}-{mm:02d}" for mm in range(3 * q - 2, 3 * q + 1)]
    if m := _YEAR.match(v):
        year = int(m.group(1))
        if year < 1900:
            raise RangeError(f"invalid year in range {value!r}")
        return [f"{year:04d}-{mm:02d}" for mm in range(1, 13)]
    raise RangeError(
        f"unsupported range {value!r}; use YYYY-MM, YYYY-Qn, YYYY, all, this_month, last_6_months"
    )


def range_months(value: str, today: date, available: list[str]) -> list[str]:
    """Months of the range that exist in `available` (ascending); `all` = every available month."""
    months = resolve_range(value, today)
    avail = sorted(available)
    if months is None:
        return avail
    s = set(avail)
    return [p for p in months if p in s]


def fiscal_year_start(period: str, fy_start_month: int) -> str:
    """First period of the fiscal year containing `period`."""
    idx = to_index(period)
    year, month = idx // 12, idx % 12 + 1
    start_year = year if month >= fy_start_month else year - 1
    return f"{start_year:04d}-{fy_start_month:02d}"


def vat_period_start(period: str, vat_months: int) -> str:
    """First period of the VAT period (aligned to calendar year) containing `period`."""
    idx = to_index(period)
    month0 = idx % 12
    return from_index(idx - month0 % vat_months)
