"""Period tables: the Books/VAT sheets, statements, analytics and filings, month by month.

`months` plans the run (see `planner`) and feeds one `MonthTask` per month to the transformers
below; dlt runs them concurrently on its extract worker pool. Every table is loaded with the
`delete-insert` merge strategy keyed on (`customer_id`, `period`) (filings: `vat_period`), and
each synced period starts with a tombstone row so that a period that is now empty upstream is
emptied in the warehouse too.
"""

import threading
from collections.abc import Iterator, Sequence
from typing import Any

import dlt
import pyarrow as pa
from dlt.sources import DltResource

from lac_connector.kit.dispositions import replaced_per, tombstone
from lac_connector.kit.progress import progress
from lac_connector.kit.records import leaf_records
from lac_source import planner
from lac_source.planner import MonthTask, SyncWindow
from lac_source.session import LacSession
from lac_source.settings import MAX_TABLE_NESTING
from lac_source.sheet_reads import MonthRows, page_rows, window_exhausted
from lac_source.sheet_tables import ARROW_ROW_HINTS, PageTables

__all__ = ["period_resources", "statement_drill_resource", "window_exhausted"]

PERIOD_KEY = ["customer_id", "period"]
ROWS_PER_ITEM = 2_000
STATEMENT_SETS = {"default": {}, "cashflow": {"statement": "cashflow"}}


def _period_table(
    name: str, merge_key: Sequence[str] = PERIOD_KEY, columns: dict[str, Any] | None = None
) -> dict[str, Any]:
    return {"name": name, **replaced_per(*merge_key, columns=columns), "parallelized": True}


def _tombstone(table: str, **key: str) -> Any:
    return dlt.mark.with_table_name(tombstone(**key), table)


def _record_synced(task: MonthTask, periods_and_prints: dict[str, str] | None = None) -> None:
    """Remember in this resource's state which fingerprint of each month it has synced."""
    state = dlt.current.resource_state().setdefault("fingerprints", {}).setdefault(task.customer_id, {})
    state.update(periods_and_prints or {task.period: task.fingerprint})


def _record_read_in_full(task: MonthTask, digest: str) -> None:
    """`books_rows` read the month in full: keep its rows' digest and the run (see `planner`)."""
    state = dlt.current.resource_state()
    state.setdefault("digests", {}).setdefault(task.customer_id, {})[task.period] = digest
    state.setdefault("checked", {}).setdefault(task.customer_id, {})[task.period] = task.run


def _sheet_items(
    reader: MonthRows, task: MonthTask, tab: str, table: str, page_tables: PageTables
) -> Iterator[Any]:
    """Rows of one tab to `table`, plus the tab's columns and summary cards of the month.

    The month is read by `reader` (unpaginated, or pages in parallel: see `sheet_reads`) and
    decoded `ROWS_PER_ITEM` rows at a time, each chunk converted to an Arrow table where that
    loads the same as dicts would (see `sheet_tables`). The month's rows go to dlt as one Arrow
    table, before anything else of the month: dlt interleaves the steps of many months'
    generators, and a generator suspended mid-month would hold the month's JSON text meanwhile
    (measured: RSS growing with every month read at W5). A chunk dlt must normalize itself goes
    as dicts at once.
    """
    key = {"customer_id": task.customer_id, "period": task.period}
    layout = list(_layout_items(reader.layout(), tab, key))
    converted: list[pa.Table] = []
    row_index = 0
    for chunk in reader.chunks(ROWS_PER_ITEM):
        rows = [row for row in chunk if isinstance(row, dict)]
        if not rows:
            continue
        arrow = page_tables.convert(
            rows,
            key,
            row_index,
            table=table,
            schema=dlt.current.source_schema(),
            load_id=dlt.current.load_package_state()["load_id"],
        )
        if arrow is None:
            yield [{**row, **key, "row_index": row_index + i} for i, row in enumerate(rows)]
        else:
            converted.append(arrow)
        row_index += len(rows)
        progress.add_rows(table, len(rows))
    if converted:
        month = pa.concat_tables(converted, promote_options="default")
        converted.clear()
        yield month
        del month
    yield _tombstone(table, **key)
    yield from layout
    progress.period_done(table, task.customer_id, task.period)


LAYOUT_TABLES = ("sheet_columns", "sheet_summary_cards")


def _layout_items(page: dict[str, Any], tab: str, key: dict[str, str]) -> Iterator[Any]:
    """The tab's `columns` and `summary_cards` of the month, to `sheet_columns` / `sheet_summary_cards`.

    Both tabs write these tables, so they are keyed on (`customer_id`, `period`, `tab`).
    """
    for table, items in zip(LAYOUT_TABLES, (page.get("columns"), page.get("summary_cards")), strict=True):
        records: list[dict[str, Any]] = [tombstone(**key, tab=tab)]
        records += [
            {**item, **key, "tab": tab, "position": i}
            for i, item in enumerate(items or [])
            if isinstance(item, dict)
        ]
        yield dlt.mark.with_table_name(records, table)


def _with_layout_tables(resource: DltResource) -> DltResource:
    """Declare the layout tables' hints once on a sheet resource (not per item: dlt recomputes
    every table's schema after an item carries hints)."""
    for table in LAYOUT_TABLES:
        resource.apply_hints(table_name=table, **replaced_per(*PERIOD_KEY, "tab"), create_table_variant=True)
    return resource


