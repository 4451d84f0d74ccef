"""Interior shapes: where each field of an object the reference leaves open ends up.

Canonical objects (`Obj`: a dict with a `kind`) carry canonical field names. A `Shape` maps every
field of every kind to a path in the rendered JSON. Fields the reference names (`FIXED`) keep their
name at the level the reference shows in every shape; the others are renamed and grouped:

- `flat`: canonical names at the top level (`id` for the object's own id);
- `nested`: hand-written groupings (`account.number`, `posting.debit`, `audit.created_at`, ...);
- `random`: names, groups, field order and extra fields drawn from `shape_seed`, keeping the
  meaning words conventions rely on (`random_shape.py`); when `shape_seed % 3 == 0` the own id of
  one bare-array kind (`HIDDEN_ID_CANDIDATES`) gets a plain word that follows no convention.
"""

from __future__ import annotations

from .random_shape import Path, random_layout


class Obj(dict):
    """A canonical object: field -> value, plus the kind that selects its layout."""

    __slots__ = ("kind",)

    def __init__(self, kind: str, **fields):
        super().__init__(fields)
        self.kind = kind


# kind -> (fields named by the reference, fields left open) in canonical order
KINDS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "account": (
        ("number", "name", "type", "category", "report_group", "is_system"),
        ("is_active", "default_tax_code"),
    ),
    "tax_code": (
        (
            "code",
            "label",
            "description",
            "rate",
            "vat_account",
            "self_assess_account",
            "is_system",
            "is_active",
        ),
        (),
    ),
    "journal_line": (
        (),
        (
            "id",
            "intent_id",
            "line_no",
            "booking_date",
            "account_number",
            "account_name",
            "description",
            "debit",
            "credit",
            "currency",
            "amount",
            "base_amount",
            "fx_rate",
            "tax_code",
            "external_reference",
            "document_id",
            "created_at",
            "running_balance",
        ),
    ),
    "journal_summary": (
        (),
        ("booking_date", "description", "total_debit", "total_credit", "line_count", "currency", "status"),
    ),
    "linked_intent": ((), ("intent_id", "relation")),
    "journal_metadata": (
        (),
        (
            "external_reference",
            "document_id",
            "source",
            "created_at",
            "created_by",
            "adjustment_period",
            "custom_metadata",
        ),
    ),
    "customer": (
        (
            "name",
            "tax_id",
            "vat_id",
            "iban",
            "bic",
            "address",
            "default_account",
            "notes",
            "is_active",
            "open_amount",
        ),
        ("id", "customer_number", "email", "country", "currency", "created_at", "updated_at"),
    ),
    "vendor": (
        (
            "name",
            "tax_id",
            "vat_id",
            "iban",
            "bic",
            "address",
            "default_account",
            "notes",
            "is_active",
            "open_amount",
        ),
        ("id", "vendor_number", "email", "country", "currency", "created_at", "updated_at"),
    ),
    "outgoing_invoice": (
        (
            "customer_id",
            "document_id",
            "invoice_number",
            "invoice_date",
            "due_date",
            "total_net",
            "total_tax",
            "total_gross",
            "currency",
            "type",
            "intent_id",
            "notes",
            "lines",
            "status",
            "remaining_amount",
        ),
        (
            "id",
            "fx_rate",
            "base_total_gross",
            "base_remaining_amount",
            "payments",
            "created_at",
            "updated_at",
        ),
    ),
    "purchase_invoice": (
        (
            "vendor_id",
            "document_id",
            "invoice_number",
            "invoice_date",
            "due_date",
            "total_net",
            "total_tax",
            "total_gross",
            "currency",
            "intent_id",
            "notes",
            "lines",
            "status",
            "remaining_amount",
        ),
        (
            "id",
            "fx_rate",
            "base_total_gross",
            "base_remaining_amount",
            "payments",
            "payment_run_id",
            "source",
            "created_at",
            "updated_at",
        ),
    ),
    "invoice_line": (
        (),
        (
            "line_no",
            "description",
            "quantity",
            "unit_price",
            "net",
            "tax_code",
            "tax_rate",
            "tax",
            "gross",
            "account_number",
        ),
    ),
    "invoice_payment": ((), ("payment_date", "amount", "base_amount", "intent_id", "transaction_id")),
    "open_item": (
        (),
        (
            "invoice_id",
            "invoice_number",
            "type",
            "party_id",
            "party_name",
            "invoice_date",
            "due_date",
            "currency",
            "total_gross",
            "remaining_amount",
            "base_remaining_amount",
            "days_overdue",
        ),
    ),
    "bank_account": (
        (
            "name",
            "iban",
            "bic",
            "account_number",
            "currency",
            "tx_count",
            "unreconciled_count",
            "last_tx_date",
        ),
        (
            "id",
            "bank_name",
            "ledger_account",
            "balance",
            "base_balance",
            "opening_balance",
            "opening_date",
            "created_at",
        ),
    ),
    "bank_transaction": (
        (),
        (
            "id",
            "bank_account_id",
            "booking_date",
            "value_date",
            "amount",
            "currency",
            "base_amount",
            "counterparty_name",
            "counterparty_iban",
            "purpose",
            "status",
            "intent_id",
            "batch_id",
            "end_to_end_id",
            "created_at",
            "updated_at",
        ),
    ),
    "evidence": (
        ("evidence_type", "title", "note", "document_id", "metadata"),
        ("transaction_id", "updated_at"),
    ),
    "suggestion": (
        (),
        (
            "transaction_id",
            "candidate_kind",
            "intent_id",
            "open_item_account",
            "invoice_id",
            "invoice_number",
            "amount",
            "currency",
            "score",
            "label",
        ),
    ),
    "reconciliation": (
        ("ledger", "unmatched_ledger", "base_currency"),
        ("bank_account_id", "currency", "statement_balance", "open_transactions", "reconciled_transactions"),
    ),
    "ledger_state": (("amount", "currency", "base_amount"), ("account_number", "as_of")),
    "unmatched_ledger_line": (
        ("amount", "currency", "base_amount"),
        ("intent_id", "line_no", "booking_date", "description", "side"),
    ),
    "balance_point": ((), ("date", "balance")),
    "payment_run": (
        (
            "id",
            "status",
            "items",
            "total_amount",
            "invoice_count",
            "bank_account_id",
            "execution_date",
            "label",
        ),
        ("currency", "created_at", "approved_at", "completed_at"),
    ),
    "payment_run_item": (
        (),
        ("id", "invoice_id", "vendor_id", "amount", "currency", "iban", "end_to_end_id", "status"),
    ),
    "period": (
        ("period", "period_number", "status", "locked_by", "locked_at", "closing_hash"),
        ("start_date", "end_date", "fiscal_year"),
    ),
    "lock_status": (("has_pending_request", "request_id", "requested_by", "created_at"), ()),
    "trial_balance_line": (
        (),
        (
            "account_number",
            "account_name",
            "account_type",
            "opening_balance",
            "debit",
            "credit",
            "closing_balance",
        ),
    ),
    "profit_and_loss_line": (
        (),
        ("account_number", "account_name", "account_type", "report_group", "amount"),
    ),
    "balance_sheet_line": ((), ("account_number", "account_name", "account_type", "report_group", "amount")),
    "vat_line": ((), ("tax_code", "rate", "net", "output_tax", "input_tax")),
    "monthly_line": ((), ("month", "revenue", "expenses", "result")),
    "inbox_item": (
        (
            "id",
            "document_id",
            "status",
            "ocr_extraction",
            "ocr_raw",
            "vendor_match",
            "compliance_check",
            "source_email",
            "source_subject",
            "original_name",
            "created_at",
        ),
        (),
    ),
    "vendor_match": ((), ("vendor_id", "vendor_name", "confidence")),
    "compliance_check": ((), ("passed", "issues", "checked_at")),
    "review_case": (
        ("queue_state", "vendor_id", "normalized_invoice"),
        (
            "id",
            "vendor_candidates",
            "posting_errors",
            "inbox_id",
            "document_id",
            "intent_id",
            "invoice_id",
            "created_at",
            "updated_at",
        ),
    ),
    "normalized_invoice": (
        (),
        (
            "vendor_name",
            "invoice_number",
            "invoice_date",
            "due_date",
            "currency",
            "total_net",
            "total_tax",
            "total_gross",
        ),
    ),
    "vendor_candidate": ((), ("vendor_id", "name", "score")),
    "posting_error": ((), ("code", "message")),
    "ingestion_entry": (
        (),
        (
            "id",
            "received_at",
            "source",
            "original_name",
            "outcome",
            "document_id",
            "invoice_id",
            "review_case_id",
            "message",
        ),
    ),
}
# Bare-array kinds whose own id the reference does not name (random shapes may hide it).
HIDDEN_ID_CANDIDATES = (
    "customer",
    "vendor",
    "outgoing_invoice",
    "purchase_invoice",
    "review_case",
    "ingestion_entry",
    "bank_account",
)

