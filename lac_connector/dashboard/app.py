"""Streamlit entrypoint (`streamlit run app.py`): the sidebar filters and the page navigation."""

import streamlit as st

from lac_connector.dashboard import data, filters

PAGES = [
    st.Page("views/overview.py", title="Overview", icon=":material/monitoring:", default=True),
    st.Page("views/profit_and_loss.py", title="Profit and loss", icon=":material/table_chart:"),
    st.Page("views/balance_sheet.py", title="Balance sheet", icon=":material/account_balance:"),
    st.Page("views/vat.py", title="VAT return", icon=":material/receipt_long:"),
    st.Page("views/receivables.py", title="Receivables", icon=":material/request_quote:"),
    st.Page("views/data_health.py", title="Data health", icon=":material/health_and_safety:"),
]

st.set_page_config(page_title="LAC dashboard", page_icon=":material/monitoring:", layout="wide")
page = st.navigation(PAGES)
data.begin_run()
st.sidebar.caption(f"Dataset `{data.warehouse().dataset}` · figures cached up to {data.CACHE_SECONDS} s")
if st.sidebar.button("Refresh data", icon=":material/refresh:"):
    data.refresh()
filters.sidebar()
page.run()
