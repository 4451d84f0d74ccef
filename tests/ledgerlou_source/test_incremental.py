"""After `advance()`, an incremental run follows every change, with requests only where something
could have changed; a run without upstream changes reads only what has no change signal."""

from collections import Counter

import pytest
from llsupport import WORLD, diff, landed, landing_of, ll_sync, requests_by_endpoint, snapshot
from support import drop_target, make_target

from ledgerlou_sandbox import Sandbox, SandboxConfig

# Read on every run: lists re-read in full and figures without any change signal.
EVERY_RUN = {
    "/v1/periods": 1,
    "/v1/accounts": 1,
    "/v1/accounts/search": 1,
    "/v1/tax-codes": 1,
    "/v1/bank-accounts": 1,
    "/v1/bank-transactions": 1,
    "/v1/customers": 2,  # is_active=true and is_active=false
    "/v1/vendors": 2,
    "/v1/outgoing-invoices": 1,
    "/v1/invoices": 1,
    "/v1/payment-runs": 1,
    "/v1/inbox": 1,
    "/v1/invoice-review-cases": 1,
    "/v1/payables/ingestion-log": 1,
    "/v1/outgoing-invoices/open-items": 1,
    "/v1/invoices/open-items": 1,
    "/v1/payment-runs/eligible-invoices": 1,
    "/v1/bank-transactions/suggestions": 1,
    "/v1/bank-transactions/unreconciled-count": 1,
    "/v1/bank-accounts/balance-history": 1,
    "/v1/inbox/address": 1,
    "/v1/bank-accounts/{}/reconciliation": 3,  # one per bank account
    "/v1/journal": 3,  # the three open months of the lookback
    "/v1/periods/{}/lock/status": 3,  # the months without a closing hash
}


def test_incremental_run_follows_every_change_and_equals_a_fresh_full_sync(reference, tmp_path):
    changes, tid = reference.changes, reference.sandbox.tenant_ids[0]
    assert changes["backdated"] and changes["reversal"] and changes["payment"] and changes["period_locked"]
    assert changes["deactivated"]
    q = reference.target.query

    # the same world, advanced once, synced from scratch
    fresh_sb = Sandbox(SandboxConfig(**WORLD))
    assert fresh_sb.advance() == changes
    fresh = make_target("duckdb", tmp_path)
    with fresh_sb.serve():
        ll_sync(fresh_sb, fresh)
    assert diff(reference.incremental, snapshot(fresh)) == []
    assert reference.incremental_files == landed(landing_of(fresh))

    # each change, as a user would look for it
    backdated = changes["backdated"]
    lines = "select period, count(*) from {ds}.ll_journal_lines where intent_id = '%s' group by 1"
    assert q(lines % backdated["intent_id"]) == [(backdated["period"], 3)]
    reversal = changes["reversal"]
    assert q(
        f"select summary__status from {{ds}}.ll_journal_intents where intent_id = '{reversal['reverses']}'"
    ) == [("reversed",)]
    links = q(
        "select i.intent_id, l.intent_id, l.relation from {ds}.ll_journal_intents i "
        "join {ds}.ll_journal_intents__linked_intents l on l._dlt_parent_id = i._dlt_id "
        f"where i.intent_id in ('{reversal['reverses']}', '{reversal['intent_id']}')"
    )
    assert sorted(links) == sorted(
        [
            (reversal["reverses"], reversal["intent_id"], "reversed_by"),
            (reversal["intent_id"], reversal["reverses"], "reverses"),
        ]
    )
    payment = changes["payment"]
    invoice, transaction = payment["invoice_id"], payment["transaction_id"]
    assert q(
        f"select status, remaining_amount_minor from {{ds}}.ll_sales_invoices where record_id = '{invoice}'"
    ) == [("partially_paid", payment["remaining_after"])]
    assert q(f"select remaining_amount_minor from {{ds}}.ll_open_items where invoice_id = '{invoice}'") == [
        (payment["remaining_after"],)
    ]
    assert q(
        f"select amount_minor, status from {{ds}}.ll_bank_transactions where record_id = '{transaction}'"
    ) == [(payment["amount"], "reconciled")]
    deactivated = changes["deactivated"]
    table = "ll_customers" if deactivated["kind"] == "customer" else "ll_vendors"
    assert q(f"select is_active from {{ds}}.{table} where record_id = '{deactivated['id']}'") == [(False,)]
    locked = changes["period_locked"]
    assert q(f"select status, closing_hash from {{ds}}.ll_periods where period = '{locked['period']}'") == [
        ("locked", locked["closing_hash"])
    ]
    assert q(
        f"select has_pending_request from {{ds}}.ll_period_lock_status where period = '{locked['period']}'"
    ) == [(False,)]
    assert q(
        f"select count(*) from {{ds}}.ll_documents where document_id = '{changes['documents_new'][0]}'"
    ) == [(1,)]
    by_account = {
        (a, p): (d, c)
        for a, p, d, c in q(
            "select account_number, period, sum(debit_minor), sum(credit_minor) from {ds}.ll_journal_lines "
            "group by 1, 2"
        )
    }
    truth = reference.sandbox.truth.account_months(tid)
    assert by_account == {k: (v["debit"], v["credit"]) for k, v in truth.items()}

    # requests: the lists and change-less figures, plus exactly what the changes touched
    new_intents = changes["intents_new"]
    touched_accounts = {
        line["account"]
        for i in reference.sandbox.truth.intents(tid)
        if i["intent_id"] in new_intents
        for line in i["lines"]
    }
    customers = {deactivated["id"]} if deactivated["kind"] == "customer" else set()
    paid = next(
        i for i in reference.sandbox.truth.invoices(tid, "out") if i["invoice_id"] == payment["invoice_id"]
    )
    customers.add(paid["party_id"])
    expected = Counter(EVERY_RUN)
    expected.update(
        {
            "/v1/journal": 1,  # the month locked since, read once more
            "/v1/periods/{}/lock/status": 1,  # and its lock status
            "/v1/journal/{}": len(new_intents) + 1,  # the new postings and the reversed one
            "/v1/documents/{}/file": len(changes["documents_new"]),
            "/v1/bank-transactions/{}": len(changes["transactions_new"]),
            "/v1/bank-transactions/{}/evidence": len(changes["transactions_new"]),
            "/v1/bank-accounts/{}": 3,  # their transaction counts changed
            "/v1/outgoing-invoices/{}": 1,
            "/v1/customers/{}": len(customers),
            "/v1/accounts/{}/entries": len(touched_accounts),
            # profit and loss and VAT of the two changed months, trial balance and balance sheet from
            # the first changed month on (they carry history)
            "/v1/reports": 8,
            "/v1/reports/datev-export": len(changes["periods_touched"]),
            "/v1/reports/monthly-revenue-expenses": 1,
        }
    )
    assert reference.incremental_requests == expected


