"""How the LedgerLou source keys the lists it reads: one rule per list, on `lac_connector.kit.keys`.

The reference names no id field for most lists (and no path parameter names). Each list below
names its conventional key fields (`id`, `<kind>_id`) and the `[sources.ledgerlou]` setting that
overrides them; the fields the reference names for something else (`tax_id`, an invoice's
`customer_id`, ...) are never keys. `lac_connector.kit.keys` does the rest (docs/keys.md): the
setting, else the field an earlier run found, else conventions, and when several candidates
remain, the detail endpoint is asked (the answer is the detail the run loads anyway). An entry
no field identifies is keyed by a hash of the entry and the resource ends `partial`, naming the
setting.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import dlt

from lac_connector.kit.keys import Keyed, KeyResolver, KeyRule, Probe
from lac_connector.kit.report import RunReport

SECTION = "[sources.ledgerlou]"


@dataclass(frozen=True)
class ListSpec:
    """A keyed list: its table, its key rule and the detail endpoint its key goes into."""

    table: str
    rule: KeyRule
    detail: str | None = None  # e.g. "/v1/customers/{id}"


def _rule(list_name: str, setting: str, kind: str, named: str = "") -> KeyRule:
    return KeyRule(list_name, setting, ("id", f"{kind}_id"), ignore=frozenset(named.split()))


# Fields the reference names for each kind (response fields and POST/PUT bodies): never the key.
PARTY = "name tax_id vat_id iban bic address default_account notes is_active open_amount"
INVOICE = """customer_id vendor_id document_id invoice_number invoice_date due_date total_net total_tax
    total_gross currency type intent_id notes lines status remaining_amount"""
CUSTOMERS = ListSpec(
    "ll_customers", _rule("customers", "customer_id_field", "customer", PARTY), "/v1/customers/{id}"
)
VENDORS = ListSpec("ll_vendors", _rule("vendors", "vendor_id_field", "vendor", PARTY), "/v1/vendors/{id}")
SALES_INVOICES = ListSpec(
    "ll_sales_invoices",
    _rule("outgoing invoices", "sales_invoice_id_field", "invoice", INVOICE),
    "/v1/outgoing-invoices/{id}",
)
PURCHASE_INVOICES = ListSpec(
    "ll_purchase_invoices",
    _rule("purchase invoices", "purchase_invoice_id_field", "invoice", INVOICE),
    "/v1/invoices/{id}",
)
PAYMENT_RUNS = ListSpec(
    "ll_payment_runs",
    _rule("payment runs", "payment_run_id_field", "run", "bank_account_id"),
    "/v1/payment-runs/{id}",
)
BANK_ACCOUNTS = ListSpec(
    "ll_bank_accounts",
    _rule("bank accounts", "bank_account_id_field", "bank_account", "account_number iban bic"),
    "/v1/bank-accounts/{id}",
)
BANK_TRANSACTIONS = ListSpec(
    "ll_bank_transactions",
    _rule("bank transactions", "bank_transaction_id_field", "transaction", "bank_account_id"),
    "/v1/bank-transactions/{id}",
)
INBOX_ITEMS = ListSpec(
    "ll_inbox_items", _rule("inbox items", "inbox_item_id_field", "inbox", "document_id"), "/v1/inbox/{id}"
)
REVIEW_CASES = ListSpec(
    "ll_invoice_review_cases",
    _rule("invoice review cases", "review_case_id_field", "case", "vendor_id"),
    "/v1/invoice-review-cases/{id}",
)
LISTS = (
    CUSTOMERS, VENDORS, SALES_INVOICES, PURCHASE_INVOICES, PAYMENT_RUNS, BANK_ACCOUNTS, BANK_TRANSACTIONS,
    INBOX_ITEMS, REVIEW_CASES,
)  # fmt: skip
KEY_SETTINGS = tuple(spec.rule.setting for spec in LISTS)


class ListKeys:
    """The key settings of one run; each list's key field is remembered in its own resource state."""

    def __init__(self, report: RunReport, settings: Mapping[str, str | None] | None = None) -> None:
        self.resolver = KeyResolver(report, settings or {}, SECTION)

    def resolve(
        self, spec: ListSpec, entries: list[dict[str, Any]], tenant: str, probe: Probe | None
    ) -> Keyed:
        # The list may first be read by another resource (lists are shared within a run): the key
        # field is kept in the state of the list's own table all the same.
        state = dlt.current.source_state().setdefault("resources", {}).setdefault(spec.table, {})
        return self.resolver.resolve(
            spec.rule,
            entries,
            resource=spec.table,
            scope=tenant,
            scope_label=f"tenant {tenant}",
            state=state,
            probe=probe,
        )
