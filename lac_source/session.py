"""Per-run access to the API: the client plus lookups that several resources share.

Caching here is what keeps "no request made twice": `/me`, `/customers` and `/company` are read
once per run however many resources need them.
"""

import threading
from functools import cached_property
from typing import Any

from lac_source.client import LacClient
from lac_source.errors import LacConfigError


def customer_id_of(item: dict[str, Any]) -> str | None:
    """The company id of a `/customers` entry (its interior is open: `customer_id` or `id`)."""
    value = item.get("customer_id") or item.get("id")
    return str(value) if value is not None else None


class LacSession:
    """Shared state of one run against one credential."""

    def __init__(self, client: LacClient, *, is_api_key: bool, customer_ids: list[str] | None = None) -> None:
        self.client = client
        self.is_api_key = is_api_key
        self._selected = customer_ids
        self._companies: dict[str, dict[str, Any]] = {}
        self._lock = threading.Lock()
        self._shared: dict[tuple[str, str], Any] = {}
        self._shared_locks: dict[tuple[str, str], threading.Lock] = {}
        # Per-table coverage remarks of this run, e.g. {"payslips": "skipped: ..."}.
        self.notes: dict[str, str] = {}
        # (table -> [months synced, months skipped]) filled by the month planner, for coverage.
        self.period_counts: dict[str, list[int]] = {}

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
        if not self._selected:
            return accessible
        unknown = [cid for cid in self._selected if cid not in accessible]
        if unknown:
            raise LacConfigError(
                f"customer_ids lists companies this credential cannot access: {', '.join(unknown)} "
                f"(accessible: {', '.join(accessible) or 'none'})"
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
