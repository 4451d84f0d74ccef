"""sync_runs / sync_coverage: what each run covered, including skips and failures."""

import pytest
from support import make_target, sync

from lac_connector.kit.errors import ApiError

COMPLETENESS_SQL = """
with latest as (
  select c.*, row_number() over (partition by resource order by finished_at desc) as rn
  from {ds}.sync_coverage c
)
select resource, outcome,
       (select max(o.finished_at) from {ds}.sync_coverage o
        where o.resource = latest.resource and o.outcome = 'ok') as complete_as_of
from latest where rn = 1 order by resource
"""


def coverage(target, run_id: str) -> dict[str, tuple]:
    rows = target.query(
        "select resource, outcome, rows_loaded, requests, periods_synced, periods_skipped "
        f"from {{ds}}.sync_coverage where run_id = '{run_id}'"
    )
    return {r[0]: r[1:] for r in rows}


def test_coverage_counts_rows_requests_and_periods(sandbox, tmp_path):
    target = make_target("duckdb", tmp_path)
    resources = ["books_rows", "vat_rows", "statement_lines", "payslips", "api_keys", "company"]
    first = sync(sandbox, target, resources=resources)
    months = len(sandbox.truth.periods(sandbox.customer_ids[0]))
    cov = coverage(target, first.run_id)
    assert cov["books_rows"] == ("ok", 120 * months, months, months, 0)
    assert cov["vat_rows"][:4] == (
        "ok",
        sum(
            sandbox.truth.sheet_totals(sandbox.customer_ids[0], "vat", p)["rows"]
            for p in sandbox.truth.periods(sandbox.customer_ids[0])
        ),
        months,
        months,
    )
    assert cov["statement_lines"][2] == 2 * months
    assert cov["payslips"][0].startswith("skipped: API keys cannot read payroll")
    assert cov["api_keys"][0].startswith("skipped:")
    assert cov["api_keys"][1:3] == (0, 0)

    second = sync(sandbox, target, resources=resources)
    cov = coverage(target, second.run_id)
    assert cov["books_rows"] == ("ok", 3 * 120, months, 3, months - 3)

    runs = target.query("select run_id, status from {ds}.sync_runs order by started_at")
    assert runs == [(first.run_id, "ok"), (second.run_id, "ok")]
    latest = {r[0]: r[1] for r in target.query(COMPLETENESS_SQL)}
    assert latest["books_rows"] == "ok" and latest["payslips"].startswith("skipped")


@pytest.mark.sandbox_config(fail_paths=(r"/analytics\?.*range=2026-10",))
def test_failed_run_is_recorded_and_loads_nothing(sandbox, tmp_path):
    target = make_target("duckdb", tmp_path)
    resources = ["books_rows", "analytics"]
    with pytest.raises(Exception) as info:
        sync(sandbox, target, resources=resources, max_attempts=2)
    assert "GET /analytics (range=2026-10) still failing after 2 attempts" in str(info.value) or isinstance(
        info.value.__cause__, ApiError
    )
    runs = target.query("select status, error from {ds}.sync_runs")
    assert len(runs) == 1 and runs[0][0] == "failed"
    assert "GET /analytics (range=2026-10) still failing after 2 attempts" in runs[0][1]
    outcomes = {r[0] for r in target.query("select outcome from {ds}.sync_coverage")}
    assert all(o.startswith("failed: GET /analytics") for o in outcomes)
    # Nothing of the failed extract is visible: no period looks complete.
    assert "books_rows" not in target.tables()


def test_a_new_state_folder_continues_from_the_warehouse(sandbox, tmp_path):
    """Pipeline state lost or moved (a project copy, an upgrade from dlt's machine-wide folder):
    the next run restores the state the warehouse holds and stays incremental."""
    target = make_target("duckdb", tmp_path)
    sync(sandbox, target, resources=["books_rows"])
    target.pipelines_dir = str(tmp_path / "another_state_folder")
    second = sync(sandbox, target, resources=["books_rows"])
    months = len(sandbox.truth.periods(sandbox.customer_ids[0]))
    assert coverage(target, second.run_id)["books_rows"][1:] == (3 * 120, months, 3, months - 3)
    assert target.scalar("select count(*) from {ds}.books_rows") == 120 * months
