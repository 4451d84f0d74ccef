"""Canonical objects (`Obj`) built from the model; money as exact Decimals in currency units."""

from __future__ import annotations

from datetime import date

from . import dates, ids
from .chart import ACCOUNT, Account, TaxCode
from .entries import BASE_CURRENCY, Intent, Line
from .model import BankAccount, BankTransaction, Invoice, PaymentRun, Period
from .money import amount, rate
from .parties import Party
from .shapes import Obj
from .world import Tenant


def account(a: Account) -> Obj:
    return Obj(
        "account",
        number=a.number,
        name=a.name,
        type=a.type,
        category=a.category,
        report_group=a.report_group,
        is_system=a.is_system,
        is_active=a.is_active,
        default_tax_code=a.default_tax_code,
    )


def tax_code(tc: TaxCode) -> Obj:
    return Obj(
        "tax_code",
        code=tc.code,
        label=tc.label,
        description=tc.description,
        rate=tc.rate,
        vat_account=tc.vat_account,
        self_assess_account=tc.self_assess_account,
        is_system=tc.is_system,
        is_active=tc.is_active,
    )


def line_id(it: Intent, n: int) -> str:
    return ids.uuid4("line", it.intent_id, n)


def journal_line(it: Intent, n: int, ln: Line, running: int | None = None) -> Obj:
    o = Obj(
        "journal_line",
        id=line_id(it, n),
        intent_id=it.intent_id,
        line_no=n + 1,
        booking_date=it.booking_date,
        account_number=ln.account,
        account_name=ACCOUNT[ln.account].name,
        description=it.description,
        debit=amount(ln.debit),
        credit=amount(ln.credit),
        currency=ln.currency,
        amount=amount(ln.amount),
        base_amount=amount(ln.base),
        fx_rate=None if ln.rate_e4 is None else rate(ln.rate_e4),
        tax_code=ln.tax_code,
        external_reference=it.external_reference,
        document_id=it.document_id,
        created_at=it.created_at,
    )
    if running is not None:
        o["running_balance"] = amount(running)
    return o


def journal_detail(t: Tenant, it: Intent) -> dict:
    """GET /v1/journal/{intent_id}: the reference's five top-level fields."""
    links = t.journal.links.get(it.intent_id, [])
    reversed_ = any(rel == "reversed_by" for _, rel in links)
    return {
        "intent_id": it.intent_id,
        "entries": [journal_line(it, n, ln) for n, ln in enumerate(it.lines)],
        "summary": Obj(
            "journal_summary",
            booking_date=it.booking_date,
            description=it.description,
            total_debit=amount(sum(ln.debit for ln in it.lines)),
            total_credit=amount(sum(ln.credit for ln in it.lines)),
            line_count=len(it.lines),
            currency=BASE_CURRENCY,
            status="reversed" if reversed_ else "posted",
        ),
        "linked_intents": [Obj("linked_intent", intent_id=i, relation=rel) for i, rel in links],
        "metadata": Obj(
            "journal_metadata",
            external_reference=it.external_reference,
            document_id=it.document_id,
            source=it.source,
            created_at=it.created_at,
            created_by=it.created_by,
            adjustment_period=it.adjustment_period,
            custom_metadata=it.custom_metadata,
        ),
    }


def party(t: Tenant, p: Party, role: str, detail: bool) -> Obj:
    o = Obj(
        role,
        id=p.party_id,
        name=p.name,
        tax_id=p.tax_id,
        vat_id=p.vat_id,
        iban=p.iban,
        bic=p.bic,
        address=p.address,
        default_account=p.default_account,
        notes=p.notes,
        is_active=p.is_active,
    )
    o[f"{role}_number"] = p.number
    o.update(
        email=p.email,
        country=p.country,
        currency=p.currency,
        created_at=p.created_at,
        updated_at=p.updated_at,
    )
    if detail:
        direction = "out" if role == "customer" else "in"
        o["open_amount"] = amount(
            sum(_signed(i) * i.base_remaining for i in t.invoices_of(direction) if i.party_id == p.party_id)
        )
    return o


def _signed(inv: Invoice) -> int:
    return -1 if inv.type == "credit_note" else 1


def invoice(inv: Invoice, detail: bool) -> Obj:
    kind = "outgoing_invoice" if inv.direction == "out" else "purchase_invoice"
    o = Obj(kind, id=inv.invoice_id)
    o["customer_id" if inv.direction == "out" else "vendor_id"] = inv.party_id
    o.update(
        document_id=inv.document_id,
        invoice_number=inv.invoice_number,
        invoice_date=inv.invoice_date,
        due_date=inv.due_date,
        total_net=amount(inv.total_net),
        total_tax=amount(inv.total_tax),
        total_gross=amount(inv.total_gross),
        currency=inv.currency,
    )
    if inv.direction == "out":
        o["type"] = inv.type
    o.update(
        intent_id=inv.intent_id,
        notes=inv.notes,
        status=inv.status,
        remaining_amount=amount(inv.remaining),
        fx_rate=None if inv.rate_e4 is None else rate(inv.rate_e4),
        base_total_gross=amount(inv.base_gross) if inv.status != "draft" else None,
        base_remaining_amount=amount(inv.base_remaining) if inv.status != "draft" else None,
    )
    if inv.direction == "in":
        o.update(payment_run_id=inv.payment_run_id, source=inv.source)
    o.update(created_at=inv.created_at, updated_at=inv.updated_at)
    if detail:
        o["lines"] = [
            Obj(
                "invoice_line",
                line_no=n + 1,
                description=ln.description,
                quantity=ln.quantity,
                unit_price=amount(ln.unit_price),
                net=amount(ln.net),
                tax_code=ln.tax_code,
                tax_rate=ln.tax_rate,
                tax=amount(ln.tax),
                gross=amount(ln.gross),
                account_number=ln.account,
            )
            for n, ln in enumerate(inv.lines)
        ]
        o["payments"] = [
            Obj(
                "invoice_payment",
                payment_date=p.payment_date,
                amount=amount(p.amount),
                base_amount=amount(p.base_amount),
                intent_id=p.intent_id,
                transaction_id=p.transaction_id,
            )
            for p in inv.payments
        ]
    return o


