"""Statements, VAT, analytics, filings and paging agree with the ledger for every month, both shapes."""

from __future__ import annotations

import pytest

from lac_sandbox.ledger import BALANCE_ACCOUNTS


def _sheet(client, **params) -> dict:
    r = client.get("/sheet", params=params)
    assert r.status_code == 200, r.text
    return r.json()


@pytest.mark.parametrize("cidx", [0, 1])
def test_every_month_consistent(shaped, norm, cidx):
    sb, shape = shaped.sb, shaped.shape
    cid = sb.customer_ids[cidx]
    c = shaped.session
    t = sb.truth
    for period in t.periods(cid):
        q = {"customer_id": cid, "range": period}
        full = _sheet(c, tab="books", limit=0, **q)
        assert "row_window" not in full
        rows = [norm.books(shape, r) for r in full["rows"]]
        assert rows == list(t.books_rows(cid, period))
        paged, offset = [], 0
        while True:
            page = _sheet(c, tab="books", limit=50, offset=offset, **q)
            assert norm.total(shape, page) == len(rows)
            if not page["rows"]:
                break
            paged += [norm.books(shape, r) for r in page["rows"]]
            offset += 50
        assert paged == rows
        newest = _sheet(c, tab="books", limit=0, sort="newest", **q)
        assert [norm.books(shape, r) for r in newest["rows"]] == rows[::-1]
        vat = [norm.vat(shape, r) for r in _sheet(c, tab="vat", limit=0, **q)["rows"]]
        assert vat == list(t.vat_rows(cid, period))
        assert sum(v["output_vat_cents"] - v["input_vat_cents"] for v in vat) == sum(
            r["vat_cents"] for r in rows
        )
        # statements
        st = norm.statements(shape, c.get("/statements", params=q).json())
        inc = {}
        for r in rows:
            inc[r["account_code"]] = inc.get(r["account_code"], 0) + r["net_cents"]
        assert st["income_statement"] == dict(sorted(inc.items())) == t.income_statement(cid, period)
        bs = st["balance_sheet"]
        assert bs == t.balance_sheet(cid, period) and list(bs) == BALANCE_ACCOUNTS
        assert bs["1910"] == bs["2939"] + bs["2251"] + bs["2370"]
        cf = c.get("/statements", params={**q, "statement": "cashflow"}).json()
        expected_cf = t.cashflow(cid, period)
        assert (cf is None and expected_cf is None) or norm.cashflow(shape, cf) == expected_cf
        # analytics + filings
        an = norm.analytics(shape, c.get("/analytics", params=q).json())
        exp = t.analytics(cid, period)
        assert an["categories"] == exp["categories"]
        assert [{k: v for k, v in x.items() if k != "row_count"} for x in an["trend"]] == [
            {k: v for k, v in x.items() if k != "row_count"} for x in exp["trend"]
        ]
        fil = c.get("/filings", params=q).json()
        tf = t.filing(cid, period)
        assert fil["vat_preview"] == tf["vat_preview"] and fil["row_count"] == tf["row_count"]
        assert fil["open_items"] == tf["open_items"]
        assert fil["vat_preview"]["payable_cents"] == sum(r["vat_cents"] for r in rows)


def test_multi_month_ranges_aggregate(shaped, norm):
    sb, shape, c = shaped.sb, shaped.shape, shaped.read
    cid = sb.customer_ids[0]
    t = sb.truth
    for rng in ("2026-Q3", "2026", "last_6_months", "all", "this_month"):
        page = _sheet(c, tab="books", range=rng, limit=200, offset=0)
        totals = t.sheet_totals(cid, "books", rng)
        assert norm.total(shape, page) == totals["rows"]
        st = norm.statements(shape, c.get("/statements", params={"range": rng}).json())
        assert st["income_statement"] == t.income_statement(cid, rng)
        assert st["balance_sheet"] == t.balance_sheet(cid, rng)
        assert (
            c.get("/filings", params={"range": rng}).json()["vat_preview"]
            == t.filing(cid, rng)["vat_preview"]
        )
        vt = t.sheet_totals(cid, "vat", rng)
        vpage = _sheet(c, tab="vat", range=rng, limit=1)
        assert norm.total(shape, vpage) == vt["rows"]
    # paging across month boundaries == unpaginated, in default order
    allrows = [norm.books(shape, r) for r in _sheet(c, tab="books", range="2026-Q3", limit=0)["rows"]]
    paged = []
    for off in range(0, len(allrows), 200):
        paged += [
            norm.books(shape, r)
            for r in _sheet(c, tab="books", range="2026-Q3", limit=200, offset=off)["rows"]
        ]
    assert paged == allrows
    for sort in ("amount", "category", "status"):
        a = _sheet(c, tab="books", range="2026-Q3", limit=0, sort=sort)["rows"]
        b = _sheet(c, tab="books", range="2026-Q3", limit=0, sort=sort)["rows"]
        assert a == b and len(a) == len(allrows)


def test_empty_month_and_nulls(sandbox, client):
    cid = sandbox.customer_ids[0]
    assert client.get("/statements", params={"range": "2019-01"}).json() is None
    assert (
        client.get("/statements/drill", params={"range": "2019-01", "account_codes": "3000"}).json() is None
    )
    sandbox.empty_month(cid, "2026-05")
    assert "2026-05" not in sandbox.truth.periods(cid)
    assert client.get("/statements", params={"range": "2026-05"}).json() is None
    page = client.get("/sheet", params={"tab": "books", "range": "2026-05", "limit": 10}).json()
    assert page["rows"] == [] and page["row_window"]["total"] == 0
    ranges = [r["range"] for r in page["available_ranges"]]
    assert "2026-05" not in ranges and ranges == sorted(ranges, reverse=True)


@pytest.mark.sandbox_config(months=30)
def test_cashflow_only_within_24_months(sandbox, client):
    cid = sandbox.customer_ids[0]
    old, recent = sandbox.truth.periods(cid)[0], "2025-01"
    assert client.get("/statements", params={"range": old, "statement": "cashflow"}).json() is None
    assert client.get("/statements", params={"range": old}).json() is not None
    assert client.get("/statements", params={"range": recent, "statement": "cashflow"}).json() is not None


def test_ledger_mix(sandbox):
    cid = sandbox.customer_ids[0]
    rows = [r for p in sandbox.truth.periods(cid) for r in sandbox.truth.books_rows(cid, p)]
    codes = {r["vat_code"] for r in rows}
    assert codes == {"S255", "S14", "S10", "S0", "EU_SALE", "P255", "P14", "P10", "EU_PURCHASE", "NONE"}
    sales = [r for r in rows if r["net_cents"] > 0]
    assert 0.5 < len(sales) / len(rows) < 0.7
    assert all(r["gross_cents"] == r["net_cents"] + r["vat_cents"] for r in rows)
    for p in sandbox.truth.periods(cid):
        dates = [(r["date"], r["seq"]) for r in sandbox.truth.books_rows(cid, p)]
        assert dates == sorted(dates) and all(d.startswith(p) for d, _ in dates)
