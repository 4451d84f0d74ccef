"""`lac demo`: serve the sandbox in-process, sync it into a fresh DuckDB file, show what loaded."""

import argparse
import shlex
import shutil
import sys
from datetime import date
from pathlib import Path

import duckdb

from lac_connector.pipeline.config import PipelineConfig
from lac_connector.pipeline.runner import RunOptions, run_sync
from lac_connector.pipeline.summary import print_summary
from lac_connector.transform import run_transforms
from lac_source import LacRun, LacSourceConfig
from lac_source.workspace import SESSION_ONLY_TABLES

DEMO_DIR = Path(".lac_demo")
DATASET = PipelineConfig.dataset_name  # the same dataset name as `lac run`
HEADLINE_SQL = f"""
select period, revenue, expenses, result, closing_cash
from {DATASET}.mart_monthly_trend
order by period desc
limit 6
"""


def run_demo(args: argparse.Namespace) -> int:
    from lac_sandbox import Sandbox, SandboxConfig

    duckdb_path = Path(args.duckdb)
    for leftover in (duckdb_path, Path(f"{duckdb_path}.wal")):
        leftover.unlink(missing_ok=True)
    shutil.rmtree(DEMO_DIR, ignore_errors=True)

    sandbox = Sandbox(SandboxConfig(today=date.today()))
    customer_id = sandbox.customer_ids[0]
    with sandbox.serve() as server:
        print(f"Sandbox LAC API serving {server.base_url} (company {customer_id})")
        # The demo's settings are its own: nothing is read from the user's .dlt/ configuration.
        settings = {
            **LacSourceConfig(),
            "api_key": sandbox.read_key(customer_id),
            "base_url": server.base_url,
            "landing_url": str(DEMO_DIR / "landing"),
        }
        run = LacRun(settings)
        # Payroll and API keys need an interactive session token, which a user's first key is not.
        resources = [r for r in run.source().selected_resources if r not in SESSION_ONLY_TABLES]
        options = RunOptions(
            pipeline_name="lac_demo",
            destination="duckdb",
            destination_credentials=str(duckdb_path),
            dataset_name=DATASET,
            pipelines_dir=str(DEMO_DIR / "pipelines"),
            resources=resources,
        )
        try:
            summary = run_sync(run, options)
        finally:
            run.close()
        print_summary(summary)
        run_transforms(summary.pipeline)
    with duckdb.connect(str(duckdb_path), read_only=True) as con:
        rows = con.sql(HEADLINE_SQL).fetchall()
    print(f"\nLast six months ({DATASET}.mart_monthly_trend, EUR):")
    print(f"  {'period':<8} {'revenue':>13} {'expenses':>13} {'result':>13} {'closing cash':>13}")
    for period, revenue, expenses, result, cash in rows:
        print(f"  {period:<8} {revenue:>13,.2f} {expenses:>13,.2f} {result:>13,.2f} {cash or 0:>13,.2f}")
    print(f"\n{dashboard_hint(duckdb_path)}")
    return 0


def dashboard_hint(duckdb_path: Path) -> str:
    """How to open `lac dashboard` on the demo warehouse (the `lac` of this environment)."""
    lac = Path(sys.argv[0]) if Path(sys.argv[0]).name == "lac" else Path(sys.executable).parent / "lac"
    warehouse = shlex.quote(str(duckdb_path))
    command = f"DESTINATION__DUCKDB__CREDENTIALS={warehouse} {lac} dashboard"
    return f"Open the dashboard on this warehouse:\n  {command}"
