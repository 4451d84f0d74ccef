"""Month (`YYYY-MM`) arithmetic and timestamps."""

from __future__ import annotations

import calendar
from datetime import date, datetime, timedelta


def month_index(period: str) -> int:
    """`YYYY-MM` -> absolute month index (year*12 + month-1)."""
    return int(period[:4]) * 12 + int(period[5:7]) - 1


def period_of_index(idx: int) -> str:
    return f"{idx // 12:04d}-{idx % 12 + 1:02d}"


def period_of(d: date) -> str:
    return f"{d.year:04d}-{d.month:02d}"


def shift(period: str, months: int) -> str:
    return period_of_index(month_index(period) + months)


def month_days(period: str) -> int:
    return calendar.monthrange(int(period[:4]), int(period[5:7]))[1]


def first_day(period: str) -> date:
    return date(int(period[:4]), int(period[5:7]), 1)


def last_day(period: str) -> date:
    return date(int(period[:4]), int(period[5:7]), month_days(period))


def span(first: str, last: str) -> list[str]:
    """Inclusive list of periods from first to last."""
    return [period_of_index(i) for i in range(month_index(first), month_index(last) + 1)]


def stamp(d: date, seconds: int = 0) -> str:
    """An ISO-8601 UTC timestamp on day `d`, 08:00 plus `seconds`."""
    t = datetime(d.year, d.month, d.day, 8, 0) + timedelta(seconds=seconds)
    return t.strftime("%Y-%m-%dT%H:%M:%S.000Z")


def epoch_ms(d: date, seconds: int = 0) -> int:
    """Milliseconds since 1970 for `stamp(d, seconds)`."""
    return ((d - date(1970, 1, 1)).days * 86400 + 8 * 3600 + seconds) * 1000
