"""Generation of a tenant's history: master data, invoices, payments, bank, runs, inbox, periods.

Everything flows through `Builder`, which also serves advance() so new objects are made the same way.
"""

from __future__ import annotations

import random
from datetime import date, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING

from . import dates, ids
from .chart import TAX
from .documents import Document
from .entries import Line, credit, debit, flip, fx_line, tax_lines
from .fx import rate_e4
from .model import (
    BankAccount,
    BankTransaction,
    Invoice,
    InvoiceLine,
    Payment,
    PaymentRun,
    PaymentRunItem,
    Period,
)
from .money import amount, div_round, percent_of, to_base
from .parties import BANKS, CUSTOMERS, LINE_TEXTS, RECURRING_VENDORS, VENDORS, Party, iban_de, vat_id

if TYPE_CHECKING:
    from .world import Tenant, World

RECENT_DAYS = 3  # bank transactions this recent are not reconciled yet
_QTYS = ("1", "1", "2", "0.5", "2.5", "8", "12.5", "40", "0.25")


def build_tenant(world: World, t: Tenant) -> None:
    b = Builder(world, t)
    b.parties()
    b.bank_accounts()
    b.opening()
    for p in world.periods:
        b.month(p)
    b.recent_extras()
    b.inbox_and_review()
    b.ingestion_log()
    b.periods()


