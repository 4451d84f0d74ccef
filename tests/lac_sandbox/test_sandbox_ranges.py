"""Range arithmetic against a fixed today."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from lac_sandbox import calendar as cal

TODAY = date(2026, 11, 21)


@pytest.mark.parametrize(
    "value,expected",
    [
        ("2026-03", ["2026-03"]),
        ("2026-Q1", ["2026-01", "2026-02", "2026-03"]),
        ("2025-Q4", ["2025-10", "2025-11", "2025-12"]),
        ("2026", [f"2026-{m:02d}" for m in range(1, 13)]),
        ("this_month", ["2026-11"]),
        ("last_6_months", ["2026-06", "2026-07", "2026-08", "2026-09", "2026-10", "2026-11"]),
        ("all", None),
    ],
)
def test_range_forms(value, expected):
    assert cal.resolve_range(value, TODAY) == expected


@pytest.mark.parametrize(
    "bad",
    [
        "",
        "2026-13",
        "2026-00",
        "2026-Q0",
        "2026-Q5",
        "26",
        "2026/10",
        "Q1-2026",
        "last_5_months",
        "ALL",
        "2026-1",
        "0999-01",
    ],
)
def test_bad_ranges(bad):
    with pytest.raises(cal.RangeError):
        cal.resolve_range(bad, TODAY)


def test_range_months_filters_available_and_all():
    avail = ["2026-09", "2026-10", "2026-11"]
    assert cal.range_months("all", TODAY, avail) == avail
    assert cal.range_months("2026-Q4", TODAY, avail) == ["2026-10", "2026-11"]
    assert cal.range_months("2020", TODAY, avail) == []


def test_last_6_months_crosses_year():
    assert cal.resolve_range("last_6_months", date(2026, 2, 1)) == [
        "2025-09",
        "2025-10",
        "2025-11",
        "2025-12",
        "2026-01",
        "2026-02",
    ]


def test_fiscal_and_vat_period_starts():
    assert cal.fiscal_year_start("2026-06", 7) == "2025-07"
    assert cal.fiscal_year_start("2026-07", 7) == "2026-07"
    assert cal.fiscal_year_start("2026-01", 1) == "2026-01"
    assert cal.vat_period_start("2026-11", 3) == "2026-10"
    assert cal.vat_period_start("2026-03", 3) == "2026-01"
    assert cal.vat_period_start("2026-11", 1) == "2026-11"


@given(st.integers(1900, 2999), st.integers(1, 12))
def test_month_roundtrip(year, month):
    p = f"{year:04d}-{month:02d}"
    assert cal.from_index(cal.to_index(p)) == p
    assert cal.resolve_range(p, TODAY) == [p]
    q = (month - 1) // 3 + 1
    assert p in cal.resolve_range(f"{year}-Q{q}", TODAY)
    assert p in cal.resolve_range(str(year), TODAY)
    assert cal.first_day(p).day == 1 and cal.last_day(p).month == month


@given(st.dates(date(1950, 1, 1), date(2900, 12, 31)))
def test_relative_ranges_property(today):
    six = cal.resolve_range("last_6_months", today)
    assert len(six) == 6 and six[-1] == cal.period_of(today) == cal.resolve_range("this_month", today)[0]
    assert [cal.to_index(p) for p in six] == list(range(cal.to_index(six[0]), cal.to_index(six[0]) + 6))


@given(st.integers(1, 12), st.integers(1900, 2900), st.integers(1, 12))
def test_fiscal_year_start_property(fy, year, month):
    p = f"{year:04d}-{month:02d}"
    start = cal.fiscal_year_start(p, fy)
    assert 0 <= cal.to_index(p) - cal.to_index(start) < 12 and start.endswith(f"-{fy:02d}")
