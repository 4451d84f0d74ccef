"""The books are consistent and every figure the API serves equals the truth oracle (all shapes)."""

from __future__ import annotations

import hashlib
from collections import defaultdict
from datetime import date

import pytest

from ledgerlou_sandbox import Sandbox, SandboxConfig
from ledgerlou_sandbox.chart import ACCOUNT
from ledgerlou_sandbox.dates import first_day, last_day
from ledgerlou_sandbox.money import to_base


def _month_window(p: str) -> dict:
    return {"startDate": first_day(p).isoformat(), "endDate": last_day(p).isoformat()}


def test_every_intent_balances_and_fx_lines_convert(shaped, tools):
    s = shaped
    per_intent: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    fx_lines = 0
    for p in s.sb.world.periods:
        entries = s.json("/v1/journal", limit=1000, **_month_window(p))["entries"]
        assert len(entries) < 1000
        for e in entries:
            ln = s.canon("journal_line", e)
            d, c = tools.cents(ln["debit"]), tools.cents(ln["credit"])
            assert (d == 0) != (c == 0)
            per_intent[ln["intent_id"]][0] += d
            per_intent[ln["intent_id"]][1] += c
            assert tools.cents(ln["base_amount"]) == d + c
            if ln["currency"] != "EUR":
                fx_lines += 1
                rate_e4 = int(ln["fx_rate"] * 10_000)
                assert abs(to_base(tools.cents(ln["amount"]), rate_e4) - (d + c)) <= 1
            else:
                assert tools.cents(ln["amount"]) == d + c and ln["fx_rate"] is None
    assert fx_lines > 0
    assert all(d == c for d, c in per_intent.values())
    assert set(per_intent) == {i["intent_id"] for i in s.sb.truth.intents(s.tid)}


def test_reports_equal_truth(shaped, tools):
    s = shaped
    truth = s.sb.truth
    for p in s.sb.world.periods[-3:]:
        win = _month_window(p)
        tb = {
            r["account_number"]: r
            for r in map(
                lambda x: s.canon("trial_balance_line", x), s.json("/v1/reports", type="trial_balance", **win)
            )
        }
        exp = truth.trial_balance(s.tid, p)
        assert set(tb) == set(exp)
        for acc, row in exp.items():
            got = tb[acc]
            assert [
                tools.cents(got[k]) for k in ("opening_balance", "debit", "credit", "closing_balance")
            ] == [row["opening"], row["debit"], row["credit"], row["closing"]]
        pl = {
            r["account_number"]: tools.cents(r["amount"])
            for r in map(
                lambda x: s.canon("profit_and_loss_line", x),
                s.json("/v1/reports", type="profit_and_loss", **win),
            )
        }
        assert pl == truth.profit_and_loss(s.tid, p)
        bs_lines = [
            s.canon("balance_sheet_line", x) for x in s.json("/v1/reports", type="balance_sheet", **win)
        ]
        bs = {r["account_number"]: tools.cents(r["amount"]) for r in bs_lines}
        assert bs == truth.balance_sheet(s.tid, p)
        assets = sum(tools.cents(r["amount"]) for r in bs_lines if r["account_type"] == "asset")
        assert assets == sum(bs.values()) - assets > 0  # assets == liabilities + equity + result
        vat = {
            r["tax_code"]: {k: tools.cents(r[k]) for k in ("net", "output_tax", "input_tax")}
            for r in map(lambda x: s.canon("vat_line", x), s.json("/v1/reports", type="vat", **win))
        }
        assert vat == truth.vat(s.tid, p)
    monthly = {
        r["month"]: (tools.cents(r["revenue"]), tools.cents(r["expenses"]), tools.cents(r["result"]))
        for r in map(lambda x: s.canon("monthly_line", x), s.json("/v1/reports/monthly-revenue-expenses"))
    }
    assert monthly == {
        m: (v["revenue"], v["expenses"], v["revenue"] - v["expenses"])
        for m, v in truth.monthly_revenue_expenses(s.tid).items()
    }


