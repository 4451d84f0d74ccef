"""Altair charts. They plot floats (`money.plot_values`); every figure shown as text stays Decimal."""

from __future__ import annotations

import altair as alt
import pandas as pd

from lac_connector.dashboard.money import plot_values

EURO_AXIS = alt.Axis(format=",.0f", title="EUR")


def monthly_result(months: pd.DataFrame) -> alt.Chart:
    """Revenue and expenses as bars, the result as a line, one group per month."""
    values = plot_values(months, ["revenue", "expenses", "result"])
    bars = (
        alt.Chart(values)
        .transform_fold(["revenue", "expenses"], as_=["measure", "amount"])
        .mark_bar()
        .encode(
            x=alt.X("period:O", title=None),
            xOffset="measure:N",
            y=alt.Y("amount:Q", axis=EURO_AXIS),
            color=alt.Color(
                "measure:N",
                title=None,
                scale=alt.Scale(domain=["revenue", "expenses"], range=["#2f7ed8", "#e4572e"]),
            ),
            tooltip=["period:O", "measure:N", alt.Tooltip("amount:Q", format=",.2f")],
        )
    )
    line = (
        alt.Chart(values)
        .mark_line(point=True, color="#222222")
        .encode(x="period:O", y="result:Q", tooltip=["period:O", alt.Tooltip("result:Q", format=",.2f")])
    )
    return (bars + line).properties(title="Month by month (line: result)", height=300, width="container")


def year_to_date(months: pd.DataFrame) -> alt.Chart:
    """Cumulative revenue, expenses and result over the fiscal year."""
    values = plot_values(months, ["revenue", "expenses", "result"])
    for column in ("revenue", "expenses", "result"):
        values[column] = values[column].cumsum()
    return (
        alt.Chart(values)
        .transform_fold(["revenue", "expenses", "result"], as_=["measure", "amount"])
        .mark_line(point=True)
        .encode(
            x=alt.X("period:O", title=None),
            y=alt.Y("amount:Q", axis=EURO_AXIS),
            color=alt.Color("measure:N", title=None),
            tooltip=["period:O", "measure:N", alt.Tooltip("amount:Q", format=",.2f")],
        )
        .properties(title="Year to date", height=300, width="container")
    )


def cash(months: pd.DataFrame) -> alt.Chart:
    values = plot_values(months, ["closing_cash"])
    return (
        alt.Chart(values)
        .mark_area(line=True, opacity=0.3)
        .encode(
            x=alt.X("period:O", title=None),
            y=alt.Y("closing_cash:Q", axis=EURO_AXIS),
            tooltip=["period:O", alt.Tooltip("closing_cash:Q", format=",.2f")],
        )
        .properties(title="Cash at month end", height=300, width="container")
    )


def bars(
    frame: pd.DataFrame, category: str, amount: str, title: str, *, sort: list[str] | None = None
) -> alt.Chart:
    """One bar per category (in `sort` order if given)."""
    values = plot_values(frame, [amount])
    return (
        alt.Chart(values)
        .mark_bar()
        .encode(
            x=alt.X(f"{category}:N", title=None, sort=sort),
            y=alt.Y(f"{amount}:Q", axis=EURO_AXIS),
            tooltip=[f"{category}:N", alt.Tooltip(f"{amount}:Q", format=",.2f")],
        )
        .properties(title=title, height=280, width="container")
    )
