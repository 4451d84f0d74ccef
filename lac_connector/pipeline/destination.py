"""The destination side of a run: the dlt destination, its checks, and per-destination tuning."""

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import dlt
from dlt.common.destination import Destination

from lac_connector.kit.errors import ConfigError

# DuckDB's insert_values loader slows sharply past ~200k rows per load; parquet stays fast.
LOADER_FILE_FORMATS = {"duckdb": "parquet"}
# DuckDB runs every load job in this process; parallel jobs only add memory (measured: peak RSS
# 594 -> 482 MB at 1M rows). Other destinations keep dlt's default. `[load] workers` overrides.
LOAD_WORKERS = {"duckdb": 1}


def make_destination(name: str, credentials: Any, pipeline_name: str) -> Destination:
    """The dlt destination `name` (`duckdb`, `postgres` or any other dlt destination)."""
    # Each pipeline gets its own staging dataset, so pipelines of several companies can load
    # into one dataset in parallel (dlt issue 4297).
    layout = f"%s_staging_{pipeline_name}"
    try:
        file_format = LOADER_FILE_FORMATS.get(name)
        return Destination.from_reference(
            name,
            credentials=credentials,
            staging_dataset_name_layout=layout,
            # a capability, not an extract hint: it then covers table variants too
            **({"preferred_loader_file_format": file_format} if file_format else {}),
        )
    except Exception as exc:  # dlt raises UnknownDestinationModule & co.
        raise ConfigError(
            f"unknown destination {name!r}: use duckdb, postgres or another dlt destination name"
        ) from exc


def check_duckdb_path(name: str, credentials: Any, pipeline_name: str) -> None:
    """Fail before extracting anything when the DuckDB file cannot be written."""
    if name != "duckdb":
        return
    configured = credentials or dlt.config.get("destination.duckdb.credentials")
    if configured is not None and not isinstance(configured, str | Path):
        return  # a connection object or dict: dlt validates it
    path = Path(configured or f"{pipeline_name}.duckdb").expanduser().resolve()
    directory = path.parent
    if (
        not directory.is_dir()
        or not os.access(directory, os.W_OK)
        or (path.exists() and not os.access(path, os.W_OK))
    ):
        raise ConfigError(
            f"cannot write the DuckDB file {path}: set [destination.duckdb] credentials "
            "(or DESTINATION__DUCKDB__CREDENTIALS) to a path in a writable directory"
        )


@contextmanager
def kept_open(pipeline: dlt.Pipeline) -> Iterator[None]:
    """Keep an embedded DuckDB database open for the whole run.

    dlt opens the destination for each step and load job and closes it after. For DuckDB that
    means reloading the catalog on every open and a checkpoint on every close (measured: over a
    second of a 3.4 s incremental run). While one connection stays open, those are cheap.
    """
    if pipeline.destination.destination_name != "duckdb":
        yield
        return
    with pipeline.sql_client():
        yield


def load_workers(destination_name: str) -> dict[str, int]:
    configured = dlt.config.get("load.workers")
    workers = configured if configured is not None else LOAD_WORKERS.get(destination_name)
    return {"workers": int(workers)} if workers is not None else {}


def index_merge_keys(pipeline: dlt.Pipeline) -> None:
    """dlt creates no index on merge keys; PostgreSQL needs one for per-period delete-insert."""
    if pipeline.destination.destination_name != "postgres":
        return
    schema = pipeline.default_schema
    with pipeline.sql_client() as client:
        for table in schema.data_table_names():
            columns = schema.get_table_columns(table)
            key = [name for name, column in columns.items() if column.get("merge_key")]
            if not key:
                continue
            quoted = ", ".join(client.escape_column_name(c) for c in key)
            index = client.escape_column_name(f"{table}_merge_key_idx")
            client.execute_sql(
                f"CREATE INDEX IF NOT EXISTS {index} ON {client.make_qualified_table_name(table)} ({quoted})"
            )
