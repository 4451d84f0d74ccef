"""Scheduled runs of the LAC connector on Dagster, one partition per company (docs/orchestration.md).

    pip install -e ".[dagster]"
    dagster dev -f pipelines/dagster_defs.py      # from the project folder (its .dlt/ is read)

The companies and their credentials are `[orchestration.companies.<name>]` in `.dlt/secrets.toml`
(or environment variables); everything else is the project's usual configuration.
"""

from lac_connector.orchestration.definitions import build_definitions

defs = build_definitions()
