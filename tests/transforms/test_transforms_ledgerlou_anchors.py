"""A LedgerLou company loaded from a `start_period` after its journal's first month: its balances are
anchored at the API's trial balance of the first loaded month (`int_ledger_account_anchors`), so
the balance sheet per account, the closing cash and the trial-balance check equal the LedgerLou
sandbox's truth (its whole history) in every loaded month, in cents. One sync and one dbt build per
engine: DuckDB in the sandbox's default shape, PostgreSQL in the `nested` one."""

import sys
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from support import Target, drop_target, journal_debit_shifted, make_target

from lac_connector.transform import ReconciliationError, run_transforms

sys.path.insert(0, str(Path(__file__).parents[1] / "ledgerlou_source"))
from llsupport import ll_sync  # noqa: E402

AS_OF = date(2026, 11, 21)  # the sandbox's today
LL_WORLD = {"months": 5, "bookings_per_month": 5, "invoices_per_month": 4, "customers": 4, "vendors": 6,
            "tenants": 1}  # fmt: skip
SKIPPED_MONTHS = 2  # the journal's months before start_period
LL_SHAPES: dict[str, dict[str, Any]] = {"duckdb": {}, "postgres": {"shape": "nested"}}


@dataclass
class Loaded:
    target: Target
    ll: Any  # LedgerLou sandbox
    result: Any  # the transform result
    pipeline: Any  # the LedgerLou pipeline (it ran the transforms)
    periods: list[str]  # the loaded months with bookings

    @property
    def tid(self) -> str:
        return self.ll.tenant_ids[0]

    def rows(self, sql: str) -> list[tuple]:
        return self.target.query(
            sql.replace("{ll}", "source_system = 'ledgerlou' and customer_id = 'lindner'")
        )


@pytest.fixture(scope="module", params=["duckdb", pytest.param("postgres", marks=pytest.mark.postgres)])
def loaded(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Loaded]:
    from ledgerlou_sandbox import Sandbox, SandboxConfig

    target = make_target(request.param, tmp_path_factory.mktemp(f"ll_anchor_{request.param}"))
    ll = Sandbox(SandboxConfig(**LL_WORLD, **LL_SHAPES[request.param]))
    periods = ll.truth.periods_with_bookings(ll.tenant_ids[0])
    try:
        with ll.serve():
            summary = ll_sync(ll, target, land_documents=False, land_datev_exports=False,
                              start_period=periods[SKIPPED_MONTHS])  # fmt: skip
        result = run_transforms(summary.pipeline, as_of_date=AS_OF)
        yield Loaded(target, ll, result, summary.pipeline, periods[SKIPPED_MONTHS:])
    finally:
        drop_target(target)


def test_only_the_months_from_start_period_are_loaded(loaded: Loaded) -> None:
    got = [
        p
        for (p,) in loaded.rows("select distinct period from {ds}.mart_general_ledger where {ll} order by 1")
    ]
    assert got == loaded.periods and len(got) >= 2
    # the skipped months hold bookings (the opening-balance posting among them), so openings exist
    openings = loaded.rows("select count(*) from {ds}.int_ledger_account_anchors where {ll}")[0][0]
    assert openings > 0


def test_balance_sheet_per_account_equals_truth(loaded: Loaded) -> None:
    truth, tid = loaded.ll.truth, loaded.tid
    balance: dict[str, dict[str | None, int]] = defaultdict(dict)
    for period, account, cents in loaded.rows(
        "select period, account_code, amount_cents from {ds}.mart_balance_sheet where {ll}"
    ):
        if cents or account is None:
            balance[period][account] = cents
    assert balance == {p: truth.balance_sheet(tid, p) for p in loaded.periods}


def test_closing_cash_equals_truth(loaded: Loaded) -> None:
    truth, tid = loaded.ll.truth, loaded.tid
    cash_accounts = truth.cash_accounts(tid)
    expected = {
        p: sum(v["closing"] for a, v in truth.trial_balance(tid, p).items() if a in cash_accounts)
        for p in loaded.periods
    }
    got = dict(loaded.rows("select period, closing_cash_cents from {ds}.mart_monthly_trend where {ll}"))
    assert got == expected
    # opening cash of a month is the closing cash of the one before, the first one's included
    first = loaded.periods[0]
    skipped = truth.periods_with_bookings(tid)[SKIPPED_MONTHS - 1]
    running = {a: v["balance"] for (a, p), v in truth.account_months(tid).items() if p <= skipped}
    opening = loaded.rows(
        f"select opening_cash_cents from {{ds}}.mart_monthly_trend where {{ll}} and period = '{first}'"
    )
    assert opening == [(sum(v for a, v in running.items() if a in cash_accounts),)]


def test_trial_balance_is_compared_and_reconciles(loaded: Loaded) -> None:
    truth, tid = loaded.ll.truth, loaded.tid
    assert loaded.result.verdict.startswith("reconciliation: ok"), loaded.result.verdict
    assert loaded.rows("select count(*) from {ds}.reconciliation_checks where status <> 'ok'") == [(0,)]
    compared = loaded.rows(
        "select period, line_key, expected_cents, actual_cents from {ds}.reconciliation_checks"
        " where {ll} and check_name = 'trial_balance' and status = 'ok'"
    )
    got: dict[str, dict[str, int]] = defaultdict(dict)
    for period, account, expected, actual in compared:
        assert expected == actual
        got[period][account] = actual
    # the openings balance (every posting before the first loaded month does)
    assert got[loaded.periods[0]].pop("openings") == 0
    assert got == {
        p: {a: v["closing"] for a, v in truth.trial_balance(tid, p).items()} for p in loaded.periods
    }


def test_a_changed_journal_line_of_the_first_loaded_month_fails_the_openings_with_exit_code_3(
    loaded: Loaded,
) -> None:
    """Last in the module: it restores the line. Only the data changes, so no dbt build either time.
    The changed line is on a balance account without tax code (neither the income statement nor the
    VAT report sees it), which absorbs the change into its opening, so every month's balance of it
    still equals the trial balance; the openings no longer add up to zero."""
    period = loaded.periods[0]
    line_index = loaded.rows(
        f"select min(row_index) from {{ds}}.int_ledger_lines where {{ll}} and period = '{period}'"
        " and debit_cents > 0 and vat_code is null"
        " and account_section in ('assets', 'equity_and_liabilities')"
    )[0][0]
    with journal_debit_shifted(loaded.pipeline, period, 100, f"line_index = {line_index}"):
        with pytest.raises(ReconciliationError, match=rf"period {period} account openings \(trial_balance, "):
            run_transforms(loaded.pipeline, as_of_date=AS_OF)
        failed = loaded.rows(
            "select check_name, line_key, difference_cents from {ds}.reconciliation_checks"
            " where status = 'failed'"
        )
        assert failed == [("trial_balance", "openings", -100)]
    result = run_transforms(loaded.pipeline, as_of_date=AS_OF)
    assert not result.rebuilt and result.verdict.startswith("reconciliation: ok")
