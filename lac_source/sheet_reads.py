"""Reading one month of one sheet tab with the fewest requests the spec allows.

`/sheet` pages hold at most 200 rows, `limit=0` returns the whole selection unpaginated, and a
paginated answer carries a `row_window` whose interior the spec leaves open. The first page of a
month (for Books: the planner's fingerprint probe, never requested again) decides the rest:

- a short page, or a window that says nothing follows: that page is the month;
- a window total (an integer field named like `total`) of at most `unpaginated_max_rows`: one
  unpaginated request returns the month (it repeats the first page's rows, which are dropped);
- a larger total: the remaining pages, whose offsets the total tells, fetched concurrently;
- no total: page after page until a short page.

A month whose size is already known (the VAT tab, sized by its Books total) skips the first page
and is read unpaginated at once when small enough. Should an unpaginated answer hold fewer rows
than the total, the rest is paged from where it ended.

Rows stay compact JSON text (`RawArray`) until a chunk of them is decoded, so a large month is
held once, as text, never as Python objects in full. Every row's JSON text also goes into the
month's content digest (`MonthRows.digest`), which the planner compares on full re-checks.
"""

import hashlib
from collections import deque
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

import orjson

from lac_connector.kit.errors import ApiError
from lac_connector.kit.http import RawArray
from lac_source.settings import SHEET_PAGE_LIMIT, UNPAGINATED


def window_exhausted(row_window: Any, fetched: int) -> bool:
    """Whether a page's row window says no rows follow the `fetched` ones.

    A boolean field named like `has_more` decides; else an integer named like `total`; a window
    without either never ends paging (a short page does).
    """
    if not isinstance(row_window, dict):
        return False
    for key, value in row_window.items():
        if "more" in key and isinstance(value, bool):
            return not value
    total = window_total(row_window)
    return total is not None and fetched >= total


def window_total(row_window: Any) -> int | None:
    """The row count of the whole selection, from an integer field named like `total`."""
    if not isinstance(row_window, dict):
        return None
    for key, value in row_window.items():
        if "total" in key and isinstance(value, int) and not isinstance(value, bool):
            return value
    return None


def page_rows(page: dict[str, Any]) -> RawArray:
    """A page's `rows` as a `RawArray` (an absent or non-array member holds no rows)."""
    rows = page.get("rows")
    if isinstance(rows, RawArray):
        return rows
    return _Decoded(rows if isinstance(rows, list) else [])


class _Decoded(RawArray):
    """Rows the client had to decode in full (a body msgspec refused); digested via orjson."""

    __slots__ = ("_rows",)

    def __init__(self, rows: list[Any]) -> None:
        super().__init__([orjson.dumps(row, default=str) for row in rows])
        self._rows = rows

    def decode(self, start: int = 0, stop: int | None = None) -> list[Any]:
        return self._rows[start:stop]


