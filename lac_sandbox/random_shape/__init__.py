"""`shape="random"`: every interior the spec leaves open, rendered from seeded nonsense names.

What stays fixed is what the spec (or a near-universal convention) promises: top-level envelopes,
paths, parameters, status codes, the error envelope, `_cents` / `_basis_points` suffixes,
`YYYY-MM-DD` dates, the spec-named fields of invoices, parties, invoice lines, API keys and the
company profile. See docs/sandbox.md for the rules; `RandomShape.info` says what a seed chose.
"""

from __future__ import annotations

from ..shape_info import ShapeInfo
from .documents import DocumentShape
from .invoicing import InvoicingShape
from .naming import Draw
from .sheet import SheetShape
from .statements import StatementShape
from .summaries import SummaryShape
from .workspace import WorkspaceShape

HIDEABLE = ("uploads", "outputs", "imports")
HIDDEN_SHARE = 0.2


def hidden_list(seed: int) -> str | None:
    """The list whose key this seed hides from every convention (about 1 seed in 5), if any.

    Which seeds hide is drawn; which list a hiding seed hides is `HIDEABLE[seed % 3]`.
    """
    return HIDEABLE[seed % len(HIDEABLE)] if Draw(seed, "hidden").chance(HIDDEN_SHARE) else None


class RandomShape:
    """The random rendering of one `shape_seed` (same seed, same names, same bytes)."""

    name = "random"

    def __init__(self, seed: int):
        self.seed = seed
        self.hidden = hidden_list(seed)
        self.sheet = SheetShape(seed)
        self.stmts = StatementShape(seed, self.sheet)
        self.docs = DocumentShape(seed, self.hidden)
        self.invoicing = InvoicingShape(seed)
        self.workspace = WorkspaceShape(seed)
        self.summaries = SummaryShape(seed, self.docs)

    # ---- books -----------------------------------------------------------------------------
    def row(self, tab: str, cid: str, period: str, r: dict) -> dict:
        return self.sheet.row(tab, cid, period, r)

    def cards(self, values: dict[str, int]) -> list[dict]:
        return self.sheet.cards(values)

    def columns(self, tab: str) -> list[dict] | None:
        return self.sheet.columns(tab)

    def window(self, offset: int, limit: int, total: int) -> dict:
        return self.sheet.window(offset, limit, total)

    def ranges(self, periods_newest_first: list[str]) -> list[dict]:
        return self.sheet.ranges(periods_newest_first)

    def statements(self, income: dict[str, int] | None, balance: dict[str, int] | None, meta: dict) -> dict:
        return self.stmts.statements(income, balance, meta)

    def cashflow(self, cf: dict[str, int], meta: dict) -> dict:
        return self.stmts.cashflow(cf, meta)

    def drill(self, cid: str, accounts: list[dict], meta: dict) -> dict:
        return self.stmts.drill(cid, accounts, meta)

    def analytics(self, data: dict, meta: dict) -> dict:
        return self.stmts.analytics(data, meta)

    # ---- documents -------------------------------------------------------------------------
    def upload(self, u: dict) -> dict:
        return self.docs.upload_entry(u)

    def ingest(self, cid: str, uploads: list[dict]) -> dict:
        return self.docs.ingest(cid, uploads)

    def output(self, o: dict) -> dict:
        return self.docs.output_entry(o)

    def import_run(self, r: dict) -> dict:
        return self.docs.run_entry(r)

    def artifacts(self, r: dict) -> list[dict]:
        return self.docs.artifacts(r)

    # ---- invoicing -------------------------------------------------------------------------
    def invoice(self, inv: dict, listed: bool) -> dict:
        return self.invoicing.invoice_entry(inv, listed)

    def party(self, p: dict) -> dict:
        return self.invoicing.party(p)

    def template(self, t: dict) -> dict:
        return self.invoicing.template.render(t)

    # ---- workspace -------------------------------------------------------------------------
    def message(self, m: dict) -> dict:
        return self.workspace.message.render(m)

    def connections(self, cid: str, provider: str, items: list[dict]) -> dict:
        return self.workspace.connections(cid, provider, items)

    def payroll(self, ws: dict) -> dict:
        return self.workspace.payroll(ws)

    def payslip(self, slip: dict) -> dict:
        return self.workspace.payslip(slip)

    def overview(self, payload: dict) -> dict:
        return self.summaries.overview(payload)

    def filings(self, payload: dict) -> dict:
        return self.summaries.filings(payload)

    # ---- what was chosen -------------------------------------------------------------------
    @property
    def info(self) -> ShapeInfo:
        ws, inv = self.workspace, self.invoicing
        keys = {
            "uploads": self.docs.upload_key,
            "outputs": self.docs.output_key,
            "imports": self.docs.run_key,
            "templates": inv.template_key,
            "messages": ws.message.dotted("id"),
            "parties": inv.party_key,
            "connections": ws.connection.dotted("connection_id"),
            "employees": ws.employee.dotted("employee_id"),
            "payroll_runs": ws.run.dotted("run_id"),
        }
        return ShapeInfo(
            shape="random",
            seed=self.seed,
            keys=keys,
            hidden_keys=(self.hidden,) if self.hidden else (),
            books_fields=self.sheet.fields("books"),
            vat_fields=self.sheet.fields("vat"),
            row_lists=self.sheet.row_lists,
            connections_list=".".join(ws.connections_path),
            has_columns=self.sheet.has_columns,
        )
