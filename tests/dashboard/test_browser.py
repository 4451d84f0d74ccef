"""The dashboard served by `streamlit run`, opened in headless Chromium, against the demo warehouse.

Screenshots go to $LAC_ARTIFACTS_DIR (default `test-artifacts/`) as `dashboard-<page>.png`;
`LAC_ARTIFACTS_DIR=docs/screenshots pytest tests/dashboard/test_browser.py` refreshes the docs' ones.
"""

from __future__ import annotations

from typing import Any

import pytest
from dashboard.browser import errors, metric_value, open_page
from dashboard.helpers import DuckWarehouse, artifacts_dir, served_app

from lac_connector.dashboard.money import euros

# url path, a text the page shows once rendered
PAGES = [
    ("profit_and_loss", "Result, year to date"),
    ("balance_sheet", "Equity and liabilities"),
    ("vat", "VAT by code and rate"),
    ("receivables", "Overdue invoices"),
    ("data_health", "Reconciliation ok"),
]
VIEWPORT = {"width": 1400, "height": 1000}


@pytest.fixture(scope="module")
def dashboard_url(demo_warehouse: DuckWarehouse, tmp_path_factory: pytest.TempPathFactory) -> Any:
    with served_app(demo_warehouse, tmp_path_factory.mktemp("served") / "streamlit.log") as url:
        yield url


def test_overview_renders_in_a_real_browser(
    browser: Any, dashboard_url: str, demo_warehouse: DuckWarehouse
) -> None:
    page = browser.new_page(viewport=VIEWPORT)
    open_page(page, dashboard_url)
    page.screenshot(path=str(artifacts_dir() / "dashboard-overview.png"), full_page=True)
    assert errors(page) == []
    year = demo_warehouse.scalar("SELECT MAX(fiscal_year) FROM {ds}.mart_monthly_trend")
    revenue = demo_warehouse.scalar(
        "SELECT SUM(revenue) FROM {ds}.mart_monthly_trend WHERE fiscal_year = ?", year
    )
    assert metric_value(page, "Revenue, year to date") == euros(revenue)
    assert page.get_by_text(f"Overview · FY {year}").is_visible()


@pytest.mark.parametrize(("path", "text"), PAGES, ids=[p for p, _ in PAGES])
def test_every_page_renders_in_a_real_browser(browser: Any, dashboard_url: str, path: str, text: str) -> None:
    page = browser.new_page(viewport=VIEWPORT)
    open_page(page, f"{dashboard_url}/{path}")
    page.screenshot(path=str(artifacts_dir() / f"dashboard-{path.replace('_', '-')}.png"), full_page=True)
    assert errors(page) == []
    assert page.get_by_text(text).first.is_visible()
