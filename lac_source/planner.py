"""Which months each period table must sync in this run.

Every month in the window is probed once: its first Books page (200 rows) is fetched and
fingerprinted (rows, summary cards, columns and row window). Each period table keeps the
fingerprints it last synced in its own dlt resource state, so a table re-syncs a month when:

- the run is a full refresh, or the table never synced the month;
- the month is inside the lookback window (the last `lookback_months`, open month included);
- the month's fingerprint differs from the one the table synced;
- the month was re-checked in full this run and its Books rows differ from those `books_rows`
  last loaded (see below).

Statements carry balances forward, so `statement_lines` also re-syncs every month after the
earliest month it re-syncs. Filings re-sync per VAT period containing a re-synced month. The
probe page is handed to `books_rows`, which never requests it again.

**Re-checks.** A change deep inside a month (row 250 reclassified, a description fixed) alters
neither its first page nor, necessarily, its summary cards. So each run also re-reads in full
the months outside the lookback window that were read in full longest ago (ties: the older
month first), `ceil(months / recheck_every_runs)` of them, and compares a digest of their rows'
JSON text with the one `books_rows` kept when it loaded them. Every month is thus read in full
at least once every `recheck_every_runs` runs, and an upstream edit reaches the warehouse within
that many runs (the next run when the fingerprint sees it). `books_rows` keeps, per company,
`digests` (period -> digest), `checked` (period -> run number of the last full read) and
`runs` (the company's run number).
"""

import math
import threading
from collections.abc import Iterator, Mapping, MutableMapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

from lac_connector.kit.records import fingerprint
from lac_source import periods, settings
from lac_source.session import LacSession
from lac_source.settings import FINGERPRINT_KEYS, SHEET_PAGE_LIMIT
from lac_source.sheet_reads import MonthRows, page_rows, window_total

PERIOD_TABLES = ("books_rows", "vat_rows", "statement_lines", "statement_drill", "analytics", "filings")
CUMULATIVE_TABLES = frozenset({"statement_lines"})


@dataclass(frozen=True)
class SyncWindow:
    """Settings that decide the months of a run."""

    start_period: str | None = None
    end_period: str | None = None
    lookback_months: int = 3
    full_refresh: bool = False
    concurrency: int = 6
    unpaginated_max_rows: int = settings.DEFAULT_UNPAGINATED_MAX_ROWS
    recheck_every_runs: int = settings.DEFAULT_RECHECK_EVERY_RUNS


@dataclass
class MonthTask:
    """One month of one company, with what each period table must do with it."""

    customer_id: str
    period: str
    fingerprint: str
    first_books_page: dict[str, Any]
    sync: dict[str, bool]
    run: int = 0  # the company's run number (`books_rows` state `runs`)
    books_total: int | None = None  # the month's Books rows, when the probe tells
    # Set on one task per VAT period: the range to request and the fingerprints of its months.
    filing_range: str | None = None
    filing_fingerprints: dict[str, str] = field(default_factory=dict)

    def take_first_books_page(self) -> dict[str, Any]:
        """The probe page, handed over once: the task lives on while the month's other tables are
        synced, and 36 held pages of 200 rows are memory for nothing."""
        page, self.first_books_page = self.first_books_page, {}
        return page


def fetch_sheet_page(
    session: LacSession, customer_id: str, tab: str, period: str, offset: int, limit: int = SHEET_PAGE_LIMIT
) -> dict[str, Any]:
    """One `/sheet` answer, its `rows` left as JSON text (`RawArray`); `limit=0`: the whole month.

    Every sheet request of the source goes through here.
    """
    params: dict[str, Any] = {"customer_id": customer_id, "tab": tab, "range": period, "limit": limit}
    if limit != settings.UNPAGINATED:
        params["offset"] = offset
    page = session.client.get_json("/sheet", params, count_as=f"/sheet?tab={tab}", lazy=("rows",))
    return page if isinstance(page, dict) else {}


def month_fingerprint(page: Mapping[str, Any]) -> str:
    values = {key: page.get(key) for key in FINGERPRINT_KEYS}
    values["rows"] = page_rows(page).decode()
    return fingerprint(values)


def books_total(page: Mapping[str, Any]) -> int | None:
    """The month's Books row count, from the probe: a short page's length or the window's total."""
    rows = len(page_rows(page))
    return rows if rows < SHEET_PAGE_LIMIT else window_total(page.get("row_window"))


def month_reader(
    session: LacSession,
    customer_id: str,
    tab: str,
    period: str,
    window: "SyncWindow",
    gate: threading.Semaphore,
    **start: Any,
) -> MonthRows:
    """A `MonthRows` whose requests share `gate` (at most `concurrency` sheet requests at once)."""

    def fetch(offset: int, limit: int) -> dict[str, Any]:
        with gate:
            return fetch_sheet_page(session, customer_id, tab, period, offset, limit)

    label = f"tab={tab} range={period}"
    return MonthRows(fetch, window.unpaginated_max_rows, window.concurrency, label, **start)


