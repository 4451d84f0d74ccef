"""LedgerLou companies in the marts: one LAC and one LedgerLou company loaded into one dataset by two
pipelines, one dbt build per engine, the same mart queries answering both (told apart by
`source_system`); the LedgerLou company's marts equal the LedgerLou sandbox's truth, in cents.

The LedgerLou sandbox renders the interiors the reference leaves open in a shape nobody here chose
(`random`, seed 5) on DuckDB and `nested` on PostgreSQL; its truth is the same in every shape. The
flat shape reaches the marts in `lac demo` and the L1 benchmark.
"""

import sys
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from support import Target, drop_target, journal_debit_shifted, make_target, sync

from lac_connector.transform import ReconciliationError, run_transforms

sys.path.insert(0, str(Path(__file__).parents[1] / "ledgerlou_source"))
from llsupport import ll_sync  # noqa: E402

AS_OF = date(2026, 11, 21)  # both sandboxes' today
LL_WORLD = {"months": 4, "bookings_per_month": 5, "invoices_per_month": 4, "customers": 4, "vendors": 6,
            "tenants": 1}  # fmt: skip
LAC_WORLD = {"companies": 1, "months": 3, "rows_per_month": 10, "invoices": 8}
LAC_RESOURCES = ["company", "books_rows", "vat_rows", "statement_lines", "invoices"]
LL_SHAPES = {"duckdb": {"shape": "random", "shape_seed": 5}, "postgres": {"shape": "nested"}}


@dataclass
class Warehouse:
    target: Target
    lac: Any  # LAC sandbox
    ll: Any  # LedgerLou sandbox
    result: Any  # the transform result
    pipeline: Any  # the LedgerLou pipeline (it ran the transforms)

    @property
    def cid(self) -> str:
        return self.lac.customer_ids[0]

    @property
    def tid(self) -> str:
        return self.ll.tenant_ids[0]

    def rows(self, sql: str) -> list[tuple]:
        return self.target.query(sql)

    def ll_rows(self, sql: str) -> list[tuple]:
        """`sql` over `{ds}.<mart>` with `{ll}` = the LedgerLou company's filter."""
        return self.target.query(
            sql.replace("{ll}", "source_system = 'ledgerlou' and customer_id = 'lindner'")
        )


@pytest.fixture(scope="module", params=["duckdb", pytest.param("postgres", marks=pytest.mark.postgres)])
def wh(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Warehouse]:
    from lac_sandbox import Sandbox as LacSandbox
    from lac_sandbox import SandboxConfig as LacConfig
    from ledgerlou_sandbox import Sandbox as LlSandbox
    from ledgerlou_sandbox import SandboxConfig as LlConfig

    target = make_target(request.param, tmp_path_factory.mktemp(f"ll_{request.param}"))
    lac, ll = LacSandbox(LacConfig(**LAC_WORLD)), LlSandbox(LlConfig(**LL_WORLD, **LL_SHAPES[request.param]))
    try:
        with lac.serve():
            sync(lac, target, resources=LAC_RESOURCES)
        with ll.serve():
            summary = ll_sync(ll, target, land_documents=False, land_datev_exports=False)
        # the LedgerLou pipeline builds the views of the whole dataset (the LAC tables included)
        result = run_transforms(summary.pipeline, as_of_date=AS_OF)
        yield Warehouse(target, lac, ll, result, summary.pipeline)
    finally:
        drop_target(target)