def test_partial_month_report_scans_the_window(flat, tools):
    s = flat
    p = s.sb.world.periods[-2]
    lo, hi = first_day(p).replace(day=10), first_day(p).replace(day=20)
    rows = s.json("/v1/reports", type="profit_and_loss", startDate=lo.isoformat(), endDate=hi.isoformat())
    expected: dict[str, int] = defaultdict(int)
    for it in s.sb.truth.intents(s.tid, lo, hi):
        for ln in it["lines"]:
            if ACCOUNT[ln["account"]].type in ("revenue", "expense"):
                expected[ln["account"]] += ln["credit"] - ln["debit"]
    assert {r["account_number"]: tools.cents(r["amount"]) for r in rows} == dict(expected)


def test_periods_and_closing_hashes(shaped):
    s = shaped
    got = {r["period"]: r for r in s.json("/v1/periods")}
    exp = s.sb.truth.periods(s.tid)
    assert set(got) == set(exp)
    for p, row in exp.items():
        assert got[p]["status"] == row["status"] and got[p]["closing_hash"] == row["closing_hash"]
    statuses = [got[p]["status"] for p in sorted(got)]
    assert statuses == sorted(statuses, key=["locked", "soft_locked", "open"].index)
    soft = next(p for p in got if got[p]["status"] == "soft_locked")
    assert s.json(f"/v1/periods/{soft}/lock/status")["has_pending_request"] is True
    assert s.json(f"/v1/periods/{s.sb.world.open_period}/lock/status") == {
        "has_pending_request": False,
        "request_id": None,
        "requested_by": None,
        "created_at": None,
    }


def test_open_items_and_invoices_equal_truth(shaped, tools):
    s = shaped
    for path, direction, kind in (
        ("/v1/outgoing-invoices", "out", "outgoing_invoice"),
        ("/v1/invoices", "in", "purchase_invoice"),
    ):
        items = {
            x["invoice_id"]: x for x in map(lambda o: s.canon("open_item", o), s.json(path + "/open-items"))
        }
        exp = s.sb.truth.open_items(s.tid, direction)
        assert set(items) == set(exp) and exp
        for iid, row in exp.items():
            assert tools.cents(items[iid]["remaining_amount"]) == row["remaining"]
            assert tools.cents(items[iid]["base_remaining_amount"]) == row["base_remaining"]
        partial = [
            i for i in s.sb.truth.invoices(s.tid, direction) if i["status"] in ("partially_paid", "paid")
        ]
        for inv in (
            partial[:5] + [i for i in s.sb.truth.invoices(s.tid, direction) if i["currency"] != "EUR"][:3]
        ):
            got = s.json(f"{path}/{inv['invoice_id']}")
            assert tools.cents(got["remaining_amount"]) == inv["remaining"]
            assert [tools.cents(got[k]) for k in ("total_net", "total_tax", "total_gross")] == [
                inv["total_net"],
                inv["total_tax"],
                inv["total_gross"],
            ]
            lines = [s.canon("invoice_line", ln) for ln in got["lines"]]
            assert sum(tools.cents(ln["net"]) for ln in lines) == inv["total_net"]
            assert [tools.cents(ln["tax"]) for ln in lines] == [ln["tax"] for ln in inv["lines"]]
            payments = [s.canon("invoice_payment", p) for p in s.canon(kind, got)["payments"]]
            assert sum(tools.cents(p["amount"]) for p in payments) == inv["total_gross"] - inv["remaining"]


def test_customer_open_amount_is_the_sum_of_open_items(shaped, tools):
    s = shaped
    items = s.sb.truth.invoices(s.tid, "out")
    for c in s.t.customers[:6]:
        got = s.json(f"/v1/customers/{c.party_id}")
        exp = sum(
            (-1 if i["type"] == "credit_note" else 1) * i["base_remaining"]
            for i in items
            if i["party_id"] == c.party_id
        )
        assert tools.cents(got["open_amount"]) == exp


