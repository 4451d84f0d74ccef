"""Exact expected values for tests, in integer cents, computed by walking intents line by line
(never from the cached aggregates the API's reports use)."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from datetime import date
from typing import TYPE_CHECKING

from . import dates, datev
from .chart import ACCOUNT, ACCOUNTS, BALANCE_TYPES, TAX, TAX_CODES
from .entries import Intent

if TYPE_CHECKING:
    from .sandbox import Sandbox


class Truth:
    def __init__(self, sb: Sandbox):
        self._sb = sb

    def _t(self, tenant_id: str):
        return self._sb.world.by_id[tenant_id]

    # ---- reference data --------------------------------------------------------------------
    def accounts(self) -> list[dict]:
        return [
            {
                "number": a.number,
                "name": a.name,
                "type": a.type,
                "category": a.category,
                "report_group": a.report_group,
                "is_system": a.is_system,
                "is_active": a.is_active,
            }
            for a in ACCOUNTS
        ]

    def tax_codes(self, include_inactive: bool = False) -> list[dict]:
        return [
            {
                "code": c.code,
                "rate": c.rate,
                "vat_account": c.vat_account,
                "self_assess_account": c.self_assess_account,
                "is_active": c.is_active,
            }
            for c in TAX_CODES
            if include_inactive or c.is_active
        ]

    # ---- journal ---------------------------------------------------------------------------
    def periods_with_bookings(self, tenant_id: str) -> list[str]:
        return self._t(tenant_id).journal.all_periods()

    def raw_intents(
        self, tenant_id: str, start: date | None = None, end: date | None = None
    ) -> Iterator[Intent]:
        return self._t(tenant_id).journal.window(start, end)

    def intents(self, tenant_id: str, start: date | None = None, end: date | None = None) -> Iterator[dict]:
        """Intents in journal order with their lines (cents; fx_rate_e4 = rate x 10,000)."""
        for it in self.raw_intents(tenant_id, start, end):
            yield {
                "intent_id": it.intent_id,
                "booking_date": it.booking_date,
                "description": it.description,
                "external_reference": it.external_reference,
                "document_id": it.document_id,
                "lines": [
                    {
                        "account": ln.account,
                        "debit": ln.debit,
                        "credit": ln.credit,
                        "currency": ln.currency,
                        "amount": ln.amount,
                        "base_amount": ln.base,
                        "fx_rate_e4": ln.rate_e4,
                        "tax_code": ln.tax_code,
                    }
                    for ln in it.lines
                ],
            }

    def account_months(self, tenant_id: str) -> dict[tuple[str, str], dict[str, int]]:
        """(account, YYYY-MM) -> debit, credit and closing balance (debit - credit, cumulative)."""
        moves: dict[tuple[str, str], list[int]] = {}
        for it in self.raw_intents(tenant_id):
            p = it.booking_date[:7]
            for ln in it.lines:
                m = moves.setdefault((ln.account, p), [0, 0])
                m[0] += ln.debit
                m[1] += ln.credit
        out, running = {}, {}
        for acc, p in sorted(moves, key=lambda k: (k[1], k[0])):
            d, c = moves[(acc, p)]
            running[acc] = running.get(acc, 0) + d - c
            out[(acc, p)] = {"debit": d, "credit": c, "balance": running[acc]}
        return out

    def trial_balance(self, tenant_id: str, period: str) -> dict[str, dict[str, int]]:
        """account -> opening, debit, credit, closing for one month (accounts with any history)."""
        out: dict[str, dict[str, int]] = {}
        for it in self.raw_intents(tenant_id, None, dates.last_day(period)):
            for ln in it.lines:
                row = out.setdefault(ln.account, {"opening": 0, "debit": 0, "credit": 0, "closing": 0})
                if it.booking_date[:7] < period:
                    row["opening"] += ln.debit - ln.credit
                else:
                    row["debit"] += ln.debit
                    row["credit"] += ln.credit
                row["closing"] += ln.debit - ln.credit
        return dict(sorted(out.items()))

    def profit_and_loss(self, tenant_id: str, period: str) -> dict[str, int]:
        """P&L account -> credit - debit in the month."""
        out: dict[str, int] = {}
        for it in self.raw_intents(tenant_id, dates.first_day(period), dates.last_day(period)):
            for ln in it.lines:
                if ACCOUNT[ln.account].type not in BALANCE_TYPES:
                    out[ln.account] = out.get(ln.account, 0) + ln.credit - ln.debit
        return dict(sorted(out.items()))

    def balance_sheet(self, tenant_id: str, period: str) -> dict[str | None, int]:
        """Balance account -> natural-side balance at month end (non-zero ones); None -> the result."""
        bal: dict[str, int] = {}
        for it in self.raw_intents(tenant_id, None, dates.last_day(period)):
            for ln in it.lines:
                bal[ln.account] = bal.get(ln.account, 0) + ln.debit - ln.credit
        out: dict[str | None, int] = {}
        result = 0
        for acc, v in sorted(bal.items()):
            t = ACCOUNT[acc].type
            if t in BALANCE_TYPES:
                if v:
                    out[acc] = v if t == "asset" else -v
            else:
                result -= v
        out[None] = result
        return out

    def vat(self, tenant_id: str, period: str) -> dict[str, dict[str, int]]:
        """tax code -> net, output_tax, input_tax in the month."""
        out: dict[str, dict[str, int]] = {}
        for it in self.raw_intents(tenant_id, dates.first_day(period), dates.last_day(period)):
            for ln in it.lines:
                if ln.tax_code is None:
                    continue
                tc = TAX[ln.tax_code]
                row = out.setdefault(ln.tax_code, {"net": 0, "output_tax": 0, "input_tax": 0})
                if ln.account in (tc.vat_account, tc.self_assess_account):
                    is_output = ln.account == tc.self_assess_account or tc.direction == "output"
                    if is_output:
                        row["output_tax"] += ln.credit - ln.debit
                    else:
                        row["input_tax"] += ln.debit - ln.credit
                elif ACCOUNT[ln.account].type == "revenue":
                    row["net"] += ln.credit - ln.debit
                else:
                    row["net"] += ln.debit - ln.credit
        return dict(sorted(out.items()))

    def monthly_revenue_expenses(self, tenant_id: str) -> dict[str, dict[str, int]]:
        out: dict[str, dict[str, int]] = {}
        for it in self.raw_intents(tenant_id):
            row = out.setdefault(it.booking_date[:7], {"revenue": 0, "expenses": 0})
            for ln in it.lines:
                t = ACCOUNT[ln.account].type
                if t == "revenue":
                    row["revenue"] += ln.credit - ln.debit
                elif t == "expense":
                    row["expenses"] += ln.debit - ln.credit
        return dict(sorted(out.items()))

    def closing_hash(self, tenant_id: str, period: str) -> str:
        h = hashlib.sha256()
        for it in self.raw_intents(tenant_id, dates.first_day(period), dates.last_day(period)):
            for n, ln in enumerate(it.lines):
                h.update(
                    f"{it.intent_id}|{n}|{ln.account}|{ln.debit}|{ln.credit}|{ln.currency}|{ln.amount}\n".encode()
                )
        return h.hexdigest()

    def datev_export(self, tenant_id: str, start: date, end: date) -> bytes:
        t = self._t(tenant_id)
        return datev.export(
            self.raw_intents(tenant_id, start, end), start, end, self._sb.world.today, 10001 + t.index
        )

    # ---- business objects ------------------------------------------------------------------
    def invoices(self, tenant_id: str, direction: str) -> list[dict]:
        """direction "out" (outgoing) or "in" (purchase); amounts in invoice-currency cents."""
        return [
            {
                "invoice_id": i.invoice_id,
                "party_id": i.party_id,
                "invoice_number": i.invoice_number,
                "invoice_date": i.invoice_date,
                "due_date": i.due_date,
                "currency": i.currency,
                "type": i.type,
                "status": i.status,
                "total_net": i.total_net,
                "total_tax": i.total_tax,
                "total_gross": i.total_gross,
                "remaining": i.remaining,
                "base_remaining": i.base_remaining,
                "intent_id": i.intent_id,
                "document_id": i.document_id,
                "lines": [
                    {
                        "description": ln.description,
                        "quantity": ln.quantity,
                        "unit_price": ln.unit_price,
                        "net": ln.net,
                        "tax_code": ln.tax_code,
                        "tax": ln.tax,
                    }
                    for ln in i.lines
                ],
                "payments": [
                    {
                        "amount": p.amount,
                        "base_amount": p.base_amount,
                        "intent_id": p.intent_id,
                        "transaction_id": p.transaction_id,
                    }
                    for p in i.payments
                ],
            }
            for i in self._t(tenant_id).invoices_of(direction)
        ]

    def open_items(self, tenant_id: str, direction: str) -> dict[str, dict[str, int]]:
        """invoice_id -> remaining (invoice currency) and base_remaining (EUR) of open invoices."""
        return {
            i["invoice_id"]: {"remaining": i["remaining"], "base_remaining": i["base_remaining"]}
            for i in self.invoices(tenant_id, direction)
            if i["status"] in ("open", "partially_paid")
        }

    def parties(self, tenant_id: str, role: str) -> list[dict]:
        t = self._t(tenant_id)
        return [
            {"id": p.party_id, "name": p.name, "is_active": p.is_active}
            for p in (t.customers if role == "customer" else t.vendors)
        ]

    def cash_accounts(self, tenant_id: str) -> set[str]:
        """The ledger accounts of the tenant's bank accounts."""
        return {b.ledger_account for b in self._t(tenant_id).bank_accounts}

    def bank_transactions(self, tenant_id: str) -> list[dict]:
        return [
            {
                "id": x.transaction_id,
                "bank_account_id": x.bank_account_id,
                "booking_date": x.booking_date,
                "amount": x.amount,
                "currency": x.currency,
                "base_amount": x.base_amount,
                "status": x.status,
                "intent_id": x.intent_id,
            }
            for x in self._t(tenant_id).transactions
        ]

    def periods(self, tenant_id: str) -> dict[str, dict]:
        t = self._t(tenant_id)
        return {
            p: {
                "status": per.status,
                "closing_hash": self.closing_hash(tenant_id, p) if per.status == "locked" else None,
            }
            for p, per in t.periods.items()
        }

    def document_ids(self, tenant_id: str) -> list[str]:
        """Every document any object refers to (stored ones and generated receipts alike)."""
        t = self._t(tenant_id)
        found = set(t.documents)
        found |= {it.document_id for it in self.raw_intents(tenant_id) if it.document_id}
        return sorted(found)

    def document_sha256(self, tenant_id: str, document_id: str) -> str:
        return hashlib.sha256(self._t(tenant_id).document(document_id).content()).hexdigest()
