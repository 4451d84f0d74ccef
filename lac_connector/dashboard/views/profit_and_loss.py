"""Profit and loss: every P&L account by fiscal period of the fiscal year, with year-to-date totals."""

from decimal import Decimal

import pandas as pd
import streamlit as st

from lac_connector.dashboard import charts, data, filters, queries, tables
from lac_connector.dashboard.money import euros, total

SECTIONS = {"revenue": "Revenue", "expenses": "Expenses"}

f = filters.current()
data.require("mart_profit_and_loss")
pnl = data.load(
    queries.profit_and_loss,
    f.source_system,
    f.customer_id,
    f.fiscal_year,
)
pnl = pnl[pnl["period"] <= f.period]
periods = sorted(set(pnl["period"]))

st.title(f"Profit and loss · FY {f.fiscal_year}")
st.caption(f"{f.customer_id} · by fiscal period through {f.period}; amounts signed as in the books")


def line(label: str, cells: dict[str, Decimal]) -> dict[str, object]:
    """One table row: an amount per period (None where the account has no rows) and the total."""
    return {"account": label, **{p: cells.get(p) for p in periods}, "year to date": total(cells.values())}


rows = []
section_totals: dict[str, dict[str, Decimal]] = {}
for section, title in SECTIONS.items():
    accounts = pnl[pnl["account_section"] == section]
    by_period: dict[str, Decimal] = {}
    for code, lines in accounts.groupby("account_code", sort=True):
        cells = dict(zip(lines["period"], lines["net"], strict=True))
        rows.append(line(f"{code} {lines['account_name'].iloc[-1]}", cells))
        for period, amount in cells.items():
            by_period[period] = by_period.get(period, Decimal(0)) + amount
    rows.append(line(f"{title} total", by_period))
    section_totals[section] = by_period
result = {p: total(s.get(p) for s in section_totals.values()) for p in periods}
rows.append(line("Result", result))

kpis = st.columns(3)
kpis[0].metric("Revenue, year to date", euros(total(section_totals["revenue"].values())))
kpis[1].metric("Expenses, year to date", euros(total(section_totals["expenses"].values())))
kpis[2].metric("Result, year to date", euros(total(result.values())))

tables.show(pd.DataFrame(rows, columns=["account", *periods, "year to date"]), [*periods, "year to date"])

ytd = pnl.groupby("account_code", as_index=False, sort=True).agg(
    account_name=("account_name", "last"), net=("net", total)
)
ytd["account"] = ytd["account_code"] + " " + ytd["account_name"]
st.altair_chart(charts.bars(ytd, "account", "net", "Year to date by account"), width="stretch")
