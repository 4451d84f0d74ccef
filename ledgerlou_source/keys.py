"""Which field of a list entry is its own id: one function per list, one generic resolver behind them.

The reference names no id field for most lists and no path parameter names. An entry's own id is,
in this order: the field named in `[sources.ledgerlou] fields."<table>.id"`; the field resolved
in an earlier run (kept in resource state) while it still identifies every entry; else discovered
among the entry's fields whose values are present and distinct in every entry, most id-like name
first (`id`, `<kind>_id`, `*_id|_key|_ref`, then values that look like ids). When the list has a
detail endpoint each candidate is tried on it with the first entry's value until one answers
(a 404 rules a candidate out); without one only id-like names are taken.

Unresolved, `record_id` falls back to a hash of the whole entry: rows stay distinct and a changed
entry replaces its old row, but details cannot be fetched. The caller reports that, naming the
setting. (`lac_connector/kit/keys.py`, once it lands, takes over the generic part.)
"""

import logging
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from lac_connector.kit.errors import ApiError, NotFoundError
from lac_connector.kit.http import ApiClient
from lac_connector.kit.records import fingerprint
from ledgerlou_source.fields import Path, dotted, get_path, looks_like_date, parse_path, scalar_leaves

logger = logging.getLogger("lac")

MAX_PROBES = 6
_ID_SUFFIXES = ("_id", "_key", "_ref")
_ID_LIKE_VALUE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_\-:.]{0,127}$")
_UUID = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")
_CURRENCY = re.compile(r"^[A-Z]{3}$")


@dataclass(frozen=True)
class ListSpec:
    """A list endpoint whose entries need a key: its table, kind, detail endpoint, named fields."""

    table: str
    kind: str
    detail: str | None = None  # e.g. "/v1/customers/{id}"
    named: frozenset[str] = frozenset()  # fields the reference names: never the entry's own id


@dataclass
class Resolution:
    """How a list's entries are identified this run."""

    path: Path | None
    how: str = ""  # "setting", "remembered", "name", "probe"
    tried: list[str] = field(default_factory=list)

    def record_id(self, entry: dict[str, Any]) -> str:
        value = get_path(entry, self.path) if self.path else None
        if value is None or isinstance(value, dict | list):
            return "sha256:" + fingerprint(entry)[:32]
        return str(value)


def _identifies(entries: Sequence[dict[str, Any]], path: Path) -> bool:
    values = [get_path(e, path) for e in entries]
    if any(v is None or isinstance(v, bool | dict | list) or v == "" for v in values):
        return False
    return len({str(v) for v in values}) == len(values)


def _rank(path: Path, spec: ListSpec, sample: Any) -> int | None:
    """Lower is more id-like; None: never an id (dates, currency codes, free text)."""
    name = path[-1]
    if looks_like_date(sample) or (isinstance(sample, str) and _CURRENCY.match(sample)):
        return None
    if isinstance(sample, str) and not _ID_LIKE_VALUE.match(sample):
        return None
    if name == "id":
        return 0
    if name == f"{spec.kind}_id":
        return 1
    if name.endswith(_ID_SUFFIXES) or name in ("key", "uuid"):
        return 2
    if isinstance(sample, str) and _UUID.match(sample):
        return 3
    return 4


def candidates(spec: ListSpec, entries: Sequence[dict[str, Any]]) -> list[Path]:
    """Fields that identify every entry, most id-like first (top-level before nested)."""
    first = entries[0]
    ranked = []
    for path, sample in scalar_leaves(first):
        if path[0] in spec.named or len(path) > 2:
            continue
        rank = _rank(path, spec, sample)
        if rank is not None and _identifies(entries, path):
            ranked.append((rank, len(path), path))
    return [path for _, _, path in sorted(ranked, key=lambda r: (r[0], r[1]))]


def _answers(client: ApiClient, detail: str, value: Any) -> bool:
    try:
        client.get_json(detail, path_params={"id": str(value)})
    except NotFoundError:
        return False
    except ApiError as exc:
        if exc.status in (400, 422):
            return False
        raise
    return True


def resolve_own_id(
    client: ApiClient,
    spec: ListSpec,
    entries: Sequence[dict[str, Any]],
    *,
    configured: Path | None,
    remembered: str | None,
) -> Resolution:
    if configured:
        return Resolution(configured, "setting")
    if not entries:
        return Resolution(parse_path(remembered) if remembered else None, "remembered")
    if remembered and _identifies(entries, parse_path(remembered)):
        return Resolution(parse_path(remembered), "remembered")
    found = candidates(spec, entries)
    if spec.detail is None:
        named = [p for p in found if _rank(p, spec, get_path(entries[0], p)) in (0, 1, 2)]
        return Resolution(named[0] if named else None, "name", [dotted(p) for p in found])
    tried = []
    for path in found[:MAX_PROBES]:
        tried.append(dotted(path))
        if _answers(client, spec.detail, get_path(entries[0], path)):
            logger.info("%s: entries are identified by their %r field", spec.table, dotted(path))
            return Resolution(path, "probe", tried)
    return Resolution(None, "", tried)


