"""Balance sheet at the end of the chosen month."""

import streamlit as st

from lac_connector.dashboard import data, filters, queries, tables
from lac_connector.dashboard.money import euros, total

f = filters.current()
data.require("mart_balance_sheet")
lines = data.load(queries.balance_sheet, f.source_system, f.customer_id, f.period)

st.title(f"Balance sheet · {f.period}")
st.caption(f"{f.customer_id} · balances at the end of {f.period}")

assets = total(lines.loc[lines["section"] == "assets", "amount"])
equity_and_liabilities = total(lines.loc[lines["section"] != "assets", "amount"])
kpis = st.columns(3)
kpis[0].metric("Assets", euros(assets))
kpis[1].metric("Equity and liabilities", euros(equity_and_liabilities))
kpis[2].metric("Difference", euros(assets - equity_and_liabilities))

tables.show(lines[["section", "account_code", "account_name", "amount"]], ["amount"])
