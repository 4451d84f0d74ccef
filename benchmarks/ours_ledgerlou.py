"""Contender "ours" on a LedgerLou workload: the `lac run --source ledgerlou --no-transforms` path.

`lac_connector.pipeline.runner.run_sync` with the LedgerLou source's run (`ledgerlou_source.open_run`),
as `lac_connector/cli.py` builds it, against the LedgerLou sandbox.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from lac_connector.pipeline.runner import RunOptions, run_sync
from ledgerlou_source import open_run


def run(spec: dict[str, Any]) -> dict[str, Any]:
    """One `lac run --source ledgerlou` into an empty destination."""
    workdir = Path(spec["workdir"])
    options = RunOptions(
        pipeline_name=spec["pipeline_name"],
        destination=spec["destination"],
        dataset_name=spec["dataset"],
        pipelines_dir=str(workdir / "pipelines"),
        destination_credentials=spec["credentials"],
    )
    source_run = open_run(
        {
            "api_key": spec["api_key"],
            "base_url": spec["base_url"],
            "tenant": spec["tenant"],
            "end_period": spec["end_period"],
            "landing_url": str(workdir / "landing"),
        }
    )
    try:
        source_run.preflight()
        summary = run_sync(source_run, options)
    finally:
        source_run.close()
    # rows this load stored per root table (nested child tables not counted)
    rows = {t: n for t, n in summary.row_counts.items() if not t.startswith("_dlt")}
    return {
        "rows": sum(rows.values()),
        "journal_lines": rows.get("ll_journal_lines", 0),
        "client_requests": sum(summary.requests.values()),
    }
