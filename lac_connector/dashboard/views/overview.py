"""Overview: revenue, expenses, result and cash of the fiscal year, month by month and to date."""

import streamlit as st

from lac_connector.dashboard import charts, data, filters, queries, tables
from lac_connector.dashboard.money import euros, total

f = filters.current()
data.require("mart_monthly_trend")
trend = data.load(queries.monthly_trend, f.source_system, f.customer_id)
year = trend[trend["fiscal_year"] == f.fiscal_year].reset_index(drop=True)
to_date = year[year["period"] <= f.period]
month = year[year["period"] == f.period].iloc[0]

st.title(f"Overview · FY {f.fiscal_year}")
st.caption(f"{f.customer_id} · year to date through {f.period} (fiscal period {month['fiscal_period']})")

ytd = st.columns(4)
ytd[0].metric("Revenue, year to date", euros(total(to_date["revenue"])))
ytd[1].metric("Expenses, year to date", euros(total(to_date["expenses"])))
ytd[2].metric("Result, year to date", euros(total(to_date["result"])))
ytd[3].metric(f"Cash at end of {f.period}", euros(month["closing_cash"]))

in_month = st.columns(4)
in_month[0].metric(f"Revenue in {f.period}", euros(month["revenue"]))
in_month[1].metric(f"Expenses in {f.period}", euros(month["expenses"]))
in_month[2].metric(f"Result in {f.period}", euros(month["result"]))

left, right = st.columns(2)
left.altair_chart(charts.monthly_result(year), width="stretch")
right.altair_chart(charts.year_to_date(year), width="stretch")
st.altair_chart(charts.cash(year), width="stretch")

st.subheader("Month by month")
money = ["revenue", "expenses", "result", "closing_cash"]
tables.show(
    year[["period", "fiscal_period", "row_count", *money]],
    money,
    {"fiscal_period": "fiscal period", "row_count": "ledger rows", "closing_cash": "cash at month end"},
)
