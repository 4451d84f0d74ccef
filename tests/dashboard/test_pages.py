"""Every page in Streamlit's AppTest against the demo warehouse: the figures shown equal the marts.

Filters are set through the sidebar widgets; expected figures are queried from the marts directly
and formatted with the same exact-Decimal formatter.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC
from decimal import Decimal

from dashboard.helpers import DuckWarehouse, metric, run_app, select

from lac_connector.dashboard.config import ENV_CREDENTIALS, ENV_DATASET, ENV_DESTINATION
from lac_connector.dashboard.launcher import APP_PATH
from lac_connector.dashboard.money import euros

COMPANY = "SELECT MIN(customer_id) FROM {ds}.mart_monthly_trend"


def fiscal_year_label(year: int) -> str:
    return f"FY {year}"


def test_filters_offer_the_marts_companies_years_and_months(app_env: DuckWarehouse) -> None:
    at = run_app()
    company = app_env.scalar(COMPANY)
    years = [
        r[0] for r in app_env.rows("SELECT DISTINCT fiscal_year FROM {ds}.mart_monthly_trend ORDER BY 1 DESC")
    ]
    latest = app_env.rows(
        "SELECT period FROM {ds}.mart_monthly_trend WHERE fiscal_year = ? ORDER BY period", years[0]
    )
    boxes = {box.label: box for box in at.sidebar.selectbox}
    assert boxes["Source system"].options == ["lac", "ledgerlou"]  # the demo's two companies
    assert boxes["Source system"].value == "lac"
    assert boxes["Company"].value == company
    assert boxes["Fiscal year"].options == [fiscal_year_label(y) for y in years]
    assert boxes["Fiscal year"].value == years[0]
    assert boxes["Period (month end)"].value == latest[-1][0]
    assert len(boxes["Period (month end)"].options) == len(latest)


def test_the_ledgerlou_company_is_one_filter_away(app_env: DuckWarehouse) -> None:
    """The same pages answer for the demo's LedgerLou company, from the same marts."""
    ledgerlou = replace(app_env, source_system="ledgerlou")
    at = run_app()
    select(at, "Source system", "ledgerlou")
    boxes = {box.label: box for box in at.sidebar.selectbox}
    assert boxes["Company"].options == ["lindner"]  # the demo's `[sources.ledgerlou] tenant`
    year = ledgerlou.scalar("SELECT MAX(fiscal_year) FROM {ds}.mart_monthly_trend")
    revenue, last_period = ledgerlou.rows(
        "SELECT SUM(revenue), MAX(period) FROM {ds}.mart_monthly_trend WHERE fiscal_year = ?", year
    )[0]
    cash = ledgerlou.scalar("SELECT closing_cash FROM {ds}.mart_monthly_trend WHERE period = ?", last_period)
    assert revenue > 0
    assert metric(at, "Revenue, year to date") == euros(revenue)
    assert metric(at, f"Cash at end of {last_period}") == euros(cash)


def test_overview_shows_the_selected_fiscal_years_revenue_expenses_result_and_cash(
    app_env: DuckWarehouse,
) -> None:
    at = run_app()
    first_year = app_env.scalar("SELECT MIN(fiscal_year) FROM {ds}.mart_monthly_trend")
    select(at, "Fiscal year", first_year)
    revenue, expenses, result, last_period = app_env.rows(
        "SELECT SUM(revenue), SUM(expenses), SUM(result), MAX(period) FROM {ds}.mart_monthly_trend"
        " WHERE fiscal_year = ?",
        first_year,
    )[0]
    cash = app_env.scalar("SELECT closing_cash FROM {ds}.mart_monthly_trend WHERE period = ?", last_period)
    assert isinstance(revenue, Decimal)
    assert metric(at, "Revenue, year to date") == euros(revenue)
    assert metric(at, "Expenses, year to date") == euros(expenses)
    assert metric(at, "Result, year to date") == euros(result)
    assert metric(at, f"Cash at end of {last_period}") == euros(cash)
    assert revenue > 0 > expenses


