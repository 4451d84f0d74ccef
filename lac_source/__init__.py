"""dlt source for The Last Accounting Company (LAC) Customer API.

Configuration lives in dlt's usual places, section `[sources.lac]`: `api_key` (a read-scoped
portal key, recommended) or `access_token` (a short-lived interactive session token that can
also read payroll and API keys) in `.dlt/secrets.toml` or `SOURCES__LAC__API_KEY`; everything
else in `.dlt/config.toml` or `SOURCES__LAC__<SETTING>`.
"""

from collections.abc import Sequence

import dlt
from dlt.common.typing import TSecretStrValue
from dlt.sources import DltResource

from lac_source import periods, settings
from lac_source.books import period_resources
from lac_source.client import LacClient
from lac_source.company import company_resources
from lac_source.documents import LandingSettings, documents_resources
from lac_source.errors import LacApiError, LacConfigError, LacError
from lac_source.invoicing import invoicing_resources
from lac_source.planner import SyncWindow
from lac_source.session import LacSession
from lac_source.workspace import workspace_resources

__all__ = ["lac_source", "build_session", "LacError", "LacApiError", "LacConfigError", "LacSession"]


def _check_token(value: str | None, setting: str) -> str | None:
    if value is None:
        return None
    token = str(value)
    if not token.strip():
        raise LacConfigError(
            f"[sources.lac] {setting} is empty: "
            f"set it in .dlt/secrets.toml or SOURCES__LAC__{setting.upper()}"
        )
    if any(ch.isspace() for ch in token):
        raise LacConfigError(
            f"[sources.lac] {setting} contains whitespace or a line break: "
            "paste the key without spaces or newlines"
        )
    return token


def _check_base_url(base_url: str) -> str:
    if not isinstance(base_url, str) or not base_url.startswith(("http://", "https://")):
        raise LacConfigError(
            f"[sources.lac] base_url must be an http(s) URL such as {settings.DEFAULT_BASE_URL}, "
            f"got {base_url!r}"
        )
    return base_url.rstrip("/")


def build_session(
    *,
    api_key: str | None,
    access_token: str | None,
    base_url: str = settings.DEFAULT_BASE_URL,
    customer_ids: Sequence[str] | None = None,
    read_timeout: float = settings.READ_TIMEOUT_S,
    max_attempts: int = settings.MAX_ATTEMPTS,
) -> LacSession:
    """Validate the credential settings and open the run's client."""
    key = _check_token(api_key, "api_key")
    token = _check_token(access_token, "access_token")
    if key and token:
        raise LacConfigError("set either [sources.lac] api_key or access_token, not both")
    if not key and not token:
        raise LacConfigError(
            "no LAC credential: set [sources.lac] api_key in .dlt/secrets.toml or SOURCES__LAC__API_KEY "
            "(a read-scoped key is enough)"
        )
    client = LacClient(
        _check_base_url(base_url),
        key or token or "",
        credential_setting="api_key" if key else "access_token",
        read_timeout=read_timeout,
        max_attempts=max_attempts,
    )
    return LacSession(client, is_api_key=bool(key), customer_ids=list(customer_ids or []) or None)


@dlt.source(name="lac", section="lac", max_table_nesting=settings.MAX_TABLE_NESTING)
def lac_source(
    api_key: TSecretStrValue | None = dlt.secrets.value,
    access_token: TSecretStrValue | None = dlt.secrets.value,
    base_url: str = settings.DEFAULT_BASE_URL,
    customer_ids: list[str] | None = None,
    start_period: str | None = None,
    end_period: str | None = None,
    lookback_months: int = settings.DEFAULT_LOOKBACK_MONTHS,
    full_refresh: bool = False,
    concurrency: int = 6,
    drill_account_codes: list[str] | None = None,
    max_attempts: int = settings.MAX_ATTEMPTS,
    landing_url: str = "landing",
    land_outputs: bool = True,
    land_uploads: bool = True,
    land_import_packages: bool = True,
    land_invoice_files: bool = False,
    land_uploads_export: bool = False,
    payroll_months: int = 12,
    session: LacSession | None = None,
) -> list[DltResource]:
    """Every readable table of the LAC Customer API for the companies the credential can access.

    Args:
        api_key: Portal API key (`lac_sk_...`); read scope is enough and recommended.
        access_token: Interactive session token; alternative to `api_key`, short-lived.
        base_url: API base URL including the `/portal` base path.
        customer_ids: Companies to sync (interactive tokens); default every accessible company.
        start_period: First month to sync (`YYYY-MM`); default the earliest the sheet offers.
        end_period: Last month to sync (`YYYY-MM`); default the current month in Finland.
        lookback_months: Recent months re-synced on every run (open month included).
        full_refresh: Re-sync every month regardless of fingerprints.
        concurrency: Parallel fingerprint probes per company (month fetches use dlt's extract workers).
        drill_account_codes: GL accounts for the opt-in `statement_drill` table.
        max_attempts: Attempts per request before a transient failure (429, 5xx, timeouts,
            dropped connections, truncated JSON) fails the run.
        landing_url: Where files land: a local folder or any fsspec URL (`s3://`, `gs://`, `az://`, `file://`).
        land_outputs: Land output package files (VAT return drafts, close reports).
        land_uploads: Land uploaded documents.
        land_import_packages: Land import runs' raw source packages.
        land_invoice_files: Also land each invoice's PDF and Finvoice XML (opt-in).
        land_uploads_export: Also land the zip of all uploads from `/uploads/export` (opt-in).
        payroll_months: Months of payroll loaded, ending at `end_period` (interactive tokens only).
        session: An already opened session (the `lac` command passes its own); built from the
            settings above when omitted.
    """
    for name, value in (("start_period", start_period), ("end_period", end_period)):
        if value is not None:
            periods.parse_period(value, f"[sources.lac] {name}")
    if lookback_months < 1:
        raise LacConfigError(f"[sources.lac] lookback_months must be at least 1, got {lookback_months}")
    if payroll_months < 1:
        raise LacConfigError(f"[sources.lac] payroll_months must be at least 1, got {payroll_months}")
    if session is None:
        session = build_session(
            api_key=api_key,
            access_token=access_token,
            base_url=base_url,
            customer_ids=customer_ids,
            max_attempts=max_attempts,
        )
    window = SyncWindow(
        start_period=start_period,
        end_period=end_period,
        lookback_months=lookback_months,
        full_refresh=full_refresh,
        concurrency=concurrency,
    )
    return [
        *company_resources(session),
        *period_resources(session, window, drill_account_codes=drill_account_codes or ()),
        *invoicing_resources(session),
        *workspace_resources(session, payroll_months=payroll_months, end_period=end_period),
        *documents_resources(
            session,
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
