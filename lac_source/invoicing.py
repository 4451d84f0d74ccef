"""Invoicing tables: sales invoices with their lines, the party register and recurring templates.

`invoices` reads `/invoices` every run but fetches `/invoices/{invoice_id}` only for invoices that
are new or whose list entry changed since the last successful run (a hash per invoice is kept in
the resource state). The same resource writes `invoice_lines`, replaced per invoice. An invoice
that disappeared from the list becomes a deletion marker: `is_deleted` true with `deleted_at`;
the API no longer describes it, so its other columns are emptied and its lines removed.

Each list's key field is resolved by `lac_source.list_keys` (docs/keys.md). An invoice no field
identifies is loaded from its list entry alone, keyed by a hash; once its key resolves, rows
loaded under hash keys are removed (tombstones), not marked deleted.
"""

import logging
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from functools import partial
from itertools import islice
from typing import Any

import dlt
from dlt.sources import DltResource

from lac_connector.kit.changes import Changes
from lac_connector.kit.details import Details
from lac_connector.kit.dispositions import TOMBSTONE_HINT, merged_on, replaced_per, tombstone, with_tombstone
from lac_connector.kit.errors import NotFoundError
from lac_connector.kit.records import fingerprint, objects
from lac_source.list_keys import INVOICES, PARTIES, TEMPLATES, ListKeys
from lac_source.session import LacSession

logger = logging.getLogger("lac")

DETAIL_WORKERS = 4
INVOICES_PER_ITEM = 200
INVOICE_KEY = ["customer_id", "id"]
LINE_KEY = ["customer_id", "invoice_id"]

Change = tuple[dict[str, Any], list[dict[str, Any]]]


def _line_rows(customer_id: str, invoice_id: str, detail: dict[str, Any]) -> list[dict[str, Any]]:
    """A tombstone (replacing the invoice's old lines) followed by its current lines."""
    key = {"customer_id": customer_id, "invoice_id": invoice_id}
    lines = objects(detail, "lines")
    return [tombstone(**key), *({**line, **key, "line_index": i} for i, line in enumerate(lines))]


