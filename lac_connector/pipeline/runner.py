"""Run one sync of any source into a destination (see `lac_connector.kit.protocol` for sources).

The steps are run one by one (extract, normalize, load) so that progress is visible, loader file
formats can be chosen per destination, and a package left behind by a crashed run is finished
first, exactly as `pipeline.run` would.
"""

import logging
import time
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import dlt
from dlt.common.pipeline import get_dlt_pipelines_dir

from lac_connector.kit.errors import ConfigError
from lac_connector.kit.progress import progress
from lac_connector.kit.protocol import SourceRun
from lac_connector.pipeline import destination as dest
from lac_connector.pipeline.lock import pipeline_lock
from lac_connector.pipeline.recovery import finish_pending
from lac_connector.pipeline.run_record import record_failed_run, record_run

logger = logging.getLogger("lac")


@dataclass
class RunOptions:
    pipeline_name: str = "lac"
    destination: str = "duckdb"
    dataset_name: str = "lac_dataset"
    resources: Sequence[str] | None = None
    pipelines_dir: str | None = None
    destination_credentials: Any = None


@dataclass
class RunSummary:
    pipeline: Any
    run: SourceRun
    run_id: str
    row_counts: dict[str, int]  # rows this run stored per root table
    requests: dict[str, int]
    seconds: float
    resumed_pending: bool


def open_pipeline(options: RunOptions) -> dlt.Pipeline:
    """The dlt pipeline of these options (its state in `pipelines_dir`)."""
    return dlt.pipeline(
        pipeline_name=options.pipeline_name,
        destination=dest.make_destination(
            options.destination, options.destination_credentials, options.pipeline_name
        ),
        dataset_name=options.dataset_name,
        pipelines_dir=options.pipelines_dir or get_dlt_pipelines_dir(),
    )


def run_sync(run: SourceRun, options: RunOptions) -> RunSummary:
    """Sync the selected tables of `run`'s source into the destination; finishes a crashed run first."""
    started = time.monotonic()
    pipelines_dir = options.pipelines_dir or get_dlt_pipelines_dir()
    dest.make_destination(options.destination, options.destination_credentials, options.pipeline_name)
    dest.check_duckdb_path(options.destination, options.destination_credentials, options.pipeline_name)
    source = _selected(run.source(), options.resources)
    selected = list(source.selected_resources)

    with pipeline_lock(pipelines_dir, options.pipeline_name):
        pipeline = open_pipeline(options)
        with dest.kept_open(pipeline):
            resumed = finish_pending(pipeline)
            progress.reset()
            run_id, started_at = uuid.uuid4().hex, datetime.now(UTC)
            try:
                logger.info("extracting from %s", run.name)
                pipeline.extract(source)
                logger.info("normalizing")
                normalize_info = pipeline.normalize()
                destination_name = pipeline.destination.destination_name
                logger.info("loading into %s dataset %r", destination_name, options.dataset_name)
                load_info = pipeline.load(**dest.load_workers(destination_name))
                load_info.raise_on_failed_jobs()
            except Exception as exc:
                record_failed_run(pipeline, run, run_id, started_at, selected, exc)
                raise
            load_id = load_info.loads_ids[-1] if load_info.loads_ids else None
            touched = [t for t in normalize_info.row_counts if not t.startswith("_dlt")]
            stored = _rows_loaded(pipeline, touched, load_id)
            dest.index_merge_keys(pipeline)
            record_run(pipeline, run, run_id, started_at, selected, stored, load_id)
    return RunSummary(
        pipeline=pipeline,
        run=run,
        run_id=run_id,
        row_counts=stored,
        requests=dict(run.request_counts()),
        seconds=time.monotonic() - started,
        resumed_pending=resumed,
    )


def _selected(source: Any, resources: Sequence[str] | None) -> Any:
    """`source` limited to `resources` (names of resources it selects by default)."""
    if not resources:
        return source
    known = list(source.selected_resources)
    unknown = sorted(set(resources) - set(known))
    if unknown:
        raise ConfigError(
            f"unknown resource(s) {', '.join(unknown)} in --resources; choose from: {', '.join(known)}"
        )
    return source.with_resources(*resources)


def _rows_loaded(pipeline: dlt.Pipeline, tables: Sequence[str], load_id: str | None) -> dict[str, int]:
    """Rows this load stored in each root table (tombstones are never stored, so they don't count).

    Nested (child) tables carry no load id and are left out.
    """
    schema_tables = pipeline.default_schema.tables
    roots = {t for t in pipeline.default_schema.data_table_names() if not schema_tables[t].get("parent")}
    counts: dict[str, int] = {}
    if load_id is None:
        return counts
    with pipeline.sql_client() as client:
        for table in tables:
            if table in roots:
                qualified = client.make_qualified_table_name(table)
                sql = f"SELECT COUNT(*) FROM {qualified} WHERE _dlt_load_id = %s"
                rows = client.execute_sql(sql, load_id)
                counts[table] = int(rows[0][0])
    return counts
