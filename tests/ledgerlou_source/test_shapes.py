"""Interiors the reference leaves open, in other shapes: nested objects load like flat ones; random
names and hidden ids load completely or end `partial` with a warning naming the setting to fill in,
and filling it in completes the next run without duplicating anything."""

import re

import pytest
from llsupport import WORLD, coverage, ll_sync, not_ok
from support import make_target

from ledgerlou_sandbox import Sandbox, SandboxConfig

# Canonical money fields of the sandbox's object kinds (test-side knowledge, never the connector's).
MONEY = {
    "amount", "base_amount", "debit", "credit", "running_balance", "total_debit", "total_credit",
    "opening_balance", "closing_balance", "balance", "base_balance", "statement_balance", "revenue",
    "expenses", "result", "total_net", "total_tax", "total_gross", "base_total_gross", "remaining_amount",
    "base_remaining_amount", "open_amount", "total_amount", "net", "tax", "gross", "unit_price",
    "output_tax", "input_tax",
}  # fmt: skip
# Which object kinds (and under which path) make up the rows of each table.
KINDS = {
    "ll_journal_lines": [("journal_line", "")],
    "ll_journal_intents": [("journal_summary", "summary.")],
    "ll_report_lines": [
        ("trial_balance_line", ""),
        ("profit_and_loss_line", ""),
        ("balance_sheet_line", ""),
        ("vat_line", ""),
    ],
    "ll_monthly_revenue_expenses": [("monthly_line", "")],
    "ll_bank_accounts": [("bank_account", "")],
    "ll_bank_transactions": [("bank_transaction", "")],
    "ll_bank_suggestions": [("suggestion", "")],
    "ll_bank_balance_history": [("balance_point", "")],
    "ll_open_items": [("open_item", "")],
    "ll_sales_invoice_lines": [("invoice_line", "")],
    "ll_purchase_invoice_lines": [("invoice_line", "")],
    "ll_payment_run_items": [("payment_run_item", "")],
    "ll_customers": [("customer", "")],
    "ll_vendors": [("vendor", "")],
    "ll_bank_accounts.id": [("bank_account", "")],
}
ID_KINDS = {
    "ll_customers": "customer",
    "ll_vendors": "vendor",
    "ll_sales_invoices": "outgoing_invoice",
    "ll_purchase_invoices": "purchase_invoice",
    "ll_invoice_review_cases": "review_case",
    "ll_bank_accounts": "bank_account",
    "ll_bank_transactions": "bank_transaction",
}
FIELD_KINDS = {"ll_journal_lines": "journal_line"}
ROLES = {"document_id": "document_id", "intent_id": "intent_id", "account": "account_number"}


def column(path: str) -> str:
    return path.replace(".", "__")


def settings_named(outcomes: dict[str, str], sb: Sandbox) -> dict:
    """The settings the partial outcomes ask for, filled in from where the sandbox put each field."""
    fields = sb.shape_info["fields"]
    money: dict[str, list[str]] = {}
    named: dict[str, str] = {}
    for outcome in outcomes.values():
        for table in re.findall(r'money_fields\."([^"]+)"', outcome):
            money[table] = sorted(
                prefix + path
                for kind, prefix in KINDS[table]
                for name, path in fields[kind].items()
                if name in MONEY
            )
        for table, role in re.findall(r'fields\."([^".]+)\.([a-z_]+)"', outcome):
            kind = ID_KINDS[table] if role == "id" else FIELD_KINDS[table]
            named[f"{table}.{role}"] = fields[kind]["id" if role == "id" else ROLES[role]]
    return {"money_fields": money, "fields": named}


def journal_by_account(target, sb: Sandbox) -> dict:
    line = sb.shape_info["fields"]["journal_line"]
    account, debit, credit = (column(line[k]) for k in ("account_number", "debit", "credit"))
    return {
        (a, p): (d, c)
        for a, p, d, c in target.query(
            f"select {account}, period, sum({debit}_minor), sum({credit}_minor) "
            "from {ds}.ll_journal_lines group by 1, 2"
        )
    }


def expected_by_account(sb: Sandbox) -> dict:
    months = sb.truth.account_months(sb.tenant_ids[0])
    return {k: (v["debit"], v["credit"]) for k, v in months.items()}


def counts(target) -> dict[str, int]:
    tables = target.query(
        "select table_name from information_schema.tables "
        "where table_schema = '{ds}' and table_name like 'll%'"
    )
    return {t: target.scalar(f"select count(*) from {{ds}}.{t}") for (t,) in tables}


@pytest.mark.world(shape="nested")
def test_nested_objects_load_like_flat_ones(world, tmp_path):
    target = make_target("duckdb", tmp_path)
    summary = ll_sync(world, target)
    tid = world.tenant_ids[0]
    assert set(coverage(target, summary.run_id).values()) == {"ok"}
    assert journal_by_account(target, world) == expected_by_account(world)
    assert target.scalar("select count(*) from {ds}.ll_journal_intents") == len(
        list(world.truth.intents(tid))
    )
    documents = dict(target.query("select document_id, sha256 from {ds}.ll_documents"))
    assert documents == {d: world.truth.document_sha256(tid, d) for d in world.truth.document_ids(tid)}
    # nested own ids (customer_id, invoice_id, ...) were found: every detail was fetched
    assert target.query("select count(*) from {ds}.ll_customers where open_amount is null") == [(0,)]


@pytest.mark.parametrize("seed", [0, 18])
def test_random_shapes_end_partial_naming_the_setting_and_the_setting_completes_the_next_run(tmp_path, seed):
    sb = Sandbox(SandboxConfig(**WORLD, shape="random", shape_seed=seed))
    tid = sb.tenant_ids[0]
    target = make_target("duckdb", tmp_path)
    with sb.serve():
        first = ll_sync(sb, target)
        partial = not_ok(target, first.run_id)
        assert all(o.startswith("partial: ") and "[sources.ledgerlou]" in o for o in partial.values()), (
            partial
        )
        before = counts(target)
        settings = settings_named(partial, sb)
        second = ll_sync(sb, target, **settings)
    assert not_ok(target, second.run_id) == {}
    after = counts(target)
    # nothing duplicated: every table holds what the first run loaded, plus the documents it could not find
    grown = {t for t in after if after[t] != before.get(t)}
    assert grown <= {"ll_documents", "ll_landed_files"}, {t: (before.get(t), after[t]) for t in grown}
    assert after["ll_journal_lines"] == sum(len(i["lines"]) for i in sb.truth.intents(tid))
    assert after["ll_journal_intents"] == len(list(sb.truth.intents(tid)))
    documents = dict(target.query("select document_id, sha256 from {ds}.ll_documents"))
    assert documents == {d: sb.truth.document_sha256(tid, d) for d in sb.truth.document_ids(tid)}
    assert journal_by_account(target, sb) == expected_by_account(sb)
    # the hidden id was found (by trying candidates on the detail endpoint) or named in the settings
    hidden_kind, hidden_field = next(iter(sb.shape_info["hidden_ids"].items()))
    table = next(t for t, k in ID_KINDS.items() if k == hidden_kind)
    ids = {r[0] for r in target.query(f"select record_id from {{ds}}.{table}")}
    assert not any(i.startswith("sha256:") for i in ids), hidden_field
