"""ours' transforms, as a figure of their own: the dbt build on a dataset ours just loaded.

`lac run` builds the transforms after the load in the same process; here they run in a child of
their own (`python -m benchmarks.run_one transforms <workload> <spec>`, the spec of ours' run), so
the sync's wall time, CPU time and peak RSS stay the sync's. The pipeline is opened from ours'
pipelines folder as `lac transform` opens it, then `lac_connector.transform.run_transforms` runs
(mapping discovery, one `dbt build`, the reconciliation). A failed reconciliation is reported as a
note, not as a failure: the build's cost was still measured.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from lac_connector.pipeline.runner import RunOptions, open_loaded_pipeline
from lac_connector.transform import ReconciliationError, run_transforms

# the tables the build materialises (the rest are views and ephemeral models): their rows are the
# transforms' "rows"
BUILT_TABLES = ("int_ledger_lines", "int_statement_lines", "reconciliation_checks")


def run(spec: dict[str, Any]) -> dict[str, Any]:
    options = RunOptions(
        pipeline_name=spec["pipeline_name"],
        destination=spec["destination"],
        dataset_name=spec["dataset"],
        pipelines_dir=str(Path(spec["workdir"]) / "pipelines"),
        destination_credentials=spec["credentials"],
    )
    pipeline = open_loaded_pipeline(options, attach=False)
    try:
        result = run_transforms(pipeline)
        note = ""
    except ReconciliationError as exc:
        result, note = None, f"reconciliation failed: {str(exc)[:120]}"
    with pipeline.sql_client() as client:
        rows = sum(
            client.execute_sql(f"SELECT count(*) FROM {client.make_qualified_table_name(t)}")[0][0]
            for t in BUILT_TABLES
        )
    return {
        "rows": rows,
        "models": len(result.models) if result else None,
        "tests": len(result.tests) if result else None,
        "note": note or (result.verdict if result else ""),
    }
