"""Balances anchored at the API's balance sheet of the first loaded month, on DuckDB and PostgreSQL.

A sync whose `start_period` is after the books' first month lacks the earlier history; the ledger
marts then take their opening balances (and opening cash) from the API's statements of the first
loaded month. The sandbox's books start at 2025-10; loading from 2026-03 starts company 0
(`cust_aurora_oy`, fiscal year from July) in the middle of fiscal year 2026 and crosses into fiscal
year 2027 at 2026-07.
"""

from collections import defaultdict
from collections.abc import Iterator

import pytest
from support import Loaded, Target, drop_target, loaded_sandbox, make_target, sync

from lac_connector.transform import ReconciliationError, run_transforms
from lac_sandbox import Sandbox, SandboxConfig

RESOURCES = ["company", "books_rows", "vat_rows", "statement_lines"]
START = "2026-03"  # the books' 6th month


@pytest.fixture(
    scope="module",
    params=[("duckdb", "flat"), pytest.param(("postgres", "nested"), marks=pytest.mark.postgres)],
    ids=lambda p: f"{p[0]}-{p[1]}",
)
def loaded(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Loaded]:
    engine, shape = request.param
    with loaded_sandbox(
        engine,
        tmp_path_factory.mktemp(f"anchors_{engine}_{shape}"),
        {"shape": shape, "months": 14, "rows_per_month": 40},
        session_token=True,
        resources=RESOURCES,
        transforms=True,
        start_period=START,
    ) as loaded:
        yield loaded


def _loaded_periods(loaded: Loaded, cid: str) -> list[str]:
    return [p for p in loaded.sandbox.truth.periods(cid) if p >= START]


def test_the_scenario_starts_mid_fiscal_year_and_crosses_a_fiscal_year_end(loaded: Loaded) -> None:
    truth = loaded.sandbox.truth
    cid = loaded.sandbox.customer_ids[0]
    assert truth.company(cid)["fiscal_year_start_month"] == 7
    assert truth.periods(cid)[5] == START and truth.periods(cid)[0] < START
    fiscal_years = dict(
        loaded.rows(f"select period, fiscal_year from {{ds}}.int_periods where customer_id = '{cid}'")
    )
    assert sorted(fiscal_years) == _loaded_periods(loaded, cid)
    assert fiscal_years[START] == 2026 and fiscal_years["2026-07"] == 2027
    # the opening balances are not zero: the history before START matters
    anchors = loaded.rows(
        "select first_period, first_fiscal_year, bank_opening_cents, vat_payable_opening_cents,"
        f" prior_years_opening_cents, current_year_opening_cents from {{ds}}.int_ledger_anchors"
        f" where customer_id = '{cid}'"
    )
    assert len(anchors) == 1
    first_period, first_fy, bank, vat, prior, current = anchors[0]
    assert (first_period, first_fy) == (START, 2026)
    before = truth.balance_sheet(cid, truth.periods(cid)[4])
    assert (bank, vat, prior, current) == (before["1910"], before["2939"], before["2251"], before["2370"])
    assert bank and current


def test_reconciliation_passes_from_a_later_start_period(
    loaded: Loaded, capsys: pytest.CaptureFixture
) -> None:
    result = run_transforms(loaded.pipeline)
    assert result.checks > 100 and not result.differences
    assert capsys.readouterr().out.strip() == f"reconciliation: ok, {result.checks} checks"
    assert loaded.target.scalar("select count(*) from {ds}.reconciliation") == 0


