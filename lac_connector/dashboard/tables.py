"""Tables: euro columns as exact text, right-aligned; every row shown."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import pandas as pd
import streamlit as st
from streamlit.delta_generator import DeltaGenerator

from lac_connector.dashboard.money import euro_columns


def show(
    frame: pd.DataFrame,
    money: Sequence[str] = (),
    labels: Mapping[str, str] | None = None,
    *,
    where: DeltaGenerator | None = None,
) -> None:
    """`frame` as a table with the `money` columns formatted as euros; `labels` renames headers."""
    labels = dict(labels or {})
    config: dict[str, object] = {name: label for name, label in labels.items() if name not in money}
    for name in money:
        config[name] = st.column_config.TextColumn(labels.get(name, name), alignment="right")
    (where or st).dataframe(
        euro_columns(frame, money).reset_index(drop=True),
        hide_index=True,
        height="content",
        column_config=config,
    )
