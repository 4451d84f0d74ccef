"""VAT return boxes per VAT period, with the tax payable (box 308) and the VAT by rate behind it."""

import streamlit as st

from lac_connector.dashboard import charts, data, filters, queries, tables
from lac_connector.dashboard.money import euros

PAYABLE_BOX = "308"


def vat_period_of(period: str, options: list[str]) -> str:
    """The VAT period (`YYYY-MM`, `YYYY-Qn` or `YYYY`) among `options` holding month `period`."""
    year, month = period[:4], int(period[5:7])
    for candidate in (period, f"{year}-Q{(month - 1) // 3 + 1}", year):
        if candidate in options:
            return candidate
    return options[-1]


f = filters.current()
data.require("mart_vat_return")
data.require("mart_vat_by_rate")
boxes = data.load(queries.vat_return, f.source_system, f.customer_id)
st.title("VAT return")
vat_periods = sorted(set(boxes["vat_period"]))
if not vat_periods:
    st.info(f"No VAT return boxes for {f.customer_id}.")
    st.stop()
# The VAT period follows the sidebar's month until the user picks another one here.
if st.session_state.get("vat_period") not in vat_periods or st.session_state.get("_vat_month") != f.period:
    st.session_state["vat_period"] = vat_period_of(f.period, vat_periods)
    st.session_state["_vat_month"] = f.period
vat_period = st.selectbox("VAT period", vat_periods, key="vat_period")
st.caption(f"{f.customer_id} · periodic VAT return (kausiveroilmoitus) boxes for {vat_period}")

chosen = boxes[boxes["vat_period"] == vat_period]
payable = chosen.loc[chosen["box"] == PAYABLE_BOX, "amount"]
amount = payable.iloc[0] if len(payable) else None
label = "Tax payable (box 308)" if amount is None or amount >= 0 else "Tax refundable (box 308, negative)"
st.metric(label, euros(amount))

left, right = st.columns(2)
tables.show(chosen[["box", "label", "amount"]], ["amount"], where=left)
history = boxes[boxes["box"] == PAYABLE_BOX]
right.altair_chart(charts.bars(history, "vat_period", "amount", "Box 308 per VAT period"), width="stretch")

st.subheader("VAT by code and rate")
by_rate = data.load(queries.vat_by_rate, f.source_system, f.customer_id, vat_period)
money = ["base", "output_vat", "input_vat"]
tables.show(by_rate, money)
