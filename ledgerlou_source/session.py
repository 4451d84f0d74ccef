"""Per-run access to the LedgerLou API: the client, the run report, the tenant and shared lookups.

Lists several resources need (periods, accounts, invoices, bank accounts and transactions, a
reconciliation for the base currency) are read once per run through `shared`, whichever resource
asks first; so a run never requests the same list twice.
"""

import logging
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from lac_connector.kit.errors import ConfigError, ForbiddenError
from lac_connector.kit.http import BACKOFF_MAX_S, READ_TIMEOUT_S, ApiClient, ApiHints
from lac_connector.kit.report import RunReport
from ledgerlou_source import settings
from ledgerlou_source.fields import FieldSettings
from ledgerlou_source.keys import ListKeys
from ledgerlou_source.money import MoneyColumns

logger = logging.getLogger("lac")

DEFAULT_BASE_CURRENCY = "EUR"


class LedgerLouSession:
    """Shared state of one run against one API key (one tenant)."""

    def __init__(
        self,
        client: ApiClient,
        tenant: str,
        *,
        field_settings: FieldSettings | None = None,
        base_currency: str | None = None,
        page_limit: int = settings.DEFAULT_PAGE_LIMIT,
        journal_page_limit: int = settings.DEFAULT_JOURNAL_PAGE_LIMIT,
        concurrency: int = settings.DEFAULT_CONCURRENCY,
    ) -> None:
        self.client = client
        self.tenant = tenant
        self.fields = field_settings or FieldSettings()
        self.page_limit = page_limit
        self.journal_page_limit = journal_page_limit
        self.concurrency = concurrency
        self.report = RunReport()
        self.keys = ListKeys(self.report, self.fields.key_fields)
        self._base_currency = base_currency.upper() if base_currency else None
        self._lock = threading.Lock()
        self._shared: dict[str, Any] = {}
        self._shared_locks: dict[str, threading.Lock] = {}
        self._money: dict[str, MoneyColumns] = {}

    def shared(self, name: str, read: Callable[[], Any]) -> Any:
        """`read()` once per run under `name`; every later caller gets the same answer."""
        with self._lock:
            lock = self._shared_locks.setdefault(name, threading.Lock())
        with lock:
            if name not in self._shared:
                self._shared[name] = read()
            return self._shared[name]

    def money(self, table: str) -> MoneyColumns:
        """The money normalizer of `table` for this run (one per table: it learns decimal fields)."""
        with self._lock:
            if table not in self._money:
                self._money[table] = MoneyColumns(
                    table, self.fields.money_paths(table), lambda: self.base_currency
                )
            return self._money[table]

    @property
    def base_currency(self) -> str:
        """The setting, else the `base_currency` a bank reconciliation reports, else EUR."""
        if self._base_currency is None:
            self._base_currency = self.shared("base_currency", self._discover_base_currency)
        return self._base_currency

    def _discover_base_currency(self) -> str:
        from ledgerlou_source.bank import first_reconciliation  # the bank module owns those reads

        try:
            reconciliation = first_reconciliation(self)
        except ForbiddenError:
            reconciliation = None
        value = reconciliation.get("base_currency") if isinstance(reconciliation, dict) else None
        if isinstance(value, str) and value:
            return value.upper()
        logger.info(
            "no bank reconciliation names the base currency; assuming %s ([sources.ledgerlou] base_currency)",
            DEFAULT_BASE_CURRENCY,
        )
        return DEFAULT_BASE_CURRENCY

    @contextmanager
    def scope(self, resource: str) -> Iterator[None]:
        """Run a resource's reads; a 403 (scope missing) skips the resource with a note, not the run."""
        try:
            yield
        except ForbiddenError as exc:
            logger.warning("%s skipped: %s", resource, exc)
            self.report.note(resource, f"skipped: 403 {_first_line(exc)}")


def _first_line(exc: Exception) -> str:
    return str(exc).splitlines()[0][:300]


def _check_api_key(value: str | None) -> str:
    if value is None or not str(value).strip():
        raise ConfigError(
            "no LedgerLou credential: set [sources.ledgerlou] api_key in .dlt/secrets.toml or "
            "SOURCES__LEDGERLOU__API_KEY"
        )
    token = str(value)
    if any(ch.isspace() for ch in token):
        raise ConfigError(
            "[sources.ledgerlou] api_key contains whitespace or a line break: "
            "paste the key without spaces or newlines"
        )
    return token


def _check_base_url(base_url: str | None) -> str:
    if not isinstance(base_url, str) or not base_url.startswith(("http://", "https://")):
        raise ConfigError(
            "[sources.ledgerlou] base_url must be the http(s) URL the LedgerLou API is served at "
            f"(without /v1), got {base_url!r}: set it in .dlt/config.toml or SOURCES__LEDGERLOU__BASE_URL"
        )
    url = base_url.rstrip("/")
    return url[: -len("/v1")] if url.endswith("/v1") else url


def _check_tenant(tenant: str | None) -> str:
    if tenant is None or not str(tenant).strip():
        raise ConfigError(
            "[sources.ledgerlou] tenant is not set: choose a stable label for the books this API key "
            "reads (every row's tenant_id), e.g. SOURCES__LEDGERLOU__TENANT=acme"
        )
    return str(tenant).strip()


def ledgerlou_hints() -> ApiHints:
    return ApiHints(
        api_name=settings.API_NAME,
        credential="api_key in [sources.ledgerlou] of .dlt/secrets.toml or SOURCES__LEDGERLOU__API_KEY",
        base_url="[sources.ledgerlou] base_url points at the LedgerLou API (the URL /v1/... is served under)",
        forbidden="the API key lacks the scope for this endpoint",
    )


def build_session(
    *,
    api_key: str | None,
    base_url: str | None,
    tenant: str | None,
    field_settings: FieldSettings | None = None,
    base_currency: str | None = None,
    page_limit: int = settings.DEFAULT_PAGE_LIMIT,
    journal_page_limit: int = settings.DEFAULT_JOURNAL_PAGE_LIMIT,
    concurrency: int = settings.DEFAULT_CONCURRENCY,
    max_attempts: int = 6,
    read_timeout: float = READ_TIMEOUT_S,
    backoff_max: float = BACKOFF_MAX_S,
) -> LedgerLouSession:
    """Validate the settings the session needs and open its client (no request is made yet).

    `read_timeout` and `backoff_max` (the longest pause between retries, `Retry-After` aside)
    are for tests; runs use the client's defaults."""
    for name, value, low in (
        ("page_limit", page_limit, 1),
        ("journal_page_limit", journal_page_limit, 2),
        ("concurrency", concurrency, 1),
        ("max_attempts", max_attempts, 1),
    ):
        if not isinstance(value, int) or value < low:
            raise ConfigError(
                f"[sources.ledgerlou] {name} must be an integer of at least {low}, got {value!r}"
            )
    client = ApiClient(
        _check_base_url(base_url),
        _check_api_key(api_key),
        ledgerlou_hints(),
        read_timeout=read_timeout,
        max_attempts=max_attempts,
        backoff_max=backoff_max,
        exact_decimals=True,
    )
    return LedgerLouSession(
        client,
        _check_tenant(tenant),
        field_settings=field_settings,
        base_currency=base_currency,
        page_limit=page_limit,
        journal_page_limit=journal_page_limit,
        concurrency=concurrency,
    )
