"""`lac status`: is my warehouse complete, and as of when? Read from the warehouse, written nowhere.

Per table: the latest outcome, the rows the latest run stored and the rows the table holds now,
when it was last synced and when it last completed (`ok`), from `sync_coverage` and `sync_runs`
of one pipeline (see `run_record`). Then the `reconciliation` table as it is, if the dataset has
one: the transforms own its columns, so its rows are printed generically.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from dlt.common.schema import Schema
from dlt.destinations.exceptions import DatabaseUndefinedRelation

from lac_connector.kit.errors import ConfigError
from lac_connector.pipeline.destination import Warehouse

MAX_RECONCILIATION_ROWS = 10

LATEST_SQL = """
with mine as (
  select c.* from {coverage} c join {runs} r on r.run_id = c.run_id where r.pipeline_name = %s
), latest as (
  select m.*, row_number() over (partition by resource order by finished_at desc) as rn from mine m
)
select l.resource, l.outcome, l.rows_loaded, l.finished_at,
       (select max(o.finished_at) from mine o where o.resource = l.resource and o.outcome = 'ok')
from latest l where l.rn = 1 order by l.resource
"""
LAST_RUN_SQL = """
select status, finished_at, error, requests, customer_ids from {runs}
where pipeline_name = %s order by started_at desc limit 1
"""


@dataclass(frozen=True)
class TableStatus:
    table: str
    outcome: str
    rows_last_run: int | None
    rows_now: int | None  # None: the resource has no table of that name (yet)
    last_run_at: datetime | None
    complete_as_of: datetime | None


@dataclass(frozen=True)
class Reconciliation:
    columns: list[str]
    rows: list[tuple[Any, ...]]  # the latest run's rows (by `run_at`, when the table has it)


@dataclass(frozen=True)
class Status:
    pipeline_name: str
    where: str
    dataset_name: str
    last_run: tuple[Any, ...]  # status, finished_at, error, requests, customer_ids
    tables: list[TableStatus]
    reconciliation: Reconciliation | None


def read_status(warehouse: Warehouse, dataset_name: str, pipeline_name: str) -> Status:
    """What `lac status` prints, read from the warehouse (DuckDB is opened read-only)."""
    if warehouse.duckdb_path is not None and not warehouse.duckdb_path.exists():
        raise ConfigError(f"no warehouse at {warehouse.duckdb_path}: run `lac run` first")
    config = warehouse.destination.spec()._bind_dataset_name(dataset_name=dataset_name)
    with warehouse.destination.client(Schema(pipeline_name), config).sql_client as client:  # type: ignore[attr-defined]
        runs = client.make_qualified_table_name("sync_runs")
        coverage = client.make_qualified_table_name("sync_coverage")
        try:
            last = client.execute_sql(LAST_RUN_SQL.format(runs=runs), pipeline_name)
            latest = client.execute_sql(LATEST_SQL.format(coverage=coverage, runs=runs), pipeline_name)
        except DatabaseUndefinedRelation:
            raise ConfigError(
                f"dataset {dataset_name!r} in {warehouse.describe()} has no sync_runs: run `lac run` first"
            ) from None
        if not last:
            others = client.execute_sql(f"select distinct pipeline_name from {runs} order by 1")
            raise ConfigError(
                f"no runs of pipeline {pipeline_name!r} in dataset {dataset_name!r}; pipelines "
                f"found: {', '.join(r[0] for r in others) or 'none'} (choose one with --pipeline-name)"
            )
        tables = [
            TableStatus(resource, outcome, rows, _count(client, resource), finished, complete)
            for resource, outcome, rows, finished, complete in latest
        ]
        reconciliation = _reconciliation(client)
    return Status(pipeline_name, warehouse.describe(), dataset_name, last[0], tables, reconciliation)


def _count(client: Any, table: str) -> int | None:
    try:
        rows = client.execute_sql(f"select count(*) from {client.make_qualified_table_name(table)}")
        return int(rows[0][0])
    except DatabaseUndefinedRelation:
        return None


def _reconciliation(client: Any) -> Reconciliation | None:
    table = client.make_qualified_table_name("reconciliation")
    try:
        with client.execute_query(f"select * from {table}") as cursor:
            columns = [c[0] for c in cursor.description]
            rows = cursor.fetchall()
    except DatabaseUndefinedRelation:
        return None
    if "run_at" in columns and rows:
        at = columns.index("run_at")
        latest = max(r[at] for r in rows if r[at] is not None)
        rows = [r for r in rows if r[at] == latest]
    return Reconciliation(columns, rows)


def _when(value: datetime | None) -> str:
    if value is None:
        return "never"
    return (value.astimezone(UTC) if value.tzinfo else value).strftime("%Y-%m-%d %H:%M:%S")


def _number(value: int | None) -> str:
    return f"{value:,}" if value is not None else "-"


def format_status(status: Status) -> list[str]:
    """The lines `lac status` prints."""
    state, finished, error, requests, customers = status.last_run
    lines = [
        f"Pipeline {status.pipeline_name!r}: dataset {status.dataset_name!r} in {status.where}",
        f"Last run: {state}, finished {_when(finished)} UTC, {_number(requests)} API requests"
        + (f", companies {customers}" if customers else "")
        + (f"\n  error: {error}" if error else ""),
        "",
        f"{'table':<26} {'rows now':>10} {'last run':>10}  {'last synced (UTC)':<19}  "
        f"{'complete as of (UTC)':<20}  latest outcome",
    ]
    for t in status.tables:
        lines.append(
            f"{t.table:<26} {_number(t.rows_now):>10} {_number(t.rows_last_run):>10}  "
            f"{_when(t.last_run_at):<19}  {_when(t.complete_as_of):<20}  {t.outcome}"
        )
    lines += ["", *_reconciliation_lines(status.reconciliation)]
    return lines


def _reconciliation_lines(reconciliation: Reconciliation | None) -> Sequence[str]:
    if reconciliation is None:
        return ["Reconciliation: no reconciliation table (run `lac transform`)"]
    rows = reconciliation.rows
    lines = [f"Reconciliation: {len(rows)} row(s) in the reconciliation table"]
    for row in rows[:MAX_RECONCILIATION_ROWS]:
        lines.append("  " + ", ".join(f"{c}={v}" for c, v in zip(reconciliation.columns, row, strict=True)))
    if len(rows) > MAX_RECONCILIATION_ROWS:
        lines.append(f"  ... and {len(rows) - MAX_RECONCILIATION_ROWS} more")
    return lines
