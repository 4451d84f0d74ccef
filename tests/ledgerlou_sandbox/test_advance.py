"""advance() changes exactly what it reports, and the books stay consistent."""

from __future__ import annotations

import hashlib

from ledgerlou_sandbox import dates


def _snapshot(sb, tid):
    t = sb.tenant(tid)
    truth = sb.truth
    intents = {}
    for i in truth.intents(tid):
        intents[i["intent_id"]] = (i["booking_date"], repr(i["lines"]))
    return {
        "intents": intents,
        "links": {k: list(v) for k, v in t.journal.links.items()},
        "invoices": {i["invoice_id"]: repr(i) for d in ("out", "in") for i in truth.invoices(tid, d)},
        "parties": {p["id"]: p["is_active"] for r in ("customer", "vendor") for p in truth.parties(tid, r)},
        "periods": truth.periods(tid),
        "transactions": {x["id"]: repr(x) for x in truth.bank_transactions(tid)},
        "documents": set(t.documents),
    }


def test_advance_changes_exactly_what_it_says(fresh, tools):
    sb = fresh.sb
    before = {tid: _snapshot(sb, tid) for tid in sb.tenant_ids}
    summary = sb.advance()
    assert summary["advance"] == 1 and set(summary["tenants"]) == set(sb.tenant_ids)
    openp = sb.world.open_period
    prev = dates.shift(openp, -1)
    for tid, ch in summary["tenants"].items():
        b, a = before[tid], _snapshot(sb, tid)
        # journal: exactly the new intents, nothing else changed
        assert set(a["intents"]) - set(b["intents"]) == set(ch["intents_new"]) and len(ch["intents_new"]) == 3
        assert all(a["intents"][k] == v for k, v in b["intents"].items())
        back = ch["backdated"]
        assert a["intents"][back["intent_id"]][0][:7] == prev == back["period"] < openp
        rev = ch["reversal"]
        assert a["intents"][rev["intent_id"]][0][:7] == openp
        assert a["links"][rev["reverses"]] == [(rev["intent_id"], "reversed_by")]
        assert a["links"][rev["intent_id"]] == [(rev["reverses"], "reverses")]
        assert set(a["links"]) - set(b["links"]) == {rev["reverses"], rev["intent_id"]}
        orig = next(i for i in sb.truth.intents(tid) if i["intent_id"] == rev["reverses"])
        mirror = next(i for i in sb.truth.intents(tid) if i["intent_id"] == rev["intent_id"])
        assert [(ln["account"], ln["debit"], ln["credit"]) for ln in mirror["lines"]] == [
            (ln["account"], ln["credit"], ln["debit"]) for ln in orig["lines"]
        ]
        # exactly one invoice changed: the partially paid one
        pay = ch["payment"]
        changed = {k for k in a["invoices"] if a["invoices"][k] != b["invoices"].get(k)}
        assert changed == {pay["invoice_id"]} and set(a["invoices"]) == set(b["invoices"])
        inv = next(i for i in sb.truth.invoices(tid, "out") if i["invoice_id"] == pay["invoice_id"])
        assert inv["remaining"] == pay["remaining_after"] == pay["remaining_before"] - pay["amount"] > 0
        assert inv["status"] == "partially_paid" and inv["payments"][-1]["intent_id"] == pay["intent_id"]
        # parties: exactly one deactivated
        flipped = {k for k in a["parties"] if a["parties"][k] != b["parties"][k]}
        assert flipped == {ch["deactivated"]["id"]} and a["parties"][ch["deactivated"]["id"]] is False
        assert ch["deactivated"]["kind"] == "customer"
        # periods: exactly one more locked, with the oracle's closing hash
        locked = ch["period_locked"]
        diff = {p for p in a["periods"] if a["periods"][p] != b["periods"][p]}
        assert diff == {locked["period"]} and a["periods"][locked["period"]] == {
            "status": "locked",
            "closing_hash": locked["closing_hash"],
        }
        assert b["periods"][locked["period"]]["status"] != "locked"
        # bank: the new transactions, and the payment one is reconciled to the payment intent
        new_tx = set(a["transactions"]) - set(b["transactions"])
        assert new_tx == set(ch["transactions_new"]) and len(new_tx) == 2
        assert all(a["transactions"][k] == v for k, v in b["transactions"].items())
        paid_tx = next(x for x in sb.truth.bank_transactions(tid) if x["id"] == pay["transaction_id"])
        assert paid_tx["status"] == "reconciled" and paid_tx["intent_id"] == pay["intent_id"]
        assert paid_tx["amount"] == pay["amount"]
        # documents: the back-dated booking's receipt
        assert a["documents"] - b["documents"] == set(ch["documents_new"])
        assert (
            next(i for i in sb.truth.intents(tid) if i["intent_id"] == back["intent_id"])["document_id"]
            == (ch["documents_new"][0])
        )
        assert ch["periods_touched"] == sorted({prev, openp})


