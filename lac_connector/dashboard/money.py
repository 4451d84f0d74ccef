"""Euro amounts for display: exact `Decimal` in, text out; floats only for chart axes."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal

import pandas as pd


def euros(amount: Decimal | int | None) -> str:
    """`Decimal('-12345.6')` -> `€ -12,345.60`; None -> `–`. Floats are refused: they are not exact."""
    if amount is None:
        return "–"
    if isinstance(amount, float) or not isinstance(amount, Decimal | int):
        raise TypeError(f"amounts must be Decimal or int, not {type(amount).__name__}")
    return f"€ {amount:,.2f}"


def total(amounts: Iterable[Decimal | None]) -> Decimal:
    """Exact sum of DECIMAL values (None counts as zero)."""
    return sum((a for a in amounts if a is not None), Decimal(0))


def euro_columns(frame: pd.DataFrame, columns: Iterable[str]) -> pd.DataFrame:
    """A copy of `frame` with the amount `columns` as euro text."""
    shown = frame.copy()
    for column in columns:
        shown[column] = [euros(_none_if_missing(v)) for v in shown[column]]
    return shown


def plot_values(frame: pd.DataFrame, columns: Iterable[str]) -> pd.DataFrame:
    """A copy of `frame` with the amount `columns` as floats, for chart axes only."""
    plotted = frame.copy()
    for column in columns:
        plotted[column] = [float(v) if v is not None else None for v in plotted[column]]
    return plotted


def _none_if_missing(value: object) -> Decimal | int | None:
    return None if value is None or value is pd.NA else value  # type: ignore[return-value]
