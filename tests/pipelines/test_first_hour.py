"""A new user's first hour, exactly as the README tells it (issue #13).

The repository's real `.dlt/` is copied into a fresh project folder and the installed `lac` entry
point runs there as a subprocess, with nothing but the API key and base URL set: `lac run`,
`lac transform`, a second (incremental) `lac run` and `lac status`. Then the same from another
working directory, with the project made available the documented ways (`--project-dir`,
`DLT_PROJECT_DIR`) and the key in the project's `.dlt/secrets.toml`.
"""

import os
import shutil
import subprocess
import sys
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import duckdb
import pytest

REPO = Path(__file__).resolve().parents[2]
LAC = Path(sys.executable).with_name("lac")
MONTHS, ROWS_PER_MONTH, LOOKBACK = 4, 60, 3  # LOOKBACK: `lookback_months` of the real config.toml
# The sandbox's "today" is Finland's, like the connector's default end_period.
TODAY = datetime.now(ZoneInfo("Europe/Helsinki")).date()
# Settings a developer's shell might carry that a new user's would not.
FOREIGN_ENV = ("SOURCES__", "DESTINATION__", "DLT_", "RUNTIME__", "EXTRACT__", "NORMALIZE__", "LOAD__")
FOREIGN_KEYS = ("PIPELINE_NAME", "DATASET_NAME", "DESTINATION_NAME", "PIPELINES_DIR", "TRANSFORMS__")

pytestmark = pytest.mark.sandbox_config(months=MONTHS, rows_per_month=ROWS_PER_MONTH, today=TODAY)


def user_env(**settings: str) -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(FOREIGN_ENV) and not k.startswith(FOREIGN_KEYS)
    }
    return {**env, **settings}


