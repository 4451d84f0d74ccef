"""Interiors the reference leaves open, in other shapes: nested objects load like flat ones; random
names and hidden ids load completely or end `partial` with a warning naming the setting to fill in,
and filling it in completes the next run without duplicating anything."""

import logging
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
# The settings a partial outcome may name, and where the sandbox put the field each one names.
KEY_SETTINGS = {
    "customer_id_field": "customer",
    "vendor_id_field": "vendor",
    "sales_invoice_id_field": "outgoing_invoice",
    "purchase_invoice_id_field": "purchase_invoice",
    "payment_run_id_field": "payment_run",
    "bank_account_id_field": "bank_account",
    "bank_transaction_id_field": "bank_transaction",
    "inbox_item_id_field": "inbox_item",
    "review_case_id_field": "review_case",
}
LINE_SETTINGS = {
    "line_intent_field": "intent_id",
    "line_account_field": "account_number",
    "line_document_field": "document_id",
}
TABLES = {kind: f"ll_{kind}s" for kind in ("customer", "vendor")} | {"bank_account": "ll_bank_accounts"}


class Collected(logging.Handler):
    """The messages logged while it is attached (the `lac` logger may not propagate to pytest)."""

    def __init__(self, level: int) -> None:
        super().__init__(level)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


def column(path: str) -> str:
    return path.replace(".", "__")


def settings_named(outcomes: dict[str, str], sb: Sandbox) -> dict:
    """The settings the partial outcomes ask for, filled in from where the sandbox put each field."""
    fields = sb.shape_info["fields"]
    settings: dict = {"money_fields": {}}
    for outcome in outcomes.values():
        for table in re.findall(r'money_fields\."([^"]+)"', outcome):
            settings["money_fields"][table] = sorted(
                prefix + path
                for kind, prefix in KINDS[table]
                for name, path in fields[kind].items()
                if name in MONEY
            )
        for setting in re.findall(r"\[sources\.ledgerlou\] (\w+_field)\b", outcome):
            if setting in KEY_SETTINGS:
                settings[setting] = fields[KEY_SETTINGS[setting]]["id"]
            else:
                settings[setting] = fields["journal_line"][LINE_SETTINGS[setting]]
    return settings


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


@pytest.mark.world(shape="random", shape_seed=1)
def test_a_random_shape_loads_completely_by_the_conventions_of_names(world, tmp_path):
    target = make_target("duckdb", tmp_path)
    summary = ll_sync(world, target)
    tid = world.tenant_ids[0]
    assert not_ok(target, summary.run_id) == {}
    assert journal_by_account(target, world) == expected_by_account(world)
    assert target.scalar("select count(*) from {ds}.ll_journal_intents") == len(
        list(world.truth.intents(tid))
    )
    documents = dict(target.query("select document_id, sha256 from {ds}.ll_documents"))
    assert documents == {d: world.truth.document_sha256(tid, d) for d in world.truth.document_ids(tid)}
    assert target.query("select count(*) from {ds}.ll_customers where record_id like 'sha256:%'") == [(0,)]


@pytest.mark.parametrize("seed", [0, 18])
def test_hidden_ids_end_partial_naming_the_setting_and_the_setting_completes_the_next_run(tmp_path, seed):
    sb = Sandbox(SandboxConfig(**WORLD, shape="random", shape_seed=seed))
    tid = sb.tenant_ids[0]
    target = make_target("duckdb", tmp_path)
    warnings = Collected(logging.WARNING)
    with sb.serve():
        logging.getLogger("lac").addHandler(warnings)
        try:
            first = ll_sync(sb, target)
        finally:
            logging.getLogger("lac").removeHandler(warnings)
        partial = not_ok(target, first.run_id)
        assert all(o.startswith("partial: ") and "[sources.ledgerlou]" in o for o in partial.values()), (
            partial
        )
        before = counts(target)
        settings = settings_named(partial, sb)
        second = ll_sync(sb, target, **settings)
    assert not_ok(target, second.run_id) == {}
    after = counts(target)
    # nothing duplicated: every table holds what the first run loaded, except what needed the key
    # (a bank account's reconciliation is asked for by its id)
    hidden_kind = next(iter(sb.shape_info["hidden_ids"]))
    grown = {t for t in after if after[t] != before.get(t)}
    needed_key = (
        {t for t in after if t.startswith("ll_bank_reconciliations")}
        if hidden_kind == "bank_account"
        else set()
    )
    assert grown <= needed_key, {t: (before.get(t), after[t]) for t in grown}
    tenant = sb.tenant(tid)
    for table, expected in (
        ("ll_customers", len(tenant.customers)),
        ("ll_vendors", len(tenant.vendors)),
        ("ll_bank_accounts", len(tenant.bank_accounts)),
        ("ll_bank_reconciliations", len(tenant.bank_accounts)),
        ("ll_bank_transactions", len(tenant.transactions)),
    ):
        assert after[table] == expected, table
    assert after["ll_journal_lines"] == sum(len(i["lines"]) for i in sb.truth.intents(tid))
    assert after["ll_journal_intents"] == len(list(sb.truth.intents(tid)))
    documents = dict(target.query("select document_id, sha256 from {ds}.ll_documents"))
    assert documents == {d: sb.truth.document_sha256(tid, d) for d in sb.truth.document_ids(tid)}
    assert journal_by_account(target, sb) == expected_by_account(sb)
    # the hidden id, which no convention finds, was named by the first run and set for the second
    hidden_field = sb.shape_info["hidden_ids"][hidden_kind]
    setting = next(s for s, k in KEY_SETTINGS.items() if k == hidden_kind)
    assert setting in " ".join(partial.values()) and settings[setting] == hidden_field
    assert [m for m in warnings.messages if f"set [sources.ledgerlou] {setting}" in m], warnings.messages
    expected = {
        "customer": {p.party_id for p in tenant.customers},
        "vendor": {p.party_id for p in tenant.vendors},
        "bank_account": {b.bank_account_id for b in tenant.bank_accounts},
    }[hidden_kind]
    assert {r[0] for r in target.query(f"select record_id from {{ds}}.{TABLES[hidden_kind]}")} == expected
