"""Property tests: month arithmetic and the landing root's safe names."""

from pathlib import Path

import httpx
from fake_api import lac_client
from hypothesis import given, settings
from hypothesis import strategies as st

from lac_connector.kit.landing import Download, Landing, safe_name
from lac_source import periods

months = st.builds(lambda y, m: f"{y:04d}-{m:02d}", st.integers(1900, 2200), st.integers(1, 12))
offsets = st.integers(-3000, 3000)


@given(months)
def test_parse_period_round_trips(period):
    year, month = periods.parse_period(period)
    assert f"{year:04d}-{month:02d}" == period
    assert periods.from_index(periods.month_index(period)) == period


@given(months, offsets, offsets)
def test_add_months_is_additive_and_invertible(period, a, b):
    assert periods.add_months(periods.add_months(period, a), b) == periods.add_months(period, a + b)
    assert periods.add_months(periods.add_months(period, a), -a) == period
    assert periods.add_months(period, 0) == period


@given(months, st.integers(0, 400))
def test_month_span_is_contiguous_sorted_and_inclusive(first, length):
    last = periods.add_months(first, length)
    span = periods.month_span(first, last)
    assert len(span) == length + 1 and span[0] == first and span[-1] == last
    assert span == sorted(span) and len(set(span)) == len(span)
    assert all(periods.add_months(a, 1) == b for a, b in zip(span, span[1:], strict=False))
    if length:
        assert periods.month_span(last, first) == []


@given(months, st.sampled_from([1, 3, 12]))
def test_vat_period_range_partitions_the_year(period, vat_months):
    year = period[:4]
    ranges = [periods.vat_period_range(p, vat_months) for p in periods.month_span(f"{year}-01", f"{year}-12")]
    distinct = list(dict.fromkeys(ranges))
    assert len(distinct) == 12 // vat_months  # every month in exactly one VAT period of its year
    assert all(ranges.count(r) == vat_months for r in distinct)
    assert periods.vat_period_range(period, vat_months) in distinct
    assert all(r.startswith(year) for r in distinct)


@given(st.lists(months, max_size=6), st.text(max_size=20))
def test_periods_in_finds_every_month_in_any_json(found, noise):
    payload = {"available_ranges": [{"range": p, "label": noise} for p in found], "x": [noise, 3]}
    assert set(found) <= set(periods.periods_in(payload))


@settings(max_examples=40, deadline=None)
@given(st.text(min_size=1, max_size=80))
def test_a_landed_hostile_name_stays_inside_the_root(tmp_path_factory, name):
    root = tmp_path_factory.mktemp("root")
    api = httpx.MockTransport(lambda r: httpx.Response(200, content=b"abc", headers={"Content-Type": "x/y"}))
    client = lac_client("http://lac.test/portal", "k", transport=api)
    stem = safe_name(name)
    landed = Landing(str(root)).download(
        client, Download("/uploads/{f}/download", {}, {"f": name}, safe_name("c/../1"), stem, ext="")
    )
    final = (root / landed.storage_path).resolve()
    assert final.is_file() and final.read_bytes() == b"abc"
    assert Path(root).resolve() in final.parents
    assert [p for p in root.rglob("*") if p.is_file()] == [root / landed.storage_path]
