"""The `lac_source` dlt source: every resource of the LAC Customer API."""

import dlt
from dlt.common.typing import TSecretStrValue
from dlt.sources import DltResource

from lac_connector.kit.errors import ConfigError
from lac_source import periods, settings
from lac_source.books import period_resources
from lac_source.company import company_resources
from lac_source.config import LacSourceConfig
from lac_source.documents import LandingSettings, documents_resources
from lac_source.invoicing import invoicing_resources
from lac_source.list_keys import ListKeys
from lac_source.planner import SyncWindow
from lac_source.session import LacSession, build_session
from lac_source.workspace import workspace_resources


@dlt.source(name="lac", section="lac", spec=LacSourceConfig, max_table_nesting=settings.MAX_TABLE_NESTING)
def lac_source(
    api_key: TSecretStrValue | None = dlt.secrets.value,
    access_token: TSecretStrValue | None = dlt.secrets.value,
    base_url: str = dlt.config.value,
    customer_ids: list[str] | None = dlt.config.value,
    start_period: str | None = dlt.config.value,
    end_period: str | None = dlt.config.value,
    lookback_months: int = dlt.config.value,
    full_refresh: bool = dlt.config.value,
    concurrency: int = dlt.config.value,
    unpaginated_max_rows: int = dlt.config.value,
    recheck_every_runs: int = dlt.config.value,
    drill_account_codes: list[str] | None = dlt.config.value,
    max_attempts: int = dlt.config.value,
    landing_url: str = dlt.config.value,
    land_outputs: bool = dlt.config.value,
    land_uploads: bool = dlt.config.value,
    land_import_packages: bool = dlt.config.value,
    land_invoice_files: bool = dlt.config.value,
    land_uploads_export: bool = dlt.config.value,
    payroll_months: int = dlt.config.value,
    upload_name_field: str | None = dlt.config.value,
    output_id_field: str | None = dlt.config.value,
    import_run_id_field: str | None = dlt.config.value,
    invoice_id_field: str | None = dlt.config.value,
    template_id_field: str | None = dlt.config.value,
    message_id_field: str | None = dlt.config.value,
    party_id_field: str | None = dlt.config.value,
    connection_id_field: str | None = dlt.config.value,
    employee_id_field: str | None = dlt.config.value,
    payroll_run_id_field: str | None = dlt.config.value,
    session: LacSession | None = None,
) -> list[DltResource]:
    """Every readable table of the LAC Customer API for the companies the credential can access.

    The settings are documented on `LacSourceConfig`. `session` is an already opened session
    (the `lac` command passes its own); it is built from the settings when omitted.
    """
    for name, value in (("start_period", start_period), ("end_period", end_period)):
        if value is not None:
            periods.parse_period(value, f"[sources.lac] {name}")
    if lookback_months < 1:
        raise ConfigError(f"[sources.lac] lookback_months must be at least 1, got {lookback_months}")
    for name, value in (("concurrency", concurrency), ("recheck_every_runs", recheck_every_runs)):
        if value < 1:
            raise ConfigError(f"[sources.lac] {name} must be at least 1, got {value}")
    if unpaginated_max_rows < 0:
        raise ConfigError(f"[sources.lac] unpaginated_max_rows must be 0 or more, got {unpaginated_max_rows}")
    if payroll_months < 1:
        raise ConfigError(f"[sources.lac] payroll_months must be at least 1, got {payroll_months}")
    if session is None:
        session = build_session(
            api_key=api_key,
            access_token=access_token,
            base_url=base_url,
            customer_ids=customer_ids,
            max_attempts=max_attempts,
        )
    keys = ListKeys(
        session.report,
        {
            "upload_name_field": upload_name_field,
            "output_id_field": output_id_field,
            "import_run_id_field": import_run_id_field,
            "invoice_id_field": invoice_id_field,
            "template_id_field": template_id_field,
            "message_id_field": message_id_field,
            "party_id_field": party_id_field,
            "connection_id_field": connection_id_field,
            "employee_id_field": employee_id_field,
            "payroll_run_id_field": payroll_run_id_field,
        },
    )
    window = SyncWindow(
        start_period=start_period,
        end_period=end_period,
        lookback_months=lookback_months,
        full_refresh=full_refresh,
        concurrency=concurrency,
        unpaginated_max_rows=unpaginated_max_rows,
        recheck_every_runs=recheck_every_runs,
    )
    return [
        *company_resources(session),
        *period_resources(session, window, drill_account_codes=drill_account_codes or ()),
        *invoicing_resources(session, keys),
        *workspace_resources(session, keys, payroll_months=payroll_months, end_period=end_period),
        *documents_resources(
            session,
            keys,
            LandingSettings(
                url=landing_url,
                outputs=land_outputs,
                uploads=land_uploads,
                import_packages=land_import_packages,
                invoice_files=land_invoice_files,
                uploads_export=land_uploads_export,
            ),
        ),
    ]
