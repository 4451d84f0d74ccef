"""The random shape of `/overview` and `/filings`: their top-level names are the spec's, interiors open."""

from __future__ import annotations

from .documents import DocumentShape
from .layout import keyed, plain
from .naming import Draw


class SummaryShape:
    """Seeded layouts of the overview's and the filing state's interiors."""

    def __init__(self, seed: int, documents: DocumentShape):
        self.documents = documents
        d = Draw(seed, "overview")
        self.overview_parts = {
            "period": plain(d, ["period", "start", "end", "status"]),
            "metrics": plain(
                d,
                [
                    "revenue_cents",
                    "expenses_cents",
                    "result_cents",
                    "bank_balance_cents",
                    "vat_payable_cents",
                    "row_count",
                ],
            ),  # fmt: skip
            "readiness": plain(d, ["vat_return", "close"]),
            "imports": plain(d, ["runs", "latest_status"]),
            "intake": plain(d, ["uploads", "unbooked"]),
        }
        self.attention = plain(d, ["kind", "count"])
        d = Draw(seed, "filings")
        self.filing_parts = {
            "period": plain(d, ["range", "start", "end", "months", "vat_period_months"]),
            "review_system": plain(d, ["name", "enabled"]),
            "latest_request": plain(d, ["request_id", "status", "created_at"]),
            "authorization": plain(d, ["status", "authorized_by", "valid_until"]),
        }
        self.draft = keyed(d, ["draft_id", "kind", "period_start", "period_end", "status", "payable_cents"],
                           "draft_id", None)  # fmt: skip
        self.filing = keyed(
            d,
            ["filing_id", "kind", "period_start", "period_end", "status", "payable_cents", "filed_at"],
            "filing_id",
            None,
        )

    def overview(self, payload: dict) -> dict:
        out = dict(payload)
        for name, layout in self.overview_parts.items():
            out[name] = layout.render(payload[name])
        out["attention_items"] = [self.attention.render(a) for a in payload["attention_items"]]
        return out

    def filings(self, payload: dict) -> dict:
        out = dict(payload)
        for name, layout in self.filing_parts.items():
            out[name] = layout.render(payload[name])
        out["vat_preview"] = self.documents.preview.render(payload["vat_preview"])
        out["drafts"] = [self.draft.render(x) for x in payload["drafts"]]
        out["filings"] = [self.filing.render(x) for x in payload["filings"]]
        out["outputs"] = [self.documents.output.render(x) for x in payload["outputs"]]
        return out