def period_resources(
    session: LacSession,
    window: SyncWindow,
    *,
    drill_account_codes: Sequence[str] = (),
) -> list[DltResource]:
    """The `months` driver and every period table fed by it."""
    claim = session.report.claim
    claim("books_rows", "/sheet?tab=books")
    claim("vat_rows", "/sheet?tab=vat")
    claim("statement_lines", "/statements")
    claim("analytics", "/analytics")
    claim("filings", "/filings")
    page_tables = PageTables(MAX_TABLE_NESTING)
    gate = threading.BoundedSemaphore(max(1, window.concurrency))  # sheet requests in flight

    def reader(task: MonthTask, tab: str) -> MonthRows:
        if tab == "books":
            start: dict[str, Any] = {"first_page": task.take_first_books_page()}
        else:  # the VAT sheet of a month is sized by its Books rows (read unpaginated if small)
            start = {"known_rows": task.books_total}
        return planner.month_reader(session, task.customer_id, tab, task.period, window, gate, **start)

    @dlt.resource(name="months", selected=False)
    def months() -> Iterator[MonthTask]:
        resources_state = dlt.current.source_state().setdefault("resources", {})
        books_state = resources_state.setdefault("books_rows", {})
        for customer_id in session.customer_ids:
            synced = {
                table: resources_state.get(table, {}).get("fingerprints", {}).get(customer_id, {})
                for table in planner.PERIOD_TABLES
            }
            tasks = list(planner.plan_months(session, customer_id, window, synced, books_state, gate))
            for task in tasks:  # oldest month first, as the normalizer would see them
                probe = page_rows(task.first_books_page).decode()
                page_tables.prime(
                    [row for row in probe if isinstance(row, dict)],
                    [*PERIOD_KEY, "row_index"],
                    table="books_rows",
                    schema=dlt.current.source_schema(),
                )
            changed = sum(1 for t in tasks if t.sync["books_rows"])
            progress.planned(customer_id, [t.period for t in tasks], changed)
            yield from tasks

    @dlt.transformer(**_period_table("books_rows", columns=ARROW_ROW_HINTS))
    def books_rows(task: MonthTask) -> Iterator[Any]:
        """Books sheet rows (`/sheet?tab=books`), one row per ledger row, as the API renders them."""
        if task.sync["books_rows"]:
            month = reader(task, "books")
            yield from _sheet_items(month, task, "books", "books_rows", page_tables)
            _record_synced(task)
            _record_read_in_full(task, month.digest)

    @dlt.transformer(**_period_table("vat_rows", columns=ARROW_ROW_HINTS))
    def vat_rows(task: MonthTask) -> Iterator[Any]:
        """VAT sheet rows (`/sheet?tab=vat`)."""
        if task.sync["vat_rows"]:
            yield from _sheet_items(reader(task, "vat"), task, "vat", "vat_rows", page_tables)
            _record_synced(task)

    @dlt.transformer(**_period_table("statement_lines"))
    def statement_lines(task: MonthTask) -> Iterator[Any]:
        """Lines of the month's statements (default set and cash flow); JSON null means none."""
        if not task.sync["statement_lines"]:
            return
        key = {"customer_id": task.customer_id, "period": task.period}
        yield _tombstone("statement_lines", **key)
        for statement_set, extra in STATEMENT_SETS.items():
            payload = session.client.get_json(
                "/statements", {"customer_id": task.customer_id, "range": task.period, **extra}
            )
            lines = [
                {**record, **key, "statement_set": statement_set, "statement_path": path, "line_index": i}
                for i, (path, record) in enumerate(leaf_records(payload))
            ]
            if lines:
                yield lines
        _record_synced(task)

    @dlt.transformer(**_period_table("analytics"))
    def analytics(task: MonthTask) -> Iterator[Any]:
        """The month's ledger analytics payload as-is (nested lists become child tables)."""
        if not task.sync["analytics"]:
            return
        key = {"customer_id": task.customer_id, "period": task.period}
        yield _tombstone("analytics", **key)
        payload = session.client.get_json(
            "/analytics", {"customer_id": task.customer_id, "range": task.period}
        )
        if isinstance(payload, dict) and payload:
            yield {**payload, **key}
        _record_synced(task)

    @dlt.transformer(**_period_table("filings", ["customer_id", "vat_period"]))
    def filings(task: MonthTask) -> Iterator[Any]:
        """Filing state per VAT period (`/filings?range=` the month, quarter or year)."""
        if not task.filing_range:
            return
        key = {"customer_id": task.customer_id, "vat_period": task.filing_range}
        yield _tombstone("filings", **key)
        payload = session.client.get_json(
            "/filings", {"customer_id": task.customer_id, "range": task.filing_range}
        )
        if isinstance(payload, dict) and payload:
            yield {**payload, **key}
        _record_synced(task, task.filing_fingerprints)

    driver = months()
    resources = [
        driver,
        _with_layout_tables(driver | books_rows),
        _with_layout_tables(driver | vat_rows),
        driver | statement_lines,
        driver | analytics,
        driver | filings,
    ]
    if drill_account_codes:
        resources.append(driver | statement_drill_resource(session, drill_account_codes))
    return resources


def statement_drill_resource(session: LacSession, account_codes: Sequence[str]) -> Any:
    """Opt-in: `/statements/drill` detail for chosen GL accounts, per re-synced month."""
    codes = ",".join(account_codes)
    session.report.claim("statement_drill", "/statements/drill")

    @dlt.transformer(**_period_table("statement_drill"))
    def statement_drill(task: MonthTask) -> Iterator[Any]:
        if not task.sync["statement_drill"]:
            return
        key = {"customer_id": task.customer_id, "period": task.period}
        yield _tombstone("statement_drill", **key)
        payload = session.client.get_json(
            "/statements/drill",
            {"customer_id": task.customer_id, "range": task.period, "account_codes": codes},
        )
        lines = [
            {**record, **key, "account_codes": codes, "drill_path": path, "line_index": i}
            for i, (path, record) in enumerate(leaf_records(payload))
        ]
        if lines:
            yield lines
        _record_synced(task)

    return statement_drill