def test_bank_reconciliation_view(shaped, tools):
    s = shaped
    b = s.t.bank_accounts[0]
    view = s.json(f"/v1/bank-accounts/{b.bank_account_id}/reconciliation")
    rec = s.canon("reconciliation", view)
    assert view["base_currency"] == "EUR"
    txs = [x for x in s.sb.truth.bank_transactions(s.tid) if x["bank_account_id"] == b.bank_account_id]
    opened = [s.canon("bank_transaction", x)["id"] for x in rec["open_transactions"]]
    assert sorted(opened) == sorted(x["id"] for x in txs if x["status"] == "open") and opened
    gl = sum(
        v["debit"] - v["credit"] for (acc, _), v in s.sb.truth.account_months(s.tid).items() if acc == "1200"
    )
    assert tools.cents(view["ledger"]["base_amount"]) == gl == tools.cents(view["ledger"]["amount"])
    unmatched = view["unmatched_ledger"]
    assert unmatched and all({"amount", "currency", "base_amount"} <= set(u) for u in unmatched)
    statement = b.opening_balance + sum(x["amount"] for x in txs if x["status"] != "dismissed")
    assert tools.cents(rec["statement_balance"]) == statement
    open_sum = sum(x["amount"] for x in txs if x["status"] == "open")
    assert statement - open_sum == gl - sum(tools.cents(u["base_amount"]) for u in unmatched)
    usd = s.t.bank_accounts[2]
    uview = s.json(f"/v1/bank-accounts/{usd.bank_account_id}/reconciliation")
    assert (
        uview["ledger"]["currency"] == "USD" and uview["ledger"]["amount"] != uview["ledger"]["base_amount"]
    )
    detail = s.json(f"/v1/bank-accounts/{b.bank_account_id}")
    assert detail["tx_count"] == len(txs) and detail["unreconciled_count"] == len(opened)
    assert detail["last_tx_date"] == max(x["booking_date"] for x in txs)
    count = s.json("/v1/bank-transactions/unreconciled-count")["count"]
    assert count == sum(1 for x in s.sb.truth.bank_transactions(s.tid) if x["status"] == "open")


def test_suggestions_point_at_open_items(shaped):
    s = shaped
    sugg = [s.canon("suggestion", x) for x in s.json("/v1/bank-transactions/suggestions")]
    open_out = s.sb.truth.open_items(s.tid, "out")
    assert sugg and all(x["invoice_id"] in open_out for x in sugg if x["candidate_kind"] == "open_item")


def test_balance_history(shaped, tools):
    s = shaped
    h = s.json("/v1/bank-accounts/balance-history", days=10)
    points = [s.canon("balance_point", p) for p in h["history"]]
    today = s.sb.cfg.today
    assert [p["date"] for p in points][-1] == today.isoformat() and len(points) == 10
    txs = s.sb.truth.bank_transactions(s.tid)
    start = tools.cents(h["startBalance"])
    delta = sum(
        x["base_amount"]
        for x in txs
        if x["status"] != "dismissed"
        and x["booking_date"] > (date.fromordinal(today.toordinal() - 10)).isoformat()
    )
    assert tools.cents(h["currentBalance"]) == start + delta == tools.cents(points[-1]["balance"])


