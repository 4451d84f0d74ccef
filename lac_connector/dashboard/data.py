"""Query results for the pages: cached for `CACHE_SECONDS`, each fetch on its own short connection.

While a sync holds the DuckDB file the pages show the last figures read (with a note saying from
when) instead of failing; the next rerun after the sync reads fresh figures.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

import pandas as pd
import streamlit as st

from lac_connector.dashboard import queries
from lac_connector.dashboard.config import warehouse_from_env
from lac_connector.dashboard.warehouse import Warehouse, WarehouseBusy, WarehouseUnavailable

CACHE_SECONDS = 30
_BUSY_NOTED = "_lac_busy_noted"


@dataclass(frozen=True)
class Fetched:
    frame: pd.DataFrame
    at: datetime


@st.cache_data(ttl=CACHE_SECONDS, show_spinner=False, hash_funcs={Warehouse: lambda wh: wh.key})
def _fetch(wh: Warehouse, query_name: str, args: tuple) -> Fetched:
    return Fetched(getattr(queries, query_name)(wh, *args), datetime.now().astimezone())


@st.cache_resource
def _last_good() -> dict[tuple, Fetched]:
    """The latest successful fetch per query, shown while the DuckDB file is being written."""
    return {}


def warehouse() -> Warehouse:
    try:
        return warehouse_from_env()
    except WarehouseUnavailable as exc:
        st.error(str(exc))
        st.stop()


def begin_run() -> None:
    """Call once at the top of every script run (the busy note is shown once per run)."""
    st.session_state[_BUSY_NOTED] = False


def refresh() -> None:
    """Forget cached results: the next load reads the warehouse again."""
    _fetch.clear()


def load(query: Callable[..., pd.DataFrame], *args: object) -> pd.DataFrame:
    """`query(warehouse, *args)`, cached; stops the page with a one-line message if unreadable."""
    wh = warehouse()
    key = (wh.key, query.__name__, args)
    try:
        fetched = _fetch(wh, query.__name__, args)
    except WarehouseBusy as exc:
        stale = _last_good().get(key)
        if stale is None:
            st.warning(f"{exc}; the figures appear when it finishes (Refresh data).")
            st.stop()
        if not st.session_state.get(_BUSY_NOTED):
            st.session_state[_BUSY_NOTED] = True
            st.warning(f"{exc}; showing figures read at {stale.at:%H:%M:%S} until it finishes.")
        return stale.frame
    except WarehouseUnavailable as exc:
        st.error(str(exc))
        st.stop()
    _last_good()[key] = fetched
    return fetched.frame


def relation_columns() -> dict[str, tuple[str, ...]]:
    """Tables and views of the dataset -> their columns."""
    frame = load(queries.relations)
    columns: dict[str, list[str]] = {}
    for relation, column in zip(frame["relation"], frame["column_name"], strict=True):
        columns.setdefault(relation, []).append(column)
    return {relation: tuple(names) for relation, names in columns.items()}


def require(relation: str) -> None:
    """Stop the page with a hint when a table or view it needs is not in the dataset."""
    if relation not in relation_columns():
        st.info(
            f"`{relation}` is not in dataset `{warehouse().dataset}`: run `lac run` (with transforms)"
            " to build it."
        )
        st.stop()
