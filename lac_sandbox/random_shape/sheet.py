"""The random shape of `/sheet`: rows (and drill rows), summary cards, columns, row window, ranges."""

from __future__ import annotations

import random

from ..ledger import ACCOUNTS
from ..shapes import CARD_LABELS
from .layout import Names, Path, dotted, put, scatter
from .naming import Draw

BOOKS_MONEY = ("net_cents", "vat_cents", "gross_cents")
VAT_MONEY = ("base_cents", "output_vat_cents", "input_vat_cents")
BOOKS_FIELDS = (
    "seq", "date", "account_code", "account_name", "description", "counterparty", "vat_code",
    "vat_rate_basis_points", *BOOKS_MONEY, "category", "status",
)  # fmt: skip
VAT_FIELDS = ("seq", "date", "account_code", "account_name", "vat_code", "vat_rate_basis_points", *VAT_MONEY)
_COLUMN_TYPES = {"date": "date", "account_code": "code", "seq": "integer", "period": "month"}


class SheetShape:
    """Seeded layout of sheet rows and of the sheet's other open interiors."""

    def __init__(self, seed: int):
        self.seed = seed
        d = Draw(seed, "rows")
        n = Names(d)
        n.add("date", d.word)
        n.add("account_code", d.account_code)
        n.add("account_name", d.account_name)
        n.add("vat_code", lambda: d.pick(("{w}", "vat_{w}", "{w}_vat")).replace("{w}", d.word()))
        for f in ("description", "counterparty", "category", "status", "seq", "period"):
            n.add(f, d.word)
        self.with_id = d.chance(0.5)
        self.with_seq = d.chance(0.6)
        self.with_period = d.chance(0.5)
        self.vat_account_name = d.chance(0.5)
        if self.with_id:
            n.add("id", lambda: d.key(None))
        fields = [*BOOKS_FIELDS, *VAT_MONEY, "period"] + (["id"] if self.with_id else [])
        self.paths: dict[str, Path] = scatter(
            d,
            fields,
            n,
            clusters=[
                ["date"],
                ["account_code", "account_name"],
                ["description", "counterparty"],
                ["vat_code", "vat_rate_basis_points"],
                [*BOOKS_MONEY, *VAT_MONEY],
                ["category", "status", "seq", "period"],
            ],
            top=["id"],
            loose_p=0.0,
        )
        self.order = {tab: self._order(d, tab) for tab in ("books", "vat")}
        self._lists(d)
        self._columns(d)
        self._cards(d)
        self._window(d)
        self._ranges(d)

    def _order(self, d: Draw, tab: str) -> list[str]:
        """The fields a row of `tab` carries, in a seeded order."""
        fields = list(BOOKS_FIELDS if tab == "books" else VAT_FIELDS)
        if tab == "vat" and not self.vat_account_name:
            fields.remove("account_name")
        if not self.with_seq:
            fields.remove("seq")
        if self.with_period:
            fields.append("period")
        d.rng.shuffle(fields)
        return (["id"] if self.with_id else []) + fields

    # ---- lists inside rows -----------------------------------------------------------------
    def _lists(self, d: Draw) -> None:
        self.tags = d.word() if d.chance(0.35) else None
        self.attachments = d.word() if d.chance(0.3) else None
        self.tag_pool = d.words.words(6)
        self.attachment_keys = (d.word(), d.word())

    def _row_lists(self, out: dict, cid: str, period: str, seq: int) -> None:
        if not (self.tags or self.attachments):
            return
        rng = random.Random(f"{self.seed}|{cid}|{period}|{seq}|row-lists")
        if self.tags:
            out[self.tags] = rng.sample(self.tag_pool, rng.randint(0, 3))
        if self.attachments:
            name, pages = self.attachment_keys
            out[self.attachments] = [
                {name: f"{rng.choice(self.tag_pool)}_{seq}_{k + 1}.pdf", pages: rng.randint(1, 9)}
                for k in range(rng.randint(0, 2))
            ]

    @property
    def row_lists(self) -> tuple[str, ...]:
        return tuple(x for x in (self.tags, self.attachments) if x)

    def fields(self, tab: str) -> dict[str, str]:
        """Canonical field -> dotted path in a row of `tab` (as carried)."""
        return {f: dotted(self.paths[f]) for f in self.order[tab]}

    # ---- rows ------------------------------------------------------------------------------
    def row(self, tab: str, cid: str, period: str, r: dict) -> dict:
        out: dict = {}
        for f in self.order[tab]:
            if f == "id":
                value = f"{cid}:{period}:{r['seq']}"
            elif f == "period":
                value = period
            elif f == "account_name" and tab == "vat":
                value = ACCOUNTS[r["account_code"]][0]
            else:
                value = r[f]
            put(out, self.paths[f], value)
        self._row_lists(out, cid, period, r["seq"])
        return out

    # ---- columns ---------------------------------------------------------------------------
    def _columns(self, d: Draw) -> None:
        self.has_columns = d.chance(0.65)
        self.column_keys = {
            "label": d.word(),
            "path": d.word() if d.chance(0.7) else None,
            "type": d.word() if d.chance(0.6) else None,
        }

    def columns(self, tab: str) -> list[dict] | None:
        if not self.has_columns:
            return None
        cols = [(dotted(self.paths[f]), _column_type(f)) for f in self.order[tab]]
        cols += [(name, "list") for name in self.row_lists]
        k = self.column_keys
        out = []
        for path, kind in cols:
            col = {k["label"]: path.rsplit(".", 1)[-1].replace("_", " ").capitalize()}
            if k["path"]:
                col[k["path"]] = path
            if k["type"]:
                col[k["type"]] = kind
            out.append(col)
        return out

    # ---- summary cards ---------------------------------------------------------------------
    def _cards(self, d: Draw) -> None:
        n = Names(d)
        n.add("label", d.word)
        self.card_key = n.add("key", d.word) if d.chance(0.5) else None
        n.add("count", d.word)
        uniform = d.chance(0.5)
        amount = n.add("amount", d.amount)
        self.card_money = {
            k: amount if uniform else n.add(k, lambda k=k: d.money(f"{k}_cents"))
            for k in CARD_LABELS
            if k != "rows"
        }
        self.card_group = d.word() if d.chance(0.5) else None
        self.card_names = n.of

    def cards(self, values: dict[str, int]) -> list[dict]:
        out = []
        for key, val in values.items():
            card = {self.card_names["label"]: CARD_LABELS[key]}
            if self.card_key:
                card[self.card_key] = key
            name = self.card_names["count"] if key == "rows" else self.card_money[key]
            put(card, (self.card_group, name) if self.card_group else (name,), val)
            out.append(card)
        return out

    # ---- row window ------------------------------------------------------------------------
    def _window(self, d: Draw) -> None:
        self.window_total = d.containing("total")
        self.window_more = d.containing("more") if d.chance(0.5) else None
        self.window_page = d.word() if d.chance(0.3) else None

    def window(self, offset: int, limit: int, total: int) -> dict:
        out: dict = {"offset": offset, "limit": limit, self.window_total: total}
        if self.window_more:
            out[self.window_more] = offset + limit < total
        if self.window_page:
            out[self.window_page] = offset // limit + 1
        return out

    # ---- available ranges ------------------------------------------------------------------
    def _ranges(self, d: Draw) -> None:
        self.range_value = d.word()
        self.range_wrap = d.word() if d.chance(0.4) else None
        self.range_kind = (d.word(), d.word()) if d.chance(0.5) else None

    def ranges(self, periods_newest_first: list[str]) -> list[dict]:
        out = []
        for p in periods_newest_first:
            entry: dict = {}
            put(entry, (self.range_wrap, self.range_value) if self.range_wrap else (self.range_value,), p)
            if self.range_kind:
                entry[self.range_kind[0]] = self.range_kind[1]
            out.append(entry)
        return out


def _column_type(field: str) -> str:
    if field.endswith("_cents"):
        return "money"
    if field.endswith("_basis_points"):
        return "rate"
    return _COLUMN_TYPES.get(field, "text")
