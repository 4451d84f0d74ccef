"""Calendar arithmetic on `YYYY-MM` periods, fiscal years and VAT periods."""

import re
from collections.abc import Iterable, Iterator
from datetime import date, datetime
from zoneinfo import ZoneInfo

from lac_connector.kit.errors import ConfigError

PERIOD_RE = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")
_PERIOD_IN_TEXT_RE = re.compile(r"(?<!\d)(\d{4})-(0[1-9]|1[0-2])(?![\d-])")
LAC_TIMEZONE = ZoneInfo("Europe/Helsinki")


def parse_period(value: str, setting: str = "period") -> tuple[int, int]:
    """Return (year, month) of a `YYYY-MM` string, or raise a config error naming `setting`."""
    match = PERIOD_RE.match(value.strip()) if isinstance(value, str) else None
    if not match:
        raise ConfigError(f"{setting} must be a month as YYYY-MM (e.g. 2025-01), got {value!r}")
    return int(match.group(1)), int(match.group(2))


def month_index(period: str) -> int:
    """Months since year 0: makes period differences plain integer arithmetic."""
    year, month = parse_period(period)
    return year * 12 + month - 1


def from_index(index: int) -> str:
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


def add_months(period: str, months: int) -> str:
    return from_index(month_index(period) + months)


def month_span(first: str, last: str) -> list[str]:
    """Every period from `first` to `last`, inclusive; empty when first > last."""
    return [from_index(i) for i in range(month_index(first), month_index(last) + 1)]


def current_period(today: date | None = None) -> str:
    """The current month in LAC's time zone (Finland)."""
    today = today or datetime.now(LAC_TIMEZONE).date()
    return f"{today.year:04d}-{today.month:02d}"


def periods_in(value: object) -> Iterator[str]:
    """Every `YYYY-MM` found in the string values of an arbitrary JSON value.

    The spec leaves the interior of `available_ranges` open, so we look for months anywhere in it.
    """
    if isinstance(value, str):
        for match in _PERIOD_IN_TEXT_RE.finditer(value):
            yield f"{match.group(1)}-{match.group(2)}"
    elif isinstance(value, dict):
        for item in value.values():
            yield from periods_in(item)
    elif isinstance(value, list):
        for item in value:
            yield from periods_in(item)


def vat_period_range(period: str, vat_period_months: int) -> str:
    """The API range selector of the VAT period containing `period`.

    Monthly filers file per month, quarterly filers per calendar quarter and annual filers
    per calendar year (Finnish VAT periods are calendar-aligned).
    """
    year, month = parse_period(period)
    if vat_period_months == 3:
        return f"{year:04d}-Q{(month - 1) // 3 + 1}"
    if vat_period_months == 12:
        return f"{year:04d}"
    return period


def vat_ranges(periods: Iterable[str], vat_period_months: int) -> list[str]:
    """Distinct VAT period ranges covering `periods`, in first-seen order."""
    return list(dict.fromkeys(vat_period_range(p, vat_period_months) for p in periods))