_NESTED: dict[str, dict[str, str]] = {
    "account": {"is_active": "state.active", "default_tax_code": "defaults.tax_code"},
    "journal_line": {
        "id": "event_id",
        "intent_id": "intent.intent_id",
        "line_no": "intent.position",
        "booking_date": "dates.booking",
        "created_at": "dates.created",
        "account_number": "account.number",
        "account_name": "account.name",
        "debit": "posting.debit",
        "credit": "posting.credit",
        "base_amount": "posting.base_amount",
        "running_balance": "posting.running_balance",
        "currency": "original.currency",
        "amount": "original.amount",
        "fx_rate": "original.fx_rate",
        "tax_code": "tax.code",
        "description": "text",
        "external_reference": "refs.external",
        "document_id": "refs.document_id",
    },
    "journal_summary": {
        "total_debit": "totals.debit",
        "total_credit": "totals.credit",
        "line_count": "totals.lines",
        "booking_date": "date",
    },
    "linked_intent": {"intent_id": "intent.intent_id", "relation": "kind"},
    "journal_metadata": {
        "external_reference": "references.external",
        "document_id": "references.document_id",
        "created_at": "audit.created_at",
        "created_by": "audit.created_by",
    },
    "customer": {
        "id": "customer_id",
        "customer_number": "number",
        "email": "contact.email",
        "country": "contact.country",
        "currency": "billing.currency",
        "created_at": "audit.created_at",
        "updated_at": "audit.updated_at",
    },
    "vendor": {
        "id": "vendor_id",
        "vendor_number": "number",
        "email": "contact.email",
        "country": "contact.country",
        "currency": "billing.currency",
        "created_at": "audit.created_at",
        "updated_at": "audit.updated_at",
    },
    "outgoing_invoice": {
        "id": "invoice_id",
        "fx_rate": "base.fx_rate",
        "base_total_gross": "base.total_gross",
        "base_remaining_amount": "base.remaining_amount",
        "payments": "settlement.payments",
        "created_at": "audit.created_at",
        "updated_at": "audit.updated_at",
    },
    "purchase_invoice": {
        "id": "invoice_id",
        "fx_rate": "base.fx_rate",
        "base_total_gross": "base.total_gross",
        "base_remaining_amount": "base.remaining_amount",
        "payments": "settlement.payments",
        "payment_run_id": "settlement.payment_run_id",
        "source": "intake.channel",
        "created_at": "audit.created_at",
        "updated_at": "audit.updated_at",
    },
    "invoice_line": {
        "line_no": "position",
        "description": "item.text",
        "quantity": "item.quantity",
        "unit_price": "item.unit_price",
        "net": "amounts.net",
        "tax": "amounts.tax",
        "gross": "amounts.gross",
        "tax_code": "tax.code",
        "tax_rate": "tax.rate",
        "account_number": "booking.account",
    },
    "invoice_payment": {
        "payment_date": "date",
        "amount": "paid.amount",
        "base_amount": "paid.base_amount",
        "intent_id": "links.intent_id",
        "transaction_id": "links.transaction_id",
    },
    "open_item": {
        "invoice_id": "invoice.invoice_id",
        "invoice_number": "invoice.number",
        "type": "invoice.type",
        "invoice_date": "invoice.date",
        "due_date": "invoice.due_date",
        "party_id": "party.party_id",
        "party_name": "party.name",
        "currency": "open.currency",
        "total_gross": "open.total",
        "remaining_amount": "open.remaining",
        "base_remaining_amount": "open.base_remaining",
    },
    "bank_account": {
        "id": "bank_account_id",
        "ledger_account": "ledger.account_number",
        "balance": "balances.current",
        "base_balance": "balances.current_base",
        "opening_balance": "balances.opening",
        "opening_date": "balances.opening_date",
    },
    "bank_transaction": {
        "id": "transaction_id",
        "booking_date": "dates.booking",
        "value_date": "dates.value",
        "amount": "money.amount",
        "currency": "money.currency",
        "base_amount": "money.base_amount",
        "counterparty_name": "counterparty.name",
        "counterparty_iban": "counterparty.iban",
        "purpose": "remittance",
        "status": "reconciliation.status",
        "intent_id": "reconciliation.intent_id",
        "batch_id": "import.batch_id",
        "end_to_end_id": "import.end_to_end_id",
        "created_at": "audit.created_at",
        "updated_at": "audit.updated_at",
    },
    "evidence": {"transaction_id": "for.transaction_id"},
    "suggestion": {
        "transaction_id": "transaction.transaction_id",
        "amount": "transaction.amount",
        "currency": "transaction.currency",
        "candidate_kind": "candidate.kind",
        "intent_id": "candidate.intent_id",
        "open_item_account": "candidate.open_item_account",
        "invoice_id": "candidate.invoice_id",
        "invoice_number": "candidate.invoice_number",
        "label": "candidate.label",
        "score": "confidence",
    },
    "reconciliation": {
        "open_transactions": "bank.open",
        "reconciled_transactions": "bank.reconciled",
        "statement_balance": "bank.statement_balance",
        "currency": "bank.currency",
    },
    "unmatched_ledger_line": {
        "intent_id": "entry.intent_id",
        "line_no": "entry.position",
        "booking_date": "entry.date",
        "description": "entry.text",
        "side": "entry.side",
    },
    "balance_point": {"balance": "value"},
    "payment_run": {
        "created_at": "audit.created_at",
        "approved_at": "audit.approved_at",
        "completed_at": "audit.completed_at",
    },
    "payment_run_item": {
        "id": "item_id",
        "invoice_id": "invoice.invoice_id",
        "vendor_id": "payee.vendor_id",
        "iban": "payee.iban",
        "amount": "transfer.amount",
        "currency": "transfer.currency",
        "end_to_end_id": "transfer.end_to_end_id",
    },
    "period": {"start_date": "range.start", "end_date": "range.end"},
    "trial_balance_line": {
        "account_number": "account.number",
        "account_name": "account.name",
        "account_type": "account.type",
        "opening_balance": "balances.opening",
        "debit": "movement.debit",
        "credit": "movement.credit",
        "closing_balance": "balances.closing",
    },
    "profit_and_loss_line": {
        "account_number": "account.number",
        "account_name": "account.name",
        "account_type": "account.type",
        "report_group": "account.group",
        "amount": "value",
    },
    "balance_sheet_line": {
        "account_number": "account.number",
        "account_name": "account.name",
        "account_type": "account.type",
        "report_group": "position",
        "amount": "value",
    },
    "vat_line": {
        "tax_code": "code.code",
        "rate": "code.rate",
        "net": "amounts.net",
        "output_tax": "amounts.output_tax",
        "input_tax": "amounts.input_tax",
    },
    "monthly_line": {
        "month": "period",
        "revenue": "figures.revenue",
        "expenses": "figures.expenses",
        "result": "figures.result",
    },
    "vendor_match": {"vendor_id": "vendor.vendor_id", "vendor_name": "vendor.name", "confidence": "score"},
    "review_case": {
        "id": "case_id",
        "vendor_candidates": "matching.candidates",
        "posting_errors": "posting.errors",
        "inbox_id": "source.inbox_id",
        "document_id": "source.document_id",
        "intent_id": "posting.intent_id",
        "invoice_id": "posting.invoice_id",
        "created_at": "audit.created_at",
        "updated_at": "audit.updated_at",
    },
    "normalized_invoice": {
        "total_net": "totals.net",
        "total_tax": "totals.tax",
        "total_gross": "totals.gross",
        "vendor_name": "vendor.name",
    },
    "ingestion_entry": {
        "id": "entry_id",
        "received_at": "received.at",
        "source": "received.channel",
        "original_name": "received.file_name",
        "document_id": "result.document_id",
        "invoice_id": "result.invoice_id",
        "review_case_id": "result.review_case_id",
    },
}


