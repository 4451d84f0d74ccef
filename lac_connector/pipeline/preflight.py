"""Refuse, before anything is written, a pipeline configuration that cannot work.

Each check raises a one-line `ConfigError` naming what to fix: an unknown destination or missing
credentials, credentials in a file dlt refuses them in, an unwritable DuckDB file or pipelines
folder, and a dataset that DuckDB could not tell from the database file's own catalog.
"""

from pathlib import Path

from lac_connector.kit.errors import ConfigError
from lac_connector.kit.paths import unwritable_reason
from lac_connector.pipeline.destination import Warehouse, resolve_warehouse, staging_dataset_layout


def check_pipeline(
    destination: str, credentials: object, pipeline_name: str, dataset_name: str, pipelines_dir: Path
) -> Warehouse:
    """The warehouse a run of this pipeline loads into, once every local check passed."""
    warehouse = resolve_warehouse(destination, credentials, pipeline_name, dataset_name)
    if warehouse.duckdb_path is not None:
        _check_duckdb(warehouse.duckdb_path, pipeline_name, dataset_name)
    reason = unwritable_reason(pipelines_dir)
    if reason:
        raise ConfigError(
            f"cannot keep pipeline state in {pipelines_dir}: {reason}; set --pipelines-dir "
            "(or pipelines_dir in .dlt/config.toml, PIPELINES_DIR) to a writable folder"
        )
    return warehouse


def duckdb_catalog(path: Path) -> str:
    """The catalog name DuckDB gives a database file: its name up to the first dot."""
    return path.name.split(".", 1)[0]


def _check_duckdb(path: Path, pipeline_name: str, dataset_name: str) -> None:
    reason = unwritable_reason(path, is_file=True)
    if reason:
        raise ConfigError(
            f"cannot write the DuckDB file {path}: {reason}; set [destination.duckdb] credentials "
            "in .dlt/secrets.toml (or DESTINATION__DUCKDB__CREDENTIALS) to a path in a writable folder"
        )
    catalog = duckdb_catalog(path)
    staging = staging_dataset_layout(pipeline_name) % dataset_name
    clash = next((d for d in (dataset_name, staging) if d.casefold() == catalog.casefold()), None)
    if clash is not None:
        raise ConfigError(
            f"dataset {clash!r} has the name DuckDB gives the database file {path.name}, so its "
            "tables could not be told apart: choose another --dataset-name or DuckDB file name"
        )
