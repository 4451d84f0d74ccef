"""The sidebar filters every page shares: source system, company, fiscal year, period (a month)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import streamlit as st

from lac_connector.dashboard import data, queries

_CURRENT = "_lac_filters"


@dataclass(frozen=True)
class Filters:
    source_system: str
    customer_id: str
    fiscal_year: int
    period: str  # YYYY-MM: the month the year-to-date figures and the balance sheet run to


def sidebar() -> Filters | None:
    """Draw the filters (in the entrypoint, so they keep their values across pages)."""
    st.session_state[_CURRENT] = None
    if "mart_monthly_trend" not in data.relation_columns():
        st.sidebar.info("No ledger marts yet (`mart_monthly_trend`): run `lac run` first.")
        return None
    sources = data.load(queries.source_systems)["source_system"].tolist()
    source_system = _select(
        "Source system", sources, "source_system", default=sources[0] if sources else None
    )
    companies = data.load(queries.companies, source_system)["customer_id"].tolist()
    customer_id = _select("Company", companies, "customer_id", default=companies[0] if companies else None)
    if customer_id is None:
        st.sidebar.info(f"No company has ledger data from source system {source_system!r}.")
        return None
    trend = data.load(queries.monthly_trend, source_system, customer_id)
    years = sorted({int(y) for y in trend["fiscal_year"]}, reverse=True)
    fiscal_year = _select("Fiscal year", years, "fiscal_year", default=years[0], label=lambda y: f"FY {y}")
    months = trend[trend["fiscal_year"] == fiscal_year]
    periods = months["period"].tolist()
    fiscal_periods = dict(zip(periods, months["fiscal_period"].tolist(), strict=True))
    period = _select(
        "Period (month end)",
        periods,
        "period",
        default=periods[-1],
        label=lambda p: f"{p} (P{fiscal_periods[p]})",
    )
    current = Filters(source_system, customer_id, fiscal_year, period)
    st.session_state[_CURRENT] = current
    return current


def current() -> Filters:
    """The filters of this run; stops the page when there is nothing to filter yet."""
    found = st.session_state.get(_CURRENT)
    if found is None:
        st.info("No ledger data to show yet: run `lac run` (with transforms), then Refresh data.")
        st.stop()
    return found


def _select(
    title: str, options: Sequence[Any], key: str, *, default: Any, label: Callable[[Any], str] = str
) -> Any:
    """A sidebar selectbox keeping its choice while it is still an option, else `default`."""
    if st.session_state.get(key) not in options:
        st.session_state[key] = default
    return st.sidebar.selectbox(title, options, key=key, format_func=label)
