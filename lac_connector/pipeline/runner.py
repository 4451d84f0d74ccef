"""Run one sync of any source into a destination (see `lac_connector.kit.protocol` for sources).

The steps are run one by one (extract, normalize, load) so that progress is visible, loader file
formats can be chosen per destination, and a package left behind by a crashed run is finished
first, exactly as `pipeline.run` would. Every local check (`preflight.check_pipeline`) passes
before anything is written. A source run may name where its files land in a `landing` attribute;
the summary shows it.
"""

import logging
import time
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import dlt

from lac_connector.kit.duckdb_file import kept_open
from lac_connector.kit.errors import ConfigError
from lac_connector.kit.progress import progress
from lac_connector.kit.protocol import SourceRun
from lac_connector.pipeline import destination as dest
from lac_connector.pipeline.config import pipelines_dir as resolve_pipelines_dir
from lac_connector.pipeline.destination import Warehouse
from lac_connector.pipeline.lock import pipeline_lock
from lac_connector.pipeline.preflight import check_pipeline
from lac_connector.pipeline.recovery import finish_pending
from lac_connector.pipeline.run_record import record_failed_run, record_run

logger = logging.getLogger("lac")


@dataclass
class RunOptions:
    pipeline_name: str = "lac"
    destination: str = "duckdb"
    dataset_name: str = "lac_dataset"
    resources: Sequence[str] | None = None
    pipelines_dir: str | None = None  # default: `lac_connector.pipeline.config.pipelines_dir`
    destination_credentials: Any = None

    def checked(self) -> tuple[Warehouse, str]:
        """The warehouse and the absolute pipelines folder, once every local check passed."""
        folder = resolve_pipelines_dir(self.pipelines_dir)
        warehouse = check_pipeline(
            self.destination, self.destination_credentials, self.pipeline_name, self.dataset_name, folder
        )
        return warehouse, str(folder)


@dataclass
class RunSummary:
    pipeline: Any
    run: SourceRun
    run_id: str
    row_counts: dict[str, int]  # rows this run stored per root table
    requests: dict[str, int]
    seconds: float
    resumed_pending: bool
    warehouse: Warehouse
    landing: str | None  # where the source's files landed, if it lands any


def open_pipeline(options: RunOptions) -> dlt.Pipeline:
    """The dlt pipeline of these options (its state in the pipelines folder), after the local checks."""
    warehouse, folder = options.checked()
    return _pipeline(options, warehouse, folder)


def _pipeline(options: RunOptions, warehouse: Warehouse, folder: str) -> dlt.Pipeline:
    return dlt.pipeline(
        pipeline_name=options.pipeline_name,
        destination=warehouse.destination,
        dataset_name=options.dataset_name,
        pipelines_dir=folder,
    )


def recorded_options(options: RunOptions) -> RunOptions | None:
    """`options` with the destination and dataset the pipeline's local state recorded at its last
    run; None when there is no local state."""
    folder = resolve_pipelines_dir(options.pipelines_dir)
    if not (folder / options.pipeline_name / dlt.Pipeline.STATE_FILE).is_file():
        return None
    attached = dlt.attach(pipeline_name=options.pipeline_name, pipelines_dir=str(folder))
    if attached.destination is None or not attached.dataset_name:
        return None
    return replace(
        options, destination=attached.destination.destination_name, dataset_name=attached.dataset_name
    )


def open_loaded_pipeline(options: RunOptions, *, attach: bool) -> dlt.Pipeline:
    """The pipeline of an earlier run, for `lac transform`.

    With `attach`, its destination and dataset are the ones its local state recorded; otherwise
    those of `options` (the pipeline's schema then comes from the destination).
    """
    if attach:
        recorded = recorded_options(options)
        if recorded is None:
            raise ConfigError(
                f"no local pipeline {options.pipeline_name!r} in "
                f"{resolve_pipelines_dir(options.pipelines_dir)} to attach to: run `lac run` first, "
                "or pass --destination and --dataset-name"
            )
        options = recorded
    pipeline = open_pipeline(options)
    if not pipeline.default_schema_name:
        pipeline.sync_destination()
    if not pipeline.default_schema_name:
        raise ConfigError(f"pipeline {options.pipeline_name!r} has loaded nothing yet: run `lac run` first")
    return pipeline


def run_sync(run: SourceRun, options: RunOptions) -> RunSummary:
    """Sync the selected tables of `run`'s source into the destination; finishes a crashed run first."""
    started = time.monotonic()
    warehouse, folder = options.checked()
    source = _selected(run.source(), options.resources)
    selected = list(source.selected_resources)

    with pipeline_lock(folder, options.pipeline_name):
        fresh = not (Path(folder) / options.pipeline_name / dlt.Pipeline.STATE_FILE).exists()
        pipeline = _pipeline(options, warehouse, folder)
        with kept_open(pipeline):
            if fresh:  # no local state (new project copy, state deleted): continue from the warehouse's
                pipeline.sync_destination()
            resumed = finish_pending(pipeline)
            progress.reset()
            run_id, started_at = uuid.uuid4().hex, datetime.now(UTC)
            try:
                logger.info("extracting from %s", run.name)
                pipeline.extract(source)
                progress.finish()
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
        warehouse=warehouse,
        landing=getattr(run, "landing", None),
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
