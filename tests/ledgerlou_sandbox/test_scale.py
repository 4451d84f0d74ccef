"""A 36-month x 2,000-booking journal (72,000 generated bookings) pages without materialising it."""

from __future__ import annotations

import httpx
import pytest

from ledgerlou_sandbox import Sandbox, SandboxConfig
from ledgerlou_sandbox.dates import first_day, last_day

MONTHS, PER_MONTH = 36, 2000


@pytest.fixture(scope="module")
def big():
    sb = Sandbox(SandboxConfig(tenants=1, months=MONTHS, bookings_per_month=PER_MONTH))
    tid = sb.tenant_ids[0]
    with (
        sb.serve() as srv,
        httpx.Client(
            base_url=srv.base_url, timeout=120, headers={"Authorization": f"Bearer {sb.api_key(tid)}"}
        ) as c,
    ):
        yield sb, tid, c


def test_nothing_generated_up_front(big):
    sb, tid, _ = big
    j = sb.tenant(tid).journal
    assert sum(j.bulk.count(p) for p in j.periods) == MONTHS * PER_MONTH
    assert sb.generated_bookings(tid) == 0
    assert len(j.stored) < MONTHS * 60  # only business events are stored


def test_a_journal_page_costs_o_limit(big):
    sb, tid, c = big
    bulk = sb.tenant(tid).journal.bulk
    p = sb.world.periods[17]
    bulk.generated = 0
    r = c.get(
        "/v1/journal", params={"startDate": f"{p}-11", "endDate": last_day(p).isoformat(), "limit": 200}
    )
    entries = r.json()["entries"]
    assert len(entries) == 200 and entries[0]["booking_date"] == f"{p}-11"
    assert bulk.generated <= 200  # every derived booking yields at least one line
    bulk.generated = 0
    one = c.get(f"/v1/journal/{bulk.intent_id(p, 1234)}").json()
    assert one["intent_id"] == bulk.intent_id(p, 1234) and bulk.generated == 1


def test_a_month_read_in_windows_costs_one_month(big):
    sb, tid, c = big
    bulk = sb.tenant(tid).journal.bulk
    p = sb.world.periods[5]
    bulk.generated = 0
    lines = 0
    day = first_day(p)
    while day <= last_day(p):
        page = c.get(
            "/v1/journal", params={"startDate": day.isoformat(), "endDate": day.isoformat(), "limit": 1000}
        ).json()["entries"]
        assert len(page) < 1000
        lines += len(page)
        day = day.fromordinal(day.toordinal() + 1)
    assert PER_MONTH <= bulk.generated <= PER_MONTH + 31
    assert lines == sum(len(i["lines"]) for i in sb.truth.intents(tid, first_day(p), last_day(p)))


def test_month_report_uses_cached_aggregates(big):
    sb, tid, c = big
    bulk = sb.tenant(tid).journal.bulk
    p = sb.world.periods[30]
    params = {"type": "profit_and_loss", "startDate": f"{p}-01", "endDate": last_day(p).isoformat()}
    bulk.generated = 0
    first = c.get("/v1/reports", params=params)
    assert first.status_code == 200 and bulk.generated == PER_MONTH
    bulk.generated = 0
    assert c.get("/v1/reports", params=params).content == first.content and bulk.generated == 0
