"""Reports from cached aggregates: trial balance, P&L, balance sheet, VAT, monthly revenue/expenses.

Sign conventions (all base currency): trial balance balances are debit - credit; P&L `amount` is
credit - debit (revenue positive, expenses negative, the sum is the result); balance sheet `amount`
is on the account's natural side (assets debit - credit, liabilities/equity credit - debit) plus one
line without account number carrying the not yet distributed result, so assets == the rest.
"""

from __future__ import annotations

from datetime import date, timedelta

from .chart import ACCOUNT, BALANCE_TYPES, TAX, natural_sign
from .journal import Agg, Journal
from .money import amount
from .shapes import Obj

REPORT_TYPES = ("trial_balance", "profit_and_loss", "balance_sheet", "vat")
RESULT_LINE_NAME = "Jahresüberschuss/-fehlbetrag (nicht verteilt)"


def by_account(agg: Agg) -> dict[str, list[int]]:
    out: dict[str, list[int]] = {}
    for (acc, _), (d, c) in agg.items():
        cur = out.setdefault(acc, [0, 0])
        cur[0] += d
        cur[1] += c
    return out


def trial_balance(j: Journal, start: date | None, end: date | None) -> list[Obj]:
    before = by_account(j.window_agg(None, start - timedelta(days=1))) if start else {}
    during = by_account(j.window_agg(start, end))
    rows = []
    for acc in sorted(set(before) | set(during)):
        opening = before.get(acc, [0, 0])
        d, c = during.get(acc, [0, 0])
        ob = opening[0] - opening[1]
        a = ACCOUNT[acc]
        rows.append(
            Obj(
                "trial_balance_line",
                account_number=acc,
                account_name=a.name,
                account_type=a.type,
                opening_balance=amount(ob),
                debit=amount(d),
                credit=amount(c),
                closing_balance=amount(ob + d - c),
            )
        )
    return rows


def profit_and_loss(j: Journal, start: date | None, end: date | None) -> list[Obj]:
    rows = []
    for acc, (d, c) in sorted(by_account(j.window_agg(start, end)).items()):
        a = ACCOUNT[acc]
        if a.type in BALANCE_TYPES:
            continue
        rows.append(
            Obj(
                "profit_and_loss_line",
                account_number=acc,
                account_name=a.name,
                account_type=a.type,
                report_group=a.report_group,
                amount=amount(c - d),
            )
        )
    return rows


def balance_sheet(j: Journal, end: date | None) -> list[Obj]:
    rows, result = [], 0
    for acc, (d, c) in sorted(by_account(j.window_agg(None, end)).items()):
        a = ACCOUNT[acc]
        if a.type not in BALANCE_TYPES:
            result += c - d
            continue
        value = natural_sign(a.type) * (d - c)
        if value:
            rows.append(
                Obj(
                    "balance_sheet_line",
                    account_number=acc,
                    account_name=a.name,
                    account_type=a.type,
                    report_group=a.report_group,
                    amount=amount(value),
                )
            )
    rows.append(
        Obj(
            "balance_sheet_line",
            account_number=None,
            account_name=RESULT_LINE_NAME,
            account_type="equity",
            report_group="bs.equity.result",
            amount=amount(result),
        )
    )
    return rows


def vat_figures(agg: Agg) -> dict[str, list[int]]:
    """tax code -> [net, output_tax, input_tax] in base cents."""
    out: dict[str, list[int]] = {}
    for (acc, code), (d, c) in agg.items():
        if code is None:
            continue
        tc = TAX[code]
        cur = out.setdefault(code, [0, 0, 0])
        if acc == tc.self_assess_account or (acc == tc.vat_account and tc.direction == "output"):
            cur[1] += c - d
        elif acc == tc.vat_account:
            cur[2] += d - c
        else:
            cur[0] += (c - d) if ACCOUNT[acc].type == "revenue" else (d - c)
    return out


def vat(j: Journal, start: date | None, end: date | None) -> list[Obj]:
    return [
        Obj(
            "vat_line",
            tax_code=code,
            rate=TAX[code].rate,
            net=amount(n),
            output_tax=amount(o),
            input_tax=amount(i),
        )
        for code, (n, o, i) in sorted(vat_figures(j.window_agg(start, end)).items())
    ]


def revenue_expenses(agg: Agg) -> tuple[int, int]:
    rev = exp = 0
    for acc, (d, c) in by_account(agg).items():
        t = ACCOUNT[acc].type
        if t == "revenue":
            rev += c - d
        elif t == "expense":
            exp += d - c
    return rev, exp


def monthly(j: Journal) -> list[Obj]:
    rows = []
    for p in j.all_periods():
        rev, exp = revenue_expenses(j.month_agg(p))
        rows.append(
            Obj("monthly_line", month=p, revenue=amount(rev), expenses=amount(exp), result=amount(rev - exp))
        )
    return rows
