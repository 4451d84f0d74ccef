"""Rows as this source writes them: the API's object plus the connector's key columns, money normalized."""

import logging
from collections.abc import Iterable
from typing import Any

import dlt
from dlt.sources import DltResource

from lac_connector.kit.dispositions import DELETE_INSERT, TOMBSTONE_HINT, tombstone
from ledgerlou_source.session import LedgerLouSession

logger = logging.getLogger("lac")

TENANT = "tenant_id"


def tenant_state(session: LedgerLouSession, resource: str | None = None) -> dict[str, Any]:
    """The calling resource's state (or `resource`'s) for this run's tenant: a pipeline that
    syncs another tenant label starts afresh instead of taking the other tenant's progress."""
    if resource is None:
        state = dlt.current.resource_state()
    else:
        state = dlt.current.source_state().setdefault("resources", {}).setdefault(resource, {})
    return state.setdefault("tenants", {}).setdefault(session.tenant, {})


def keyed(obj: dict[str, Any], **keys: Any) -> dict[str, Any]:
    """`obj` with the connector's key columns set; a field of the API's with the same name and
    another value is kept as `api_<name>` (never silently overwritten)."""
    row = dict(obj)
    for name, value in keys.items():
        if name in row and row[name] != value and f"api_{name}" not in row:
            row[f"api_{name}"] = row[name]
        row[name] = value
    return row


def normalized(session: LedgerLouSession, table: str, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Money as DECIMAL plus `_minor` columns (see `money`), in place."""
    return session.money(table).apply(rows)


def to_table(table: str, rows: Any) -> Any:
    """Items for another table than the resource's own (declared with `route`)."""
    return dlt.mark.with_table_name(rows, table)


def route(resource: DltResource, tables: Iterable[tuple[str, dict[str, Any]]]) -> DltResource:
    """Declare the hints of tables a resource writes besides its own, once (as table variants):
    hints carried by items would make dlt recompute every table's schema after each item."""
    for table, hints in tables:
        resource.apply_hints(table_name=table, create_table_variant=True, **hints)
    return resource


def merged_rows(*primary_key: str) -> dict[str, Any]:
    """Rows upserted on `primary_key`; a tombstone with the key deletes the row."""
    return {
        "write_disposition": DELETE_INSERT,
        "primary_key": list(primary_key),
        "merge_key": [],
        "columns": dict(TOMBSTONE_HINT),
    }


def replaced(*merge_key: str) -> dict[str, Any]:
    """Rows replaced per `merge_key` scope (each scope starts with a tombstone)."""
    return {
        "write_disposition": DELETE_INSERT,
        "merge_key": list(merge_key),
        "primary_key": [],
        "columns": dict(TOMBSTONE_HINT),
    }


def gone(**key: Any) -> dict[str, Any]:
    """The tombstone of one scope or row."""
    return tombstone(**key)


def check_money(session: LedgerLouSession, table: str, resource: str | None = None) -> None:
    """Note (on `resource`, default the table) once per run a table that carries numbers but in
    which no money field was recognised."""
    columns = session.money(table)
    if columns.numbers_seen and not columns.found_money and not columns.noted:
        columns.noted = True
        logger.warning("%s: no money field recognised; amounts load as exact decimals without *_minor", table)
        session.report.note_partial(
            resource or table,
            f"{table}: no money field recognised (amounts load as exact decimals without *_minor): "
            f'list them in [sources.ledgerlou] money_fields."{table}"',
        )