# -- one function per list ---------------------------------------------------------------------
# Fields the reference names for each kind (response fields and POST/PUT bodies).
PARTY_FIELDS = frozenset(
    "name tax_id vat_id iban bic address default_account notes is_active open_amount".split()
)
INVOICE_FIELDS = frozenset(
    """customer_id vendor_id document_id invoice_number invoice_date due_date total_net total_tax
    total_gross currency type intent_id notes lines status remaining_amount""".split()
)
CUSTOMERS = ListSpec("ll_customers", "customer", "/v1/customers/{id}", PARTY_FIELDS)
VENDORS = ListSpec("ll_vendors", "vendor", "/v1/vendors/{id}", PARTY_FIELDS)
SALES_INVOICES = ListSpec("ll_sales_invoices", "invoice", "/v1/outgoing-invoices/{id}", INVOICE_FIELDS)
PURCHASE_INVOICES = ListSpec("ll_purchase_invoices", "invoice", "/v1/invoices/{id}", INVOICE_FIELDS)
PAYMENT_RUNS = ListSpec(
    "ll_payment_runs",
    "run",
    "/v1/payment-runs/{id}",
    frozenset("status items total_amount invoice_count bank_account_id execution_date label".split()),
)
BANK_ACCOUNTS = ListSpec(
    "ll_bank_accounts",
    "bank_account",
    "/v1/bank-accounts/{id}",
    frozenset("name iban bic account_number currency tx_count unreconciled_count last_tx_date".split()),
)
BANK_TRANSACTIONS = ListSpec(
    "ll_bank_transactions", "transaction", "/v1/bank-transactions/{id}", frozenset({"bank_account_id"})
)
INBOX_ITEMS = ListSpec(
    "ll_inbox_items",
    "inbox",
    "/v1/inbox/{id}",
    frozenset(
        """document_id status ocr_extraction ocr_raw vendor_match compliance_check source_email
        source_subject original_name created_at""".split()
    ),
)
REVIEW_CASES = ListSpec(
    "ll_invoice_review_cases",
    "case",
    "/v1/invoice-review-cases/{id}",
    frozenset({"queue_state", "vendor_id", "normalized_invoice"}),
)
INGESTION_LOG = ListSpec("ll_ingestion_log", "entry", None, frozenset({"outcome"}))


def customer_key(client: ApiClient, entries: Sequence[dict[str, Any]], **known: Any) -> Resolution:
    return resolve_own_id(client, CUSTOMERS, entries, **known)


def vendor_key(client: ApiClient, entries: Sequence[dict[str, Any]], **known: Any) -> Resolution:
    return resolve_own_id(client, VENDORS, entries, **known)


def sales_invoice_key(client: ApiClient, entries: Sequence[dict[str, Any]], **known: Any) -> Resolution:
    return resolve_own_id(client, SALES_INVOICES, entries, **known)


def purchase_invoice_key(client: ApiClient, entries: Sequence[dict[str, Any]], **known: Any) -> Resolution:
    return resolve_own_id(client, PURCHASE_INVOICES, entries, **known)


def payment_run_key(client: ApiClient, entries: Sequence[dict[str, Any]], **known: Any) -> Resolution:
    return resolve_own_id(client, PAYMENT_RUNS, entries, **known)


def bank_account_key(client: ApiClient, entries: Sequence[dict[str, Any]], **known: Any) -> Resolution:
    return resolve_own_id(client, BANK_ACCOUNTS, entries, **known)


def bank_transaction_key(client: ApiClient, entries: Sequence[dict[str, Any]], **known: Any) -> Resolution:
    return resolve_own_id(client, BANK_TRANSACTIONS, entries, **known)


def inbox_item_key(client: ApiClient, entries: Sequence[dict[str, Any]], **known: Any) -> Resolution:
    return resolve_own_id(client, INBOX_ITEMS, entries, **known)


def review_case_key(client: ApiClient, entries: Sequence[dict[str, Any]], **known: Any) -> Resolution:
    return resolve_own_id(client, REVIEW_CASES, entries, **known)


def ingestion_entry_key(client: ApiClient, entries: Sequence[dict[str, Any]], **known: Any) -> Resolution:
    return resolve_own_id(client, INGESTION_LOG, entries, **known)
