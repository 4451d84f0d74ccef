"""Per-run access to the LAC API: the client, the run report, and lookups several resources share.

Caching here is what keeps "no request made twice": `/me`, `/customers` and `/company` are read
once per run however many resources need them.
"""

import logging
import threading
from collections.abc import Sequence
from functools import cached_property
from typing import Any

from lac_connector.kit.errors import ConfigError
from lac_connector.kit.http import READ_TIMEOUT_S, ApiClient, ApiHints
from lac_connector.kit.report import RunReport
from lac_source import settings

logger = logging.getLogger("lac")


def customer_id_of(item: dict[str, Any]) -> str | None:
    """The company id of a `/customers` entry (its interior is open: `customer_id` or `id`)."""
    value = item.get("customer_id") or item.get("id")
    return str(value) if value is not None else None


class LacSession:
    """Shared state of one run against one credential."""

    def __init__(self, client: ApiClient, *, is_api_key: bool, customer_ids: list[str] | None = None) -> None:
        self.client = client
        self.is_api_key = is_api_key
        self.report = RunReport()
        self._selected = customer_ids
        self._companies: dict[str, dict[str, Any]] = {}
        self._lock = threading.Lock()
        self._shared: dict[tuple[str, str], Any] = {}
        self._shared_locks: dict[tuple[str, str], threading.Lock] = {}

    @cached_property
    def me(self) -> dict[str, Any]:
        return self.client.get_json("/me") or {}

    @cached_property
    def customers(self) -> list[dict[str, Any]]:
        payload = self.client.get_json("/customers") or {}
        return [c for c in payload.get("customers") or [] if isinstance(c, dict)]

    @cached_property
    def customer_ids(self) -> list[str]:
        """The companies to sync: `customer_ids` if set (checked against access), else all accessible."""
        accessible = [cid for cid in (customer_id_of(c) for c in self.customers) if cid]
        unnamed = len(self.customers) - len(accessible)
        if unnamed:
            logger.warning(
                "customers: %d of %d /customers entries have neither customer_id nor id; "
                "those companies are not synced",
                unnamed,
                len(self.customers),
            )
            self.report.note_partial("identity", f"{unnamed} /customers entries without customer_id or id")
        if not self._selected:
            return accessible
        unknown = [cid for cid in self._selected if cid not in accessible]
        if unknown:
            raise ConfigError(
                f"[sources.lac] customer_ids lists companies this credential cannot access: "
                f"{', '.join(unknown)} (accessible: {', '.join(accessible) or 'none'})"
            )
        return list(self._selected)

    def shared_get(self, endpoint: str, customer_id: str) -> Any:
        """GET a per-company endpoint several resources read (`/ingest-status`, `/invoices`) once a run."""
        key = (endpoint, customer_id)
        with self._lock:
            lock = self._shared_locks.setdefault(key, threading.Lock())
        with lock:
            if key not in self._shared:
                self._shared[key] = self.client.get_json(endpoint, {"customer_id": customer_id})
            return self._shared[key]

    def company(self, customer_id: str) -> dict[str, Any]:
        with self._lock:
            if customer_id not in self._companies:
                self._companies[customer_id] = (
                    self.client.get_json("/company", {"customer_id": customer_id}) or {}
                )
            return self._companies[customer_id]


def _check_token(value: str | None, setting: str) -> str | None:
    if value is None:
        return None
    token = str(value)
    if not token.strip():
        raise ConfigError(
            f"[sources.lac] {setting} is empty: "
            f"set it in .dlt/secrets.toml or SOURCES__LAC__{setting.upper()}"
        )
    if any(ch.isspace() for ch in token):
        raise ConfigError(
            f"[sources.lac] {setting} contains whitespace or a line break: "
            "paste the key without spaces or newlines"
        )
    return token


def _check_base_url(base_url: str) -> str:
    if not isinstance(base_url, str) or not base_url.startswith(("http://", "https://")):
        raise ConfigError(
            f"[sources.lac] base_url must be an http(s) URL such as {settings.DEFAULT_BASE_URL}, "
            f"got {base_url!r}"
        )
    return base_url.rstrip("/")


def lac_hints(credential_setting: str) -> ApiHints:
    """What LAC error messages tell the user to fix."""
    return ApiHints(
        api_name="LAC",
        credential=(
            f"{credential_setting} in [sources.lac] of .dlt/secrets.toml or "
            f"SOURCES__LAC__{credential_setting.upper()}"
        ),
        base_url="[sources.lac] base_url points at the LAC API's /portal base path",
        forbidden=(
            "it lacks the scope or role; payroll and API-key endpoints need an interactive admin "
            "session ([sources.lac] access_token)"
        ),
        hidden_params=frozenset({"customer_id"}),
    )


def build_session(
    *,
    api_key: str | None,
    access_token: str | None,
    base_url: str = settings.DEFAULT_BASE_URL,
    customer_ids: Sequence[str] | None = None,
    read_timeout: float = READ_TIMEOUT_S,
    max_attempts: int = 6,
) -> LacSession:
    """Validate the credential settings and open the run's client (no request is made yet)."""
    key = _check_token(api_key, "api_key")
    token = _check_token(access_token, "access_token")
    if key and token:
        raise ConfigError("set either [sources.lac] api_key or access_token, not both")
    if not key and not token:
        raise ConfigError(
            "no LAC credential: set [sources.lac] api_key in .dlt/secrets.toml or SOURCES__LAC__API_KEY "
            "(a read-scoped key is enough)"
        )
    client = ApiClient(
        _check_base_url(base_url),
        key or token or "",
        lac_hints("api_key" if key else "access_token"),
        read_timeout=read_timeout,
        max_attempts=max_attempts,
    )
    return LacSession(client, is_api_key=bool(key), customer_ids=list(customer_ids or []) or None)
