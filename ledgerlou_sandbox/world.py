"""The simulated tenants and everything they own, generated deterministically from the config."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import date

from . import dates, ids
from .documents import Document
from .fx import rate_e4
from .journal import Journal
from .model import BankAccount, BankTransaction, Invoice, PaymentRun, Period
from .money import to_base
from .parties import Party

SCOPES = ("journal", "documents", "bank", "receivables", "payables", "inbox", "periods", "reports")
TENANT_NAMES = (
    ("Lindner Feinmechanik GmbH", "lindner-feinmechanik.de"),
    ("Nordlicht Handels GmbH", "nordlicht-handel.de"),
)


@dataclass
class Tenant:
    """One company (tenant) with its books and business objects."""

    index: int
    tenant_id: str
    name: str
    domain: str
    journal: Journal
    customers: list[Party] = field(default_factory=list)
    vendors: list[Party] = field(default_factory=list)
    invoices: list[Invoice] = field(default_factory=list)  # outgoing and purchase
    bank_accounts: list[BankAccount] = field(default_factory=list)
    transactions: list[BankTransaction] = field(default_factory=list)
    runs: list[PaymentRun] = field(default_factory=list)
    documents: dict[str, Document] = field(default_factory=dict)
    inbox: list[dict] = field(default_factory=list)
    review_cases: list[dict] = field(default_factory=list)
    ingestion: list[dict] = field(default_factory=list)
    periods: dict[str, Period] = field(default_factory=dict)

    @property
    def inbox_address(self) -> str:
        return f"belege+{self.tenant_id[:8]}@inbox.ledgerlou.test"

    @property
    def accountant(self) -> str:
        return f"buchhaltung@{self.domain}"

    # ---- lookups ---------------------------------------------------------------------------
    def party(self, party_id: str) -> Party | None:
        return next((p for p in self.customers + self.vendors if p.party_id == party_id), None)

    def invoice(self, invoice_id: str, direction: str) -> Invoice | None:
        return next(
            (i for i in self.invoices if i.invoice_id == invoice_id and i.direction == direction), None
        )

    def invoices_of(self, direction: str) -> list[Invoice]:
        return [i for i in self.invoices if i.direction == direction]

    def bank_account(self, bank_account_id: str) -> BankAccount | None:
        return next((b for b in self.bank_accounts if b.bank_account_id == bank_account_id), None)

    def transaction(self, transaction_id: str) -> BankTransaction | None:
        return next((t for t in self.transactions if t.transaction_id == transaction_id), None)

    def run(self, run_id: str) -> PaymentRun | None:
        return next((r for r in self.runs if r.run_id == run_id), None)

    def document(self, document_id: str) -> Document | None:
        """A stored document, or a generated receipt whose id decodes to a booking."""
        doc = self.documents.get(document_id)
        if doc is not None:
            return doc
        decoded = ids.decode(self.journal.seed, document_id)
        if decoded is None:
            return None
        kind, tenant, layer, pidx, seq = decoded
        period = dates.period_of_index(pidx)
        bulk = self.journal.bulk
        if kind != ids.KIND_DOCUMENT or tenant != self.index or layer != ids.LAYER_BULK:
            return None
        if seq >= bulk.count(period) or bulk.document_id(period, seq) != document_id:
            return None
        return bulk.document(period, seq)

    def eligible_invoices(self) -> list[Invoice]:
        """Purchase invoices a new payment run may pay: open, in EUR, vendor with IBAN and without
        direct debit, not in a live (non-cancelled) run; by due date."""
        live = {r.run_id for r in self.runs if r.status != "cancelled"}
        out = []
        for inv in self.invoices_of("in"):
            v = self.party(inv.party_id)
            if (
                inv.remaining > 0
                and inv.currency == "EUR"
                and v.iban
                and not v.direct_debit
                and inv.payment_run_id not in live
            ):
                out.append(inv)
        return sorted(out, key=lambda i: (i.due_date, i.invoice_id))

    def bank_balance(self, account: BankAccount, upto: str | None = None) -> int:
        """Statement balance (currency cents): opening plus non-dismissed transactions up to a day."""
        return account.opening_balance + sum(
            t.amount
            for t in self.transactions
            if t.bank_account_id == account.bank_account_id
            and t.status != "dismissed"
            and (upto is None or t.booking_date <= upto)
        )

    def bank_base_balance(self, account: BankAccount, upto: str | None = None) -> int:
        """The statement balance in EUR cents: opening at its day's rate plus each transaction's base."""
        opening = account.opening_balance
        if account.currency != "EUR":
            opening = to_base(opening, rate_e4(account.currency, account.opening_date))
        return opening + sum(
            t.base_amount
            for t in self.transactions
            if t.bank_account_id == account.bank_account_id
            and t.status != "dismissed"
            and (upto is None or t.booking_date <= upto)
        )

    def closing_hash(self, period: str) -> str:
        """sha256 over the month's journal lines in journal order (see docs)."""
        h = hashlib.sha256()
        for it in self.journal.month(period):
            for n, ln in enumerate(it.lines):
                h.update(
                    f"{it.intent_id}|{n}|{ln.account}|{ln.debit}|{ln.credit}|{ln.currency}|{ln.amount}\n".encode()
                )
        return h.hexdigest()

    def period_view(self, period: str) -> Period:
        """The period with its closing hash filled in once it is locked."""
        p = self.periods[period]
        if p.status == "locked" and p.closing_hash is None:
            p.closing_hash = self.closing_hash(period)
        return p


@dataclass
class ApiKey:
    key: str
    tenant_id: str
    scopes: frozenset[str]
    label: str


class World:
    """All tenants, API keys and the change-round counter."""

    def __init__(self, cfg) -> None:
        from .generate import build_tenant

        self.cfg = cfg
        self.today: date = cfg.today
        self.open_period = dates.period_of(cfg.today)
        self.periods = dates.span(dates.shift(self.open_period, -(cfg.months - 1)), self.open_period)
        self.advances = 0
        digest = hashlib.sha256(f"ledgerlou|{cfg.seed}".encode()).hexdigest()
        self.session_token = f"llsess_{digest[:40]}"
        self.tenants: list[Tenant] = []
        self.keys: dict[str, ApiKey] = {}
        for i in range(cfg.tenants):
            name, domain = TENANT_NAMES[i]
            t = Tenant(
                i,
                ids.uuid4(cfg.seed, "tenant", i),
                name,
                domain,
                Journal(cfg.seed, i, self.periods, cfg.bookings_per_month, cfg.today),
            )
            build_tenant(self, t)
            self.tenants.append(t)
            key = hashlib.sha256(f"{cfg.seed}|key|{i}".encode()).hexdigest()
            self.add_key(f"ll_live_{key[:32]}", t.tenant_id, SCOPES, "Read-only integration")
            self.add_key(
                f"ll_live_{key[32:64]}",
                t.tenant_id,
                tuple(s for s in SCOPES if s != "bank"),
                "Read-only without bank scope",
            )
        self.by_id = {t.tenant_id: t for t in self.tenants}

    def add_key(self, key: str, tenant_id: str, scopes, label: str) -> None:
        self.keys[key] = ApiKey(key, tenant_id, frozenset(scopes), label)

    def key_for(self, tenant_id: str, bank: bool = True) -> str:
        label = "Read-only integration" if bank else "Read-only without bank scope"
        return next(k.key for k in self.keys.values() if k.tenant_id == tenant_id and k.label == label)
