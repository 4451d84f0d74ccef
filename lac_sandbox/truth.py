"""Expected content for tests, computed independently by iterating canonical rows (no aggregates)."""

from __future__ import annotations

import copy
from collections.abc import Iterator
from typing import TYPE_CHECKING

from . import calendar as cal
from .ledger import ACCOUNTS, vat_row

if TYPE_CHECKING:
    from .sandbox import Sandbox


class Truth:
    """Exact expected values; `rng` arguments accept any range form (a plain `YYYY-MM` included)."""

    def __init__(self, sb: Sandbox):
        self._sb = sb

    def _c(self, cid: str):
        return self._sb.world.by_id[cid]

    def _months(self, cid: str, rng: str) -> list[str]:
        return cal.range_months(rng, self._sb.cfg.today, self.periods(cid))

    # ---- books -----------------------------------------------------------------------------
    def periods(self, cid: str) -> list[str]:
        """Months with books rows, ascending."""
        return self._c(cid).ledger.periods_with_rows()

    def books_rows(self, cid: str, period: str) -> Iterator[dict]:
        return self._c(cid).ledger.all_rows(period)

    def vat_rows(self, cid: str, period: str) -> Iterator[dict]:
        for r in self.books_rows(cid, period):
            v = vat_row(r)
            if v is not None:
                yield v

    def sheet_totals(self, cid: str, tab: str, rng: str) -> dict:
        if tab == "books":
            out = {"rows": 0, "net_cents": 0, "vat_cents": 0, "gross_cents": 0}
            keys = ("net_cents", "vat_cents", "gross_cents")
            it = (r for m in self._months(cid, rng) for r in self.books_rows(cid, m))
        else:
            out = {"rows": 0, "base_cents": 0, "output_vat_cents": 0, "input_vat_cents": 0}
            keys = ("base_cents", "output_vat_cents", "input_vat_cents")
            it = (r for m in self._months(cid, rng) for r in self.vat_rows(cid, m))
        for r in it:
            out["rows"] += 1
            for k in keys:
                out[k] += r[k]
        return out

    def income_statement(self, cid: str, rng: str) -> dict[str, int]:
        out: dict[str, int] = {}
        for m in self._months(cid, rng):
            for r in self.books_rows(cid, m):
                out[r["account_code"]] = out.get(r["account_code"], 0) + r["net_cents"]
        return dict(sorted(out.items()))

    def balance_sheet(self, cid: str, rng: str) -> dict[str, int]:
        """As of the end of the range's last month with rows."""
        months = self._months(cid, rng)
        as_of = months[-1]
        fy = cal.to_index(cal.fiscal_year_start(as_of, self._c(cid).fy_start_month))
        bank = vat = prior = cur = 0
        for m in self.periods(cid):
            if cal.to_index(m) > cal.to_index(as_of):
                continue
            for r in self.books_rows(cid, m):
                bank += r["gross_cents"]
                vat += r["vat_cents"]
                if cal.to_index(m) < fy:
                    prior += r["net_cents"]
                else:
                    cur += r["net_cents"]
        return {"1910": bank, "2939": vat, "2251": prior, "2370": cur}

    def cashflow(self, cid: str, rng: str) -> dict | None:
        months = self._months(cid, rng)
        today_idx = cal.to_index(cal.period_of(self._sb.cfg.today))
        if not months or today_idx - cal.to_index(months[0]) >= 24:
            return None
        opening = sum(
            r["gross_cents"] for m in self.periods(cid) if m < months[0] for r in self.books_rows(cid, m)
        )
        grosses = [r["gross_cents"] for m in months for r in self.books_rows(cid, m)]
        cin = sum(g for g in grosses if g >= 0)
        cout = sum(g for g in grosses if g < 0)
        return {
            "opening_cash_cents": opening,
            "cash_in_cents": cin,
            "cash_out_cents": cout,
            "closing_cash_cents": opening + cin + cout,
        }

    def analytics(self, cid: str, rng: str) -> dict:
        trend, cats = [], {}
        for m in self._months(cid, rng):
            rev = exp = n = 0
            for r in self.books_rows(cid, m):
                n += 1
                if ACCOUNTS[r["account_code"]][1] == "revenue":
                    rev += r["net_cents"]
                else:
                    exp += r["net_cents"]
                c = cats.setdefault(r["category"], {"amount_cents": 0, "row_count": 0})
                c["amount_cents"] += r["net_cents"]
                c["row_count"] += 1
            trend.append(
                {
                    "period": m,
                    "revenue_cents": rev,
                    "expenses_cents": exp,
                    "result_cents": rev + exp,
                    "row_count": n,
                }
            )
        return {"trend": trend, "categories": dict(sorted(cats.items()))}

    def filing(self, cid: str, rng: str) -> dict:
        """row_count, open_items and the VAT preview figures for a range."""
        months = self._months(cid, rng)
        books = [r for m in months for r in self.books_rows(cid, m)]
        vats = [v for v in (vat_row(r) for r in books) if v is not None]

        def s(field: str, code: str) -> int:
            return sum(v[field] for v in vats if v["vat_code"] == code)

        out = sum(v["output_vat_cents"] for v in vats)
        inp = sum(v["input_vat_cents"] for v in vats)
        return {
            "row_count": len(books),
            "open_items": sum(1 for r in books if r["status"] != "booked"),
            "vat_preview": {
                "output_vat_by_rate": [
                    {
                        "vat_code": c,
                        "vat_rate_basis_points": bp,
                        "base_cents": s("base_cents", c),
                        "vat_cents": s("output_vat_cents", c),
                    }
                    for c, bp in (("S255", 2550), ("S14", 1400), ("S10", 1000))
                ],
                "output_vat_cents": out,
                "input_vat_cents": inp,
                "payable_cents": out - inp,
                "zero_rated_sales_base_cents": s("base_cents", "S0"),
                "eu_sales_base_cents": s("base_cents", "EU_SALE"),
                "eu_purchases_base_cents": -s("base_cents", "EU_PURCHASE"),
                "eu_purchases_vat_cents": s("output_vat_cents", "EU_PURCHASE"),
                "row_count": len(vats),
            },
        }

    # ---- world -----------------------------------------------------------------------------
    def invoices(self, cid: str) -> list[dict]:
        return copy.deepcopy(self._c(cid).invoices)

    def parties(self, cid: str) -> list[dict]:
        return copy.deepcopy(self._c(cid).parties)

    def templates(self, cid: str) -> list[dict]:
        return copy.deepcopy(self._c(cid).templates)

    def messages(self, cid: str) -> list[dict]:
        return copy.deepcopy(self._c(cid).messages)

    def connections(self, cid: str) -> dict[str, list[dict]]:
        return copy.deepcopy(self._c(cid).connections)

    def uploads(self, cid: str) -> list[dict]:
        return copy.deepcopy(self._c(cid).uploads)

    def upload_bytes(self, cid: str, filename: str) -> bytes:
        return self._c(cid).upload_bytes[filename]

    def outputs(self, cid: str) -> list[dict]:
        return copy.deepcopy(self._c(cid).outputs)

    def imports(self, cid: str) -> list[dict]:
        return copy.deepcopy(self._c(cid).imports)

    def payroll(self, cid: str, period: str) -> dict:
        return copy.deepcopy(self._sb.world.payroll(self._c(cid), period))

    def company(self, cid: str) -> dict:
        return self._c(cid).profile(editable=False)

    def api_keys(self, cid: str) -> list[dict]:
        return copy.deepcopy(self._c(cid).api_keys)
