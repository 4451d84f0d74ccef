"""The app over a PostgreSQL warehouse with two companies, and the read-only role of docs/bi.md.

Skipped locally without a PostgreSQL server; required in CI.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator

import psycopg2
import pytest
from dashboard.helpers import REPO, metric, run_app, select
from support import Loaded, loaded_sandbox, require_postgres

from lac_connector.dashboard.config import warehouse_env
from lac_connector.dashboard.money import euros

pytestmark = pytest.mark.postgres


@pytest.fixture(scope="module")
def loaded(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Loaded]:
    """Both sandbox companies synced (with transforms) into a fresh PostgreSQL schema."""
    require_postgres()
    with loaded_sandbox(
        "postgres",
        tmp_path_factory.mktemp("pg"),
        {"months": 14, "rows_per_month": 60},
        session_token=True,
        transforms=True,
    ) as loaded:
        yield loaded


def test_pages_read_a_postgres_warehouse_per_company(loaded: Loaded, monkeypatch: pytest.MonkeyPatch) -> None:
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


def read_only_role_sql() -> str:
    """The first SQL block under "A read-only role" in docs/bi.md."""
    text = (REPO / "docs" / "bi.md").read_text()
    section = text.split("## A read-only role", 1)[1]
    return re.search(r"```sql\n(.*?)```", section, re.S).group(1)


def test_the_documented_read_only_role_reads_views_recreated_later(loaded: Loaded) -> None:
    target = loaded.target
    role, password = f"bi_reader_{uuid.uuid4().hex[:8]}", uuid.uuid4().hex
    with psycopg2.connect(target.credentials) as con, con.cursor() as cur:
        cur.execute("SELECT current_database(), current_user")
        database, loader = cur.fetchone()
    sql = (
        read_only_role_sql()
        .replace("bi_reader", role)
        .replace("'change-me'", f"'{password}'")
        .replace("analytics", database)
        .replace("lac_dataset", target.dataset)
        .replace("ROLE loader", f"ROLE {loader}")
    )
    reader_dsn = re.sub(r"//[^@]*@", f"//{role}:{password}@", target.credentials)
    try:
        target.query(sql)
        target.query("CREATE VIEW {ds}.mart_created_later AS SELECT 1 AS one")  # as each run's transforms do
        with psycopg2.connect(reader_dsn) as con, con.cursor() as cur:
            cur.execute(f'SELECT COUNT(*) FROM "{target.dataset}".mart_monthly_trend')
            assert cur.fetchone()[0] == target.scalar("SELECT COUNT(*) FROM {ds}.mart_monthly_trend") > 0
            cur.execute(f'SELECT one FROM "{target.dataset}".mart_created_later')
            assert cur.fetchall() == [(1,)]
            with pytest.raises(psycopg2.Error, match="read-only transaction|permission denied"):
                cur.execute(f'DELETE FROM "{target.dataset}".sync_runs')
    finally:
        target.query(f"DROP OWNED BY {role}; DROP ROLE {role}")
