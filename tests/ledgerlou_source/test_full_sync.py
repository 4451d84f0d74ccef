"""A full LedgerLou sync over loopback equals the sandbox's truth, table by table (DuckDB and PostgreSQL)."""

import hashlib
from datetime import date

import pytest
from llsupport import GET_ENDPOINTS, TENANT, coverage, landing_of, ll_sync, requests_by_endpoint
from support import drop_target, make_target

from ledgerlou_sandbox.dates import first_day, last_day


@pytest.fixture(params=["duckdb", pytest.param("postgres", marks=pytest.mark.postgres)])
def loaded(request, world, tmp_path):
    target = make_target(request.param, tmp_path)
    try:
        summary = ll_sync(world, target, entry_accounts=["1200"], land_document_previews=True)
        yield world, target, summary
    finally:
        drop_target(target)


def test_full_sync_equals_the_sandbox_truth(loaded):
    sb, target, summary = loaded
    tid, truth = sb.tenant_ids[0], sb.truth
    q = target.query

    assert set(coverage(target, summary.run_id).values()) == {"ok"}
    # every request is claimed by a resource, and every resource made requests
    by_resource = summary.run.report.requests_by_resource(summary.requests)
    assert "(unclaimed)" not in by_resource
    assert (
        q(f"select resource from {{ds}}.sync_coverage where run_id = '{summary.run_id}' and requests = 0")
        == []
    )
    # every GET endpoint of the reference was read, and nothing else
    requested = requests_by_endpoint(sb)
    assert set(requested) == set(GET_ENDPOINTS)
    assert len(GET_ENDPOINTS) == 41
    assert {r.method for r in sb.requests} == {"GET"}
    # every row carries the tenant key
    for (table,) in q("select table_name from information_schema.tables where table_schema = '{ds}'"):
        if table.startswith("ll_") and "__" not in table:
            assert q(f"select count(*) from {{ds}}.{table} where tenant_id is distinct from '{TENANT}'") == [
                (0,)
            ]

    # journal: every line, debit and credit in cents per account and month
    intents = list(truth.intents(tid))
    assert q("select count(*) from {ds}.ll_journal_lines") == [(sum(len(i["lines"]) for i in intents),)]
    got = {
        (a, p): (d, c)
        for a, p, d, c in q(
            "select account_number, period, sum(debit_minor), sum(credit_minor) "
            "from {ds}.ll_journal_lines group by 1, 2"
        )
    }
    assert got == {k: (v["debit"], v["credit"]) for k, v in truth.account_months(tid).items()}
    assert q("select count(*) from {ds}.ll_journal_lines where intent_id is null") == [(0,)]
    assert {r[0] for r in q("select intent_id from {ds}.ll_journal_intents")} == {
        i["intent_id"] for i in intents
    }
    assert q(
        "select count(*) from {ds}.ll_journal_intents where entry_count is null or summary__status is null"
    ) == [(0,)]
    linked = q("select count(*) from {ds}.ll_journal_intents__linked_intents")[0][0]
    assert linked == sum(len(v) for v in sb.tenant(tid).journal.links.values()) > 0

    # closing balances per account at the end of the window, from the API's `balance`
    closing: dict[str, int] = {}
    for (account, _), v in sorted(truth.account_months(tid).items(), key=lambda kv: kv[0][1]):
        closing[account] = v["balance"]
    balances = dict(q("select account_number, balance_minor from {ds}.ll_account_balances"))
    assert len(balances) == len(truth.accounts())
    assert {a: b for a, b in balances.items() if b} == {a: b for a, b in closing.items() if b}
    # opt-in entries of account 1200: one row per line on it
    lines_1200 = sum(1 for i in intents for ln in i["lines"] if ln["account"] == "1200")
    assert q("select count(*) from {ds}.ll_account_entries where account_number = '1200'") == [(lines_1200,)]

    # reference data, periods
    assert q("select count(*) from {ds}.ll_accounts") == [(len(truth.accounts()),)]
    assert q("select count(*) from {ds}.ll_accounts where not is_active") == [
        (sum(1 for a in truth.accounts() if not a["is_active"]),)
    ]
    assert dict(q("select code, is_active from {ds}.ll_tax_codes")) == {
        c["code"]: c["is_active"] for c in truth.tax_codes(include_inactive=True)
    }
    assert {p: (s, h) for p, s, h in q("select period, status, closing_hash from {ds}.ll_periods")} == {
        p: (v["status"], v["closing_hash"]) for p, v in truth.periods(tid).items()
    }

    # reports per month, cents
    for period in truth.periods(tid):
        tb = {
            a: (d, c, cl)
            for a, d, c, cl in q(
                "select account_number, debit_minor, credit_minor, closing_balance_minor "
                "from {ds}.ll_report_lines "
                f"where report_type = 'trial_balance' and period = '{period}'"
            )
        }
        assert tb == {
            a: (v["debit"], v["credit"], v["closing"]) for a, v in truth.trial_balance(tid, period).items()
        }
        pnl = dict(
            q(
                "select account_number, amount_minor from {ds}.ll_report_lines "
                f"where report_type = 'profit_and_loss' and period = '{period}'"
            )
        )
        assert pnl == truth.profit_and_loss(tid, period)
    monthly = {
        m: (r, e)
        for m, r, e in q("select month, revenue_minor, expenses_minor from {ds}.ll_monthly_revenue_expenses")
    }
    assert monthly == {
        m: (v["revenue"], v["expenses"]) for m, v in truth.monthly_revenue_expenses(tid).items()
    }

    # parties (active and inactive), invoices with their lines, open items, bank
    for table, role in (("ll_customers", "customer"), ("ll_vendors", "vendor")):
        got_parties = dict(q(f"select record_id, is_active from {{ds}}.{table}"))
        assert got_parties == {p["id"]: p["is_active"] for p in truth.parties(tid, role)}
        assert q(f"select count(*) from {{ds}}.{table} where open_amount is null") == [(0,)]
    assert q("select count(*) from {ds}.ll_vendors where not is_active")[0][0] > 0  # inactive ones too
    for table, direction in (("ll_sales_invoices", "out"), ("ll_purchase_invoices", "in")):
        invoices = truth.invoices(tid, direction)
        got_invoices = {
            i: (g, r)
            for i, g, r in q(
                f"select record_id, total_gross_minor, remaining_amount_minor from {{ds}}.{table}"
            )
        }
        assert got_invoices == {i["invoice_id"]: (i["total_gross"], i["remaining"]) for i in invoices}
        lines_table = table.replace("invoices", "invoice_lines")
        net = dict(q(f"select invoice_record_id, sum(net_minor) from {{ds}}.{lines_table} group by 1"))
        assert net == {i["invoice_id"]: sum(ln["net"] for ln in i["lines"]) for i in invoices if i["lines"]}
    open_items = {
        (s, i): r for s, i, r in q("select side, invoice_id, remaining_amount_minor from {ds}.ll_open_items")
    }
    assert open_items == {
        **{("receivable", i): v["remaining"] for i, v in truth.open_items(tid, "out").items()},
        **{("payable", i): v["remaining"] for i, v in truth.open_items(tid, "in").items()},
    }
    transactions = {
        i: (a, s) for i, a, s in q("select record_id, amount_minor, status from {ds}.ll_bank_transactions")
    }
    assert transactions == {t["id"]: (t["amount"], t["status"]) for t in truth.bank_transactions(tid)}
    assert q("select count(*) from {ds}.ll_bank_accounts where tx_count is null") == [(0,)]
    assert q("select count(*) from {ds}.ll_bank_reconciliations") == [(len(sb.tenant(tid).bank_accounts),)]
    assert q("select count(*) from {ds}.ll_payment_run_items") == [
        (sum(len(r.items) for r in sb.tenant(tid).runs),)
    ]
    for table, key, items in (
        ("ll_inbox_items", "record_id", sb.tenant(tid).inbox),
        ("ll_invoice_review_cases", "record_id", sb.tenant(tid).review_cases),
        ("ll_ingestion_log", "id", sb.tenant(tid).ingestion),  # not keyed: replaced as a whole
    ):
        assert sorted(r[0] for r in q(f"select {key} from {{ds}}.{table}")) == sorted(i["id"] for i in items)

    # documents: every document any object refers to, landed with the bytes the API serves
    documents = {
        d: (s, p) for d, s, p in q("select document_id, sha256, storage_path from {ds}.ll_documents")
    }
    assert set(documents) == set(truth.document_ids(tid))
    root = landing_of(target)
    for document_id, (sha, path) in documents.items():
        assert sha == truth.document_sha256(tid, document_id)
        assert hashlib.sha256((root / path).read_bytes()).hexdigest() == sha
    assert q("select count(*) from {ds}.ll_documents where preview_sha256 is null") == [(0,)]
    # the DATEV export of every month, byte for byte
    for period, path, sha in q("select period, storage_path, sha256 from {ds}.ll_datev_exports"):
        expected = truth.datev_export(tid, first_day(period), last_day(period))
        assert (
            sha
            == hashlib.sha256(expected).hexdigest()
            == hashlib.sha256((root / path).read_bytes()).hexdigest()
        )
    assert q("select count(*) from {ds}.ll_datev_exports") == [(len(truth.periods(tid)),)]
    kinds = dict(q("select kind, count(*) from {ds}.ll_landed_files group by 1"))
    assert kinds == {
        "document": len(documents),
        "document_preview": len(documents),
        "datev_export": len(truth.periods(tid)),
    }
    assert isinstance(q("select as_of from {ds}.ll_account_balances limit 1")[0][0], str | date)
