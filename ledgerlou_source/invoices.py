"""Receivables and payables: parties, invoices with their lines, open items.

- `ll_customers` / `ll_vendors`: `/v1/customers` / `/v1/vendors`, read twice (`is_active=true`
  and `false`, so deactivated parties are there whatever the default filter), with the detail
  (`open_amount`) for new and changed parties and for parties whose invoices changed.
- `ll_sales_invoices` + `ll_sales_invoice_lines`: `/v1/outgoing-invoices` with
  `/v1/outgoing-invoices/{id}` for new and changed invoices; its `lines` become the lines table.
- `ll_purchase_invoices` + `ll_purchase_invoice_lines`: the same for `/v1/invoices`.
- `ll_open_items`: both `open-items` lists (`side` = `receivable` / `payable`), replaced per side.
"""

from collections.abc import Callable, Iterator
from typing import Any

import dlt
from dlt.sources import DltResource

from lac_connector.kit.errors import ForbiddenError
from lac_connector.kit.records import fingerprint
from ledgerlou_source import keys
from ledgerlou_source.details import Child, Listed, detailed_rows, read_listed
from ledgerlou_source.documents import FILE_TABLES, DocumentLander
from ledgerlou_source.paging import as_objects, read_until_short
from ledgerlou_source.rows import TENANT, check_money, gone, keyed, merged_rows, normalized, replaced, route
from ledgerlou_source.session import LedgerLouSession

OPEN_ITEMS = "ll_open_items"
SALES_LINES = Child("lines", "ll_sales_invoice_lines", "invoice_record_id")
PURCHASE_LINES = Child("lines", "ll_purchase_invoice_lines", "invoice_record_id")


def _read_all(session: LedgerLouSession, endpoint: str, **params: Any) -> Callable[[], list[dict[str, Any]]]:
    return lambda: read_until_short(session.client, endpoint, session.page_limit, params)


def _read_parties(session: LedgerLouSession, endpoint: str) -> Callable[[], list[dict[str, Any]]]:
    """Active and inactive parties (two filtered reads: the unfiltered default is not documented)."""

    def read() -> list[dict[str, Any]]:
        active = read_until_short(session.client, endpoint, session.page_limit, {"is_active": "true"})
        inactive = read_until_short(session.client, endpoint, session.page_limit, {"is_active": "false"})
        return active + inactive

    return read


def sales_invoices(session: LedgerLouSession) -> Listed:
    return read_listed(session, keys.SALES_INVOICES, _read_all(session, "/v1/outgoing-invoices"))


def purchase_invoices(session: LedgerLouSession) -> Listed:
    return read_listed(session, keys.PURCHASE_INVOICES, _read_all(session, "/v1/invoices"))


def invoices_by_party(invoices: Listed, party_field: str) -> dict[str, str]:
    """Per party id (the reference's `customer_id` / `vendor_id` of an invoice): a hash of its invoices."""
    grouped: dict[str, list[Any]] = {}
    for _, entry in sorted(invoices.entries.items()):
        party = entry.get(party_field)
        if party is not None:
            grouped.setdefault(str(party), []).append(entry)
    return {party: fingerprint(entries)[:16] for party, entries in grouped.items()}


def invoice_resources(
    session: LedgerLouSession, lander: DocumentLander, *, full_refresh: bool
) -> list[DltResource]:
    claim = session.report.claim
    claim(keys.CUSTOMERS.table, "/v1/customers", keys.CUSTOMERS.detail)
    claim(keys.VENDORS.table, "/v1/vendors", keys.VENDORS.detail)
    claim(keys.SALES_INVOICES.table, "/v1/outgoing-invoices", keys.SALES_INVOICES.detail)
    claim(keys.PURCHASE_INVOICES.table, "/v1/invoices", keys.PURCHASE_INVOICES.detail)
    claim(OPEN_ITEMS, "/v1/outgoing-invoices/open-items", "/v1/invoices/open-items")

    def party_resource(
        spec: keys.ListSpec, endpoint: str, invoices: Callable[[], Listed], party_field: str
    ) -> DltResource:
        @dlt.resource(name=spec.table, **_merged())
        def parties() -> Iterator[Any]:
            with session.scope(spec.table):
                listed = read_listed(session, spec, _read_parties(session, endpoint))
                try:
                    depends = invoices_by_party(invoices(), party_field)
                except ForbiddenError:  # the key may read parties but not invoices
                    depends = {}
                yield from detailed_rows(
                    session, spec, listed, lander, full_refresh=full_refresh, depends=depends
                )

        return parties()

    def invoice_resource(spec: keys.ListSpec, invoices: Callable[[], Listed], child: Any) -> DltResource:
        @dlt.resource(name=spec.table, **_merged())
        def invoice_table() -> Iterator[Any]:
            with session.scope(spec.table):
                yield from detailed_rows(
                    session, spec, invoices(), lander, full_refresh=full_refresh, children=[child]
                )
                check_money(session, spec.table)
                check_money(session, child.table, spec.table)

        lines = (child.table, replaced(TENANT, child.parent_key))
        return route(invoice_table(), [lines, *FILE_TABLES.items()])

    @dlt.resource(name=OPEN_ITEMS, **replaced(TENANT, "side"))
    def ll_open_items() -> Iterator[Any]:
        """Open receivables and payables as the API lists them now."""
        with session.scope(OPEN_ITEMS):
            for side, endpoint in (
                ("receivable", "/v1/outgoing-invoices/open-items"),
                ("payable", "/v1/invoices/open-items"),
            ):
                key = {TENANT: session.tenant, "side": side}
                items = as_objects(session.client.get_json(endpoint))
                rows = [keyed(item, **key, position=i) for i, item in enumerate(items)]
                yield [gone(**key), *normalized(session, OPEN_ITEMS, rows)]
            check_money(session, OPEN_ITEMS)

    return [
        route(
            party_resource(
                keys.CUSTOMERS,
                "/v1/customers",
                lambda: sales_invoices(session),
                "customer_id",
            ),
            FILE_TABLES.items(),
        ),
        route(
            party_resource(keys.VENDORS, "/v1/vendors", lambda: purchase_invoices(session), "vendor_id"),
            FILE_TABLES.items(),
        ),
        invoice_resource(keys.SALES_INVOICES, lambda: sales_invoices(session), SALES_LINES),
        invoice_resource(keys.PURCHASE_INVOICES, lambda: purchase_invoices(session), PURCHASE_LINES),
        ll_open_items(),
    ]


def _merged() -> dict[str, Any]:
    return merged_rows(TENANT, "record_id")
