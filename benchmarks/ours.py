"""Contender "ours": the `lac run` path (`lac_connector.pipeline.runner.run_sync`), transforms off."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from lac_connector.kit.protocol import OpenRun
from lac_connector.pipeline.runner import RunOptions, run_sync
from lac_source import open_run
from lac_source.sheet_tables import ROWS_NORMALIZED_ROW_BY_ROW


def sync_once(spec: dict[str, Any], open_source_run: OpenRun, **settings: Any) -> tuple[dict[str, int], int]:
    """One `lac run --no-transforms` of a source into `spec`'s destination: (rows this load stored
    per root table, tombstones and nested child tables not counted; the client's requests)."""
    workdir = Path(spec["workdir"])
    options = RunOptions(
        pipeline_name=spec["pipeline_name"],
        destination=spec["destination"],
        dataset_name=spec["dataset"],
        pipelines_dir=str(workdir / "pipelines"),
        destination_credentials=spec["credentials"],
    )
    source_run = open_source_run(
        {
            "api_key": spec["api_key"],
            "base_url": spec["base_url"],
            "end_period": spec["end_period"],
            "landing_url": str(workdir / "landing"),
            **settings,
        }
    )
    try:
        source_run.preflight()
        summary = run_sync(source_run, options)
    finally:
        source_run.close()
    rows = {t: n for t, n in summary.row_counts.items() if not t.startswith("_dlt")}
    return rows, sum(summary.requests.values())


def run(spec: dict[str, Any]) -> dict[str, Any]:
    """One `lac run` against the sandbox; W3/W4 reuse W1's pipelines dir, so they run incrementally."""
    rows, requests = sync_once(spec, open_run)
    return {
        "rows": sum(rows.values()),
        "books_rows": rows.get("books_rows", 0),
        "client_requests": requests,
        # sheet rows dlt's normalizer handled row by row (not converted to Arrow column-wise)
        "row_by_row": sum(ROWS_NORMALIZED_ROW_BY_ROW.values()),
    }