def invoicing_resources(session: LacSession, keys: ListKeys) -> list[DltResource]:
    claim = session.report.claim
    claim("invoices", "/invoices", "/invoices/{invoice_id}")
    claim("invoice_customers", "/invoice-customers")
    claim("recurring_templates", "/invoice-recurring")

    @dlt.resource(name="invoices", columns=TOMBSTONE_HINT, **merged_on(*INVOICE_KEY))
    def invoices() -> Iterator[Any]:
        """Invoices (list entry overlaid with the detail) and, as `invoice_lines`, their lines.

        Yielded `INVOICES_PER_ITEM` invoices at a time: dlt's cost per yielded item is high.
        """
        state = dlt.current.resource_state()
        for customer_id in session.customer_ids:
            changes = _company_invoices(customer_id, Changes.of(state, "list_hashes", customer_id))
            while chunk := list(islice(changes, INVOICES_PER_ITEM)):
                yield [invoice for invoice, _ in chunk]
                lines = [line for _, invoice_lines in chunk for line in invoice_lines]
                yield dlt.mark.with_table_name(lines, "invoice_lines")

    def _get_detail(customer_id: str, invoice_id: str) -> Any:
        return session.client.get_json(
            "/invoices/{invoice_id}", {"customer_id": customer_id}, path_params={"invoice_id": invoice_id}
        )

    def _fetch_detail(details: Details, invoice_id: str) -> dict[str, Any] | None:
        """The invoice's detail (the probe's answer when key resolution already asked), None on 404."""
        try:
            detail = details.get(invoice_id)
        except NotFoundError:
            return None
        return detail if isinstance(detail, dict) else {}

    def _company_invoices(customer_id: str, known: Changes) -> Iterator[Change]:
        """(invoice row, its `invoice_lines` rows) for every new, changed or deleted invoice."""
        details = Details(partial(_get_detail, customer_id))
        entries = objects(session.shared_get("/invoices", customer_id), "invoices")
        keyed = keys.resolve(INVOICES, entries, customer_id, resource="invoices", probe=details.probe)
        stale = keyed.stale_keys(known.keys())
        for invoice_id in stale:  # keyed by a hash, or by a key field no longer used: removed
            yield tombstone(id=invoice_id, customer_id=customer_id), _line_rows(customer_id, invoice_id, {})
        known.forget(stale)
        listed = {key: entry for key, entry, _ in keyed}
        hashed = {key for key, _, by_hash in keyed if by_hash}
        prints = {iid: fingerprint(entry) for iid, entry in listed.items()}
        changed = known.changed(prints)
        for invoice_id in (iid for iid in changed if iid in hashed):  # no id to ask the detail with
            key = {"id": invoice_id, "customer_id": customer_id}
            yield {**listed[invoice_id], **key, "is_deleted": False}, []
            known.remember(invoice_id, prints[invoice_id])
        changed = [iid for iid in changed if iid not in hashed]
        vanished_mid_run = []
        with ThreadPoolExecutor(max_workers=DETAIL_WORKERS) as pool:
            # `map` keeps the list order, so the output order does not depend on response timing.
            fetched = pool.map(partial(_fetch_detail, details), changed)
            for invoice_id, detail in zip(changed, fetched, strict=True):
                if detail is None:
                    vanished_mid_run.append(invoice_id)
                    continue
                entry = listed[invoice_id]
                fields = {k: v for k, v in detail.items() if k != "lines"}
                key = {"id": invoice_id, "customer_id": customer_id}
                lines = _line_rows(customer_id, invoice_id, detail)
                yield {**entry, **fields, **key, "is_deleted": False}, lines
                known.remember(invoice_id, prints[invoice_id])
        if vanished_mid_run:
            # Not recorded in state: next run retries them, or marks them deleted if they are gone.
            logger.warning(
                "company %s: %d invoice(s) listed but 404 on detail (removed mid-run), retried next run: %s",
                customer_id,
                len(vanished_mid_run),
                ", ".join(vanished_mid_run),
            )
            session.report.note_partial(
                "invoices",
                f"company {customer_id}: {len(vanished_mid_run)} invoice detail(s) 404, retried next run",
            )
        deleted_at = datetime.now(UTC)
        gone = sorted(set(known.keys()) - set(listed))
        for invoice_id in gone:
            key = {"id": invoice_id, "customer_id": customer_id}
            lines = _line_rows(customer_id, invoice_id, {})
            yield {**key, "is_deleted": True, "deleted_at": deleted_at}, lines
        known.forget(gone)

    @dlt.resource(name="invoice_customers", **replaced_per("customer_id"))
    def invoice_customers() -> Iterator[list[dict[str, Any]]]:
        """`/invoice-customers`: the party register, replaced per company (key: `party_id_field`)."""
        for customer_id in session.customer_ids:
            payload = session.client.get_json("/invoice-customers", {"customer_id": customer_id})
            parties = objects(payload, "customers")
            keyed = keys.resolve(PARTIES, parties, customer_id, resource="invoice_customers")
            rows = [{**party, "id": key, "customer_id": customer_id} for key, party, _ in keyed]
            yield with_tombstone(rows, customer_id=customer_id)

    @dlt.resource(name="recurring_templates", **replaced_per("customer_id"))
    def recurring_templates() -> Iterator[list[dict[str, Any]]]:
        """`/invoice-recurring`: templates keyed on `template_id`, replaced per company."""
        for customer_id in session.customer_ids:
            payload = session.client.get_json("/invoice-recurring", {"customer_id": customer_id})
            templates = objects(payload, "templates")
            keyed = keys.resolve(TEMPLATES, templates, customer_id, resource="recurring_templates")
            rows = [{**t, "template_id": key, "customer_id": customer_id} for key, t, _ in keyed]
            yield with_tombstone(rows, customer_id=customer_id)

    # a table variant starts from the resource's hints: drop the invoice key
    lines = {**replaced_per(*LINE_KEY), "primary_key": []}
    return [
        invoices().apply_hints(table_name="invoice_lines", create_table_variant=True, **lines),
        invoice_customers(),
        recurring_templates(),
    ]
