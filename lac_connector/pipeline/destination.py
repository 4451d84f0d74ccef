"""The destination side of a run: the dlt destination, where it is, and per-destination tuning."""

import logging
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import dlt
from dlt.common.configuration.exceptions import ConfigFieldMissingException, ValueNotSecretException
from dlt.common.destination import Destination

from lac_connector.kit.errors import ConfigError

logger = logging.getLogger("lac")

# DuckDB's insert_values loader slows sharply past ~200k rows per load; parquet stays fast.
LOADER_FILE_FORMATS = {"duckdb": "parquet"}
# DuckDB runs every load job in this process; parallel jobs only add memory (measured: peak RSS
# 594 -> 482 MB at 1M rows). Other destinations keep dlt's default. `[load] workers` overrides.
LOAD_WORKERS = {"duckdb": 1}
# Bound DuckDB's memory (it spills to disk beyond the limit; its own default is 80 % of RAM) and
# threads: 96MB with one thread holds a 1M-row backfill and its transforms at ~390 MB peak RSS.
# Applied in code so they hold wherever `lac` starts; each key of the credentials' `global_config`
# (`.dlt/secrets.toml` or DESTINATION__DUCKDB__CREDENTIALS__GLOBAL_CONFIG) overrides its default.
DUCKDB_GLOBAL_CONFIG: dict[str, Any] = {
    "memory_limit": "96MB",
    "threads": 1,
    "preserve_insertion_order": False,
}
# The default DuckDB warehouse, `lac.duckdb` in the project folder, shared by every pipeline.
DEFAULT_DUCKDB_NAME = "lac"


@dataclass(frozen=True)
class Warehouse:
    """Where a pipeline loads: the dlt destination with its credentials resolved, and where that is.

    `duckdb_path` is the absolute DuckDB file; `server` names a database server without the
    password (`user@host:port/database`).
    """

    destination: Destination
    duckdb_path: Path | None = None
    server: str | None = None
    credentials: Any = field(default=None, repr=False)  # resolved; holds secrets, never printed

    def connection_url(self) -> str:
        """The DuckDB file path, or the server's connection URL (with its password: pass it on in
        an environment variable, never on a command line or in a log)."""
        if self.duckdb_path is not None:
            return str(self.duckdb_path)
        return str(self.credentials.to_native_representation())

    @property
    def name(self) -> str:
        return self.destination.destination_name

    def describe(self) -> str:
        """Where the data goes, for people: a DuckDB file, a server, or the destination's name."""
        if self.duckdb_path is not None:
            return f"DuckDB file {self.duckdb_path}"
        if self.server is not None:
            return f"{destination_kind(self.destination)} {self.server}"
        return self.name


def resolve_warehouse(
    name: str, credentials: Any, pipeline_name: str, dataset_name: str, *, read_only: bool = False
) -> Warehouse:
    """The destination `name` with its configuration resolved now, so a missing or misplaced
    setting fails before anything is written. DuckDB gets an absolute file path (default:
    `lac.duckdb` in the project folder), `DUCKDB_GLOBAL_CONFIG`, and `read_only`."""
    destination = make_destination(name, credentials, pipeline_name)
    config = _resolved_config(destination, dataset_name)
    resolved = config.credentials
    if destination_kind(destination) == "duckdb":
        if resolved.external_conn() is not None:  # a connection passed in code: used as it is
            return Warehouse(destination)
        resolved.global_config = {**DUCKDB_GLOBAL_CONFIG, **(resolved.global_config or {})}
        resolved.read_only = resolved.read_only or read_only
        return Warehouse(
            make_destination(name, resolved, pipeline_name),
            duckdb_path=Path(resolved.database),
            credentials=resolved,
        )
    return Warehouse(destination, server=_server(resolved), credentials=resolved)


def destination_kind(destination: Destination) -> str:
    """`duckdb`, `postgres`, ...: the destination's type, whatever name it was configured under."""
    return destination.destination_type.rsplit(".", 1)[-1]


def make_destination(name: str, credentials: Any, pipeline_name: str) -> Destination:
    """The dlt destination `name` (`duckdb`, `postgres` or any other dlt destination)."""
    # Each pipeline gets its own staging dataset, so pipelines of several companies can load
    # into one dataset in parallel (dlt issue 4297).
    layout = staging_dataset_layout(pipeline_name)
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


def staging_dataset_layout(pipeline_name: str) -> str:
    return f"%s_staging_{pipeline_name}"


def _resolved_config(destination: Destination, dataset_name: str) -> Any:
    name = destination.destination_name
    spec = destination.spec()
    if hasattr(spec, "pipeline_name"):  # local files (DuckDB): default names and relative paths
        # dlt names the default file after the pipeline; every pipeline of a project (LAC,
        # LedgerLou, one per company) shares one warehouse file instead
        spec.pipeline_name = DEFAULT_DUCKDB_NAME
        spec.local_dir = str(Path.cwd())
    try:
        return destination.configuration(spec._bind_dataset_name(dataset_name=dataset_name))
    except ValueNotSecretException as exc:
        raise ConfigError(
            f"{exc.provider_name} cannot hold {exc.key} (dlt treats credentials as secrets): "
            f"move it to .dlt/secrets.toml or set {exc.key.upper().replace('.', '__')}"
        ) from None
    except ConfigFieldMissingException as exc:
        raise ConfigError(
            f"the {name} destination is missing {', '.join(exc.fields)}: set [destination.{name}] "
            f"credentials in .dlt/secrets.toml or DESTINATION__{name.upper()}__CREDENTIALS"
        ) from None


def _server(credentials: Any) -> str | None:
    """`user@host:port/database` of server credentials (never the password), if they have a host."""
    host = getattr(credentials, "host", None)
    if not host:
        return None
    user = getattr(credentials, "username", None)
    port = getattr(credentials, "port", None)
    database = getattr(credentials, "database", None)
    return f"{user + '@' if user else ''}{host}{f':{port}' if port else ''}/{database or ''}"


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