class Shape:
    """Field paths for every kind; `render` turns canonical objects into response JSON."""

    def __init__(self, name: str, shape_seed: int = 1):
        self.name, self.shape_seed = name, shape_seed
        self.hidden_ids: dict[str, str] = {}
        self.paths: dict[str, dict[str, Path]] = {}
        # random shape only: rendering order (fields and extra-field keys) and extra fields per kind
        self.order: dict[str, list[str]] = {}
        self.extras: dict[str, dict[str, tuple[Path, object]]] = {}
        hide = None
        if name == "random" and shape_seed % 3 == 0:
            hide = HIDDEN_ID_CANDIDATES[(shape_seed // 3) % len(HIDDEN_ID_CANDIDATES)]
        for kind, (fixed, free) in KINDS.items():
            if name == "random":
                layout = random_layout(shape_seed, kind, fixed, free, hide == kind)
                self.paths[kind], self.order[kind] = layout.paths, layout.order
                self.extras[kind] = layout.extras
                if layout.hidden_id:
                    self.hidden_ids[kind] = layout.hidden_id
                continue
            paths = {f: (f,) for f in fixed}
            if name == "flat":
                paths |= {f: (f,) for f in free}
            else:
                over = _NESTED.get(kind, {})
                paths |= {f: tuple(over.get(f, f).split(".")) for f in free}
            self.paths[kind] = paths

    def render(self, value):
        """Canonical value -> JSON-ready value (recursing into objects and lists)."""
        if isinstance(value, Obj):
            paths, extras = self.paths[value.kind], self.extras.get(value.kind, {})
            order = self.order.get(value.kind)
            keys = value.keys() if order is None else [k for k in order if k in value or k in extras]
            if len(keys) != len(value) + len(extras):
                raise KeyError(f"{value.kind}: fields without a path: {sorted(set(value) - set(paths))}")
            out: dict = {}
            for k in keys:
                path, v = extras[k] if k in extras else (paths[k], self.render(value[k]))
                node = out
                for key in path[:-1]:
                    node = node.setdefault(key, {})
                node[path[-1]] = v
            return out
        if isinstance(value, list):
            return [self.render(v) for v in value]
        if isinstance(value, dict):
            return {k: self.render(v) for k, v in value.items()}
        return value

    @property
    def info(self) -> dict:
        """Where everything went (dotted paths): fields per kind, extra fields, hidden own ids."""
        return {
            "shape": self.name,
            "shape_seed": self.shape_seed,
            "fields": {k: {f: ".".join(p) for f, p in ps.items()} for k, ps in self.paths.items()},
            "extra_fields": {
                k: {".".join(p): v for p, v in ex.values()} for k, ex in self.extras.items() if ex
            },
            "hidden_ids": dict(self.hidden_ids),
        }
