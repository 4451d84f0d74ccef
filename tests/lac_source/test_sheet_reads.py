"""`MonthRows`: which requests read a month, against a fake `/sheet` (unit level, no HTTP)."""

import orjson
import pytest

from lac_connector.kit.errors import ApiError
from lac_connector.kit.http import _loads_lazy
from lac_source.sheet_reads import MonthRows

ROWS = [{"n": i, "tags": [i % 3]} for i in range(1050)]


class FakeSheet:
    """Answers `(offset, limit)` like the spec's `/sheet`; `window` renders the row window."""

    def __init__(self, rows=ROWS, window=None, cap=None, ignore_offset=False):
        window = window or (lambda offset, limit, total: {"offset": offset, "total": total})
        self.rows, self.window, self.cap, self.ignore_offset = rows, window, cap, ignore_offset
        self.calls: list[tuple[int, int]] = []

    def __call__(self, offset: int, limit: int) -> dict:
        self.calls.append((offset, limit))
        start = 0 if self.ignore_offset else offset
        stop = len(self.rows) if limit == 0 else start + limit
        if limit == 0 and self.cap:
            stop = min(stop, self.cap)
        body = {"columns": [], "rows": self.rows[start:stop]}
        if limit or (self.cap and stop < len(self.rows)):
            body["row_window"] = self.window(start, limit or self.cap, len(self.rows))
        return _loads_lazy(orjson.dumps(body), ("rows",))


def read(sheet: FakeSheet, max_rows: int, **start) -> tuple[list, str]:
    month = MonthRows(sheet, max_rows, workers=3, **start)
    rows = [row for chunk in month.chunks(64) for row in chunk]
    return rows, month.digest


@pytest.mark.parametrize(
    ("max_rows", "calls"),
    [
        (1050, [(0, 0), (0, 200)]),  # the first page, then the month unpaginated
        (1049, [(0, 200), (200, 200), (400, 200), (600, 200), (800, 200), (1000, 200)]),
    ],
)
def test_a_month_takes_the_fewest_requests_and_every_row_once(max_rows, calls):
    sheet = FakeSheet()
    rows, _ = read(sheet, max_rows)
    assert rows == ROWS
    assert sorted(sheet.calls) == calls


def test_without_a_total_in_the_window_pages_follow_one_by_one_until_a_short_page():
    sheet = FakeSheet(window=lambda o, lim, t: {"cursor": f"c{o}"})
    rows, _ = read(sheet, 10_000)
    assert rows == ROWS
    assert sheet.calls == [(o, 200) for o in range(0, 1200, 200)]


def test_a_known_small_month_is_read_unpaginated_at_once_and_a_capped_answer_is_paged_on():
    sheet = FakeSheet()
    assert read(sheet, 2000, known_rows=900)[0] == ROWS
    assert sheet.calls == [(0, 0)]
    capped = FakeSheet(cap=500)
    assert read(capped, 2000, known_rows=900)[0] == ROWS
    assert sorted(capped.calls) == [(0, 0), (500, 200), (700, 200), (900, 200)]


def test_the_digest_is_the_same_however_the_month_was_read_and_changes_with_any_row():
    whole = read(FakeSheet(), 2000)[1]
    assert read(FakeSheet(), 0)[1] == whole
    assert read(FakeSheet(), 0, known_rows=5000)[1] == whole
    edited = [dict(r) for r in ROWS]
    edited[777]["tags"] = [9]
    assert read(FakeSheet(rows=edited), 2000)[1] != whole


@pytest.mark.parametrize("max_rows", [0, 10_000])
def test_an_api_that_ignores_offset_fails_the_month_instead_of_loading_a_page_twice(max_rows):
    sheet = FakeSheet(window=lambda o, lim, t: {"cursor": "x"}, ignore_offset=True)
    with pytest.raises(ApiError, match="repeated the previous page"):
        read(sheet, max_rows)
