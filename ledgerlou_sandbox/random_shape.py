"""`shape="random"`: the layout of one kind of object, drawn from `shape_seed`.

Structure (groups, field order, extra fields) and the random parts of names vary per seed; what a
convention identifies keeps a meaning word in its name (docs/ledgerlou-sandbox.md, "Shapes"):
money fields keep their meaning words (`vorsk_debit`, `base_amount_plim`), currency codes sit under
a name containing `currency`, account numbers under `account`/`acct`/`number`, tax codes under
`code`, and so on. Random words contain none of `RESERVED`, so they never look like a convention.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

from lac_connector.sandbox import WordGenerator

Path = tuple[str, ...]

# canonical money field -> the meaning-word renderings its name may take (one is drawn)
MONEY: dict[str, tuple[str, ...]] = {
    "debit": ("debit",),
    "credit": ("credit",),
    "amount": ("amount",),
    "base_amount": ("base_amount", "base"),
    "running_balance": ("running_balance", "balance"),
    "total_debit": ("total_debit", "debit"),
    "total_credit": ("total_credit", "credit"),
    "total_net": ("total_net", "net"),
    "total_tax": ("total_tax", "total_vat", "tax", "vat"),
    "total_gross": ("total_gross", "gross", "total"),
    "remaining_amount": ("remaining_amount", "remaining", "open_amount", "open"),
    "base_total_gross": ("base_total_gross", "base_gross", "base_total"),
    "base_remaining_amount": ("base_remaining_amount", "base_remaining", "base_open"),
    "unit_price": ("unit_price", "price"),
    "net": ("net",),
    "tax": ("tax", "vat"),
    "gross": ("gross", "total"),
    "output_tax": ("output_tax", "output_vat"),
    "input_tax": ("input_tax", "input_vat"),
    "balance": ("balance",),
    "base_balance": ("base_balance",),
    "opening_balance": ("opening_balance",),
    "closing_balance": ("closing_balance",),
    "statement_balance": ("statement_balance", "balance"),
    "revenue": ("revenue",),
    "expenses": ("expenses", "expense"),
    "result": ("result",),
}
# references to objects the API serves: canonical field -> the word their name keeps
REFERENCES = {
    "intent_id": "intent",
    "document_id": "document",
    "transaction_id": "transaction",
    "bank_account_id": "bank",
    "invoice_id": "invoice",
    "party_id": "party",
    "vendor_id": "vendor",
    "inbox_id": "inbox",
    "review_case_id": "case",
    "payment_run_id": "run",
}
# other conventions: role -> (canonical fields, renderings of the meaning part)
CONVENTIONS: dict[str, tuple[frozenset[str], tuple[str, ...]]] = {
    "currency": (frozenset({"currency"}), ("currency",)),
    "account": (
        frozenset({"account_number", "ledger_account", "open_item_account"}),
        ("account", "acct", "number", "account_number", "acct_no"),
    ),
    "account_name": (frozenset({"account_name"}), ("name", "title", "label")),
    "tax_code": (frozenset({"tax_code", "default_tax_code"}), ("code", "taxcode", "vatcode")),
    "rate": (frozenset({"fx_rate", "tax_rate", "rate"}), ("rate",)),
    "status": (frozenset({"status"}), ("status", "state")),
    "active": (frozenset({"is_active"}), ("active", "is_active")),
}
# the `<kind>_id` rendering of an own id (the path parameter's name where the reference has one)
OWN_ID_NAMES = {
    "customer": "customer_id",
    "vendor": "vendor_id",
    "outgoing_invoice": "invoice_id",
    "purchase_invoice": "invoice_id",
    "bank_account": "bank_account_id",
    "bank_transaction": "transaction_id",
    "review_case": "case_id",
    "journal_line": "line_id",
    "payment_run_item": "item_id",
    "ingestion_entry": "entry_id",
}
KEY_SUFFIXES = ("_id", "_key", "_ref")
# A random word contains none of these, so it never carries a meaning or key word by accident.
RESERVED = (
    "id", "key", "ref", "uuid", "debit", "credit", "amount", "base", "net", "tax", "vat", "gross",
    "total", "remaining", "open", "balance", "price", "output", "input", "opening", "closing",
    "running", "statement", "revenue", "expense", "result", "currency", "account", "acct", "number",
    "num", "name", "title", "label", "code", "rate", "status", "state", "active", "intent",
    "document", "transaction", "bank", "invoice", "party", "vendor", "inbox", "case", "run", "date",
    "time", "count", "sum",
)  # fmt: skip
GROUP_SHARE = 0.35  # chance that a free field sits one group deep (when the kind has groups)
EXTRA_SHARE = 0.5  # chance that a kind carries extra fields


@dataclass
class Layout:
    """Where the fields of one kind go: paths, rendering order, extra fields, hidden own id."""

    paths: dict[str, Path] = field(default_factory=dict)
    order: list[str] = field(default_factory=list)  # canonical fields and extra-field keys ("+0", ...)
    extras: dict[str, tuple[Path, object]] = field(default_factory=dict)
    hidden_id: str | None = None


class _Draw:
    """Seeded choices and distinct nonsense words for one (shape_seed, kind)."""

    def __init__(self, seed: int, kind: str):
        self.rng = random.Random(f"shape|{seed}|{kind}")
        self.words = WordGenerator(f"{seed}|{kind}", avoid=RESERVED)

    def word(self) -> str:
        return self.words.word()

    def with_word(self, meaning: str) -> str:
        """`meaning` (`_`-joined words) with a random word before, after, between words, or nowhere."""
        parts = meaning.split("_")
        at = self.rng.randint(0, len(parts) + 1)
        if at <= len(parts):
            parts.insert(at, self.word())
        return "_".join(parts)

    def name(self, kind: str, f: str, hide_id: bool) -> str:
        """The leaf name of free field `f` by the rule of its role."""
        rng = self.rng
        if f == "id":
            if hide_id:
                return self.word()
            pattern = rng.choice(("id", "own", "{w}_id", "{w}_key", "{w}_ref"))
            return OWN_ID_NAMES.get(kind, "id") if pattern == "own" else pattern.replace("{w}", self.word())
        if f in MONEY:
            return self.with_word(rng.choice(MONEY[f]))
        if f in REFERENCES:
            return self.with_word(REFERENCES[f])
        for fields, meanings in CONVENTIONS.values():
            if f in fields:
                return self.with_word(rng.choice(meanings))
        return self.word()


def random_layout(
    seed: int, kind: str, fixed: tuple[str, ...], free: tuple[str, ...], hide_id: bool
) -> Layout:
    """The random layout of `kind` for `seed`; fixed (reference-named) fields keep name and level."""
    d = _Draw(seed, kind)
    out = Layout(paths={f: (f,) for f in fixed})
    if not free:
        out.order = list(fixed)
        return out
    taken = set(fixed)  # leaf names are distinct within a kind, group names too
    groups = [d.word() for _ in range(d.rng.randint(0, 2))]
    taken |= set(groups)

    def place(name: str) -> Path:
        if groups and d.rng.random() < GROUP_SHARE:
            return (d.rng.choice(groups), name)
        return (name,)

    for f in free:
        name = d.name(kind, f, hide_id)
        while name in taken:
            name = d.name(kind, f, hide_id)
        taken.add(name)
        out.paths[f] = place(name)
        if f == "id" and hide_id:
            out.hidden_id = ".".join(out.paths[f])
    if d.rng.random() < EXTRA_SHARE:
        for i in range(d.rng.randint(1, 2)):
            name = d.word()
            taken.add(name)
            value = d.rng.choice(("word", "words", "flag"))
            if value == "word":
                value = d.word()
            elif value == "words":
                value = [d.word() for _ in range(d.rng.randint(1, 3))]
            else:
                value = d.rng.random() < 0.5
            out.extras[f"+{i}"] = (place(name), value)
    out.order = [*fixed, *free, *out.extras]
    d.rng.shuffle(out.order)
    return out
