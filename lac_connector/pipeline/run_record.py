"""What each run covered: the `sync_runs` and `sync_coverage` tables.

One `sync_runs` row per run (`status` `ok`, `failed`, or after the load `reconciliation_failed` /
`transform_failed`) and one `sync_coverage` row per selected resource with rows loaded,
API requests made, months synced and skipped, and an outcome: `ok`, `skipped: <reason>`,
`partial: <reason>` or `failed: <reason>`. Both tables are appended, so the history answers
"is my warehouse complete, and as of when?". Requests are attributed to resources by the claims
in the source's run report; requests no resource claimed are logged as a warning.
"""

import logging
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from typing import Any

import dlt

from lac_connector.kit.errors import root_cause
from lac_connector.kit.protocol import SourceRun
from lac_connector.kit.report import UNCLAIMED
from lac_connector.kit.version import PACKAGE_VERSION

logger = logging.getLogger("lac")

RUN_COLUMNS = {
    "started_at": {"data_type": "timestamp"},
    "finished_at": {"data_type": "timestamp"},
    "status": {"data_type": "text"},
    "error": {"data_type": "text"},
    "load_id": {"data_type": "text"},
    "customer_ids": {"data_type": "text"},
    "requests": {"data_type": "bigint"},
}
COVERAGE_COLUMNS = {
    "finished_at": {"data_type": "timestamp"},
    "outcome": {"data_type": "text"},
    "rows_loaded": {"data_type": "bigint"},
    "requests": {"data_type": "bigint"},
    "periods_synced": {"data_type": "bigint"},
    "periods_skipped": {"data_type": "bigint"},
}


def _rows(
    run: SourceRun,
    run_id: str,
    pipeline_name: str,
    started_at: datetime,
    resources: Sequence[str],
    stored: Mapping[str, int],
    load_id: str | None,
    error: str | None,
) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    finished_at = datetime.now(UTC)
    counts = run.request_counts()
    by_resource = run.report.requests_by_resource(counts)
    if by_resource.get(UNCLAIMED):
        unclaimed = sorted(e for e in counts if e not in run.report.endpoints)
        logger.warning("requests to endpoints no resource claims: %s", ", ".join(unclaimed))
    run_row = {
        "run_id": run_id,
        "pipeline_name": pipeline_name,
        "started_at": started_at,
        "finished_at": finished_at,
        "status": "failed" if error else "ok",
        "error": error,
        "load_id": load_id,
        "customer_ids": ",".join(run.tenants()) if error is None else None,
        "requests": sum(counts.values()),
        "connector_version": PACKAGE_VERSION,
    }
    coverage = []
    for resource in resources:
        synced, skipped = run.report.period_counts.get(resource, (None, None))
        coverage.append(
            {
                "run_id": run_id,
                "resource": resource,
                "finished_at": finished_at,
                "outcome": f"failed: {error}" if error else run.report.notes.get(resource, "ok"),
                "rows_loaded": None if error else stored.get(resource, 0),
                "requests": by_resource.get(resource, 0),
                "periods_synced": synced,
                "periods_skipped": skipped,
            }
        )
    return run_row, coverage


def _load(
    pipeline: dlt.Pipeline, schema_name: str, run_row: dict[str, Any], coverage: list[dict[str, Any]]
) -> None:
    schema = pipeline.schemas[schema_name] if schema_name in pipeline.schemas else dlt.Schema(schema_name)
    pipeline.run(
        [
            dlt.resource([run_row], name="sync_runs", write_disposition="append", columns=RUN_COLUMNS),
            dlt.resource(
                coverage, name="sync_coverage", write_disposition="append", columns=COVERAGE_COLUMNS
            ),
        ],
        schema=schema,
    )


def record_run(
    pipeline: dlt.Pipeline,
    run: SourceRun,
    run_id: str,
    started_at: datetime,
    resources: Sequence[str],
    stored: Mapping[str, int],
    load_id: str | None,
) -> None:
    """Append the run and its coverage after a successful load."""
    rows = _rows(run, run_id, pipeline.pipeline_name, started_at, resources, stored, load_id, None)
    _load(pipeline, run.name, *rows)


def mark_run_status(pipeline: dlt.Pipeline, run_id: str, status: str, message: str) -> None:
    """After the load: the run's transforms failed (`reconciliation_failed`, `transform_failed`)."""
    try:
        with pipeline.sql_client() as client:
            client.execute_sql(
                f"UPDATE {client.make_qualified_table_name('sync_runs')} SET status = %s, error = %s"
                " WHERE run_id = %s",
                status,
                message.splitlines()[0][:500] if message else None,
                run_id,
            )
    except Exception as exc:  # the transforms' failure matters more than its record
        logger.warning("could not record the run's status %s in sync_runs: %s", status, exc)


def record_failed_run(
    pipeline: dlt.Pipeline,
    run: SourceRun,
    run_id: str,
    started_at: datetime,
    resources: Sequence[str],
    exc: Exception,
) -> None:
    """Best effort: a failed run is visible in `sync_runs` unless its package is still pending."""
    if pipeline.has_pending_data:
        return  # the next run loads the pending package first; recording now would be ignored
    error = str(root_cause(exc)).splitlines()[0][:500]
    rows = _rows(run, run_id, pipeline.pipeline_name, started_at, resources, {}, None, error)
    try:
        _load(pipeline, run.name, *rows)
    except Exception as record_exc:  # the original failure matters more than its record
        logger.warning("could not record the failed run in sync_runs: %s", record_exc)
