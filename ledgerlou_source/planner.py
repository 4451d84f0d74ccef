"""Which months of the journal a run reads, and the tasks the journal tables are fed.

`/v1/periods` lists the books' months with `period`, `status` and, once a month is closed,
its `closing_hash` (the reference: a lock approval answers with `closing_hash`). A month is read when

- the run is a full refresh, or the month was never read (or under other `fields` settings);
- its `/v1/periods` entry changed since it was read (locked, reopened, soft-locked, ...);
- it has no `closing_hash` and lies within the lookback (the last `lookback_months` up to `end_period`);
- a table that needs its lines has not loaded what was last read (e.g. it was not selected then).

A month with a `closing_hash` that did not change is never read again. Every month of the window
becomes a `PeriodTask` in calendar order (read or not), followed by one `JournalDone`; each
journal table decides from its own resource state what to do with them.
"""

import re
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

from lac_connector.kit.errors import ConfigError
from lac_connector.kit.records import fingerprint
from ledgerlou_source.paging import as_objects
from ledgerlou_source.session import LedgerLouSession

PERIOD_RE = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")


def check_period(value: str | None, setting: str) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str) or not PERIOD_RE.match(value.strip()):
        raise ConfigError(
            f"[sources.ledgerlou] {setting} must be a month as YYYY-MM (e.g. 2025-01), got {value!r}"
        )
    return value.strip()


def month_index(period: str) -> int:
    return int(period[:4]) * 12 + int(period[5:7]) - 1


def from_index(index: int) -> str:
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


def month_span(first: str, last: str) -> list[str]:
    return [from_index(i) for i in range(month_index(first), month_index(last) + 1)]


def first_day(period: str) -> date:
    return date(int(period[:4]), int(period[5:7]), 1)


def last_day(period: str) -> date:
    return first_day(from_index(month_index(period) + 1)) - timedelta(days=1)


def current_month() -> str:
    today = datetime.now(UTC).date()
    return f"{today.year:04d}-{today.month:02d}"


def listed_periods(session: LedgerLouSession) -> dict[str, dict[str, Any]]:
    """`/v1/periods` by month (entries without a `YYYY-MM` `period` are ignored), read once a run."""

    def read() -> dict[str, dict[str, Any]]:
        entries = as_objects(session.client.get_json("/v1/periods"))
        return {
            str(e["period"]): e
            for e in entries
            if isinstance(e.get("period"), str) and PERIOD_RE.match(e["period"])
        }

    return session.shared("periods", read)


def is_closed(entry: dict[str, Any] | None) -> bool:
    return bool(entry) and isinstance(entry.get("closing_hash"), str) and bool(entry["closing_hash"])


@dataclass(frozen=True)
class Window:
    """The settings that decide the months of a run."""

    start_period: str | None = None
    end_period: str | None = None
    lookback_months: int = 3
    full_refresh: bool = False

    def months(self, listed: dict[str, Any]) -> list[str]:
        end = self.end_period or max([*listed, current_month()])
        start = self.start_period or (
            min(listed) if listed else from_index(month_index(end) - self.lookback_months + 1)
        )
        if month_index(start) > month_index(end):
            raise ConfigError(f"[sources.ledgerlou] start_period {start} is after end_period {end}")
        return month_span(start, end)

    def in_lookback(self, period: str, end: str) -> bool:
        return month_index(end) - month_index(period) < self.lookback_months


@dataclass
class PeriodTask:
    """One month for the journal tables: its content identity and, when read this run, its lines.

    `content` identifies the month's lines (a hash of them as last read); `prefix` identifies every
    month from the window's first to this one (cumulative reports depend on all of them).
    """

    period: str
    entry: dict[str, Any] | None
    content: str
    prefix: str
    read: bool
    lines: list[dict[str, Any]] | None = None
    intents: dict[str, str] = field(default_factory=dict)  # intent id -> hash of its lines (read months)
    complete: bool = True
    force: bool = False  # a full refresh: every table redoes the month whatever it recorded

    @property
    def first(self) -> date:
        return first_day(self.period)

    @property
    def last(self) -> date:
        return last_day(self.period)


@dataclass
class JournalDone:
    """After the last month: what the whole window holds (for the tables that need all of it)."""

    months: list[str]
    prefix: str
    intents: set[str]  # every intent id of the window's months (read or remembered)
    intents_complete: bool  # False when some read month's postings are unknown (unresolved, cut)
    accounts: dict[str, str] | None  # account number -> identity of its lines; None: not known
    end: date
    force: bool = False


def entry_print(entry: dict[str, Any] | None) -> str:
    return fingerprint(entry)[:16] if entry else "-"


def prefix_of(previous: str, period: str, content: str) -> str:
    return fingerprint([previous, period, content])[:16]
