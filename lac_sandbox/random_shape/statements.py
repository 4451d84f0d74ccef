"""The random shape of `/statements` (income statement, balance sheet, cash flow), drill and analytics.

Promised in every tree: account codes sit under a name containing `account`, `acct`, `code` or
`number`, account names under one containing `name`, `title` or `label`; amounts end in `_cents`
and carry a meaning word; cash flow lines keep their canonical identifiers as values.
"""

from __future__ import annotations

from ..ledger import ACCOUNTS
from .layout import Layout, Names, scatter
from .naming import Draw
from .sheet import SheetShape

_SECTIONS = {
    "income_statement": ("revenue", "expenses"),
    "balance_sheet": ("assets", "liabilities", "equity"),
}
_CASHFLOW_LINES = ("opening_cash", "cash_in", "cash_out", "closing_cash")


class _Selection:
    """Where the range selection (`range`, `period_start`, `months`, ...) goes: top level or one object."""

    def __init__(self, d: Draw, fields: list[str]):
        self.wrap = d.word() if d.chance(0.5) else None
        self.layout = Layout(scatter(d, fields, loose_p=0.0))

    def render(self, out: dict, meta: dict) -> None:
        rendered = self.layout.render(meta)
        if self.wrap:
            out[self.wrap] = rendered
        else:
            out.update(rendered)


