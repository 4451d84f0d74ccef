"""Settings of a `lac` pipeline (not of a source): where it loads and under which name.

Resolved once by dlt from the top level of `.dlt/config.toml` or environment variables
(`PIPELINE_NAME`, `DESTINATION_NAME`, `DATASET_NAME`); command-line flags win.
"""

from collections.abc import Mapping
from typing import Any

from dlt.common.configuration import configspec, resolve_configuration
from dlt.common.configuration.specs import BaseConfiguration


@configspec
class PipelineConfig(BaseConfiguration):
    pipeline_name: str = "lac"
    """dlt pipeline name: its state, lock and (DuckDB) default file name."""
    destination_name: str = "duckdb"
    """dlt destination: `duckdb`, `postgres` or any other dlt destination."""
    dataset_name: str = "lac_dataset"
    """Dataset (schema) the tables and marts are loaded into."""


def resolve_pipeline_config(overrides: Mapping[str, Any] | None = None) -> PipelineConfig:
    explicit = {k: v for k, v in (overrides or {}).items() if v is not None}
    return resolve_configuration(PipelineConfig(), explicit_value=explicit)
