"""Each paging style behaves as documented: limit/offset with total, bare arrays, limit-truncated windows."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from ledgerlou_sandbox.chart import ACCOUNTS
from ledgerlou_sandbox.dates import first_day, last_day

BARE = {
    "/v1/customers": ("customer", lambda t: [p.party_id for p in t.customers]),
    "/v1/vendors": ("vendor", lambda t: [p.party_id for p in t.vendors]),
    "/v1/outgoing-invoices": ("outgoing_invoice", lambda t: [i.invoice_id for i in t.invoices_of("out")]),
    "/v1/invoices": ("purchase_invoice", lambda t: [i.invoice_id for i in t.invoices_of("in")]),
    "/v1/payment-runs": ("payment_run", lambda t: [r.run_id for r in t.runs]),
    "/v1/inbox": ("inbox_item", lambda t: [i["id"] for i in t.inbox]),
    "/v1/invoice-review-cases": ("review_case", lambda t: [c["id"] for c in t.review_cases]),
    "/v1/payables/ingestion-log": ("ingestion_entry", lambda t: [e["id"] for e in t.ingestion]),
}


def _id(s, kind: str, obj: dict) -> str:
    return s.canon(kind, obj)["id"]


def test_accounts_limit_offset_total(shaped):
    seen, offset = [], 0
    while True:
        page = shaped.json("/v1/accounts", limit=20, offset=offset)
        assert page["total"] == len(ACCOUNTS) and page["offset"] == offset and page["limit"] == 20
        seen += [a["number"] for a in page["accounts"]]
        offset += 20
        if offset >= page["total"]:
            break
    assert seen == [a.number for a in ACCOUNTS]
    default = shaped.json("/v1/accounts")
    assert default["limit"] == 100 and len(default["accounts"]) == len(ACCOUNTS)


def test_bank_transactions_total_and_pages(shaped):
    t = shaped.t
    first = shaped.json("/v1/bank-transactions", limit=7)
    assert set(first) == {"transactions", "total"} and first["total"] == len(t.transactions)
    got, offset = [], 0
    while offset < first["total"]:
        page = shaped.json("/v1/bank-transactions", limit=50, offset=offset)
        got += [_id(shaped, "bank_transaction", x) for x in page["transactions"]]
        offset += 50
    assert sorted(got) == sorted(x.transaction_id for x in t.transactions) and len(set(got)) == len(got)
    dates = [shaped.canon("bank_transaction", x)["booking_date"] for x in first["transactions"]]
    assert dates == sorted(dates, reverse=True)  # newest first
    main = t.bank_accounts[0].bank_account_id
    only = shaped.json("/v1/bank-transactions", bank_account_id=main, status="reconciled", limit=200)
    expected = [x for x in t.transactions if x.bank_account_id == main and x.status == "reconciled"]
    assert only["total"] == len(expected) and len(only["transactions"]) == min(200, len(expected))


@pytest.mark.parametrize("path", sorted(BARE))
def test_bare_arrays_page_without_total(shaped, path):
    kind, expected = BARE[path]
    got, offset = [], 0
    while True:
        page = shaped.json(path, limit=3, offset=offset)
        assert isinstance(page, list) and len(page) <= 3
        got += [_id(shaped, kind, x) for x in page]
        if len(page) < 3:
            break
        offset += 3
    assert sorted(got) == sorted(expected(shaped.t)) and len(got) == len(set(got))
    assert shaped.json(path, offset=len(got)) == []


def test_journal_limit_truncates_by_date_and_windows_split(flat):
    """A client reading date windows and splitting full ones gets every line exactly once."""
    s = flat
    start, end = date.fromisoformat(s.sb.world.periods[0] + "-01"), s.sb.cfg.today
    limit = 60
    lines = []

    def read(lo: date, hi: date) -> None:
        page = s.json("/v1/journal", startDate=lo.isoformat(), endDate=hi.isoformat(), limit=limit)["entries"]
        if len(page) < limit:
            lines.extend(page)
            return
        assert lo < hi, "a single day holds more than `limit` lines"
        dates = [e["booking_date"] for e in page]
        assert dates == sorted(dates) and dates[0] >= lo.isoformat() and dates[-1] <= hi.isoformat()
        mid = lo + (hi - lo) // 2
        read(lo, mid)
        read(mid + timedelta(days=1), hi)

    read(start, end)
    truth = [(i["intent_id"], n) for i in s.sb.truth.intents(s.tid) for n in range(len(i["lines"]))]
    assert [(e["intent_id"], e["line_no"] - 1) for e in lines] == truth


def test_journal_default_limit_and_filters(flat):
    s = flat
    assert len(s.json("/v1/journal")["entries"]) == 100
    one_day = s.sb.cfg.today - timedelta(days=40)
    day = s.json("/v1/journal", startDate=one_day.isoformat(), endDate=one_day.isoformat(), limit=1000)[
        "entries"
    ]
    expected = [i for i in s.sb.truth.intents(s.tid, one_day, one_day)]
    assert len(day) == sum(len(i["lines"]) for i in expected) > 0
    bank = s.json("/v1/journal", account="1200", limit=1000)["entries"]
    assert bank and {e["account_number"] for e in bank} == {"1200"}
    inv = next(i for i in s.t.invoices_of("out") if i.payments)
    by_ref = s.json("/v1/journal", externalReference=inv.invoice_number, limit=1000)["entries"]
    assert {e["intent_id"] for e in by_ref} == {inv.intent_id, *(p.intent_id for p in inv.payments)}
    assert all("Bewirtung" in e["description"] for e in s.json("/v1/journal", search="bewirtung")["entries"])


def test_account_entries_limit_running_balance_and_balance(flat, tools):
    s = flat
    months = s.sb.truth.account_months(s.tid)
    p = s.sb.world.periods[-2]
    lo, hi = first_day(p).isoformat(), last_day(p).isoformat()
    full = tools.body(s.get("/v1/accounts/1000/entries", startDate=lo, endDate=hi, limit=1000))
    prev = s.sb.world.periods[-3]
    opening = months[("1000", prev)]["balance"]
    running = opening
    for e in full["entries"]:
        assert e["account_number"] == "1000" and lo <= e["booking_date"] <= hi
        running += tools.cents(e["debit"]) - tools.cents(e["credit"])
        assert tools.cents(e["running_balance"]) == running
    assert tools.cents(full["balance"]) == running
    few = s.json("/v1/accounts/1000/entries", startDate=lo, endDate=hi, limit=5)
    assert len(full["entries"]) > 5 and few["entries"] == full["entries"][:5]
    assert few["balance"] == full["balance"]  # the balance is not cut by the limit
    whole = tools.body(s.get("/v1/accounts/1000/entries", limit=1))
    last = max(k[1] for k in months if k[0] == "1000")
    assert tools.cents(whole["balance"]) == months[("1000", last)]["balance"]