def test_balance_sheet_and_cash_match_truth_for_every_loaded_month(loaded: Loaded) -> None:
    truth = loaded.sandbox.truth
    for cid in loaded.sandbox.customer_ids:
        periods = _loaded_periods(loaded, cid)
        balance: dict[str, dict[str, int]] = defaultdict(dict)
        for period, account, amount_cents in loaded.rows(
            "select period, account_code, amount_cents from {ds}.mart_balance_sheet"
            f" where customer_id = '{cid}'"
        ):
            balance[period][account] = amount_cents
        assert sorted(balance) == periods
        assert dict(balance) == {p: truth.balance_sheet(cid, p) for p in periods}
        trend = {
            p: (opening, closing)
            for p, opening, closing in loaded.rows(
                "select period, opening_cash_cents, closing_cash_cents from {ds}.mart_monthly_trend"
                f" where customer_id = '{cid}'"
            )
        }
        expected = {}
        for p in periods:
            cashflow = truth.cashflow(cid, p)
            expected[p] = (cashflow["opening_cash_cents"], cashflow["closing_cash_cents"])
            assert cashflow["closing_cash_cents"] == truth.balance_sheet(cid, p)["1910"]
        assert trend == expected


@pytest.mark.parametrize("period", ["2026-05", "2026-08"], ids=["same-fiscal-year", "next-fiscal-year"])
def test_a_corrupted_row_after_the_first_loaded_month_fails(loaded: Loaded, period: str) -> None:
    cid = loaded.corrupt_books_row(period, 100)
    try:
        with pytest.raises(ReconciliationError) as failed:
            run_transforms(loaded.pipeline)
        assert f"first: period {period} account 3000 (income_statement, {cid})" in str(failed.value)
        balance = loaded.rows(
            "select period, line_key, difference_cents from {ds}.reconciliation"
            " where check_name = 'balance_sheet' order by period, line_key"
        )
        # the month's result is off in 2370 for the rest of its fiscal year, and in 2251 after it
        assert balance[0] == (period, "2370", 100)
        assert {p for p, _, _ in balance} == {p for p in _loaded_periods(loaded, cid) if p >= period}
        assert all(d == 100 for _, _, d in balance)
        if period == "2026-05":
            assert ("2026-07", "2251", 100) in balance and ("2026-07", "2370", 100) not in balance
    finally:
        loaded.corrupt_books_row(period, -100)
    assert not run_transforms(loaded.pipeline).differences


def test_a_corrupted_row_in_the_first_loaded_month_fails_the_income_statement(loaded: Loaded) -> None:
    cid = loaded.corrupt_books_row(START, 100)
    try:
        with pytest.raises(ReconciliationError) as failed:
            run_transforms(loaded.pipeline)
        assert f"first: period {START} account 3000 (income_statement, {cid})" in str(failed.value)
    finally:
        loaded.corrupt_books_row(START, -100)
    assert not run_transforms(loaded.pipeline).differences


@pytest.fixture
def target(tmp_path) -> Iterator[Target]:
    """DuckDB only: PostgreSQL builds without LAC's loaded tables in the LedgerLou-only warehouses
    of test_transforms_ledgerlou_anchors.py."""
    t = make_target("duckdb", tmp_path)
    yield t
    drop_target(t)


def test_without_statement_lines_the_anchors_are_zero(target: Target, capsys: pytest.CaptureFixture) -> None:
    sandbox = Sandbox(SandboxConfig(months=14, rows_per_month=20))
    with sandbox.serve():
        sync(sandbox, target, resources=["company", "books_rows"], transforms=True, start_period=START)
    assert "reconciliation: skipped" in capsys.readouterr().out
    cid = sandbox.customer_ids[0]
    assert target.query(
        "select bank_opening_cents, vat_payable_opening_cents, prior_years_opening_cents,"
        " current_year_opening_cents, opening_cash_cents from {ds}.int_ledger_anchors"
        f" where customer_id = '{cid}'"
    ) == [(0, 0, 0, 0, 0)]
    assert target.scalar("select count(*) from {ds}.int_statement_lines") == 0
    # the ledger marts still build: balances are the loaded ledger's movements only
    gross = sum(r["gross_cents"] for r in sandbox.truth.books_rows(cid, START))
    assert (
        target.scalar(
            f"select amount_cents from {{ds}}.mart_balance_sheet where customer_id = '{cid}'"
            f" and period = '{START}' and account_code = '1910'"
        )
        == gross
    )