def test_advance_is_visible_over_http_and_books_stay_consistent(fresh, tools):
    s = fresh
    ch = s.sb.advance()
    pay = ch["payment"]
    got = s.json(f"/v1/outgoing-invoices/{pay['invoice_id']}")
    assert (
        tools.cents(got["remaining_amount"]) == pay["remaining_after"] and got["status"] == "partially_paid"
    )
    detail = s.json(f"/v1/journal/{ch['reversal']['reverses']}")
    assert detail["linked_intents"] == [{"intent_id": ch["reversal"]["intent_id"], "relation": "reversed_by"}]
    assert detail["summary"]["status"] == "reversed"
    assert s.json(f"/v1/customers/{ch['deactivated']['id']}")["is_active"] is False
    periods = {p["period"]: p for p in s.json("/v1/periods")}
    assert periods[ch["period_locked"]["period"]]["closing_hash"] == ch["period_locked"]["closing_hash"]
    doc = s.get(f"/v1/documents/{ch['documents_new'][0]}/file")
    assert doc.headers["content-type"] == "image/png"
    assert hashlib.sha256(doc.content).hexdigest() == s.sb.truth.document_sha256(
        s.tid, ch["documents_new"][0]
    )
    txs = s.json("/v1/bank-transactions", limit=200)
    ids = {x["id"] for x in txs["transactions"]}
    assert set(ch["transactions_new"]) <= ids
    p = ch["backdated"]["period"]
    win = {"startDate": f"{p}-01", "endDate": dates.last_day(p).isoformat()}
    lines = s.json("/v1/journal", limit=1000, **win)["entries"]
    assert ch["backdated"]["intent_id"] in {e["intent_id"] for e in lines}
    tb = {r["account_number"]: r for r in s.json("/v1/reports", type="trial_balance", **win)}
    exp = s.sb.truth.trial_balance(s.tid, p)
    assert {k: tools.cents(v["closing_balance"]) for k, v in tb.items()} == {
        k: v["closing"] for k, v in exp.items()
    }


def test_advance_rounds_alternate_and_lock_forward(fresh):
    sb = fresh.sb
    one, two = sb.advance(), sb.advance()
    assert one["deactivated"]["kind"] == "customer" and two["deactivated"]["kind"] == "vendor"
    assert one["period_locked"]["period"] < two["period_locked"]["period"]
    assert one["intents_new"] != two["intents_new"]
    third = sb.advance()
    assert third["period_locked"] is None  # nothing before the previous month is left unlocked
    assert third["backdated"]["period"] == dates.shift(sb.world.open_period, -1)


def test_advance_is_deterministic():
    from ledgerlou_sandbox import Sandbox, SandboxConfig

    runs = []
    for _ in range(2):
        sb = Sandbox(SandboxConfig(months=4, bookings_per_month=20))
        runs.append([sb.advance(), sb.advance()])
    assert runs[0] == runs[1]