def open_item(t: Tenant, inv: Invoice, today: date) -> Obj:
    overdue = (today - date.fromisoformat(inv.due_date)).days
    return Obj(
        "open_item",
        invoice_id=inv.invoice_id,
        invoice_number=inv.invoice_number,
        type=inv.type,
        party_id=inv.party_id,
        party_name=t.party(inv.party_id).name,
        invoice_date=inv.invoice_date,
        due_date=inv.due_date,
        currency=inv.currency,
        total_gross=amount(inv.total_gross),
        remaining_amount=amount(inv.remaining),
        base_remaining_amount=amount(inv.base_remaining),
        days_overdue=max(overdue, 0),
    )


def bank_account(t: Tenant, b: BankAccount, detail: bool) -> Obj:
    o = Obj(
        "bank_account",
        id=b.bank_account_id,
        name=b.name,
        iban=b.iban,
        bic=b.bic,
        account_number=b.account_number,
        currency=b.currency,
        bank_name=b.bank_name,
        ledger_account=b.ledger_account,
        opening_balance=amount(b.opening_balance),
        opening_date=b.opening_date,
        created_at=b.created_at,
    )
    if detail:
        txs = [x for x in t.transactions if x.bank_account_id == b.bank_account_id]
        o.update(
            tx_count=len(txs),
            unreconciled_count=sum(1 for x in txs if x.status == "open"),
            last_tx_date=max((x.booking_date for x in txs), default=None),
            balance=amount(t.bank_balance(b)),
            base_balance=amount(t.bank_base_balance(b)),
        )
    return o


def transaction(tx: BankTransaction) -> Obj:
    return Obj(
        "bank_transaction",
        id=tx.transaction_id,
        bank_account_id=tx.bank_account_id,
        booking_date=tx.booking_date,
        value_date=tx.value_date,
        amount=amount(tx.amount),
        currency=tx.currency,
        base_amount=amount(tx.base_amount),
        counterparty_name=tx.counterparty_name,
        counterparty_iban=tx.counterparty_iban,
        purpose=tx.purpose,
        status=tx.status,
        intent_id=tx.intent_id,
        batch_id=tx.batch_id,
        end_to_end_id=tx.end_to_end_id,
        created_at=tx.created_at,
        updated_at=tx.updated_at,
    )


def evidence(tx: BankTransaction) -> Obj | None:
    if tx.evidence is None:
        return None
    ev = tx.evidence
    return Obj(
        "evidence",
        evidence_type=ev["evidence_type"],
        title=ev["title"],
        note=ev["note"],
        document_id=ev["document_id"],
        metadata=ev["metadata"],
        transaction_id=tx.transaction_id,
        updated_at=tx.updated_at,
    )


def payment_run(run: PaymentRun, detail: bool) -> Obj:
    o = Obj(
        "payment_run",
        id=run.run_id,
        status=run.status,
        total_amount=amount(run.total_amount),
        invoice_count=len(run.items),
        bank_account_id=run.bank_account_id,
        execution_date=run.execution_date,
        label=run.label,
        currency="EUR",
        created_at=run.created_at,
        approved_at=run.approved_at,
        completed_at=run.completed_at,
    )
    if detail:
        o["items"] = [
            Obj(
                "payment_run_item",
                id=i.item_id,
                invoice_id=i.invoice_id,
                vendor_id=i.vendor_id,
                amount=amount(i.amount),
                currency=i.currency,
                iban=i.iban,
                end_to_end_id=i.end_to_end_id,
                status=i.status,
            )
            for i in run.items
        ]
    return o


def period(p: Period) -> Obj:
    return Obj(
        "period",
        period=p.period,
        period_number=p.period_number,
        status=p.status,
        locked_by=p.locked_by,
        locked_at=p.locked_at,
        closing_hash=p.closing_hash,
        start_date=dates.first_day(p.period).isoformat(),
        end_date=dates.last_day(p.period).isoformat(),
        fiscal_year=int(p.period[:4]),
    )


def lock_status(p: Period) -> Obj:
    return Obj(
        "lock_status",
        has_pending_request=p.request_id is not None,
        request_id=p.request_id,
        requested_by=p.requested_by,
        created_at=p.requested_at,
    )


def inbox_item(item: dict) -> Obj:
    o = Obj("inbox_item", **item)
    if item["vendor_match"] is not None:
        o["vendor_match"] = Obj("vendor_match", **item["vendor_match"])
    if item["compliance_check"] is not None:
        o["compliance_check"] = Obj("compliance_check", **item["compliance_check"])
    return o


def review_case(case: dict) -> Obj:
    o = Obj("review_case", **case)
    o["normalized_invoice"] = Obj("normalized_invoice", **case["normalized_invoice"])
    o["vendor_candidates"] = [Obj("vendor_candidate", **c) for c in case["vendor_candidates"]]
    o["posting_errors"] = [Obj("posting_error", **e) for e in case["posting_errors"]]
    return o


def ingestion_entry(entry: dict) -> Obj:
    return Obj("ingestion_entry", **entry)