def test_both_sources_answer_from_the_same_marts(wh: Warehouse) -> None:
    for mart in ("mart_general_ledger", "mart_profit_and_loss", "mart_balance_sheet", "mart_monthly_trend",
                 "mart_receivables_aging", "mart_invoice_lines"):  # fmt: skip
        got = set(wh.rows(f"select distinct source_system, customer_id from {{ds}}.{mart}"))
        assert got == {("lac", wh.cid), ("ledgerlou", "lindner")}, mart
    # LAC's own marts stay LAC's, the German return is LedgerLou's
    assert {r[0] for r in wh.rows("select distinct source_system from {ds}.mart_vat_return")} == {"lac"}
    assert {r[0] for r in wh.rows("select distinct source_system from {ds}.mart_vat_return_de")} == {
        "ledgerlou"
    }
    # the LAC company still equals its truth next to the LedgerLou one
    truth = wh.lac.truth
    pl: dict[str, dict[str, int]] = defaultdict(dict)
    for period, account, cents in wh.rows(
        f"select period, account_code, net_cents from {{ds}}.mart_profit_and_loss where source_system = 'lac'"
        f" and customer_id = '{wh.cid}'"
    ):
        pl[period][account] = cents
    assert pl == {p: truth.income_statement(wh.cid, p) for p in truth.periods(wh.cid)}
    # every check of both reconciles; LedgerLou's own checks ran
    assert wh.result.verdict.startswith("reconciliation: ok"), wh.result.verdict
    checks = dict(wh.rows(
        "select check_name, count(*) from {ds}.reconciliation_checks where source_system = 'ledgerlou'"
        " and status = 'ok' group by check_name"
    ))  # fmt: skip
    assert set(checks) == {"income_statement", "balance_sheet", "trial_balance", "tax_codes", "open_items",
                           "rows_mapped"}  # fmt: skip
    assert wh.rows("select count(*) from {ds}.reconciliation_checks where status <> 'ok'") == [(0,)]


def test_ledger_profit_and_loss_and_trend_equal_truth(wh: Warehouse) -> None:
    truth, tid = wh.ll.truth, wh.tid
    periods = truth.periods_with_bookings(tid)
    # every journal line, debit and credit per account and month
    got = {
        (a, p): (d, c)
        for a, p, d, c in wh.ll_rows(
            "select account_code, period, sum(debit_cents), sum(credit_cents) from {ds}.mart_general_ledger"
            " where {ll} group by 1, 2"
        )
    }
    assert got == {k: (v["debit"], v["credit"]) for k, v in truth.account_months(tid).items()}
    # P&L per account and month: credit - debit
    pl: dict[str, dict[str, int]] = defaultdict(dict)
    for period, account, cents in wh.ll_rows(
        "select period, account_code, net_cents from {ds}.mart_profit_and_loss where {ll}"
    ):
        pl[period][account] = cents
    assert pl == {p: truth.profit_and_loss(tid, p) for p in periods}
    # revenue, expenses and cash per month
    trend = {
        p: (rev, exp, closing)
        for p, rev, exp, closing in wh.ll_rows(
            "select period, revenue_cents, expenses_cents, closing_cash_cents"
            " from {ds}.mart_monthly_trend where {ll}"
        )
    }
    cash_accounts = truth.cash_accounts(tid)
    months = truth.monthly_revenue_expenses(tid)
    running: dict[str, int] = {}
    expected = {}
    for p in periods:
        for (account, period), v in truth.account_months(tid).items():
            if period == p:
                running[account] = v["balance"]
        cash = sum(v for a, v in running.items() if a in cash_accounts)
        expected[p] = (months[p]["revenue"], -months[p]["expenses"], cash)
    assert trend == expected


def test_balance_sheet_equals_truth(wh: Warehouse) -> None:
    truth, tid = wh.ll.truth, wh.tid
    balance: dict[str, dict[str | None, int]] = defaultdict(dict)
    for period, account, cents in wh.ll_rows(
        "select period, account_code, amount_cents from {ds}.mart_balance_sheet where {ll}"
    ):
        if cents or account is None:
            balance[period][account] = cents
    periods = truth.periods_with_bookings(tid)
    assert balance == {p: truth.balance_sheet(tid, p) for p in periods}


