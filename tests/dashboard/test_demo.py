"""`make demo` (`lac demo`): the sandbox synced into lac_demo.duckdb, dataset and query as `lac run`
has them, ending with the command that opens the dashboard on it (the warehouse the other
dashboard tests read)."""

from dashboard.helpers import BIN, DemoRun, DuckWarehouse


def test_demo_shows_what_a_new_user_gets(demo_run: DemoRun, demo_warehouse: DuckWarehouse) -> None:
    out = demo_run.stdout
    assert f"Data: dataset 'lac_dataset' in DuckDB file {demo_run.folder / 'lac_demo.duckdb'}\n" in out
    assert "access_token" not in out + demo_run.stderr  # no hint that needs a real session
    assert "Last six months (lac_dataset.mart_monthly_trend, EUR):" in out
    hint = f"DESTINATION__DUCKDB__CREDENTIALS=lac_demo.duckdb {BIN / 'lac'} dashboard"
    assert out.endswith(f"Open the dashboard on this warehouse:\n  {hint}\n")
    assert demo_warehouse.scalar("select count(*) from {ds}.mart_monthly_trend") == 14  # every month
    tables = {r[0] for r in demo_warehouse.rows("select table_name from information_schema.tables")}
    assert not tables & {"payroll_workspace", "payslips", "api_keys"}
