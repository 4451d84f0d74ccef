"""Bank views: reconciliation, match suggestions, balance history."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from . import canon
from .model import BankAccount, BankTransaction
from .money import amount
from .shapes import Obj
from .world import Tenant


def reconciliation(t: Tenant, b: BankAccount, today: date) -> Obj:
    """Open vs reconciled transactions side by side with the ledger account's booking state."""
    txs = [x for x in t.transactions if x.bank_account_id == b.bank_account_id]
    matched = {x.intent_id for x in txs if x.intent_id}
    gl_amount = gl_base = 0
    unmatched = []
    for it in t.journal.stored:
        for n, ln in enumerate(it.lines):
            if ln.account != b.ledger_account:
                continue
            sign = 1 if ln.debit else -1
            gl_amount += sign * ln.amount
            gl_base += ln.debit - ln.credit
            if it.intent_id not in matched and it.source != "opening":
                unmatched.append(
                    Obj(
                        "unmatched_ledger_line",
                        amount=amount(sign * ln.amount),
                        currency=ln.currency,
                        base_amount=amount(ln.debit - ln.credit),
                        intent_id=it.intent_id,
                        line_no=n + 1,
                        booking_date=it.booking_date,
                        description=it.description,
                        side="debit" if ln.debit else "credit",
                    )
                )
    newest_first = sorted(txs, key=lambda x: x.booking_date, reverse=True)
    return Obj(
        "reconciliation",
        bank_account_id=b.bank_account_id,
        currency=b.currency,
        statement_balance=amount(t.bank_balance(b)),
        open_transactions=[canon.transaction(x) for x in newest_first if x.status == "open"],
        reconciled_transactions=[canon.transaction(x) for x in newest_first if x.status == "reconciled"],
        ledger=Obj(
            "ledger_state",
            amount=amount(gl_amount),
            currency=b.currency,
            base_amount=amount(gl_base),
            account_number=b.ledger_account,
            as_of=today.isoformat(),
        ),
        unmatched_ledger=unmatched,
        base_currency="EUR",
    )


def suggestions(t: Tenant, bank_account_id: str | None) -> list[Obj]:
    """Match candidates for open transactions: open items of the same amount, else unmatched bookings."""
    out = []
    open_txs = [
        x
        for x in t.transactions
        if x.status == "open" and (bank_account_id is None or x.bank_account_id == bank_account_id)
    ]
    for tx in sorted(open_txs, key=lambda x: (x.booking_date, x.transaction_id), reverse=True):
        direction = "out" if tx.amount > 0 else "in"
        hits = [
            i
            for i in t.invoices_of(direction)
            if i.status not in ("draft", "paid")
            and i.currency == tx.currency
            and i.remaining == abs(tx.amount)
        ]
        for inv in hits:
            out.append(
                Obj(
                    "suggestion",
                    transaction_id=tx.transaction_id,
                    candidate_kind="open_item",
                    intent_id=None,
                    open_item_account="1400" if direction == "out" else "1600",
                    invoice_id=inv.invoice_id,
                    invoice_number=inv.invoice_number,
                    amount=amount(tx.amount),
                    currency=tx.currency,
                    score=Decimal("0.97") if inv.invoice_id == tx.hint_invoice_id else Decimal("0.81"),
                    label=f"{inv.invoice_number} {t.party(inv.party_id).name}",
                )
            )
    return out


def history(t: Tenant, today: date, days: int) -> tuple[list[Obj], int, int]:
    """(daily closing balances, current balance, start balance) over all accounts in EUR cents."""
    start = today - timedelta(days=days - 1)
    before = sum(t.bank_base_balance(b, (start - timedelta(days=1)).isoformat()) for b in t.bank_accounts)
    deltas: dict[str, int] = {}
    for x in t.transactions:
        if x.status != "dismissed" and x.booking_date >= start.isoformat():
            deltas[x.booking_date] = deltas.get(x.booking_date, 0) + x.base_amount
    points, running = [], before
    for k in range(days):
        day = (start + timedelta(days=k)).isoformat()
        running += deltas.get(day, 0)
        points.append(Obj("balance_point", date=day, balance=amount(running)))
    return points, running, before


def filtered(
    t: Tenant,
    bank_account_id: str | None,
    start: str | None,
    end: str | None,
    search: str | None,
    status: str | None,
) -> list[BankTransaction]:
    """Transactions matching the filters, newest first."""
    needle = (search or "").casefold()
    hits = [
        (x.booking_date, k, x)
        for k, x in enumerate(t.transactions)
        if (bank_account_id is None or x.bank_account_id == bank_account_id)
        and (start is None or x.booking_date >= start)
        and (end is None or x.booking_date <= end)
        and (status is None or x.status == status)
        and (not needle or needle in x.purpose.casefold() or needle in x.counterparty_name.casefold())
    ]
    hits.sort(key=lambda h: (h[0], h[1]), reverse=True)
    return [x for _, _, x in hits]
