"""Settings of a `lac` pipeline (not of a source): where it loads, under which name, where its state lives.

Resolved once by dlt from the top level of `.dlt/config.toml` or environment variables
(`PIPELINE_NAME`, `DESTINATION_NAME`, `DATASET_NAME`, `PIPELINES_DIR`); command-line flags win.
Relative paths are relative to the project folder: the working directory, which `lac
--project-dir` (or dlt's `DLT_PROJECT_DIR`) sets.
"""

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from dlt.common.configuration import configspec, resolve_configuration
from dlt.common.configuration.specs import BaseConfiguration

# Pipeline state (dlt's working folders) lives in the project, never in a machine-wide folder
# (`/var/dlt` for root) that every clone on the machine would share.
PROJECT_PIPELINES_DIR = Path(".lac") / "pipelines"


@configspec
class PipelineConfig(BaseConfiguration):
    pipeline_name: str | None = None
    """dlt pipeline name: its state, lock and (DuckDB) default file name (default: the source's
    name, `lac` or `ledgerlou`, so the two sources never share state)."""
    destination_name: str = "duckdb"
    """dlt destination: `duckdb`, `postgres` or any other dlt destination."""
    dataset_name: str = "lac_dataset"
    """Dataset (schema) the tables and marts are loaded into."""
    pipelines_dir: str | None = None
    """Folder of the pipelines' state (default: see `pipelines_dir`)."""


def resolve_pipeline_config(overrides: Mapping[str, Any] | None = None) -> PipelineConfig:
    explicit = {k: v for k, v in (overrides or {}).items() if v is not None}
    return resolve_configuration(PipelineConfig(), explicit_value=explicit)


def pipelines_dir(configured: str | None = None) -> Path:
    """Where pipeline state lives: `configured` (flag or `pipelines_dir` setting), else
    `$DLT_DATA_DIR/pipelines` when dlt's `DLT_DATA_DIR` is set, else `.lac/pipelines` in the
    project folder. Always absolute."""
    if configured:
        return Path(configured).expanduser().absolute()
    if os.environ.get("DLT_DATA_DIR"):
        return Path(os.environ["DLT_DATA_DIR"]).expanduser().absolute() / "pipelines"
    return PROJECT_PIPELINES_DIR.absolute()
