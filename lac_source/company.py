"""Company-level tables: profile, identity, dashboard snapshots and ingest status.

`company`, `identity` and `ingest_status` are replaced per company each run (merge on
`customer_id`, so one pipeline per company can share a dataset). `overview_snapshots` and
`agent_status_snapshots` are appended with the run's `snapshot_at`, building a history.
"""

from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import dlt
from dlt.sources import DltResource

from lac_connector.kit.dispositions import DELETE_INSERT
from lac_source.session import LacSession, customer_id_of

# Replaced per company each run (no tombstone: these resources always yield a row per company).
PER_COMPANY = {"write_disposition": DELETE_INSERT, "merge_key": ["customer_id"]}


def company_resources(session: LacSession) -> list[DltResource]:
    claim = session.report.claim
    claim("company", "/company")
    claim("identity", "/me", "/customers")
    claim("overview_snapshots", "/overview")
    claim("agent_status_snapshots", "/status")
    claim("ingest_status", "/ingest-status")
    snapshot_at = datetime.now(UTC)

    @dlt.resource(name="company", **PER_COMPANY)
    def company() -> Iterator[dict[str, Any]]:
        """`/company`: registered details and accounting configuration."""
        for customer_id in session.customer_ids:
            yield {**session.company(customer_id), "customer_id": customer_id}

    @dlt.resource(name="identity", **PER_COMPANY)
    def identity() -> Iterator[dict[str, Any]]:
        """`/me` joined with each accessible company from `/customers`: one row per company."""
        principal = {k: v for k, v in session.me.items() if not isinstance(v, list)}
        for entry in session.customers:
            customer_id = customer_id_of(entry)
            if customer_id in session.customer_ids:
                yield {"principal": principal, "company": entry, "customer_id": customer_id}

    def snapshots(endpoint: str) -> Iterator[dict[str, Any]]:
        for customer_id in session.customer_ids:
            payload = session.client.get_json(endpoint, {"customer_id": customer_id})
            if isinstance(payload, dict):
                yield {**payload, "customer_id": customer_id, "snapshot_at": snapshot_at}

    @dlt.resource(name="overview_snapshots", write_disposition="append")
    def overview_snapshots() -> Iterator[dict[str, Any]]:
        """`/overview` once per run."""
        yield from snapshots("/overview")

    @dlt.resource(name="agent_status_snapshots", write_disposition="append")
    def agent_status_snapshots() -> Iterator[dict[str, Any]]:
        """`/status` (Björn, the accounting agent) once per run."""
        yield from snapshots("/status")

    @dlt.resource(name="ingest_status", **PER_COMPANY)
    def ingest_status() -> Iterator[dict[str, Any]]:
        """`/ingest-status`: per-file parsed/booked state, as-is."""
        for customer_id in session.customer_ids:
            payload = session.shared_get("/ingest-status", customer_id)
            yield {**(payload if isinstance(payload, dict) else {}), "customer_id": customer_id}

    return [company(), identity(), overview_snapshots(), agent_status_snapshots(), ingest_status()]