class StatementShape:
    """Seeded trees for statements, cash flow, drill and analytics."""

    def __init__(self, seed: int, sheet: SheetShape):
        self.sheet = sheet
        self._statements(Draw(seed, "statements"))
        self._cashflow(Draw(seed, "cashflow"))
        self._drill(Draw(seed, "drill"))
        self._analytics(Draw(seed, "analytics"))

    # ---- income statement, balance sheet ---------------------------------------------------
    def _statements(self, d: Draw) -> None:
        self.st_selection = _Selection(d, ["range", "period_start", "period_end", "months"])
        n = Names(d)
        n.add("account_code", d.account_code)
        n.add("account_name", d.account_name)
        n.add("section", d.word)
        n.add("amount_cents", d.amount)
        fields = ["account_code", "account_name", "amount_cents"] + (["section"] if d.chance(0.5) else [])
        self.line = Layout(
            scatter(d, fields, n, clusters=[["account_code", "account_name"], ["amount_cents"]], loose_p=0.0)
        )
        self.tree = d.pick(("by_kind", "kind_list", "sectioned"))
        self.st_wrap = d.word() if d.chance(0.4) else None
        self.st_names = {k: d.word() for k in ("list", "kind", "lines", "sections", "section_name", "as_of")}
        t = Names(d)
        for f in (
            "total_cents",
            "subtotal_cents",
            "total_assets_cents",
            "total_liabilities_and_equity_cents",
        ):
            t.add(f, lambda f=f: d.money(f))
        self.totals = t.of

    def _lines(self, values: dict[str, int]) -> list[dict]:
        return [
            self.line.render(
                {
                    "account_code": code,
                    "account_name": ACCOUNTS[code][0],
                    "amount_cents": amount,
                    **({"section": ACCOUNTS[code][1]} if "section" in self.line.paths else {}),
                }
            )
            for code, amount in values.items()
        ]

    def _statement(self, kind: str, values: dict[str, int], as_of: str | None) -> dict:
        nm, tot = self.st_names, self.totals
        body: dict = {}
        if self.tree != "by_kind":
            body[nm["kind"]] = kind
        if self.tree == "sectioned":
            body[nm["sections"]] = [
                {
                    nm["section_name"]: section,
                    nm["lines"]: self._lines({c: a for c, a in values.items() if ACCOUNTS[c][1] == section}),
                    tot["subtotal_cents"]: sum(a for c, a in values.items() if ACCOUNTS[c][1] == section),
                }
                for section in _SECTIONS[kind]
            ]
        else:
            body[nm["lines"]] = self._lines(values)
        if kind == "income_statement":
            body[tot["total_cents"]] = sum(values.values())
        else:
            body[nm["as_of"]] = as_of
            body[tot["total_assets_cents"]] = values["1910"]
            body[tot["total_liabilities_and_equity_cents"]] = values["2939"] + values["2251"] + values["2370"]
        return body

    def statements(self, income: dict[str, int] | None, balance: dict[str, int] | None, meta: dict) -> dict:
        parts = [
            (kind, values)
            for kind, values in (("income_statement", income), ("balance_sheet", balance))
            if values is not None
        ]
        built = [(kind, self._statement(kind, values, meta.get("period_end"))) for kind, values in parts]
        tree: dict = (
            dict(built) if self.tree == "by_kind" else {self.st_names["list"]: [body for _, body in built]}
        )
        out: dict = {}
        self.st_selection.render(out, meta)
        if self.st_wrap:
            out[self.st_wrap] = tree
        else:
            out.update(tree)
        return out

    # ---- cash flow -------------------------------------------------------------------------
    def _cashflow(self, d: Draw) -> None:
        self.cf_selection = _Selection(d, ["range", "period_start", "period_end", "months"])
        self.cf_names = {k: d.word() for k in ("statement", "list", "kind", "lines", "line")}
        self.cf_amount = d.amount(("amount", "value", "balance", "total"))
        self.cf_tree = d.pick(("object", "kind_list"))

    def cashflow(self, cf: dict[str, int], meta: dict) -> dict:
        nm = self.cf_names
        lines = [{nm["line"]: k, self.cf_amount: cf[f"{k}_cents"]} for k in _CASHFLOW_LINES]
        out: dict = {}
        self.cf_selection.render(out, meta)
        if self.cf_tree == "object":
            out[nm["statement"]] = {nm["lines"]: lines}
        else:
            out[nm["list"]] = [{nm["kind"]: "cashflow", nm["lines"]: lines}]
        return out

    # ---- drill -----------------------------------------------------------------------------
    def _drill(self, d: Draw) -> None:
        self.drill_selection = _Selection(d, ["range", "period_start", "period_end", "months"])
        n = Names(d)
        n.add("account_code", d.account_code)
        n.add("account_name", d.account_name)
        n.add("amount_cents", d.amount)
        self.drill_list = d.word()
        self.drill_account = Layout(
            scatter(
                d,
                ["account_code", "account_name", "amount_cents", "row_count", "rows"],
                n,
                clusters=[["account_code", "account_name"], ["amount_cents", "row_count"]],
                top=["rows"],
                loose_p=0.0,
            )
        )

    def drill(self, cid: str, accounts: list[dict], meta: dict) -> dict:
        out: dict = {}
        self.drill_selection.render(out, meta)
        out[self.drill_list] = [
            self.drill_account.render(
                {
                    "account_code": a["account_code"],
                    "account_name": a["account_name"],
                    "amount_cents": a["amount_cents"],
                    "row_count": len(a["rows"]),
                    "rows": [self.sheet.row("books", cid, p, r) for p, r in a["rows"]],
                }
            )
            for a in accounts
        ]
        return out

    # ---- analytics -------------------------------------------------------------------------
    def _analytics(self, d: Draw) -> None:
        self.an_selection = _Selection(d, ["range", "months"])
        self.an_names = {k: d.word() for k in ("trend", "categories", "totals")}
        self.trend_by_period = d.chance(0.4)
        self.categories_by_name = d.chance(0.4)
        self.trend = Layout(
            scatter(
                d,
                ["period", "revenue_cents", "expenses_cents", "result_cents", "row_count"],
                clusters=[["revenue_cents", "expenses_cents", "result_cents"]],
                top=["period"],
                loose_p=0.0,
            )
        )
        self.category = Layout(scatter(d, ["category", "amount_cents", "row_count"], top=["category"]))
        self.an_totals = Layout(scatter(d, ["revenue_cents", "expenses_cents", "result_cents"], loose_p=0.0))

    def analytics(self, data: dict, meta: dict) -> dict:
        nm = self.an_names
        trend, cats = data["trend"], data["categories"]
        totals = {k: sum(t[k] for t in trend) for k in ("revenue_cents", "expenses_cents", "result_cents")}
        out: dict = {}
        self.an_selection.render(out, meta)
        if self.trend_by_period:
            out[nm["trend"]] = {
                t["period"]: self.trend.render({k: v for k, v in t.items() if k != "period"}) for t in trend
            }
        else:
            out[nm["trend"]] = [self.trend.render(t) for t in trend]
        if self.categories_by_name:
            out[nm["categories"]] = {k: self.category.render(v) for k, v in cats.items()}
        else:
            out[nm["categories"]] = [self.category.render({"category": k, **v}) for k, v in cats.items()]
        out[nm["totals"]] = self.an_totals.render(totals)
        return out
