"""The same app over a PostgreSQL warehouse with two companies (skipped locally without a server)."""

from __future__ import annotations

from pathlib import Path

import pytest
from dashboard.helpers import metric, run_app, select
from support import loaded_sandbox

from lac_connector.dashboard.config import warehouse_env
from lac_connector.dashboard.money import euros

pytestmark = pytest.mark.postgres


def test_pages_read_a_postgres_warehouse_per_company(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    with loaded_sandbox(
        "postgres", tmp_path, {"months": 14, "rows_per_month": 60}, session_token=True, transforms=True
    ) as loaded:
        target = loaded.target
        for name, value in warehouse_env("postgres", target.credentials, target.dataset).items():
            monkeypatch.setenv(name, value)
        companies = [
            r[0] for r in target.query("SELECT DISTINCT customer_id FROM {ds}.mart_monthly_trend ORDER BY 1")
        ]
        assert len(companies) == 2
        second = companies[1]

        at = run_app()
        assert next(b for b in at.selectbox if b.label == "Company").options == companies
        select(at, "Company", second)
        year, revenue = target.query(
            "SELECT fiscal_year, SUM(revenue) FROM {ds}.mart_monthly_trend"
            f" WHERE customer_id = '{second}' GROUP BY fiscal_year ORDER BY fiscal_year DESC LIMIT 1"
        )[0]
        assert next(b for b in at.selectbox if b.label == "Fiscal year").value == year
        assert metric(at, "Revenue, year to date") == euros(revenue)

        at.switch_page("views/vat.py").run()
        vat_period = next(b for b in at.selectbox if b.label == "VAT period").value
        payable = target.scalar(
            "SELECT amount FROM {ds}.mart_vat_return"
            f" WHERE customer_id = '{second}' AND vat_period = '{vat_period}' AND box = '308'"
        )
        label = "Tax payable (box 308)" if payable >= 0 else "Tax refundable (box 308, negative)"
        assert metric(at, label) == euros(payable)

        at.switch_page("views/receivables.py").run()
        open_total = target.scalar(
            f"SELECT SUM(gross) FROM {{ds}}.mart_receivables_summary WHERE customer_id = '{second}'"
        )
        assert metric(at, "Open receivables") == euros(open_total)

        at.switch_page("views/data_health.py").run()
        assert not at.exception
        assert metric(at, "Last sync status") == "ok"
