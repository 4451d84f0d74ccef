"""Business objects of a tenant (canonical, integer cents in the object's currency)."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

INVOICE_STATUSES = ("draft", "open", "partially_paid", "paid")
PURCHASE_STATUSES = ("open", "partially_paid", "paid")
INVOICE_TYPES = ("invoice", "credit_note")
TX_STATUSES = ("open", "reconciled", "dismissed")
RUN_STATUSES = ("draft", "approved", "exported", "completed", "cancelled")
INBOX_STATUSES = ("processing", "pending", "confirmed", "rejected")
QUEUE_STATES = ("pending", "needs_vendor", "error", "approved", "rejected")
OUTCOMES = ("created", "review", "duplicate", "rejected")


@dataclass
class InvoiceLine:
    description: str
    quantity: Decimal
    unit_price: int
    net: int
    tax_code: str
    tax_rate: int
    tax: int
    account: str

    @property
    def gross(self) -> int:
        return self.net + self.tax


@dataclass
class Payment:
    """One (partial) settlement of an invoice; `amount` in the invoice currency."""

    payment_date: str
    amount: int
    base_amount: int  # EUR cents cleared from the open item
    intent_id: str
    transaction_id: str


@dataclass
class Invoice:
    """An outgoing (`direction="out"`) or purchase (`"in"`) invoice."""

    invoice_id: str
    direction: str
    party_id: str
    invoice_number: str | None
    invoice_date: str
    due_date: str
    currency: str
    rate_e4: int | None
    type: str
    lines: list[InvoiceLine]
    notes: str | None
    created_at: str
    updated_at: str
    status: str = "open"
    intent_id: str | None = None
    document_id: str | None = None
    base_gross: int = 0  # EUR cents of the open item as booked
    payments: list[Payment] = field(default_factory=list)
    payment_run_id: str | None = None
    source: str = "manual"

    @property
    def total_net(self) -> int:
        return sum(ln.net for ln in self.lines)

    @property
    def total_tax(self) -> int:
        return sum(ln.tax for ln in self.lines)

    @property
    def total_gross(self) -> int:
        return self.total_net + self.total_tax

    @property
    def remaining(self) -> int:
        if self.status == "draft":
            return self.total_gross
        return self.total_gross - sum(p.amount for p in self.payments)

    @property
    def base_remaining(self) -> int:
        if self.status == "draft":
            return 0
        return self.base_gross - sum(p.base_amount for p in self.payments)

    def refresh_status(self) -> None:
        if self.status == "draft":
            return
        paid = sum(p.amount for p in self.payments)
        self.status = "open" if paid == 0 else ("paid" if paid >= self.total_gross else "partially_paid")


@dataclass
class BankAccount:
    bank_account_id: str
    name: str
    iban: str
    bic: str
    account_number: str
    currency: str
    ledger_account: str
    opening_balance: int
    opening_date: str
    created_at: str
    bank_name: str


@dataclass
class BankTransaction:
    transaction_id: str
    bank_account_id: str
    booking_date: str
    value_date: str
    amount: int  # signed, bank account currency
    currency: str
    base_amount: int  # signed EUR cents
    counterparty_name: str
    counterparty_iban: str | None
    purpose: str
    status: str
    intent_id: str | None
    batch_id: str
    created_at: str
    updated_at: str
    end_to_end_id: str | None = None
    evidence: dict | None = None
    hint_invoice_id: str | None = None  # open payment that belongs to an invoice (suggestions)


@dataclass
class PaymentRunItem:
    item_id: str
    invoice_id: str
    vendor_id: str
    amount: int
    currency: str
    iban: str
    end_to_end_id: str
    status: str


@dataclass
class PaymentRun:
    run_id: str
    label: str
    bank_account_id: str
    execution_date: str
    status: str
    items: list[PaymentRunItem]
    created_at: str
    approved_at: str | None = None
    completed_at: str | None = None

    @property
    def total_amount(self) -> int:
        return sum(i.amount for i in self.items)


@dataclass
class Period:
    period: str
    period_number: int
    status: str
    locked_by: str | None = None
    locked_at: str | None = None
    closing_hash: str | None = None
    request_id: str | None = None
    requested_by: str | None = None
    requested_at: str | None = None
