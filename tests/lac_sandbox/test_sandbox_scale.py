"""A 1,000,008-row company: a deep page costs O(limit) generated rows once aggregates are cached."""

from __future__ import annotations

import httpx
import pytest

from lac_sandbox import Sandbox, SandboxConfig

ROWS = 27778
MONTHS = 36


@pytest.fixture(scope="module")
def big():
    sb = Sandbox(SandboxConfig(companies=1, months=MONTHS, rows_per_month=ROWS, outputs=0, invoices=5))
    cid = sb.customer_ids[0]
    with (
        sb.serve() as srv,
        httpx.Client(
            base_url=srv.base_url, timeout=60, headers={"Authorization": f"Bearer {sb.read_key(cid)}"}
        ) as c,
    ):
        yield sb, cid, c


def test_ledger_size(big):
    sb, cid, _ = big
    led = sb.ledger(cid)
    assert sum(led.count(p) for p in led.periods) == MONTHS * ROWS >= 1_000_000
    assert sb.generated_rows(cid) == 0  # nothing materialised up front


@pytest.mark.parametrize("tab,sort", [("books", ""), ("books", "newest"), ("vat", ""), ("vat", "newest")])
def test_deep_page_is_o_limit(big, tab, sort):
    sb, cid, c = big
    period = sb.ledger(cid).periods[10]
    params = {"tab": tab, "range": period, "limit": 200, "sort": sort}
    warm = c.get("/sheet", params={**params, "offset": 0})
    assert warm.status_code == 200
    led = sb.ledger(cid)
    assert led.generated <= 2 * ROWS + 400  # at most one month pass (aggregates), never the ledger
    led.generated = 0
    page = c.get("/sheet", params={**params, "offset": 25_000 if tab == "books" else 20_000}).json()
    assert len(page["rows"]) == 200
    assert led.generated == 200
    if tab == "books" and sort == "":
        assert page["rows"][0]["seq"] == 25_000
        assert page["row_window"]["total"] == ROWS


def test_deep_page_after_overlay(big):
    sb, cid, c = big
    led = sb.ledger(cid)
    period = led.periods[12]
    led.delete_row(period, 5)
    led.delete_row(period, 30_00)
    c.get("/sheet", params={"tab": "books", "range": period, "limit": 1})
    led.generated = 0
    page = c.get("/sheet", params={"tab": "books", "range": period, "limit": 200, "offset": 27_000}).json()
    assert [r["seq"] for r in page["rows"]][:2] == [27_002, 27_003]
    assert led.generated <= 200