def test_overview_year_to_date_runs_to_the_selected_period(app_env: DuckWarehouse) -> None:
    at = run_app()
    year = app_env.scalar("SELECT MIN(fiscal_year) FROM {ds}.mart_monthly_trend")
    periods = [
        r[0]
        for r in app_env.rows(
            "SELECT period FROM {ds}.mart_monthly_trend WHERE fiscal_year = ? ORDER BY period", year
        )
    ]
    middle = periods[len(periods) // 2]
    select(at, "Fiscal year", year)
    select(at, "Period (month end)", middle)
    ytd, month = app_env.rows(
        "SELECT SUM(revenue), SUM(CASE WHEN period = ? THEN revenue END) FROM {ds}.mart_monthly_trend"
        " WHERE fiscal_year = ? AND period <= ?",
        middle,
        year,
        middle,
    )[0]
    assert metric(at, "Revenue, year to date") == euros(ytd)
    assert metric(at, f"Revenue in {middle}") == euros(month)
    table = at.dataframe[0].value
    assert list(table["period"]) == periods  # the month-by-month table shows the whole year


def test_profit_and_loss_shows_each_accounts_month_and_year_to_date(app_env: DuckWarehouse) -> None:
    at = run_app("profit_and_loss")
    year = app_env.scalar("SELECT MIN(fiscal_year) FROM {ds}.mart_profit_and_loss")
    select(at, "Fiscal year", year)
    period, code, name, net, ytd_net = app_env.rows(
        "SELECT period, account_code, account_name, net, ytd_net FROM {ds}.mart_profit_and_loss"
        " WHERE fiscal_year = ? AND account_code = '4000' ORDER BY period DESC LIMIT 1",
        year,
    )[0]
    select(at, "Period (month end)", period)
    table = at.dataframe[0].value
    row = table[table["account"] == f"{code} {name}"].iloc[0]
    assert row[period] == euros(net)
    assert row["year to date"] == euros(ytd_net)  # the mart's own running total agrees
    revenue = app_env.scalar(
        "SELECT SUM(net) FROM {ds}.mart_profit_and_loss WHERE fiscal_year = ? AND period <= ?"
        " AND account_section = 'revenue'",
        year,
        period,
    )
    assert table[table["account"] == "Revenue total"].iloc[0]["year to date"] == euros(revenue)
    assert metric(at, "Revenue, year to date") == euros(revenue)


def test_balance_sheet_shows_the_lines_at_the_chosen_month_end(app_env: DuckWarehouse) -> None:
    at = run_app("balance_sheet")
    year, period = app_env.rows(
        "SELECT fiscal_year, MIN(period) FROM {ds}.mart_balance_sheet GROUP BY fiscal_year ORDER BY 1 DESC"
    )[0]
    select(at, "Fiscal year", year)
    select(at, "Period (month end)", period)
    expected = app_env.rows(
        "SELECT account_code, amount FROM {ds}.mart_balance_sheet WHERE period = ? ORDER BY line_order",
        period,
    )
    table = at.dataframe[0].value
    assert list(zip(table["account_code"], table["amount"], strict=True)) == [
        (code, euros(amount)) for code, amount in expected
    ]
    bank = dict(expected)["1910"]
    assert metric(at, "Assets") == euros(bank)
    assert metric(at, "Difference") == euros(Decimal("0.00"))


def test_vat_page_shows_box_308_of_the_chosen_vat_period(app_env: DuckWarehouse) -> None:
    at = run_app("vat")
    periods = [r[0] for r in app_env.rows("SELECT DISTINCT vat_period FROM {ds}.mart_vat_return ORDER BY 1")]
    chosen = periods[1]
    select(at, "VAT period", chosen)
    payable = app_env.scalar(
        "SELECT amount FROM {ds}.mart_vat_return WHERE vat_period = ? AND box = '308'", chosen
    )
    label = "Tax payable (box 308)" if payable >= 0 else "Tax refundable (box 308, negative)"
    assert metric(at, label) == euros(payable)
    boxes = at.dataframe[0].value
    expected = app_env.rows(
        "SELECT box, amount FROM {ds}.mart_vat_return WHERE vat_period = ? ORDER BY box", chosen
    )
    assert list(zip(boxes["box"], boxes["amount"], strict=True)) == [(b, euros(a)) for b, a in expected]
    by_rate = at.dataframe[1].value
    rates = app_env.rows(
        "SELECT vat_code, output_vat, input_vat FROM {ds}.mart_vat_by_rate WHERE vat_period = ?"
        " ORDER BY treatment, vat_code, vat_rate_percent",
        chosen,
    )
    assert list(zip(by_rate["vat_code"], by_rate["output_vat"], by_rate["input_vat"], strict=True)) == [
        (code, euros(output), euros(input_)) for code, output, input_ in rates
    ]


def test_vat_period_follows_the_sidebar_month(app_env: DuckWarehouse) -> None:
    at = run_app("vat")
    year, period = app_env.rows(
        "SELECT fiscal_year, MIN(period) FROM {ds}.mart_monthly_trend GROUP BY fiscal_year ORDER BY 1"
    )[0]
    select(at, "Fiscal year", year)
    select(at, "Period (month end)", period)
    assert next(box for box in at.selectbox if box.label == "VAT period").value == period  # monthly VAT


def test_receivables_show_buckets_and_the_overdue_invoices(app_env: DuckWarehouse) -> None:
    at = run_app("receivables")
    over_90, open_total = app_env.rows(
        "SELECT SUM(CASE WHEN aging_bucket = '90+' THEN gross END), SUM(gross)"
        " FROM {ds}.mart_receivables_summary"
    )[0]
    assert over_90 > 0
    assert metric(at, "Overdue 90+ days") == euros(over_90)
    assert metric(at, "Open receivables") == euros(open_total)
    buckets = at.dataframe[0].value
    expected = app_env.rows(
        "SELECT aging_bucket, gross FROM {ds}.mart_receivables_summary ORDER BY bucket_order"
    )
    assert list(zip(buckets["aging_bucket"], buckets["gross"], strict=True)) == [
        (b, euros(g)) for b, g in expected
    ]
    overdue = at.dataframe[1].value
    invoices = app_env.rows(
        "SELECT invoice_number, gross FROM {ds}.mart_receivables_aging WHERE days_overdue > 0"
        " ORDER BY days_overdue DESC, invoice_number"
    )
    assert list(zip(overdue["invoice_number"], overdue["gross"], strict=True)) == [
        (n, euros(g)) for n, g in invoices
    ]


def test_data_health_shows_the_last_sync_coverage_and_reconciliation(app_env: DuckWarehouse) -> None:
    at = run_app("data_health")
    assert metric(at, "Last sync status") == "ok"
    coverage = at.dataframe[0].value
    resources = app_env.rows("SELECT DISTINCT resource FROM {ds}.sync_coverage ORDER BY 1")
    assert list(coverage["resource"]) == [r[0] for r in resources]
    # The demo leaves the session-only tables (payroll, API keys) out, so every table synced ok;
    # skipped tables not counting against completeness is test_units' complete_as_of test.
    assert set(coverage["latest_outcome"]) == {"ok"}
    assert not {"payroll_workspace", "payslips", "api_keys"} & set(coverage["resource"])
    # the demo's two syncs ran one after the other: the last one (LedgerLou) ended the last sync,
    # every table was complete as of the end of the earlier one (LAC)
    finished = app_env.scalar("SELECT MAX(finished_at) FROM {ds}.sync_runs")
    complete = app_env.scalar(
        "SELECT MIN(last_ok) FROM (SELECT resource, MAX(finished_at) AS last_ok FROM {ds}.sync_coverage"
        " WHERE outcome = 'ok' GROUP BY resource) AS c"
    )
    assert metric(at, "Last sync (UTC)") == f"{finished.astimezone(UTC):%Y-%m-%d %H:%M}"
    assert metric(at, "Complete as of (UTC)") == f"{complete.astimezone(UTC):%Y-%m-%d %H:%M}"
    assert complete < finished
    assert [s.value for s in at.success][0].startswith("Reconciliation ok")
    checks = at.dataframe[-1].value
    columns = [
        r[0]
        for r in app_env.rows(
            "SELECT column_name FROM information_schema.columns WHERE table_schema = '{ds}'"
            " AND table_name = 'reconciliation' ORDER BY ordinal_position"
        )
    ]
    assert list(checks.columns) == columns and len(checks) == 0


def test_a_dataset_without_marts_says_what_is_missing(app_env: DuckWarehouse, monkeypatch) -> None:
    monkeypatch.setenv(ENV_DATASET, "not_synced_yet")
    at = run_app()
    assert [i.value for i in at.sidebar.info] == [
        "No ledger marts yet (`mart_monthly_trend`): run `lac run` first."
    ]
    assert [i.value for i in at.main.info] == [
        "No ledger data to show yet: run `lac run` (with transforms), then Refresh data."
    ]
    at.switch_page("views/data_health.py").run()
    assert not at.exception
    assert "No `sync_runs` table in this dataset." in [i.value for i in at.info]


def test_without_a_configured_warehouse_the_app_says_how_to_open_it(monkeypatch) -> None:
    for name in (ENV_DESTINATION, ENV_CREDENTIALS, ENV_DATASET):
        monkeypatch.delenv(name, raising=False)
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(APP_PATH), default_timeout=60).run()
    assert not at.exception
    [error] = [e.value for e in at.error]
    assert error.startswith(
        f"{ENV_DESTINATION}, {ENV_CREDENTIALS}, {ENV_DATASET} not set: open the dashboard"
    )
