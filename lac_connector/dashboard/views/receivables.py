"""Receivables: open invoices by aging bucket, and the overdue ones."""

import streamlit as st

from lac_connector.dashboard import charts, data, filters, queries, tables
from lac_connector.dashboard.money import euros, total

f = filters.current()
data.require("mart_receivables_summary")
data.require("mart_receivables_aging")
summary = data.load(queries.receivables_summary, f.source_system, f.customer_id)
st.title("Receivables")
if summary.empty:
    st.info(f"No open invoices for {f.customer_id}.")
    st.stop()
st.caption(f"{f.customer_id} · open invoices aged at {summary['as_of_date'].iloc[0]}")

overdue = summary[summary["aging_bucket"] != "current"]
over_90 = summary[summary["aging_bucket"] == "90+"]
kpis = st.columns(3)
kpis[0].metric(
    "Open receivables", euros(total(summary["gross"])), help=f"{summary['invoice_count'].sum()} invoices"
)
kpis[1].metric("Overdue", euros(total(overdue["gross"])))
kpis[2].metric("Overdue 90+ days", euros(total(over_90["gross"])))

left, right = st.columns(2)
tables.show(
    summary[["aging_bucket", "invoice_count", "gross"]],
    ["gross"],
    {"aging_bucket": "days overdue", "invoice_count": "invoices", "gross": "open (gross)"},
    where=left,
)
right.altair_chart(
    charts.bars(
        summary, "aging_bucket", "gross", "Open by days overdue", sort=summary["aging_bucket"].tolist()
    ),
    width="stretch",
)

st.subheader("Overdue invoices")
invoices = data.load(queries.overdue_invoices, f.source_system, f.customer_id)
tables.show(invoices, ["gross"], {"gross": "open (gross)"})
