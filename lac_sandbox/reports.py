"""Statements, analytics and VAT previews computed from cached per-month aggregates (canonical form)."""

from __future__ import annotations

from . import calendar as cal
from .ledger import ACCOUNTS, Ledger

CASHFLOW_WINDOW_MONTHS = 24


def income_statement(ledger: Ledger, periods: list[str]) -> dict[str, int]:
    """P&L account -> Σ net_cents over the periods (accounts with rows only)."""
    out: dict[str, int] = {}
    for p in periods:
        for code, (net, _v, _g, n) in ledger.aggregates(p).by_account.items():
            if n:
                out[code] = out.get(code, 0) + net
    return dict(sorted(out.items()))


def balance_sheet(ledger: Ledger, as_of: str, fy_start_month: int) -> dict[str, int]:
    """Balance accounts as of the end of `as_of` (cumulative from the first month, opening balances 0)."""
    fy_start = cal.to_index(cal.fiscal_year_start(as_of, fy_start_month))
    end = cal.to_index(as_of)
    bank = vat = prior = current = 0
    for p in ledger.periods:
        idx = cal.to_index(p)
        if idx > end or ledger.count(p) == 0:
            continue
        agg = ledger.aggregates(p)
        bank += agg.gross
        vat += agg.vat
        if idx < fy_start:
            prior += agg.net
        else:
            current += agg.net
    return {"1910": bank, "2939": vat, "2251": prior, "2370": current}


def cashflow(ledger: Ledger, periods: list[str], today_period: str) -> dict[str, int] | None:
    """Opening/in/out/closing cash for the periods; None outside the 24-month window or without rows."""
    periods = [p for p in periods if ledger.count(p) > 0]
    if not periods:
        return None
    if cal.to_index(today_period) - cal.to_index(periods[0]) >= CASHFLOW_WINDOW_MONTHS:
        return None
    first = cal.to_index(periods[0])
    opening = sum(
        ledger.aggregates(p).gross for p in ledger.periods if cal.to_index(p) < first and ledger.count(p) > 0
    )
    cash_in = sum(ledger.aggregates(p).cash_in for p in periods)
    cash_out = sum(ledger.aggregates(p).cash_out for p in periods)
    return {
        "opening_cash_cents": opening,
        "cash_in_cents": cash_in,
        "cash_out_cents": cash_out,
        "closing_cash_cents": opening + cash_in + cash_out,
    }


def analytics(ledger: Ledger, periods: list[str]) -> dict:
    """Monthly revenue/expenses/result trend and category breakdown (Σ net_cents)."""
    trend, cats = [], {}
    for p in periods:
        agg = ledger.aggregates(p)
        rev = sum(v[0] for c, v in agg.by_account.items() if ACCOUNTS[c][1] == "revenue")
        exp = sum(v[0] for c, v in agg.by_account.items() if ACCOUNTS[c][1] == "expenses")
        trend.append(
            {
                "period": p,
                "revenue_cents": rev,
                "expenses_cents": exp,
                "result_cents": rev + exp,
                "row_count": agg.count,
            }
        )
        for cat, (net, n) in agg.by_category.items():
            c = cats.setdefault(cat, {"amount_cents": 0, "row_count": 0})
            c["amount_cents"] += net
            c["row_count"] += n
    return {"trend": trend, "categories": dict(sorted(cats.items()))}


def vat_preview(ledger: Ledger, periods: list[str]) -> dict:
    """VAT return preview for the periods, consistent with the VAT sheet."""
    by: dict[str, list[int]] = {}
    for p in periods:
        for code, vals in ledger.aggregates(p).by_vat.items():
            acc = by.setdefault(code, [0, 0, 0, 0])
            for i in range(4):
                acc[i] += vals[i]
    rates = {"S255": 2550, "S14": 1400, "S10": 1000}
    by_rate = [
        {
            "vat_code": code,
            "vat_rate_basis_points": bp,
            "base_cents": by.get(code, [0] * 4)[0],
            "vat_cents": by.get(code, [0] * 4)[1],
        }
        for code, bp in rates.items()
    ]
    out = sum(v[1] for v in by.values())
    inp = sum(v[2] for v in by.values())
    eu_p = by.get("EU_PURCHASE", [0] * 4)
    return {
        "output_vat_by_rate": by_rate,
        "output_vat_cents": out,
        "input_vat_cents": inp,
        "payable_cents": out - inp,
        "zero_rated_sales_base_cents": by.get("S0", [0] * 4)[0],
        "eu_sales_base_cents": by.get("EU_SALE", [0] * 4)[0],
        "eu_purchases_base_cents": -eu_p[0],
        "eu_purchases_vat_cents": eu_p[1],
        "row_count": sum(v[3] for v in by.values()),
    }


def drill(ledger: Ledger, periods: list[str], codes: list[str]) -> list[dict]:
    """Per requested account: rows and Σ net behind its statement line (only accounts with rows)."""
    out = []
    for code in codes:
        rows = []
        for p in periods:
            if code not in ledger.aggregates(p).by_account:
                continue
            rows.extend((p, r) for r in ledger.all_rows(p) if r["account_code"] == code)
        if rows:
            out.append(
                {
                    "account_code": code,
                    "account_name": ACCOUNTS.get(code, ("?", ""))[0],
                    "amount_cents": sum(r["net_cents"] for _, r in rows),
                    "rows": rows,
                }
            )
    return out
