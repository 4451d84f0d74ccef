"""How the launcher tells the Streamlit app which warehouse to read: environment variables.

Credentials travel in the environment of the `streamlit run` process, never on its command line
(visible to every user in `ps`) and never in a log line.
"""

from __future__ import annotations

import os
from collections.abc import Mapping

from lac_connector.dashboard.warehouse import Warehouse, WarehouseUnavailable, open_warehouse

ENV_DESTINATION = "LAC_DASHBOARD_DESTINATION"
ENV_CREDENTIALS = "LAC_DASHBOARD_CREDENTIALS"
ENV_DATASET = "LAC_DASHBOARD_DATASET"


def warehouse_env(destination: str, credentials: str, dataset: str) -> dict[str, str]:
    """The variables `warehouse_from_env` reads."""
    return {ENV_DESTINATION: destination, ENV_CREDENTIALS: credentials, ENV_DATASET: dataset}


def warehouse_from_env(environ: Mapping[str, str] = os.environ) -> Warehouse:
    missing = [name for name in (ENV_DESTINATION, ENV_CREDENTIALS, ENV_DATASET) if not environ.get(name)]
    if missing:
        raise WarehouseUnavailable(
            f"{', '.join(missing)} not set: open the dashboard with `lac dashboard`"
            " or `python -m lac_connector.dashboard --duckdb FILE`"
        )
    return open_warehouse(environ[ENV_DESTINATION], environ[ENV_CREDENTIALS], environ[ENV_DATASET])