class Builder:
    def __init__(self, world: World, t: Tenant):
        self.w, self.t = world, t
        self.seed = world.cfg.seed
        self.today = world.today
        self.counters: dict[str, int] = {}
        self.secs = 0

    # ---- helpers ---------------------------------------------------------------------------
    def rng(self, *parts: object) -> random.Random:
        return random.Random("|".join(map(str, (self.seed, self.t.index, *parts))))

    def uid(self, *parts: object) -> str:
        return ids.uuid4(self.seed, self.t.index, *parts)

    def tick(self) -> int:
        """Distinct creation seconds for stored objects created on the same day."""
        self.secs += 37
        return 1800 + self.secs % 36000

    def next_number(self, key: str) -> int:
        self.counters[key] = self.counters.get(key, 0) + 1
        return self.counters[key]

    def add_document(self, name: str, kind: str, created: date, title: str, lines: tuple[str, ...]) -> str:
        doc_id = ids.encode(
            self.seed,
            ids.KIND_DOCUMENT,
            self.t.index,
            ids.LAYER_STORED,
            dates.month_index(dates.period_of(created)),
            len(self.t.documents),
            dates.epoch_ms(created, self.tick()),
        )
        self.t.documents[doc_id] = Document(doc_id, name, kind, dates.stamp(created, self.secs), title, lines)
        return doc_id

    @property
    def main_bank(self) -> BankAccount:
        return self.t.bank_accounts[0]

    def bank_for(self, currency: str) -> BankAccount:
        return self.t.bank_accounts[2] if currency == "USD" else self.main_bank

    # ---- master data -----------------------------------------------------------------------
    def parties(self) -> None:
        cfg, t = self.w.cfg, self.t
        first = self.w.periods[0]
        created = dates.first_day(first) - timedelta(days=20)
        mid = self.w.periods[len(self.w.periods) // 2]
        rot = t.index * 3
        for i in range(cfg.customers):
            tpl = CUSTOMERS[(i + rot) % len(CUSTOMERS)]
            name = tpl[0] if i < len(CUSTOMERS) else f"{tpl[0].split()[0]} Kunde {i + 1} GmbH"
            t.customers.append(self._party("customer", i, name, tpl, created, inactive=i % 6 == 5, until=mid))
        for i in range(cfg.vendors):
            tpl = VENDORS[i % len(VENDORS)]
            name = tpl[0] if i < len(VENDORS) else f"Lieferant {i + 1} GmbH"
            p = self._party(
                "vendor", i, name, tpl, created, inactive=i >= RECURRING_VENDORS and i % 5 == 4, until=mid
            )
            p.e_invoice, p.direct_debit = tpl[7], tpl[8]
            t.vendors.append(p)

    def _party(
        self, role: str, i: int, name: str, tpl: tuple, created: date, inactive: bool, until: str
    ) -> Party:
        _, country, currency, tax_code, account, terms, address = tpl[:7]
        n = int.from_bytes(self.uid(role, i).encode()[:6], "big")
        prefix = "K" if role == "customer" else "L"
        stamp = dates.stamp(created, i * 60)
        slug = "".join(ch for ch in name.lower() if ch.isalnum())[:12]
        return Party(
            party_id=self.uid(role, i),
            number=f"{prefix}{(10000 if role == 'customer' else 70000) + i + 1}",
            name=name,
            country=country,
            currency=currency,
            tax_code=tax_code,
            default_account=account,
            payment_terms=terms,
            address=address,
            tax_id=f"{143 + i}/{n % 1000:03d}/{n % 100000:05d}" if country == "DE" else None,
            vat_id=vat_id(country, n),
            iban=iban_de(n) if country in ("DE", "AT", "LU", "FR", "PL") else None,
            bic=BANKS[n % len(BANKS)][1] if country in ("DE", "AT", "LU", "FR", "PL") else None,
            email=f"buchhaltung@{slug}.example",
            notes="Rechnungen nur per E-Mail" if i % 4 == 1 else None,
            is_active=not inactive,
            created_at=stamp,
            updated_at=stamp,
            active_until=until if inactive else None,
        )

    def bank_accounts(self) -> None:
        t = self.t
        opening = dates.first_day(self.w.periods[0]).isoformat()
        created = dates.stamp(dates.first_day(self.w.periods[0]) - timedelta(days=30))
        specs = (
            ("Geschäftskonto", "EUR", "1200", 8_500_000 + t.index * 1_250_000, 0),
            ("Tagesgeld", "EUR", "1210", 5_000_000, 1),
            ("USD-Konto", "USD", "1220", 1_000_000, 2),
        )
        for name, cur, gl, bal, k in specs:
            n = int.from_bytes(self.uid("bank", k).encode()[:6], "big")
            iban = iban_de(n)
            t.bank_accounts.append(
                BankAccount(
                    self.uid("bank", k),
                    name,
                    iban,
                    BANKS[k][1],
                    iban[-10:],
                    cur,
                    gl,
                    bal,
                    opening,
                    created,
                    BANKS[k][2],
                )
            )

    def opening(self) -> None:
        day = dates.first_day(self.w.periods[0])
        lines = [
            fx_line(
                b.ledger_account, "D", b.opening_balance, b.currency, rate_e4(b.currency, day.isoformat())
            )
            for b in self.t.bank_accounts
        ]
        lines += [debit("1000", 150_000), debit("0420", 2_400_000), credit("0800", 2_500_000)]
        lines.append(credit("0860", sum(ln.debit for ln in lines) - 2_500_000))
        self.t.journal.add(
            day,
            day,
            60,
            "Eröffnungsbilanz",
            lines,
            source="opening",
            external_reference=f"EB-{day.year}",
            created_by=self.t.accountant,
        )

    # ---- a month of business ---------------------------------------------------------------
    def month(self, p: str) -> None:
        n = self.w.cfg.invoices_per_month
        upto = min(dates.last_day(p), self.today)
        span = upto.day
        for j in range(n):
            day = dates.first_day(p) + timedelta(days=j * span // max(n, 1))
            draft = p == self.w.open_period and j == n - 1
            self.out_invoice(day, self.rng("out", p, j), draft=draft)
        active = [v for v in self.t.vendors if v.active_until is None or p <= v.active_until]
        recurring, others = active[:RECURRING_VENDORS], active[RECURRING_VENDORS:]
        for k, v in enumerate(recurring):
            day = dates.first_day(p) + timedelta(days=2 * k)
            if day <= self.today:
                self.in_invoice(day, v, self.rng("in-rec", p, k), recurring=True)
        for j in range(max(n - RECURRING_VENDORS, 0)):
            day = dates.first_day(p) + timedelta(days=(j * span) // max(n, 1) + 1)
            r = self.rng("in", p, j)
            if day <= upto and others:
                self.in_invoice(day, r.choice(others), r)
        self.bank_bookings(p)
        self.payment_runs(p)
        if dates.month_index(p) % 4 == 1:
            self.corrected_booking(p)

    def corrected_booking(self, p: str) -> None:
        """A booking on the wrong account, reversed four days later and booked again correctly."""
        wrong_day, fix_day = dates.first_day(p).replace(day=8), dates.first_day(p).replace(day=12)
        if fix_day > self.today:
            return
        value = 4_990 + self.rng("fix", p).randrange(0, 20_000)
        wrong = self.t.journal.add(
            wrong_day,
            wrong_day,
            self.tick(),
            "Porto Paketversand",
            [debit("4930", value), credit("1000", value)],
            external_reference=f"KB-{p.replace('-', '')}-17",
            created_by=self.t.accountant,
        )
        fix = self.t.journal.add(
            fix_day,
            fix_day,
            self.tick(),
            f"Storno: {wrong.description}",
            [flip(ln) for ln in wrong.lines],
            source="reversal",
            external_reference=wrong.external_reference,
            created_by=self.t.accountant,
        )
        self.t.journal.link(wrong.intent_id, fix.intent_id)
        self.t.journal.add(
            fix_day,
            fix_day,
            self.tick(),
            "Porto Paketversand (korrigiert)",
            [debit("4910", value), credit("1000", value)],
            external_reference=wrong.external_reference,
            created_by=self.t.accountant,
        )

    # ---- outgoing invoices -----------------------------------------------------------------
    def out_invoice(self, day: date, rng: random.Random, draft: bool = False) -> Invoice:
        t, p = self.t, dates.period_of(day)
        active = [c for c in t.customers if c.active_until is None or p <= c.active_until]
        cust = rng.choice(active)
        is_credit = not draft and rng.random() < 0.05
        rate = rate_e4(cust.currency, day.isoformat()) if cust.currency != "EUR" else None
        lines = []
        for _ in range(1 if is_credit else rng.randint(1, 3)):
            qty = Decimal(rng.choice(_QTYS))
            unit = rng.randrange(2_500, 180_000)
            net = div_round(int(qty * 100) * unit, 100)
            tc = TAX[cust.tax_code]
            lines.append(
                InvoiceLine(
                    rng.choice(LINE_TEXTS[cust.default_account]),
                    qty,
                    unit,
                    net,
                    tc.code,
                    tc.rate,
                    percent_of(net, tc.rate),
                    cust.default_account,
                )
            )
        stamp = dates.stamp(day, self.tick())
        inv = Invoice(
            invoice_id=self.uid("out-invoice", len(t.invoices)),
            direction="out",
            party_id=cust.party_id,
            invoice_number=None,
            invoice_date=day.isoformat(),
            due_date=(day + timedelta(days=cust.payment_terms)).isoformat(),
            currency=cust.currency,
            rate_e4=rate,
            type="credit_note" if is_credit else "invoice",
            lines=lines,
            notes="Gutschrift wegen Reklamation"
            if is_credit
            else ("Leistungszeitraum siehe Lieferschein" if rng.random() < 0.2 else None),
            created_at=stamp,
            updated_at=stamp,
            status="draft" if draft else "open",
        )
        t.invoices.append(inv)
        if draft:
            return inv
        prefix = "GS" if is_credit else "RE"
        inv.invoice_number = f"{prefix}-{day.year}-{self.next_number(f'{prefix}{day.year}'):04d}"
        inv.document_id = self.add_document(
            f"{inv.invoice_number}.pdf",
            "pdf",
            day,
            ("Gutschrift " if is_credit else "Rechnung ") + inv.invoice_number,
            (
                t.name,
                cust.name,
                *(f"{ln.description} {ln.quantity} x {ln.unit_price / 100:.2f}" for ln in lines),
                f"Summe {inv.total_gross / 100:.2f} {inv.currency}",
            ),
        )
        self.book_invoice(inv, cust.name)
        if rng.random() < 0.95:
            after = cust.payment_terms + rng.randint(-8, 20)
            first = day + timedelta(days=max(after, 2))
            r = rng.random()
            if r < 0.12:  # partial payment, the rest later (or never)
                part = div_round(inv.total_gross * rng.randint(30, 60), 100)
                if self.settle(inv, first, part) and r >= 0.05:
                    self.settle(inv, first + timedelta(days=21), inv.remaining)
            else:
                self.settle(inv, first, inv.total_gross)
        return inv

    def book_invoice(self, inv: Invoice, party_name: str) -> None:
        """The invoice's booking: revenue/expense per account and tax code, VAT, open item."""
        sales = inv.direction == "out"
        side = "C" if sales else "D"
        groups: dict[tuple[str, str], list[int]] = {}
        for ln in inv.lines:
            g = groups.setdefault((ln.account, ln.tax_code), [0, 0])
            g[0] += ln.net
            g[1] += ln.tax
        lines: list[Line] = []
        for (acc, code), (net, tax) in groups.items():
            main = fx_line(acc, side, net, inv.currency, inv.rate_e4, code)
            lines.append(main)
            tc = TAX[code]
            if tc.self_assess_account is not None:
                lines += tax_lines(code, main.base, "D")
            elif tax:
                lines.append(
                    debit(tc.vat_account, tax, code) if side == "D" else credit(tc.vat_account, tax, code)
                )
        base = sum(ln.debit for ln in lines) - sum(ln.credit for ln in lines)
        open_acc = "1400" if sales else "1600"
        lines.append(
            fx_line(
                open_acc, "D" if sales else "C", inv.total_gross, inv.currency, inv.rate_e4, base=abs(base)
            )
        )
        if inv.type == "credit_note":
            lines = [flip(ln) for ln in lines]
        inv.base_gross = abs(base)
        day = date.fromisoformat(inv.invoice_date)
        what = (
            ("Gutschrift" if inv.type == "credit_note" else "Ausgangsrechnung")
            if sales
            else "Eingangsrechnung"
        )
        it = self.t.journal.add(
            day,
            day,
            self.tick(),
            f"{what} {inv.invoice_number} {party_name}",
            lines,
            source="invoice",
            external_reference=inv.invoice_number,
            document_id=inv.document_id,
            created_by=self.t.accountant,
        )
        inv.intent_id = it.intent_id

    # ---- purchase invoices -----------------------------------------------------------------
    def in_invoice(
        self, day: date, vendor: Party, rng: random.Random, recurring: bool = False, source: str | None = None
    ) -> Invoice:
        t = self.t
        tc = TAX[vendor.tax_code]
        rate = rate_e4(vendor.currency, day.isoformat()) if vendor.currency != "EUR" else None
        if recurring and vendor.default_account == "4210":
            specs = [(f"Miete Büro {day:%m/%Y}", Decimal(1), 245_000)]
        elif recurring:
            specs = [("Business Complete M", Decimal(1), 8_990), ("Mobilfunk 3 Karten", Decimal(3), 1_995)]
        else:
            specs = [
                (
                    f"Position {k + 1}",
                    Decimal(rng.choice(("1", "2", "5", "10", "0.5"))),
                    rng.randrange(500, 250_000),
                )
                for k in range(rng.randint(1, 3))
            ]
        lines = []
        for text, qty, unit in specs:
            net = div_round(int(qty * 100) * unit, 100)
            tax = percent_of(net, tc.rate) if tc.direction == "input" else 0
            lines.append(InvoiceLine(text, qty, unit, net, tc.code, tc.rate, tax, vendor.default_account))
        stamp = dates.stamp(day, self.tick())
        number = f"{vendor.number[1:]}-{day:%y%m}-{rng.randint(100, 999)}"
        inv = Invoice(
            invoice_id=self.uid("in-invoice", len(t.invoices)),
            direction="in",
            party_id=vendor.party_id,
            invoice_number=number,
            invoice_date=day.isoformat(),
            due_date=(day + timedelta(days=vendor.payment_terms)).isoformat(),
            currency=vendor.currency,
            rate_e4=rate,
            type="invoice",
            lines=lines,
            notes=None,
            created_at=stamp,
            updated_at=stamp,
            source=source or ("e-invoice" if vendor.e_invoice else rng.choice(("email", "email", "upload"))),
        )
        t.invoices.append(inv)
        body = (
            vendor.name,
            t.name,
            *(f"{ln.description} {ln.net / 100:.2f}" for ln in lines),
            f"Gesamt {inv.total_gross / 100:.2f} {inv.currency}",
        )
        if vendor.e_invoice:
            name, kind = f"xrechnung_{number}.xml", "xml"
        elif "ä" in vendor.name or "ü" in vendor.name:
            name, kind = f"Rechnung {vendor.name} {number}.pdf", "pdf"
        else:
            name, kind = f"Rechnung_{number}.pdf", "pdf"
        inv.document_id = self.add_document(name, kind, day, number, body)
        self.book_invoice(inv, vendor.name)
        if vendor.direct_debit:
            self.settle(inv, date.fromisoformat(inv.due_date), inv.total_gross)
        elif vendor.currency != "EUR" or not vendor.iban:
            self.settle(inv, date.fromisoformat(inv.due_date) - timedelta(days=2), inv.total_gross)
        return inv

    # ---- bank ------------------------------------------------------------------------------
    def transaction(
        self,
        bank: BankAccount,
        day: date,
        amount: int,
        name: str,
        iban: str | None,
        purpose: str,
        status: str = "open",
        intent_id: str | None = None,
    ) -> BankTransaction:
        t = self.t
        rate = rate_e4(bank.currency, day.isoformat())
        base = amount if bank.currency == "EUR" else to_base(amount, rate)
        iso_year, iso_week, _ = day.isocalendar()
        tx = BankTransaction(
            transaction_id=self.uid("tx", len(t.transactions)),
            bank_account_id=bank.bank_account_id,
            booking_date=day.isoformat(),
            value_date=day.isoformat(),
            amount=amount,
            currency=bank.currency,
            base_amount=base,
            counterparty_name=name,
            counterparty_iban=iban,
            purpose=purpose,
            status=status,
            intent_id=intent_id,
            batch_id=self.uid("batch", bank.bank_account_id, iso_year, iso_week),
            created_at=dates.stamp(min(day + timedelta(days=1), self.today), self.tick()),
            updated_at="",
            end_to_end_id=None,
        )
        tx.updated_at = tx.created_at
        t.transactions.append(tx)
        return tx

    def recent(self, day: date) -> bool:
        return day > self.today - timedelta(days=RECENT_DAYS)

    def settle(self, inv: Invoice, day: date, amount: int, e2e: str | None = None) -> bool:
        """A payment of `amount` (invoice currency): bank transaction, and once it is reconciled the
        payment booking. False if the day lies in the future or the transaction is still open."""
        if day > self.today or amount <= 0:
            return False
        party = self.t.party(inv.party_id)
        bank = self.bank_for(inv.currency)
        incoming = (inv.direction == "out") != (inv.type == "credit_note")
        iso = day.isoformat()
        bank_rate = rate_e4(bank.currency, iso) if bank.currency != "EUR" else None
        bank_amt = amount if bank.currency == inv.currency else to_base(amount, rate_e4(inv.currency, iso))
        sign = 1 if incoming else -1
        purpose = f"{inv.invoice_number} {party.name}" if incoming else f"Rechnung {inv.invoice_number}"
        tx = self.transaction(bank, day, sign * bank_amt, party.name, party.iban, purpose)
        tx.end_to_end_id = e2e
        if self.recent(day):
            tx.hint_invoice_id = inv.invoice_id
            return False
        self.book_payment(inv, tx, day, amount, bank, bank_amt, bank_rate, incoming)
        return True

    def book_payment(
        self,
        inv: Invoice,
        tx: BankTransaction,
        day: date,
        amount: int,
        bank: BankAccount,
        bank_amt: int,
        bank_rate: int | None,
        incoming: bool,
        created: date | None = None,
    ) -> None:
        final = amount == inv.remaining
        if final:
            base_inv = inv.base_remaining
        else:
            base_inv = amount if inv.rate_e4 is None else to_base(amount, inv.rate_e4)
        open_acc = "1400" if inv.direction == "out" else "1600"
        bank_line = fx_line(bank.ledger_account, "D" if incoming else "C", bank_amt, bank.currency, bank_rate)
        item_line = fx_line(
            open_acc, "C" if incoming else "D", amount, inv.currency, inv.rate_e4, base=base_inv
        )
        lines = [bank_line, item_line]
        diff = bank_line.base - base_inv
        if diff:
            gain = diff > 0 if incoming else diff < 0
            lines.append(credit("2660", abs(diff)) if gain else debit("2150", abs(diff)))
        what = "Zahlungseingang" if incoming else "Zahlungsausgang"
        party = self.t.party(inv.party_id)
        created = created or day
        it = self.t.journal.add(
            day,
            created,
            self.tick(),
            f"{what} {inv.invoice_number} {party.name}",
            lines,
            source="bank",
            external_reference=inv.invoice_number,
            created_by="reconciliation",
        )
        tx.status, tx.intent_id = "reconciled", it.intent_id
        tx.updated_at = dates.stamp(created, self.tick())
        inv.payments.append(Payment(day.isoformat(), amount, base_inv, it.intent_id, tx.transaction_id))
        inv.refresh_status()
        inv.updated_at = tx.updated_at

    def bank_only(
        self,
        bank: BankAccount,
        day: date,
        amount: int,
        account: str,
        name: str,
        iban: str | None,
        purpose: str,
        description: str,
    ) -> BankTransaction | None:
        """A bank transaction booked straight against an expense/income account once reconciled."""
        if day > self.today:
            return None
        tx = self.transaction(bank, day, amount, name, iban, purpose)
        if not self.recent(day):
            lines = (
                [debit(bank.ledger_account, amount), credit(account, amount)]
                if amount > 0
                else [debit(account, -amount), credit(bank.ledger_account, -amount)]
            )
            it = self.t.journal.add(
                day, day, self.tick(), description, lines, source="bank", created_by="reconciliation"
            )
            tx.status, tx.intent_id = "reconciled", it.intent_id
        return tx

    def bank_bookings(self, p: str) -> None:
        rng = self.rng("bank", p)
        main, savings = self.main_bank, self.t.bank_accounts[1]
        first = dates.first_day(p)
        mm = f"{first:%m/%Y}"
        salary = 1_845_000 + self.t.index * 420_000 + rng.randrange(0, 40_000)
        social = div_round(salary * 21, 100)
        fee = 1_290 + rng.randrange(0, 900)
        last = dates.last_day(p)
        plan = [
            (first.replace(day=25), -salary, "4120", "Mitarbeiter Sammelüberweisung", None, f"Gehälter {mm}"),
            (first.replace(day=27), -social, "4130", "AOK Bayern", iban_de(31), f"Beitragsnachweis {mm}"),
            (last, -fee, "4970", main.bank_name, None, f"Kontoführung {mm}"),
        ]
        if first.month == 1:
            plan.append(
                (
                    first.replace(day=15),
                    -186_400,
                    "4360",
                    "Allianz Versicherungs-AG",
                    iban_de(77),
                    f"Betriebshaftpflicht {first.year}",
                )
            )
        for day, value, acc, name, iban, purpose in plan:
            tx = self.bank_only(main, day, value, acc, name, iban, purpose, purpose)
            if tx is not None and tx.status == "reconciled" and acc == "4120":
                tx.evidence = {
                    "evidence_type": "note",
                    "title": f"Gehaltsliste {mm}",
                    "note": "Summe laut Lohnjournal",
                    "document_id": None,
                    "metadata": {"source": "payroll", "employees": 7 + self.t.index},
                }
            if tx is not None and acc == "4970" and dates.month_index(p) % 4 == 0:
                dup = self.transaction(main, day, value, name, iban, purpose, status="dismissed")
                dup.evidence = {
                    "evidence_type": "note",
                    "title": "Duplikat",
                    "note": "Doppelt importiert",
                    "document_id": None,
                    "metadata": {"duplicate_of": tx.transaction_id},
                }
        if first.month % 3 == 0:
            day = first.replace(day=5)
            if day <= self.today:
                out = self.transaction(
                    main, day, -1_000_000, self.t.name, savings.iban, "Umbuchung Tagesgeld"
                )
                inn = self.transaction(savings, day, 1_000_000, self.t.name, main.iban, "Umbuchung Tagesgeld")
                if not self.recent(day):
                    it = self.t.journal.add(
                        day,
                        day,
                        self.tick(),
                        "Umbuchung auf Tagesgeld",
                        [debit("1210", 1_000_000), credit("1200", 1_000_000)],
                        source="bank",
                        created_by="reconciliation",
                    )
                    for tx in (out, inn):
                        tx.status, tx.intent_id = "reconciled", it.intent_id
            interest = 2_000 + rng.randrange(0, 3_000)
            self.bank_only(
                savings,
                last,
                interest,
                "2650",
                savings.bank_name,
                None,
                f"Zinsen {first:%m/%Y}",
                f"Zinsgutschrift Tagesgeld {first:%m/%Y}",
            )

    # ---- payment runs ----------------------------------------------------------------------
    def payment_runs(self, p: str) -> None:
        exec_day = dates.first_day(p).replace(day=20)
        created = exec_day - timedelta(days=3)
        if created > self.today:
            return
        due_limit = (exec_day + timedelta(days=14)).isoformat()
        invs = [
            i
            for i in self.t.eligible_invoices()
            if i.due_date <= due_limit and i.invoice_date < exec_day.isoformat()
        ]
        if not invs:
            return
        if p == dates.shift(self.w.open_period, -5):
            self.new_run(exec_day - timedelta(days=8), invs[:1], "cancelled", "Zahllauf (storniert)")
        if exec_day <= self.today - timedelta(days=RECENT_DAYS):
            status = "completed"
        elif exec_day <= self.today:
            status = "exported"
        else:
            status = "approved" if (exec_day - self.today).days <= 5 else "draft"
        run = self.new_run(exec_day, invs, status, f"Zahllauf {exec_day:%d.%m.%Y}")
        if status == "completed":
            for item in run.items:
                inv = self.t.invoice(item.invoice_id, "in")
                self.settle(inv, exec_day, item.amount, e2e=item.end_to_end_id)

    def new_run(self, exec_day: date, invs: list[Invoice], status: str, label: str) -> PaymentRun:
        run_id = self.uid("run", len(self.t.runs))
        created = exec_day - timedelta(days=3)
        items = []
        for k, inv in enumerate(invs):
            v = self.t.party(inv.party_id)
            items.append(
                PaymentRunItem(
                    self.uid("run-item", run_id, k),
                    inv.invoice_id,
                    v.party_id,
                    inv.remaining,
                    inv.currency,
                    v.iban,
                    f"LL-{run_id[:8].upper()}-{k + 1:03d}",
                    {"completed": "paid", "cancelled": "cancelled"}.get(status, "scheduled"),
                )
            )
            if status != "cancelled":
                inv.payment_run_id = run_id
        run = PaymentRun(
            run_id,
            label,
            self.main_bank.bank_account_id,
            exec_day.isoformat(),
            status,
            items,
            dates.stamp(created, self.tick()),
        )
        if status in ("approved", "exported", "completed"):
            run.approved_at = dates.stamp(created + timedelta(days=1), self.tick())
        if status == "completed":
            run.completed_at = dates.stamp(exec_day, self.tick())
        self.t.runs.append(run)
        return run

    # ---- the last days ---------------------------------------------------------------------
    def recent_extras(self) -> None:
        """A booked cash deposit the bank has not shown yet, and an unknown incoming payment."""
        day = self.today - timedelta(days=1)
        if dates.period_of(day) in self.w.periods:
            self.t.journal.add(
                day,
                day,
                self.tick(),
                "Bareinzahlung Filiale",
                [debit("1200", 150_000), credit("1000", 150_000)],
                source="manual",
                created_by=self.t.accountant,
            )
        open_items = [
            i
            for i in self.t.invoices_of("out")
            if i.currency == "EUR"
            and i.remaining > 0
            and i.type == "invoice"
            and i.status != "draft"
            and not any(tx.hint_invoice_id == i.invoice_id for tx in self.t.transactions)
        ]
        if open_items:
            inv = max(open_items, key=lambda i: (i.remaining, i.invoice_id))
            party = self.t.party(inv.party_id)
            tx = self.transaction(
                self.main_bank,
                day,
                inv.remaining,
                party.name.upper(),
                party.iban,
                f"UEBERWEISUNG RG {inv.invoice_number[-4:]}",
            )
            tx.hint_invoice_id = inv.invoice_id
        for k, tx in enumerate(
            t for t in self.t.transactions if t.status == "reconciled" and t.evidence is None
        ):
            if k % 9 == 4:
                inv = next(
                    (
                        i
                        for i in self.t.invoices
                        if any(p.transaction_id == tx.transaction_id for p in i.payments)
                    ),
                    None,
                )
                if inv is not None:
                    tx.evidence = {
                        "evidence_type": "document",
                        "title": f"Beleg {inv.invoice_number}",
                        "note": "Automatisch zugeordnet",
                        "document_id": inv.document_id,
                        "metadata": {"matched_by": "rule", "score": Decimal("0.97")},
                    }

    # ---- inbox, review cases, ingestion log --------------------------------------------------
    def inbox_item(
        self,
        status: str,
        day: date,
        doc_id: str | None,
        original_name: str,
        vendor: Party | None,
        extraction: dict | None,
        subject: str,
        compliance: dict | None,
    ) -> dict:
        item = {
            "id": self.uid("inbox", len(self.t.inbox)),
            "document_id": doc_id,
            "status": status,
            "ocr_extraction": extraction,
            "ocr_raw": None if extraction is None else _markdown(extraction),
            "vendor_match": None
            if vendor is None
            else {"vendor_id": vendor.party_id, "vendor_name": vendor.name, "confidence": Decimal("0.96")},
            "compliance_check": compliance,
            "source_email": (vendor.email if vendor else "info@elektro-huber.example"),
            "source_subject": subject,
            "original_name": original_name,
            "created_at": dates.stamp(day, self.tick()),
        }
        self.t.inbox.append(item)
        return item

    def extraction(
        self,
        vendor_name: str,
        vat: str | None,
        iban: str | None,
        number: str,
        day: date,
        net: int,
        tax: int,
        currency: str,
    ) -> dict:
        return {
            "vendor_name": vendor_name,
            "vendor_vat_id": vat,
            "vendor_iban": iban,
            "vendor_address": None,
            "invoice_number": number,
            "invoice_date": day.isoformat(),
            "due_date": (day + timedelta(days=14)).isoformat(),
            "total_net": amount(net),
            "total_tax": amount(tax),
            "total_gross": amount(net + tax),
            "currency": currency,
            "line_items": [
                {
                    "description": "Leistung lt. Rechnung",
                    "quantity": Decimal(1),
                    "unit_price": amount(net),
                    "net": amount(net),
                }
            ],
            "payment_terms": "14 Tage netto",
            "reference_text": f"Rechnung {number}",
            "raw_markdown": f"# Rechnung {number}\n\n{vendor_name}\n\n"
            f"Summe: {(net + tax) / 100:.2f} {currency}\n",
        }

    def review_case(
        self,
        state: str,
        inbox: dict | None,
        vendor: Party | None,
        normalized: dict,
        candidates: list[Party],
        errors: list[dict],
        inv: Invoice | None = None,
    ) -> dict:
        day = self.today - timedelta(days=len(self.t.review_cases) + 1)
        case = {
            "id": self.uid("review", len(self.t.review_cases)),
            "queue_state": state,
            "vendor_id": vendor.party_id if vendor else None,
            "normalized_invoice": normalized,
            "vendor_candidates": [
                {"vendor_id": c.party_id, "name": c.name, "score": Decimal(f"0.{71 - k * 9}")}
                for k, c in enumerate(candidates)
            ],
            "posting_errors": errors,
            "inbox_id": inbox["id"] if inbox else None,
            "document_id": inbox["document_id"] if inbox else (inv.document_id if inv else None),
            "intent_id": inv.intent_id if inv else None,
            "invoice_id": inv.invoice_id if inv else None,
            "created_at": dates.stamp(day, self.tick()),
            "updated_at": dates.stamp(day, self.tick()),
        }
        self.t.review_cases.append(case)
        return case

    def inbox_and_review(self) -> None:
        t, today = self.t, self.today
        vendors = [v for v in t.vendors if v.is_active]
        compliant = {"passed": True, "issues": [], "checked_at": dates.stamp(today)}
        emailed = [i for i in t.invoices_of("in") if i.source == "email"][-4:]
        confirmed = []
        for inv in emailed:
            v = t.party(inv.party_id)
            day = date.fromisoformat(inv.invoice_date)
            ext = self.extraction(
                v.name, v.vat_id, v.iban, inv.invoice_number, day, inv.total_net, inv.total_tax, inv.currency
            )
            confirmed.append(
                (
                    self.inbox_item(
                        "confirmed",
                        day,
                        inv.document_id,
                        t.documents[inv.document_id].original_name,
                        v,
                        ext,
                        f"Ihre Rechnung {inv.invoice_number}",
                        compliant,
                    ),
                    inv,
                )
            )
        for item, inv in confirmed[-2:]:
            self.review_case(
                "approved", item, t.party(inv.party_id), _normalized(item["ocr_extraction"]), [], [], inv
            )
        for k in range(2):
            v = vendors[(k + 2) % len(vendors)]
            day = today - timedelta(days=2 + k)
            number = f"{v.number[1:]}-{day:%y%m}-9{k}1"
            doc = self.add_document(
                f"Rechnung_{number}.pdf", "pdf", day, number, (v.name, f"Summe {k + 1}00.00")
            )
            ext = self.extraction(
                v.name, v.vat_id, v.iban, number, day, (k + 1) * 8_403, (k + 1) * 1_597, "EUR"
            )
            item = self.inbox_item(
                "pending", day, doc, f"Rechnung_{number}.pdf", v, ext, f"Rechnung {number}", compliant
            )
            if k == 0:
                self.review_case("pending", item, v, _normalized(ext), [v], [])
            else:
                locked = dates.shift(self.w.open_period, -6)
                norm = _normalized(ext) | {"invoice_date": f"{locked}-15"}
                self.review_case(
                    "error",
                    item,
                    v,
                    norm,
                    [v],
                    [
                        {
                            "code": "period_locked",
                            "message": f"Buchungsdatum liegt in gesperrter Periode {locked}",
                        }
                    ],
                )
        day = today - timedelta(days=1)
        doc = self.add_document(
            "Rechnung Elektro Huber 2026-17.pdf",
            "pdf",
            day,
            "2026-17",
            ("Elektro Huber e.K.", "Summe 595.00"),
        )
        ext = self.extraction(
            "Elektro Huber e.K.", "DE287654321", iban_de(4242), "2026-17", day, 50_000, 9_500, "EUR"
        )
        item = self.inbox_item(
            "pending",
            day,
            doc,
            "Rechnung Elektro Huber 2026-17.pdf",
            None,
            ext,
            "Rechnung 2026-17",
            compliant,
        )
        self.review_case("needs_vendor", item, None, _normalized(ext), vendors[2:4], [])
        doc = self.add_document("scan_0001.pdf", "pdf", today, "Scan", ("(unlesbar)",))
        self.inbox_item("processing", today, doc, "scan_0001.pdf", None, None, "Fwd: Beleg", None)
        day = today - timedelta(days=5)
        doc = self.add_document("newsletter.pdf", "pdf", day, "Newsletter", ("Angebote des Monats",))
        self.inbox_item(
            "rejected",
            day,
            doc,
            "newsletter.pdf",
            None,
            self.extraction("Werbung GmbH", None, None, "-", day, 0, 0, "EUR"),
            "Unsere Angebote",
            {"passed": False, "issues": ["not_an_invoice"], "checked_at": dates.stamp(day)},
        )
        if confirmed:
            src, inv = confirmed[0]
            item = self.inbox_item(
                "rejected",
                day,
                src["document_id"],
                src["original_name"],
                t.party(inv.party_id),
                src["ocr_extraction"],
                "AW: " + src["source_subject"],
                {"passed": False, "issues": ["duplicate_invoice_number"], "checked_at": dates.stamp(day)},
            )
            self.review_case(
                "rejected",
                item,
                t.party(inv.party_id),
                _normalized(item["ocr_extraction"]),
                [],
                [{"code": "duplicate", "message": f"Rechnung {inv.invoice_number} bereits erfasst"}],
            )

    def ingestion_log(self) -> None:
        t = self.t
        entries = []
        for inv in t.invoices_of("in"):
            entries.append(
                dict(
                    received_at=inv.created_at,
                    source=inv.source,
                    outcome="created",
                    original_name=t.documents[inv.document_id].original_name,
                    document_id=inv.document_id,
                    invoice_id=inv.invoice_id,
                    review_case_id=None,
                    message=f"Rechnung {inv.invoice_number} angelegt",
                )
            )
        for case in t.review_cases:
            if case["queue_state"] in ("pending", "needs_vendor", "error", "rejected"):
                outcome = {"rejected": "duplicate"}.get(case["queue_state"], "review")
                entries.append(
                    dict(
                        received_at=case["created_at"],
                        source="email",
                        outcome=outcome,
                        original_name=t.documents[case["document_id"]].original_name,
                        document_id=case["document_id"],
                        invoice_id=None,
                        review_case_id=case["id"],
                        message="Prüfung erforderlich" if outcome == "review" else "Duplikat erkannt",
                    )
                )
        for item in t.inbox:
            if item["status"] == "rejected" and item["compliance_check"]["issues"] == ["not_an_invoice"]:
                entries.append(
                    dict(
                        received_at=item["created_at"],
                        source="email",
                        outcome="rejected",
                        original_name=item["original_name"],
                        document_id=item["document_id"],
                        invoice_id=None,
                        review_case_id=None,
                        message="Kein Rechnungsdokument",
                    )
                )
        entries.sort(key=lambda e: e["received_at"], reverse=True)
        for k, e in enumerate(entries):
            t.ingestion.append({"id": self.uid("ingest", e["received_at"], k), **e})

    # ---- periods ---------------------------------------------------------------------------
    def periods(self) -> None:
        open_idx = dates.month_index(self.w.open_period)
        for p in self.w.periods:
            age = open_idx - dates.month_index(p)
            per = Period(p, int(p[5:7]), "locked" if age >= 4 else ("soft_locked" if age == 3 else "open"))
            if per.status != "open":
                per.locked_by = self.t.accountant
                per.locked_at = dates.stamp(dates.first_day(dates.shift(p, 1)) + timedelta(days=9 + age % 3))
            if per.status == "soft_locked":
                per.request_id = self.uid("lock-request", p)
                per.requested_by = f"controlling@{self.t.domain}"
                per.requested_at = dates.stamp(
                    min(self.today, dates.first_day(dates.shift(p, 2)) + timedelta(days=2))
                )
            self.t.periods[p] = per


def _normalized(ext: dict) -> dict:
    return {
        "vendor_name": ext["vendor_name"],
        "invoice_number": ext["invoice_number"],
        "invoice_date": ext["invoice_date"],
        "due_date": ext["due_date"],
        "currency": ext["currency"],
        "total_net": ext["total_net"],
        "total_tax": ext["total_tax"],
        "total_gross": ext["total_gross"],
    }


def _markdown(ext: dict) -> str:
    return ext["raw_markdown"] + f"\nRechnungsnummer: {ext['invoice_number']}\nDatum: {ext['invoice_date']}\n"