def plan_months(
    session: LacSession,
    customer_id: str,
    window: SyncWindow,
    synced: Mapping[str, Mapping[str, str]],
    books_state: MutableMapping[str, Any],
    gate: threading.Semaphore,
) -> Iterator[MonthTask]:
    """Yield the tasks of one company, oldest month first.

    `synced` maps each period table to the `{period: fingerprint}` it last synced for this company.
    `books_state` is `books_rows`' resource state (re-check bookkeeping, updated here for months
    re-checked unchanged); `gate` bounds the concurrent sheet requests of the run.
    """
    end = window.end_period or periods.current_period()
    newest = fetch_sheet_page(session, customer_id, "books", end, 0)
    start = window.start_period or min(periods.periods_in(newest.get("available_ranges")), default=end)
    months = periods.month_span(min(start, end), end)
    with ThreadPoolExecutor(max_workers=max(1, window.concurrency)) as pool:
        older = pool.map(lambda p: fetch_sheet_page(session, customer_id, "books", p, 0), months[:-1])
        pages = dict(zip(months, [*older, newest], strict=True))

    prints = {period: month_fingerprint(page) for period, page in pages.items()}
    lookback_from = periods.add_months(end, -(max(window.lookback_months, 1) - 1))
    sync = {
        table: {
            p: window.full_refresh or p >= lookback_from or synced.get(table, {}).get(p) != prints[p]
            for p in months
        }
        for table in PERIOD_TABLES
    }
    run = books_state.setdefault("runs", {}).get(customer_id, 0) + 1
    books_state["runs"][customer_id] = run
    for period in _recheck(session, customer_id, window, pages, sync["books_rows"], books_state, run, gate):
        for table in PERIOD_TABLES:
            sync[table][period] = True
    for table in CUMULATIVE_TABLES:
        first = next((p for p in months if sync[table][p]), None)
        if first is not None:
            sync[table].update({p: True for p in months if p >= first})

    vat_months = int(session.company(customer_id).get("vat_period_months") or 1)
    filing_anchor: dict[str, str] = {}
    for p in months:
        if sync["filings"][p]:
            filing_anchor.setdefault(periods.vat_period_range(p, vat_months), p)

    for table in PERIOD_TABLES:
        synced_months = sum(sync[table].values())
        session.report.count_periods(table, synced_months, len(months) - synced_months)

    for period in months:
        task_sync = {table: sync[table][period] for table in PERIOD_TABLES}
        if not any(task_sync.values()):
            continue
        task = MonthTask(
            customer_id, period, prints[period], pages[period], task_sync, run, books_total(pages[period])
        )
        vat_range = periods.vat_period_range(period, vat_months)
        if filing_anchor.get(vat_range) == period:
            task.filing_range = vat_range
            task.filing_fingerprints = {
                p: prints[p] for p in months if periods.vat_period_range(p, vat_months) == vat_range
            }
        yield task


def _recheck(
    session: LacSession,
    customer_id: str,
    window: SyncWindow,
    pages: Mapping[str, dict[str, Any]],
    books_sync: Mapping[str, bool],
    books_state: MutableMapping[str, Any],
    run: int,
    gate: threading.Semaphore,
) -> list[str]:
    """Re-read in full the months read in full longest ago; return those whose rows changed.

    Months `books_rows` syncs this run anyway are read in full by it and need no re-check.
    A month with no digest to compare with (loaded before digests were kept) counts as changed.
    """
    checked = books_state.setdefault("checked", {}).setdefault(customer_id, {})
    digests = books_state.setdefault("digests", {}).get(customer_id, {})
    candidates = [p for p, syncing in books_sync.items() if not syncing]
    if not candidates:
        return []
    due = math.ceil(len(candidates) / max(1, window.recheck_every_runs))
    chosen = sorted(candidates, key=lambda p: (checked.get(p, 0), p))[:due]

    def digest(period: str) -> str:
        reader = month_reader(session, customer_id, "books", period, window, gate, first_page=pages[period])
        for _ in reader.raw_answers():
            pass
        return reader.digest

    with ThreadPoolExecutor(max_workers=max(1, min(len(chosen), window.concurrency))) as pool:
        now = dict(zip(chosen, pool.map(digest, chosen), strict=True))
    changed = []
    for period, value in now.items():
        if digests.get(period) == value:
            checked[period] = run
        else:
            changed.append(period)  # `books_rows` re-syncs it and records its digest and run
    return changed
