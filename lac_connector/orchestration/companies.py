"""Which companies the orchestration syncs, with what credential, on which schedule.

Read with dlt's providers, like every other setting. The companies are the tables under
`[orchestration.companies]` (in `.dlt/secrets.toml`: they hold credentials), or the names listed in
`ORCHESTRATION__COMPANIES` (a JSON list, e.g. `["acme", "globex"]`, or a JSON object keyed by
name). Each company's credential is resolved from `[orchestration.companies.<name>]` or
`ORCHESTRATION__COMPANIES__<NAME>__API_KEY` (`ACCESS_TOKEN`, `CUSTOMER_IDS`); every other source
setting (base URL, periods, landing) is the shared `[sources.lac]`.
"""

import json
import re
from typing import Any

import dlt
from dlt.common.configuration import configspec, resolve_configuration
from dlt.common.configuration.specs import BaseConfiguration
from dlt.common.typing import TSecretStrValue

from lac_connector.kit.config import resolve_settings
from lac_connector.kit.errors import ConfigError
from lac_source import LacSourceConfig

COMPANIES_KEY = "orchestration.companies"
# A company name is a partition key, part of a pipeline name and of environment variable names.
COMPANY_NAME = re.compile(r"[a-z][a-z0-9_]*")
PIPELINE_PREFIX = "lac_"


@configspec
class CompanyConfig(BaseConfiguration):
    api_key: TSecretStrValue | None = None
    """The company's portal API key (read scope is enough)."""
    access_token: TSecretStrValue | None = None
    """Or an interactive session token (then `customer_ids` usually names the company)."""
    customer_ids: list[str] | None = None
    """Companies the session token syncs (default: every company it can access)."""


@configspec
class OrchestrationConfig(BaseConfiguration):
    cron_schedule: str = "0 5 * * *"
    """When the daily schedule starts a run for every company (cron)."""
    timezone: str = "Europe/Helsinki"
    """Time zone of `cron_schedule`."""
    max_retries: int = 2
    """Times a failed step (an API outage, a locked DuckDB file) is retried; configuration and
    credential errors are never retried."""
    retry_delay_seconds: int = 300
    """Wait before the first retry; doubled for each further one (with jitter)."""


def company_names() -> list[str]:
    """The configured companies, sorted; raises ConfigError when there are none or a name is bad."""
    value = dlt.config.get(COMPANIES_KEY)
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except ValueError:
            raise ConfigError(
                'ORCHESTRATION__COMPANIES must be a JSON list of company names, e.g. ["acme", "globex"]'
            ) from None
    names = list(value) if isinstance(value, dict | list) else []
    if not names:
        raise ConfigError(
            "no companies to orchestrate: add [orchestration.companies.<name>] with api_key (or "
            "access_token) to .dlt/secrets.toml, or list them in ORCHESTRATION__COMPANIES"
        )
    bad = [str(n) for n in names if not isinstance(n, str) or not COMPANY_NAME.fullmatch(n)]
    if bad:
        raise ConfigError(
            f"company name(s) {', '.join(map(repr, bad))} in [orchestration.companies]: use lower-case "
            "letters, digits and _ (a name is a partition key and part of the pipeline name)"
        )
    return sorted(names)


def pipeline_name(company: str) -> str:
    """The company's own dlt pipeline (its state, lock and staging dataset)."""
    return f"{PIPELINE_PREFIX}{company}"


def source_settings(company: str) -> dict[str, Any]:
    """`[sources.lac]` with the company's credential in place of any shared one."""
    config = resolve_configuration(CompanyConfig(), sections=("orchestration", "companies", company))
    if config.api_key is None and config.access_token is None:
        raise ConfigError(f"company {company!r} has no credential: set {credential_setting(company)}")
    if config.api_key is not None and config.access_token is not None:
        raise ConfigError(
            f"company {company!r} has both api_key and access_token: keep one in "
            f"[orchestration.companies.{company}]"
        )
    settings = resolve_settings(LacSourceConfig, "lac")
    settings.update(
        api_key=config.api_key, access_token=config.access_token, customer_ids=config.customer_ids
    )
    return settings


def credential_setting(company: str, setting: str = "api_key") -> str:
    """Where `company`'s credential is set, for messages."""
    return (
        f"{setting} in [orchestration.companies.{company}] of .dlt/secrets.toml or "
        f"ORCHESTRATION__COMPANIES__{company.upper()}__{setting.upper()}"
    )


def orchestration_config() -> OrchestrationConfig:
    return resolve_configuration(OrchestrationConfig(), sections=("orchestration",))
