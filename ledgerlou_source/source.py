"""The `ledgerlou_source` dlt source: every readable table of the LedgerLou API for one tenant."""

from collections.abc import Mapping
from typing import Any

import dlt
from dlt.common.typing import TSecretStrValue
from dlt.sources import DltResource

from lac_connector.kit.errors import ConfigError
from ledgerlou_source import settings
from ledgerlou_source.bank import bank_resources
from ledgerlou_source.config import LedgerLouSourceConfig
from ledgerlou_source.documents import DocumentLander, document_resources
from ledgerlou_source.fields import FieldSettings
from ledgerlou_source.invoices import invoice_resources
from ledgerlou_source.journal import journal_resources
from ledgerlou_source.keys import KEY_SETTINGS
from ledgerlou_source.ledger import account_resources, ledger_resources
from ledgerlou_source.payables import payables_resources
from ledgerlou_source.planner import Window, check_period
from ledgerlou_source.reports import report_resources
from ledgerlou_source.session import LedgerLouSession, build_session
from ledgerlou_source.tenant import tenant_resources


def field_settings(settings: Mapping[str, Any]) -> FieldSettings:
    """The settings naming open fields (key fields, journal line fields, money fields), checked."""
    return FieldSettings(
        {name: settings.get(name) for name in KEY_SETTINGS},
        {
            "intent": settings.get("line_intent_field"),
            "account": settings.get("line_account_field"),
            "document": settings.get("line_document_field"),
        },
        settings.get("money_fields"),
    )


def checked_window(
    start_period: str | None,
    end_period: str | None,
    lookback_months: int,
    full_refresh: bool,
    balance_history_days: int,
) -> Window:
    """The months settings, checked (a `ConfigError` names the first bad one)."""
    for name, value in (("lookback_months", lookback_months), ("balance_history_days", balance_history_days)):
        if value < 1:
            raise ConfigError(f"[sources.ledgerlou] {name} must be at least 1, got {value}")
    return Window(
        start_period=check_period(start_period, "start_period"),
        end_period=check_period(end_period, "end_period"),
        lookback_months=lookback_months,
        full_refresh=full_refresh,
    )


@dlt.source(
    name="ledgerlou",
    section="ledgerlou",
    spec=LedgerLouSourceConfig,
    max_table_nesting=settings.MAX_TABLE_NESTING,
)
def ledgerlou_source(
    api_key: TSecretStrValue | None = dlt.secrets.value,
    base_url: str | None = dlt.config.value,
    tenant: str | None = dlt.config.value,
    start_period: str | None = dlt.config.value,
    end_period: str | None = dlt.config.value,
    lookback_months: int = dlt.config.value,
    full_refresh: bool = dlt.config.value,
    concurrency: int = dlt.config.value,
    max_attempts: int = dlt.config.value,
    page_limit: int = dlt.config.value,
    journal_page_limit: int = dlt.config.value,
    report_types: list[str] | None = dlt.config.value,
    cumulative_report_types: list[str] | None = dlt.config.value,
    balance_history_days: int = dlt.config.value,
    entry_accounts: list[str] | None = dlt.config.value,
    base_currency: str | None = dlt.config.value,
    customer_id_field: str | None = dlt.config.value,
    vendor_id_field: str | None = dlt.config.value,
    sales_invoice_id_field: str | None = dlt.config.value,
    purchase_invoice_id_field: str | None = dlt.config.value,
    payment_run_id_field: str | None = dlt.config.value,
    bank_account_id_field: str | None = dlt.config.value,
    bank_transaction_id_field: str | None = dlt.config.value,
    inbox_item_id_field: str | None = dlt.config.value,
    review_case_id_field: str | None = dlt.config.value,
    line_intent_field: str | None = dlt.config.value,
    line_account_field: str | None = dlt.config.value,
    line_document_field: str | None = dlt.config.value,
    money_fields: dict[str, list[str]] | None = dlt.config.value,
    landing_url: str = dlt.config.value,
    land_documents: bool = dlt.config.value,
    land_document_previews: bool = dlt.config.value,
    land_datev_exports: bool = dlt.config.value,
    session: LedgerLouSession | None = None,
) -> list[DltResource]:
    """Every table of the LedgerLou API (see docs/ledgerlou.md); settings on `LedgerLouSourceConfig`.

    `session` is an already opened session (the `lac` command passes its own); it is built from
    the settings when omitted.
    """
    window = checked_window(start_period, end_period, lookback_months, full_refresh, balance_history_days)
    if session is None:
        session = build_session(
            api_key=api_key,
            base_url=base_url,
            tenant=tenant,
            field_settings=field_settings(locals()),  # this function's arguments: the settings
            base_currency=base_currency,
            page_limit=page_limit,
            journal_page_limit=journal_page_limit,
            concurrency=concurrency,
            max_attempts=max_attempts,
        )
    lander = DocumentLander(
        session,
        landing_url,
        documents=land_documents,
        previews=land_document_previews,
        datev=land_datev_exports,
    )
    driver, journal_tables = journal_resources(session, window, lander)
    return [
        *tenant_resources(session, history_days=balance_history_days),
        *ledger_resources(session, full_refresh=full_refresh),
        driver,
        *journal_tables,
        *account_resources(session, driver, entry_accounts or ()),
        *report_resources(
            session,
            driver,
            lander,
            report_types=settings.DEFAULT_REPORT_TYPES if report_types is None else report_types,
            cumulative_types=(
                settings.DEFAULT_CUMULATIVE_REPORT_TYPES
                if cumulative_report_types is None
                else cumulative_report_types
            ),
        ),
        *bank_resources(session, lander, full_refresh=full_refresh, history_days=balance_history_days),
        *invoice_resources(session, lander, full_refresh=full_refresh),
        *payables_resources(session, lander, full_refresh=full_refresh),
        *document_resources(session, lander),
    ]
