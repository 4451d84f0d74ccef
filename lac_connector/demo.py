"""`lac demo`: serve both sandboxes in-process (LAC and LedgerLou), sync each into one fresh DuckDB
file and dataset, build the marts over both, show what loaded."""

import argparse
import shlex
import shutil
import sys
from datetime import date
from pathlib import Path

import duckdb

from lac_connector.pipeline.config import PipelineConfig
from lac_connector.pipeline.runner import RunOptions, RunSummary, run_sync
from lac_connector.pipeline.summary import print_summary
from lac_connector.transform import run_transforms
from lac_source import LacRun, LacSourceConfig
from lac_source.workspace import SESSION_ONLY_TABLES
from ledgerlou_source import LedgerLouRun, LedgerLouSourceConfig

DEMO_DIR = Path(".lac_demo")
DATASET = PipelineConfig.dataset_name  # the same dataset name as `lac run`
# A small LedgerLou company (one tenant, as one API key reads): seconds to sync, every mart filled.
LEDGERLOU_WORLD = {"tenants": 1, "bookings_per_month": 20, "invoices_per_month": 4}
LEDGERLOU_TENANT = "lindner"  # the label `[sources.ledgerlou] tenant` gives its rows (`customer_id`)
HEADLINE_SQL = f"""
select source_system, customer_id, period, revenue, expenses, result, closing_cash
from (
    select *, row_number() over (partition by source_system, customer_id order by period desc) as n
    from {DATASET}.mart_monthly_trend
) as t
where n <= 6
order by source_system, customer_id, period desc
"""


def run_demo(args: argparse.Namespace) -> int:
    duckdb_path = Path(args.duckdb)
    for leftover in (duckdb_path, Path(f"{duckdb_path}.wal")):
        leftover.unlink(missing_ok=True)
    shutil.rmtree(DEMO_DIR, ignore_errors=True)

    # The demo's settings are its own: nothing is read from the user's .dlt/ configuration.
    _sync_lac(duckdb_path)
    summary = _sync_ledgerlou(duckdb_path)
    run_transforms(summary.pipeline)  # the marts of the whole dataset: both companies

    with duckdb.connect(str(duckdb_path), read_only=True) as con:
        rows = con.sql(HEADLINE_SQL).fetchall()
    print(f"\nLast six months ({DATASET}.mart_monthly_trend, EUR):")
    headers = "".join(f" {h:>13}" for h in ("revenue", "expenses", "result", "closing cash"))
    print(f"  {'company':<20} {'period':<8}{headers}")
    for source_system, company, period, revenue, expenses, result, cash in rows:
        name = f"{source_system}/{company}"
        figures = f"{revenue:>13,.2f} {expenses:>13,.2f} {result:>13,.2f} {cash or 0:>13,.2f}"
        print(f"  {name:<20} {period:<8} {figures}")
    print(f"\n{dashboard_hint(duckdb_path)}")
    return 0


def _options(pipeline_name: str, duckdb_path: Path, resources: list[str] | None = None) -> RunOptions:
    return RunOptions(
        pipeline_name=pipeline_name,
        destination="duckdb",
        destination_credentials=str(duckdb_path),
        dataset_name=DATASET,
        pipelines_dir=str(DEMO_DIR / "pipelines"),
        resources=resources,
    )


def _sync_lac(duckdb_path: Path) -> RunSummary:
    from lac_sandbox import Sandbox, SandboxConfig

    sandbox = Sandbox(SandboxConfig(today=date.today()))
    customer_id = sandbox.customer_ids[0]
    with sandbox.serve() as server:
        print(f"Sandbox LAC API serving {server.base_url} (company {customer_id})")
        settings = {
            **LacSourceConfig(),
            "api_key": sandbox.read_key(customer_id),
            "base_url": server.base_url,
            "landing_url": str(DEMO_DIR / "landing"),
        }
        run = LacRun(settings)
        # Payroll and API keys need an interactive session token, which a user's first key is not.
        resources = [r for r in run.source().selected_resources if r not in SESSION_ONLY_TABLES]
        try:
            summary = run_sync(run, _options("lac_demo", duckdb_path, resources))
        finally:
            run.close()
    print_summary(summary)
    return summary


def _sync_ledgerlou(duckdb_path: Path) -> RunSummary:
    from ledgerlou_sandbox import Sandbox, SandboxConfig

    sandbox = Sandbox(SandboxConfig(**LEDGERLOU_WORLD, today=date.today()))
    with sandbox.serve() as server:
        print(f"\nSandbox LedgerLou API serving {server.base_url} (tenant {LEDGERLOU_TENANT})")
        settings = {
            **LedgerLouSourceConfig(),
            "api_key": sandbox.api_key(sandbox.tenant_ids[0]),
            "base_url": server.base_url,
            "tenant": LEDGERLOU_TENANT,
            "landing_url": str(DEMO_DIR / "landing"),
        }
        run = LedgerLouRun(settings)
        try:
            run.preflight()
            summary = run_sync(run, _options("ledgerlou_demo", duckdb_path))
        finally:
            run.close()
    print_summary(summary)
    return summary


def dashboard_hint(duckdb_path: Path) -> str:
    """How to open `lac dashboard` on the demo warehouse (the `lac` of this environment)."""
    lac = Path(sys.argv[0]) if Path(sys.argv[0]).name == "lac" else Path(sys.executable).parent / "lac"
    warehouse = shlex.quote(str(duckdb_path))
    command = f"DESTINATION__DUCKDB__CREDENTIALS={warehouse} {lac} dashboard"
    return f"Open the dashboard on this warehouse:\n  {command}"
