"""Which months each period table must sync in this run.

Every month in the window is probed once: its first Books page (200 rows) is fetched and
fingerprinted (rows, summary cards, columns and row window). Each period table keeps the
fingerprints it last synced in its own dlt resource state, so a table re-syncs a month when:

- the run is a full refresh, or the table never synced the month;
- the month is inside the lookback window (the last `lookback_months`, open month included);
- the month's fingerprint differs from the one the table synced.

Statements carry balances forward, so `statement_lines` also re-syncs every month after the
earliest month it re-syncs. Filings re-sync per VAT period containing a re-synced month. The
probe page is handed to `books_rows`, which never requests it again.
"""

from collections.abc import Iterator, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

from lac_connector.kit.records import fingerprint
from lac_source import periods
from lac_source.session import LacSession
from lac_source.settings import FINGERPRINT_KEYS, SHEET_PAGE_LIMIT

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


@dataclass
class MonthTask:
    """One month of one company, with what each period table must do with it."""

    customer_id: str
    period: str
    fingerprint: str
    first_books_page: dict[str, Any]
    sync: dict[str, bool]
    # Set on one task per VAT period: the range to request and the fingerprints of its months.
    filing_range: str | None = None
    filing_fingerprints: dict[str, str] = field(default_factory=dict)

    def take_first_books_page(self) -> dict[str, Any]:
        """The probe page, handed over once: the task lives on while the month's other tables are
        synced, and 36 held pages of 200 rows are memory for nothing."""
        page, self.first_books_page = self.first_books_page, {}
        return page


def fetch_sheet_page(
    session: LacSession, customer_id: str, tab: str, period: str, offset: int
) -> dict[str, Any]:
    params = {
        "customer_id": customer_id,
        "tab": tab,
        "range": period,
        "limit": SHEET_PAGE_LIMIT,
        "offset": offset,
    }
    page = session.client.get_json("/sheet", params, count_as=f"/sheet?tab={tab}")
    return page if isinstance(page, dict) else {}


def month_fingerprint(page: Mapping[str, Any]) -> str:
    return fingerprint({key: page.get(key) for key in FINGERPRINT_KEYS})


def plan_months(
    session: LacSession,
    customer_id: str,
    window: SyncWindow,
    synced: Mapping[str, Mapping[str, str]],
) -> Iterator[MonthTask]:
    """Yield the tasks of one company, oldest month first.

    `synced` maps each period table to the `{period: fingerprint}` it last synced for this company.
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
        task = MonthTask(customer_id, period, prints[period], pages[period], task_sync)
        vat_range = periods.vat_period_range(period, vat_months)
        if filing_anchor.get(vat_range) == period:
            task.filing_range = vat_range
            task.filing_fingerprints = {
                p: prints[p] for p in months if periods.vat_period_range(p, vat_months) == vat_range
            }
        yield task
