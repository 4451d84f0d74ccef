"""Judgements the data health page shows: reconciliation rows that fail, how complete the syncs are."""

from __future__ import annotations

from datetime import datetime

import pandas as pd


def not_ok(checks: pd.DataFrame) -> pd.DataFrame:
    """Reconciliation rows that fail: `within_tolerance` false, or `status` not 'ok'; else every row.

    The table's columns are still evolving, so this reads only these two conventions and shows
    whatever other columns the table has.
    """
    if "within_tolerance" in checks.columns:
        return checks[checks["within_tolerance"] != True]  # noqa: E712 - NULL counts as not ok
    if "status" in checks.columns:
        return checks[checks["status"] != "ok"]
    return checks


def complete_as_of(coverage: pd.DataFrame) -> str:
    """The oldest last-ok time over the tables that sync (latest outcome not `skipped: ...`)."""
    synced = coverage[~coverage["latest_outcome"].str.startswith("skipped")]
    if synced.empty or synced["complete_as_of"].isna().any():
        return "never"
    return utc_minute(synced["complete_as_of"].min())


def utc_minute(moment: datetime) -> str:
    """`2026-11-30 06:05` in UTC (naive timestamps are UTC already, as dlt and the transforms write them)."""
    stamp = pd.Timestamp(moment)
    return f"{stamp.tz_convert('UTC') if stamp.tzinfo else stamp:%Y-%m-%d %H:%M}"