def lac(args: list[str], cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess:
    result = subprocess.run([str(LAC), *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, f"lac {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}"
    return result


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A fresh project folder holding the repository's `.dlt/` as committed (no developer secrets)."""
    project = tmp_path / "project"
    shutil.copytree(REPO / ".dlt", project / ".dlt", ignore=shutil.ignore_patterns("secrets.toml"))
    return project


def query(project: Path, sql: str) -> list[tuple]:
    with duckdb.connect(str(project / "lac.duckdb"), read_only=True) as con:
        return con.sql(sql).fetchall()


def landed_files(project: Path) -> int:
    return sum(1 for p in (project / "landing").rglob("*") if p.is_file())


def summary_rows(stdout: str) -> dict[str, int]:
    """Rows stored per table, from `lac run`'s summary."""
    lines = stdout.split("rows stored this run\n", 1)[1].split("\n\n", 1)[0].splitlines()
    return {table: int(rows.replace(",", "")) for table, rows in (line.split() for line in lines)}


def status_row(stdout: str, table: str) -> list[str]:
    return next(line.split() for line in stdout.splitlines() if line.startswith(f"{table} "))


def first_hour(sandbox, project: Path, cwd: Path, env: dict[str, str], project_args: list[str]) -> None:
    cid = sandbox.customer_ids[0]
    warehouse = project / "lac.duckdb"

    first = lac(["run", *project_args], cwd, env)
    assert summary_rows(first.stdout)["books_rows"] == MONTHS * ROWS_PER_MONTH
    assert f"dataset 'lac_dataset' in DuckDB file {warehouse}\n" in first.stdout
    assert f"Files: {project / 'landing'}\n" in first.stdout
    books = MONTHS * ROWS_PER_MONTH
    vat = sum(sandbox.truth.sheet_totals(cid, "vat", p)["rows"] for p in sandbox.truth.periods(cid))
    assert query(project, "select count(*) from lac_dataset.books_rows") == [(books,)]
    assert query(project, "select count(*) from lac_dataset.vat_rows") == [(vat,)]
    invoices = len(sandbox.truth.invoices(cid))
    assert query(project, "select count(*) from lac_dataset.invoices") == [(invoices,)]
    assert query(project, "select count(*) from lac_dataset.landed_files") == [(landed_files(project),)]
    assert landed_files(project) > 0
    assert (project / ".lac" / "pipelines" / "lac" / "state.json").is_file()
    if cwd != project:
        assert list(cwd.iterdir()) == []  # nothing lands where the command happened to start

    # The summary's ready command works as printed.
    command = first.stdout.split("Query it:\n", 1)[1].splitlines()[0].strip()
    shown = subprocess.run(command, shell=True, cwd=cwd, capture_output=True, text=True, timeout=60)
    assert shown.returncode == 0, shown.stderr
    assert "customer_id" in shown.stdout and cid in shown.stdout

    lac(["transform", *project_args], cwd, env)
    assert query(project, "select count(*) from lac_dataset.mart_monthly_trend") == [(MONTHS,)]

    second = lac(["run", *project_args], cwd, env)
    run_id = query(project, "select run_id from lac_dataset.sync_runs order by started_at desc limit 1")[0][0]
    coverage = query(
        project,
        "select outcome, rows_loaded, periods_synced, periods_skipped from lac_dataset.sync_coverage "
        f"where run_id = '{run_id}' and resource = 'books_rows'",
    )
    assert coverage == [("ok", LOOKBACK * ROWS_PER_MONTH, LOOKBACK, MONTHS - LOOKBACK)]
    assert query(project, "select count(*) from lac_dataset.books_rows") == [(books,)]
    assert query(project, "select count(*) from lac_dataset.sync_runs where status = 'ok'") == [(2,)]
    assert summary_rows(second.stdout)["books_rows"] == LOOKBACK * ROWS_PER_MONTH

    status = lac(["status", *project_args], cwd, env)
    assert f"dataset 'lac_dataset' in DuckDB file {warehouse}" in status.stdout
    row = status_row(status.stdout, "books_rows")
    assert row[1:3] == [f"{books}", f"{LOOKBACK * ROWS_PER_MONTH}"] and row[-1] == "ok"
    assert status_row(status.stdout, "payslips")[-1] != "ok"  # skipped: an API key cannot read payroll


def test_first_hour_in_the_project_folder(sandbox, project):
    env = user_env(
        SOURCES__LAC__API_KEY=sandbox.read_key(sandbox.customer_ids[0]),
        SOURCES__LAC__BASE_URL=sandbox.server.base_url,
    )
    first_hour(sandbox, project, project, env, [])


def test_first_hour_started_elsewhere(sandbox, project, tmp_path):
    """Cron-like: started in another folder, the project named by `--project-dir`, then by dlt's
    `DLT_PROJECT_DIR`; the key in the project's `.dlt/secrets.toml`, as the README allows."""
    (project / ".dlt" / "secrets.toml").write_text(
        f'[sources.lac]\napi_key = "{sandbox.read_key(sandbox.customer_ids[0])}"\n'
        f'base_url = "{sandbox.server.base_url}"\n'
    )
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    first_hour(sandbox, project, elsewhere, user_env(), ["--project-dir", str(project)])

    third = lac(["run"], elsewhere, user_env(DLT_PROJECT_DIR=str(project)))
    assert summary_rows(third.stdout)["books_rows"] == LOOKBACK * ROWS_PER_MONTH
    assert query(project, "select count(*) from lac_dataset.sync_runs where status = 'ok'") == [(3,)]
    assert list(elsewhere.iterdir()) == []


def test_status_names_the_pipelines_of_the_dataset(sandbox, project):
    env = user_env(
        SOURCES__LAC__API_KEY=sandbox.read_key(sandbox.customer_ids[0]),
        SOURCES__LAC__BASE_URL=sandbox.server.base_url,
    )
    lac(
        [
            "run",
            "--resources",
            "company",
            "--no-transforms",
            "--pipeline-name",
            "lac_a",
            "--dataset-name",
            "books",
        ],
        project,
        env,
    )
    result = subprocess.run(
        [
            str(LAC),
            "status",
            "--pipeline-name",
            "other",
            "--dataset-name",
            "books",
            "--destination",
            "duckdb",
        ],
        cwd=project,
        env=env,  # every pipeline of the project loads lac.duckdb
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 2
    assert result.stderr.strip() == (
        "lac: error: no runs of pipeline 'other' in dataset 'books'; pipelines found: lac_a "
        "(choose one with --pipeline-name)"
    )