def test_vat_by_tax_code_and_german_return(wh: Warehouse) -> None:
    truth, tid = wh.ll.truth, wh.tid
    got: dict[str, dict[str, dict[str, int]]] = defaultdict(dict)
    for period, code, base, out, inp in wh.ll_rows(
        "select vat_period, tax_code, base_cents, output_tax_cents, input_tax_cents"
        " from {ds}.mart_vat_by_tax_code where {ll}"
    ):
        got[period][code] = {"net": base, "output_tax": out, "input_tax": inp}
    periods = truth.periods_with_bookings(tid)
    expected = {p: truth.vat(tid, p) for p in periods if truth.vat(tid, p)}
    assert got == expected
    reverse_charge = {c["code"] for c in truth.tax_codes(include_inactive=True) if c["self_assess_account"]}
    boxes: dict[str, dict[str, int]] = defaultdict(dict)
    for period, box, cents in wh.ll_rows(
        "select vat_period, box, amount_cents from {ds}.mart_vat_return_de where {ll}"
    ):
        boxes[period][box] = cents
    assert sorted(boxes) == sorted(expected)
    for period, codes in expected.items():
        assert boxes[period]["83"] == sum(v["output_tax"] - v["input_tax"] for v in codes.values())
        assert boxes[period]["66"] == sum(v["input_tax"] for c, v in codes.items() if c not in reverse_charge)
        assert boxes[period]["47"] == sum(v["output_tax"] for c, v in codes.items() if c in reverse_charge)
    assert any(boxes[p]["81"] for p in boxes) and any(boxes[p]["66"] for p in boxes)


def test_receivables_with_partial_payments_equal_truth(wh: Warehouse) -> None:
    truth, tid = wh.ll.truth, wh.tid
    invoices = {i["invoice_id"]: i for i in truth.invoices(tid, "out")}
    open_items = truth.open_items(tid, "out")
    aging = {
        r[0]: r[1:]
        for r in wh.ll_rows(
            "select invoice_id, open_cents, gross_cents, currency, days_overdue, aging_bucket"
            " from {ds}.mart_receivables_aging where {ll}"
        )
    }
    assert {k: v[0] for k, v in aging.items()} == {k: v["remaining"] for k, v in open_items.items()}
    partial = [k for k, v in aging.items() if 0 < v[0] < v[1]]
    assert partial and all(invoices[k]["status"] == "partially_paid" for k in partial)
    for invoice_id, (_, gross, currency, days, _) in aging.items():
        assert gross == invoices[invoice_id]["total_gross"]
        assert currency == invoices[invoice_id]["currency"]
        assert days == (AS_OF - date.fromisoformat(invoices[invoice_id]["due_date"])).days
    summary = {
        (bucket, currency): (n, cents)
        for bucket, currency, n, cents in wh.ll_rows(
            "select aging_bucket, currency, invoice_count, open_cents"
            " from {ds}.mart_receivables_summary where {ll}"
        )
    }
    expected: dict[tuple, list[int]] = defaultdict(lambda: [0, 0])
    for remaining, _, currency, _, bucket in aging.values():
        expected[(bucket, currency)][0] += 1
        expected[(bucket, currency)][1] += remaining
    assert summary == {k: tuple(v) for k, v in expected.items()}
    # invoice lines: every line of every invoice, nets adding up to the invoice's
    lines = dict(
        wh.ll_rows("select invoice_id, sum(net_cents) from {ds}.mart_invoice_lines where {ll} group by 1")
    )
    assert lines == {k: sum(ln["net"] for ln in v["lines"]) for k, v in invoices.items()}
    assert wh.ll_rows("select count(*) from {ds}.mart_invoice_lines where {ll}") == [
        (sum(len(v["lines"]) for v in invoices.values()),)
    ]


def test_a_changed_journal_line_fails_the_trial_balance_with_exit_code_3(wh: Warehouse) -> None:
    """Last in the module: it restores the line. Only the data changes, so no dbt build either time."""
    period = wh.ll.truth.periods_with_bookings(wh.tid)[-1]
    with journal_debit_shifted(wh.pipeline, period, 100):
        with pytest.raises(ReconciliationError, match=r"reconciliation: \d+ differences, first: period "):
            run_transforms(wh.pipeline, as_of_date=AS_OF)
        failed = wh.rows(
            "select distinct check_name, difference_cents from {ds}.reconciliation_checks"
            " where source_system = 'ledgerlou' and status = 'failed'"
        )
        assert ("trial_balance", 100) in failed
    result = run_transforms(wh.pipeline, as_of_date=AS_OF)
    assert not result.rebuilt and result.verdict.startswith("reconciliation: ok")
