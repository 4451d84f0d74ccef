"""The random shape of invoicing: invoice-customer parties, invoices and their lines, templates.

The spec fixes `id`, `status`, `delivery_channel`, `customer` (a Party) and `lines` (InvoiceLine,
whose required fields keep their names) on an invoice; everything else may move or be renamed.
"""

from __future__ import annotations

from .layout import Layout, Names, keyed, scatter
from .naming import Draw

INVOICE_FIXED = ("id", "status", "delivery_channel", "customer", "lines")
INVOICE_FIELDS = (
    "id", "number", "status", "customer", "issue_date", "due_date", "delivery_channel", "net_cents",
    "vat_cents", "gross_cents", "currency", "updated_at", "lines", "line_count",
)  # fmt: skip
TEMPLATE_FIELDS = ("template_id", "name", "cadence_months", "next_issue_date", "status", "draft")
DRAFT_FIELDS = ("customer_party_id", "lines", "net_cents", "vat_cents", "gross_cents")


class InvoicingShape:
    """Seeded layouts of parties, invoices, invoice lines and recurring templates."""

    def __init__(self, seed: int):
        d = Draw(seed, "invoicing")
        self.party_key = d.key(None)
        self.line_names = {
            "vat_code": d.word() if d.chance(0.5) else "vat_code",
            "vat_rate_basis_points": d.rate() if d.chance(0.5) else "vat_rate_basis_points",
        }
        n = Names(d)
        for f in INVOICE_FIXED:
            n.add(f, lambda f=f: f)
        money = [f for f in INVOICE_FIELDS if f.endswith("_cents")]
        self.invoice = Layout(scatter(d, INVOICE_FIELDS, n, clusters=[money], top=INVOICE_FIXED))
        self.invoice.convert.update(customer=self.party, lines=self.lines)
        self._templates(Draw(seed, "templates"))

    def party(self, p: dict) -> dict:
        """A Party with its id under the seed's key name (all other Party fields are spec-named)."""
        return {(self.party_key if k == "id" else k): v for k, v in p.items()}

    def lines(self, lines: list[dict]) -> list[dict]:
        return [{self.line_names.get(k, k): v for k, v in ln.items()} for ln in lines]

    def invoice_entry(self, inv: dict, listed: bool) -> dict:
        """An invoice; as listed by `/invoices` it carries `line_count` instead of `lines`."""
        if listed:
            inv = {**{k: v for k, v in inv.items() if k != "lines"}, "line_count": len(inv["lines"])}
        return self.invoice.render(inv)

    # ---- recurring templates ---------------------------------------------------------------
    def _templates(self, d: Draw) -> None:
        draft = Layout(scatter(d, DRAFT_FIELDS, clusters=[["net_cents", "vat_cents", "gross_cents"]]))
        draft.convert["lines"] = self.lines
        self.template = keyed(d, TEMPLATE_FIELDS, "template_id", None, top=["draft"])
        self.template.convert["draft"] = draft.render

    @property
    def template_key(self) -> str | None:
        return self.template.dotted("template_id")