def test_documents_bytes_and_headers(shaped):
    s = shaped
    ids = s.sb.truth.document_ids(s.tid)
    kinds = set()
    for doc_id in ids[:: max(1, len(ids) // 25)]:
        r = s.get(f"/v1/documents/{doc_id}/file")
        assert r.status_code == 200
        assert hashlib.sha256(r.content).hexdigest() == s.sb.truth.document_sha256(s.tid, doc_id)
        kinds.add(r.headers["content-type"])
        assert r.headers["content-disposition"].startswith("attachment; filename=")
        p = s.get(f"/v1/documents/{doc_id}/preview")
        assert p.content == r.content and p.headers["content-disposition"].startswith("inline; filename=")
    assert kinds >= {"application/pdf", "image/png"}
    umlaut = next(d for d in s.t.documents.values() if not d.original_name.isascii())
    r = s.get(f"/v1/documents/{umlaut.document_id}/file")
    assert "filename*=UTF-8''" in r.headers["content-disposition"]


def test_datev_export_equals_truth(flat):
    s = flat
    year = s.sb.cfg.today.year
    r = s.get("/v1/reports/datev-export", startDate=f"{year}-01-01", endDate=s.sb.cfg.today.isoformat())
    exp = s.sb.truth.datev_export(s.tid, date(year, 1, 1), s.sb.cfg.today)
    assert r.content == exp and r.headers["content-type"] == "text/csv; charset=windows-1252"
    rows = exp.decode("cp1252").split("\r\n")
    assert rows[0].startswith('"EXTF";700;21;"Buchungsstapel"') and rows[1].startswith(
        "Umsatz (ohne Soll/Haben-Kz)"
    )
    total = sum(int(row.split(";")[0].replace(",", "")) for row in rows[2:] if row)
    assert total == sum(
        ln["debit"] for i in s.sb.truth.intents(s.tid, date(year, 1, 1), s.sb.cfg.today) for ln in i["lines"]
    )


@pytest.mark.parametrize("seed", [7, 11])
def test_second_tenant_via_session_token(seed, tools):
    sb = Sandbox(SandboxConfig(seed=seed, months=3, bookings_per_month=10))
    t2 = sb.tenant_ids[1]
    with sb.serve(), tools.client_for(sb, sb.session_token) as c:
        first = c.get("/v1/bank-accounts").json()
        second = c.get("/v1/bank-accounts", params={"tenant_id": t2}).json()
        assert [b["id"] for b in second] == [b.bank_account_id for b in sb.tenant(t2).bank_accounts]
        assert [b["id"] for b in first] == [
            b.bank_account_id for b in sb.tenant(sb.tenant_ids[0]).bank_accounts
        ]
        assert sb.requests[-1].customer_id == t2


def test_open_items_reconcile_with_the_ledger(fresh, tools):
    """Receivables/payables in the general ledger equal the open items (credit notes negative),
    also after a change round."""
    s = fresh
    s.sb.advance()
    for tid in s.sb.tenant_ids:
        for direction, account, sign in (("out", "1400", 1), ("in", "1600", -1)):
            rows = s.sb.truth.trial_balance(tid, s.sb.world.open_period)
            sub = sum(
                (-1 if i["type"] == "credit_note" else 1) * i["base_remaining"]
                for i in s.sb.truth.invoices(tid, direction)
            )
            assert sign * rows[account]["closing"] == sub != 0
    items = s.json("/v1/outgoing-invoices/open-items")
    total = sum(
        tools.cents(x["base_remaining_amount"]) * (-1 if x["type"] == "credit_note" else 1) for x in items
    )
    assert total == s.sb.truth.trial_balance(s.tid, s.sb.world.open_period)["1400"]["closing"]


def test_history_contains_linked_reversals(shaped, tools):
    s = shaped
    reversals = [i for i in s.sb.truth.intents(s.tid) if i["description"].startswith("Storno: ")]
    assert reversals
    for rev in reversals:
        got = s.json(f"/v1/journal/{rev['intent_id']}")
        (link,) = [s.canon("linked_intent", x) for x in got["linked_intents"]]
        assert link["relation"] == "reverses"
        orig = s.json(f"/v1/journal/{link['intent_id']}")
        assert s.canon("journal_summary", orig["summary"])["status"] == "reversed"
        assert [s.canon("linked_intent", x) for x in orig["linked_intents"]] == [
            {"intent_id": rev["intent_id"], "relation": "reversed_by"}
        ]
        mine = [s.canon("journal_line", e) for e in got["entries"]]
        theirs = [s.canon("journal_line", e) for e in orig["entries"]]
        assert [(m["debit"], m["credit"]) for m in mine] == [(o["credit"], o["debit"]) for o in theirs]
