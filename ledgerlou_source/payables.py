"""Payables workflow: payment runs, purchase-document intake (inbox, review cases, ingestion log).

- `ll_payment_runs` + `ll_payment_run_items`: `/v1/payment-runs` with `/v1/payment-runs/{id}` for
  new and changed runs; the detail's `items` become the items table, replaced per run.
- `ll_payment_eligible_invoices`: `/v1/payment-runs/eligible-invoices`, replaced per tenant.
- `ll_inbox_items`: `/v1/inbox` with `/v1/inbox/{id}` for new and changed items.
- `ll_invoice_review_cases`: `/v1/invoice-review-cases` with `/v1/invoice-review-cases/{id}`.
- `ll_ingestion_log`: `/v1/payables/ingestion-log`, replaced per tenant (no detail endpoint).
"""

from collections.abc import Iterator
from typing import Any

import dlt
from dlt.sources import DltResource

from ledgerlou_source import keys
from ledgerlou_source.details import Child, detailed_rows, read_listed
from ledgerlou_source.documents import FILE_TABLES, DocumentLander
from ledgerlou_source.fields import get_path, paths_with_word
from ledgerlou_source.paging import as_objects, read_until_short
from ledgerlou_source.rows import TENANT, check_money, gone, keyed, merged_rows, normalized, replaced, route
from ledgerlou_source.session import LedgerLouSession

ELIGIBLE = "ll_payment_eligible_invoices"
INGESTION_LOG = "ll_ingestion_log"
RUN_ITEMS = Child("items", "ll_payment_run_items", "run_record_id")


def payables_resources(
    session: LedgerLouSession, lander: DocumentLander, *, full_refresh: bool
) -> list[DltResource]:
    claim = session.report.claim
    claim(keys.PAYMENT_RUNS.table, "/v1/payment-runs", keys.PAYMENT_RUNS.detail)
    claim(ELIGIBLE, "/v1/payment-runs/eligible-invoices")
    claim(keys.INBOX_ITEMS.table, "/v1/inbox", keys.INBOX_ITEMS.detail)
    claim(keys.REVIEW_CASES.table, "/v1/invoice-review-cases", keys.REVIEW_CASES.detail)
    claim(INGESTION_LOG, "/v1/payables/ingestion-log")
    tenant = {TENANT: session.tenant}

    def listed_resource(spec: keys.ListSpec, endpoint: str, children: list[Child]) -> DltResource:
        @dlt.resource(name=spec.table, **merged_rows(TENANT, "record_id"))
        def table() -> Iterator[Any]:
            with session.scope(spec.table):
                listed = read_listed(
                    session, spec, lambda: read_until_short(session.client, endpoint, session.page_limit)
                )
                yield from detailed_rows(
                    session, spec, listed, lander, full_refresh=full_refresh, children=children
                )
                for child in children:
                    check_money(session, child.table, spec.table)

        routed = [(c.table, replaced(TENANT, c.parent_key)) for c in children]
        return route(table(), [*routed, *FILE_TABLES.items()])

    @dlt.resource(name=ELIGIBLE, **replaced(TENANT))
    def ll_payment_eligible_invoices() -> Iterator[Any]:
        """Purchase invoices a new payment run could pay, as the API lists them now."""
        with session.scope(ELIGIBLE):
            items = as_objects(session.client.get_json("/v1/payment-runs/eligible-invoices"))
            rows = [keyed(item, **tenant, position=i) for i, item in enumerate(items)]
            yield [gone(**tenant), *normalized(session, ELIGIBLE, rows)]

    @dlt.resource(name=INGESTION_LOG, **replaced(TENANT))
    def ll_ingestion_log() -> Iterator[Any]:
        """One entry per received purchase document, in the API's order (`position`)."""
        with session.scope(INGESTION_LOG):
            entries = read_until_short(session.client, "/v1/payables/ingestion-log", session.page_limit)
            rows = [keyed(e, **tenant, position=i) for i, e in enumerate(entries)]
            yield [gone(**tenant), *normalized(session, INGESTION_LOG, rows)]
            documents = [get_path(r, p) for r in entries for p in paths_with_word(r, "document")]
            yield from lander.document_items(INGESTION_LOG, documents)

    return [
        listed_resource(keys.PAYMENT_RUNS, "/v1/payment-runs", [RUN_ITEMS]),
        ll_payment_eligible_invoices(),
        listed_resource(keys.INBOX_ITEMS, "/v1/inbox", []),
        listed_resource(keys.REVIEW_CASES, "/v1/invoice-review-cases", []),
        route(ll_ingestion_log(), FILE_TABLES.items()),
    ]