@dataclass
class MonthRows:
    """The rows of one month of one tab, read the cheapest way (see the module docstring).

    `first_page` is an already fetched first page (the Books probe), else `known_rows` is the
    month's expected size when known (reading it unpaginated straight away when small enough).
    """

    fetch: Callable[[int, int], dict[str, Any]]  # (offset, limit) -> page
    unpaginated_max_rows: int
    workers: int
    label: str = ""  # what messages call the month, e.g. `tab=books range=2026-01`
    first_page: dict[str, Any] | None = None
    known_rows: int | None = None
    _digest: Any = field(default_factory=lambda: hashlib.blake2b(digest_size=16))
    _first_unpaginated: bool = False

    def layout(self) -> dict[str, Any]:
        """The month's first answer (its `columns`, `summary_cards`, ...); fetched if not given."""
        if self.first_page is None:
            small = self.known_rows is not None and self.known_rows <= self.unpaginated_max_rows
            self._first_unpaginated = small
            self.first_page = self.fetch(0, UNPAGINATED if small else SHEET_PAGE_LIMIT)
        return self.first_page

    @property
    def digest(self) -> str:
        """Digest of every row's JSON text, in order (complete once `chunks` is exhausted)."""
        return self._digest.hexdigest()

    def chunks(self, size: int) -> Iterator[list[Any]]:
        """The month's rows, decoded `size` at a time."""
        for rows in self.raw_answers():
            for start in range(0, len(rows), size):
                yield rows.decode(start, start + size)

    def raw_answers(self) -> Iterator[RawArray]:
        """The month's rows answer by answer, undecoded (each one digested as it is handed out).

        Once all are handed out, the first answer is let go (`layout` is then empty).
        """
        update = self._digest.update
        for rows in self._answers():
            for raw in rows.raw():
                update(raw)
                update(b"\n")
            yield rows
        self.first_page = {}

    def _answers(self) -> Iterator[RawArray]:
        first = self.layout()
        rows, window = page_rows(first), first.get("row_window")
        if self._first_unpaginated:
            yield rows  # the whole month, unless the server paginated anyway (then it says so)
            if window is not None and len(rows) and not window_exhausted(window, len(rows)):
                yield from self._rest(len(rows), window_total(window), rows)
            return
        if len(rows) < SHEET_PAGE_LIMIT or window_exhausted(window, len(rows)):
            yield rows
            return
        total = window_total(window)
        if total is not None and total <= self.unpaginated_max_rows:
            whole = page_rows(self.fetch(0, UNPAGINATED))
            yield whole
            if len(whole) < total:  # the server capped its answer: page on from there
                yield from self._concurrent(len(whole), total, whole)
            return
        yield rows
        yield from self._rest(len(rows), total, rows)

    def _rest(self, start: int, total: int | None, previous: RawArray) -> Iterator[RawArray]:
        if total is None:
            yield from self._sequential(start, previous)
        else:
            yield from self._concurrent(start, total, previous)

    def _sequential(self, offset: int, previous: RawArray) -> Iterator[RawArray]:
        """Page after page from `offset` until a short page (or a window saying nothing follows)."""
        while True:
            page = self.fetch(offset, SHEET_PAGE_LIMIT)
            rows = page_rows(page)
            _check_not_repeated(previous, rows, offset, self.label)
            yield rows
            offset += len(rows)
            if len(rows) < SHEET_PAGE_LIMIT or window_exhausted(page.get("row_window"), offset):
                return
            previous = rows

    def _concurrent(self, start: int, total: int, previous: RawArray) -> Iterator[RawArray]:
        """The pages from `start` to `total`, fetched `workers` at a time, handed out in order."""
        offsets = iter(range(start, total, SHEET_PAGE_LIMIT))
        with ThreadPoolExecutor(max_workers=max(1, self.workers), thread_name_prefix="lac-sheet") as pool:
            pending: deque[tuple[int, Future[dict[str, Any]]]] = deque()

            def submit() -> None:
                offset = next(offsets, None)
                if offset is not None:
                    pending.append((offset, pool.submit(self.fetch, offset, SHEET_PAGE_LIMIT)))

            for _ in range(max(1, self.workers)):
                submit()
            while pending:
                offset, future = pending.popleft()
                rows = page_rows(future.result())
                submit()
                _check_not_repeated(previous, rows, offset, self.label)
                previous = rows
                if not rows:  # fewer rows than the total said: the month shrank meanwhile
                    for _, rest in pending:
                        rest.cancel()
                    return
                yield rows


def _check_not_repeated(previous: RawArray, rows: RawArray, offset: int, label: str) -> None:
    """A page equal to the one before is an API that ignores `offset`: fail rather than load it twice."""
    same = len(rows) == len(previous) and all(map(_same_text, rows.raw(), previous.raw()))
    if rows and same:
        raise ApiError(
            f"GET /sheet ({label} offset={offset}) repeated the previous page; "
            "stopping instead of loading it twice",
            endpoint="/sheet",
        )


def _same_text(a: Any, b: Any) -> bool:
    return bytes(a) == bytes(b)