def test_a_run_without_upstream_changes_reads_only_what_has_no_change_signal(reference, tmp_path):
    sb = reference.sandbox
    before = snapshot(reference.target)
    with sb.serve():
        sb.reset_requests()
        summary = ll_sync(sb, reference.target)
        requests = requests_by_endpoint(sb)
    assert requests == Counter(EVERY_RUN)
    assert diff(snapshot(reference.target), before) == []
    # nothing was rewritten but the snapshots (registers replaced per tenant)
    assert set(summary.row_counts) <= {
        "ll_tenant",
        "ll_accounts",
        "ll_tax_codes",
        "ll_periods",
        "ll_period_lock_status",
        "ll_bank_reconciliations",
        "ll_bank_suggestions",
        "ll_bank_balance_history",
        "ll_open_items",
        "ll_payment_eligible_invoices",
        "ll_ingestion_log",
    }


@pytest.mark.postgres
def test_on_postgresql_changes_are_followed_and_vanished_entries_deleted(tmp_path):
    sb = Sandbox(SandboxConfig(**WORLD))
    tid = sb.tenant_ids[0]
    target = make_target("postgres", tmp_path)
    try:
        with sb.serve():
            ll_sync(sb, target)
            changes = sb.advance()
            tenant = sb.tenant(tid)
            # upstream deletions the API has no way to announce
            removed = next(i for i in tenant.invoices_of("in") if i.status == "open" and i.lines)
            tenant.invoices.remove(removed)
            removed_item = tenant.inbox.pop()
            ll_sync(sb, target)
        q = target.query
        intents = list(sb.truth.intents(tid))
        assert q("select count(*) from {ds}.ll_journal_lines") == [(sum(len(i["lines"]) for i in intents),)]
        assert q("select count(*) from {ds}.ll_journal_intents") == [(len(intents),)]
        by_account = {
            (a, p): (d, c)
            for a, p, d, c in q(
                "select account_number, period, sum(debit_minor), sum(credit_minor) "
                "from {ds}.ll_journal_lines group by 1, 2"
            )
        }
        assert by_account == {k: (v["debit"], v["credit"]) for k, v in sb.truth.account_months(tid).items()}
        reversed_ = changes["reversal"]["reverses"]
        assert q(
            f"select summary__status from {{ds}}.ll_journal_intents where intent_id = '{reversed_}'"
        ) == [("reversed",)]
        invoices = {i["invoice_id"]: i["remaining"] for i in sb.truth.invoices(tid, "in")}
        assert dict(q("select record_id, remaining_amount_minor from {ds}.ll_purchase_invoices")) == invoices
        lines = "select count(*) from {ds}.ll_purchase_invoice_lines where invoice_record_id = '%s'"
        assert q(lines % removed.invoice_id) == [(0,)]
        assert {r[0] for r in q("select record_id from {ds}.ll_inbox_items")} == {
            i["id"] for i in tenant.inbox
        }
        assert removed_item["id"] not in {i["id"] for i in tenant.inbox}
        # the vendor's open amount follows its invoices (its detail was read again)
        open_amount = sum(
            i.base_remaining for i in tenant.invoices_of("in") if i.party_id == removed.party_id
        )
        assert q(
            f"select open_amount_minor from {{ds}}.ll_vendors where record_id = '{removed.party_id}'"
        ) == [(open_amount,)]
        parties = dict(q("select record_id, is_active from {ds}.ll_customers"))
        assert parties == {p["id"]: p["is_active"] for p in sb.truth.parties(tid, "customer")}
        assert {p: s for p, s in q("select period, status from {ds}.ll_periods")} == {
            p: v["status"] for p, v in sb.truth.periods(tid).items()
        }
    finally:
        drop_target(target)
