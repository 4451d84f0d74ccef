"""Invoicing tables: sales invoices with their lines, the party register and recurring templates.

`invoices` reads `/invoices` every run but fetches `/invoices/{invoice_id}` only for invoices that
are new or whose list entry changed since the last successful run (a hash per invoice is kept in
the resource state). The same resource writes `invoice_lines`, replaced per invoice. An invoice
that disappeared from the list becomes a deletion marker: `is_deleted` true with `deleted_at`;
the API no longer describes it, so its other columns are emptied and its lines removed.
"""

import logging
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from itertools import islice
from typing import Any

import dlt
from dlt.sources import DltResource

from lac_connector.kit.dispositions import merged_on, replaced_per, tombstone, with_tombstone
from lac_connector.kit.errors import NotFoundError
from lac_connector.kit.records import fingerprint
from lac_source.session import LacSession

logger = logging.getLogger("lac")

DETAIL_WORKERS = 4
INVOICES_PER_ITEM = 200
INVOICE_KEY = ["customer_id", "id"]
LINE_KEY = ["customer_id", "invoice_id"]


def _objects(payload: Any, key: str) -> list[dict[str, Any]]:
    """The objects under `key` of a list payload (anything else in it is ignored)."""
    items = payload.get(key) if isinstance(payload, dict) else None
    return [item for item in items or [] if isinstance(item, dict)]


def _line_rows(customer_id: str, invoice_id: str, detail: dict[str, Any]) -> list[dict[str, Any]]:
    """A tombstone (replacing the invoice's old lines) followed by its current lines."""
    key = {"customer_id": customer_id, "invoice_id": invoice_id}
    lines = _objects(detail, "lines")
    return [tombstone(**key), *({**line, **key, "line_index": i} for i, line in enumerate(lines))]


def invoicing_resources(session: LacSession) -> list[DltResource]:
    claim = session.report.claim
    claim("invoices", "/invoices", "/invoices/{invoice_id}")
    claim("invoice_customers", "/invoice-customers")
    claim("recurring_templates", "/invoice-recurring")
    @dlt.resource(name="invoices", **merged_on(*INVOICE_KEY))
    def invoices() -> Iterator[Any]:
        """Invoices (list entry overlaid with the detail) and, as `invoice_lines`, their lines.

        Yielded `INVOICES_PER_ITEM` invoices at a time: dlt's cost per yielded item is high.
        """
        hashes = dlt.current.resource_state().setdefault("list_hashes", {})
        for customer_id in session.customer_ids:
            changes = _company_invoices(customer_id, hashes.setdefault(customer_id, {}))
            while chunk := list(islice(changes, INVOICES_PER_ITEM)):
                yield [invoice for invoice, _ in chunk]
                lines = [line for _, invoice_lines in chunk for line in invoice_lines]
                yield dlt.mark.with_table_name(lines, "invoice_lines")

    def _fetch_detail(customer_id: str, invoice_id: str) -> dict[str, Any] | None:
        try:
            detail = session.client.get_json(
                "/invoices/{invoice_id}", {"customer_id": customer_id}, path_params={"invoice_id": invoice_id}
            )
        except NotFoundError:
            return None
        return detail if isinstance(detail, dict) else {}

    def _company_invoices(
        customer_id: str, known: dict[str, str]
    ) -> Iterator[tuple[dict[str, Any], list[dict[str, Any]]]]:
        """(invoice row, its `invoice_lines` rows) for every new, changed or deleted invoice."""
        listed: dict[str, dict[str, Any]] = {}
        for entry in _objects(session.shared_get("/invoices", customer_id), "invoices"):
            if entry.get("id") is None:
                logger.warning("company %s: an /invoices entry has no id; it cannot be loaded", customer_id)
                continue
            listed[str(entry["id"])] = entry
        prints = {iid: fingerprint(entry) for iid, entry in listed.items()}
        changed = [iid for iid in listed if known.get(iid) != prints[iid]]
        vanished_mid_run = []
        with ThreadPoolExecutor(max_workers=DETAIL_WORKERS) as pool:
            # `map` keeps the list order, so the output order does not depend on response timing.
            details = pool.map(lambda iid: _fetch_detail(customer_id, iid), changed)
            for invoice_id, detail in zip(changed, details, strict=True):
                if detail is None:
                    vanished_mid_run.append(invoice_id)
                    continue
                entry = listed[invoice_id]
                fields = {k: v for k, v in detail.items() if k != "lines"}
                key = {"id": invoice_id, "customer_id": customer_id}
                lines = _line_rows(customer_id, invoice_id, detail)
                yield {**entry, **fields, **key, "is_deleted": False}, lines
                known[invoice_id] = prints[invoice_id]
        if vanished_mid_run:
            # Not recorded in state: next run retries them, or marks them deleted if they are gone.
            logger.warning(
                "company %s: %d invoice(s) listed but 404 on detail (removed mid-run), retried next run: %s",
                customer_id, len(vanished_mid_run), ", ".join(vanished_mid_run),
            )
            session.report.note_partial(
                "invoices",
                f"company {customer_id}: {len(vanished_mid_run)} invoice detail(s) 404, retried next run",
            )
        deleted_at = datetime.now(UTC)
        for invoice_id in sorted(set(known) - set(listed)):
            key = {"id": invoice_id, "customer_id": customer_id}
            lines = _line_rows(customer_id, invoice_id, {})
            yield {**key, "is_deleted": True, "deleted_at": deleted_at}, lines
            del known[invoice_id]

    @dlt.resource(name="invoice_customers", **replaced_per("customer_id"))
    def invoice_customers() -> Iterator[dict[str, Any]]:
        """`/invoice-customers`: the party register, replaced per company (key falls back to a hash)."""
        for customer_id in session.customer_ids:
            payload = session.client.get_json("/invoice-customers", {"customer_id": customer_id})
            rows = [
                {**party, "id": str(party.get("id") or fingerprint(party)[:16]), "customer_id": customer_id}
                for party in _objects(payload, "customers")
            ]
            yield with_tombstone(rows, customer_id=customer_id)

    @dlt.resource(name="recurring_templates", **replaced_per("customer_id"))
    def recurring_templates() -> Iterator[dict[str, Any]]:
        """`/invoice-recurring`: templates keyed on `template_id` (or `id`), replaced per company."""
        for customer_id in session.customer_ids:
            payload = session.client.get_json("/invoice-recurring", {"customer_id": customer_id})
            rows = [
                {**template, "template_id": _template_id(template), "customer_id": customer_id}
                for template in _objects(payload, "templates")
            ]
            yield with_tombstone(rows, customer_id=customer_id)

    # a table variant starts from the resource's hints: drop the invoice key
    lines = {**replaced_per(*LINE_KEY), "primary_key": []}
    return [
        invoices().apply_hints(table_name="invoice_lines", create_table_variant=True, **lines),
        invoice_customers(),
        recurring_templates(),
    ]


def _template_id(template: dict[str, Any]) -> str:
    return str(template.get("template_id") or template.get("id") or fingerprint(template)[:16])

