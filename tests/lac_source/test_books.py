"""Period tables against the sandbox over loopback: full sync, incremental sync, empty months."""

from collections import defaultdict

import pytest
from support import drop_target, make_target, sync

from lac_source import periods

PERIOD_RESOURCES = ["company", "books_rows", "vat_rows", "statement_lines", "analytics", "filings"]

# Where each shape variant puts the amounts the sandbox's truth sums (tests may know the sandbox).
BOOKS_AMOUNTS = {
    "flat": ("net_cents", "vat_cents", "gross_cents"),
    "nested": ("cells__amounts__net_cents", "cells__amounts__vat_cents", "cells__amounts__gross_cents"),
}
VAT_AMOUNTS = {
    "flat": ("base_cents", "output_vat_cents", "input_vat_cents"),
    "nested": (
        "cells__amounts__base_cents",
        "cells__amounts__output_vat_cents",
        "cells__amounts__input_vat_cents",
    ),
}
STATEMENT_COLUMNS = {"flat": ("account_code", "amount_cents"), "nested": ("account__code", "value_cents")}
INCOME_PATH = {"flat": "income_statement.lines", "nested": "statements[income_statement]%"}
BALANCE_PATH = {"flat": "balance_sheet.lines", "nested": "statements[balance_sheet]%"}


@pytest.fixture(params=["duckdb", pytest.param("postgres", marks=pytest.mark.postgres)])
def target(request, tmp_path):
    target = make_target(request.param, tmp_path)
    yield target
    drop_target(target)


def sheet_totals(target, table: str, columns: tuple[str, ...]) -> dict[str, tuple[int, ...]]:
    sums = ", ".join(f"sum({c})" for c in columns)
    rows = target.query(f"select period, count(*), {sums} from {{ds}}.{table} group by period")
    return {r[0]: tuple(int(v or 0) for v in r[1:]) for r in rows}


def truth_sheet(sandbox, cid: str, tab: str, fields: tuple[str, ...]) -> dict[str, tuple[int, ...]]:
    result = {}
    for period in sandbox.truth.periods(cid):
        totals = sandbox.truth.sheet_totals(cid, tab, period)
        if totals["rows"]:
            result[period] = (totals["rows"], *(totals[f] for f in fields))
    return result


def statement_amounts(target, shape: str, path_like: str) -> dict[str, dict[str, int]]:
    account, amount = STATEMENT_COLUMNS[shape]
    rows = target.query(
        f"select period, {account}, sum({amount}) from {{ds}}.statement_lines "
        f"where statement_path like '{path_like}' and {account} is not null group by 1, 2"
    )
    out: dict[str, dict[str, int]] = defaultdict(dict)
    for period, code, cents in rows:
        out[period][code] = int(cents)
    return dict(out)


def assert_warehouse_equals_truth(sandbox, target, shape: str) -> None:
    cid = sandbox.customer_ids[0]
    assert sheet_totals(target, "books_rows", BOOKS_AMOUNTS[shape]) == truth_sheet(
        sandbox, cid, "books", ("net_cents", "vat_cents", "gross_cents")
    )
    assert sheet_totals(target, "vat_rows", VAT_AMOUNTS[shape]) == truth_sheet(
        sandbox, cid, "vat", ("base_cents", "output_vat_cents", "input_vat_cents")
    )
    months = sandbox.truth.periods(cid)
    income = statement_amounts(target, shape, INCOME_PATH[shape])
    balance = statement_amounts(target, shape, BALANCE_PATH[shape])
    for period in months:
        expected_income = {k: v for k, v in sandbox.truth.income_statement(cid, period).items()}
        assert income.get(period, {}) == expected_income, period
        assert balance.get(period, {}) == sandbox.truth.balance_sheet(cid, period), period
    cashflow_months = {
        r[0]
        for r in target.query(
            "select distinct period from {ds}.statement_lines where statement_set = 'cashflow'"
        )
    }
    assert cashflow_months == {p for p in months if sandbox.truth.cashflow(cid, p) is not None}
    window = periods.month_span(months[0], months[-1])  # an emptied month is still in the window
    assert target.scalar("select count(*) from {ds}.analytics") == len(window)
    vat_months = int(sandbox.truth.company(cid)["vat_period_months"])
    filed = {r[0] for r in target.query("select vat_period from {ds}.filings")}
    assert filed == set(periods.vat_ranges(window, vat_months))


def sheet_requests(sandbox, tab: str) -> dict[str, int]:
    counts: dict[str, int] = defaultdict(int)
    for record in sandbox.requests:
        if record.path == "/sheet" and record.query.get("tab") == tab:
            counts[record.query["range"]] += 1
    return dict(counts)


SHAPES = [
    pytest.param("flat", marks=pytest.mark.sandbox_config(shape="flat"), id="flat"),
    pytest.param("nested", marks=pytest.mark.sandbox_config(shape="nested"), id="nested"),
]


@pytest.mark.parametrize("shape", SHAPES)
def test_full_sync_equals_sandbox_truth(sandbox, target, shape):
    sync(sandbox, target, resources=PERIOD_RESOURCES)
    assert_warehouse_equals_truth(sandbox, target, shape)
    # Every month is requested page by page exactly once: 120 rows fit one page.
    months = sandbox.truth.periods(sandbox.customer_ids[0])
    assert sheet_requests(sandbox, "books") == {p: 1 for p in months}
    assert sheet_requests(sandbox, "vat") == {p: 1 for p in months}


@pytest.mark.sandbox_config(rows_per_month=450)
def test_months_page_through_every_row(sandbox, tmp_path):
    target = make_target("duckdb", tmp_path)
    summary = sync(sandbox, target, resources=["books_rows"], start_period="2026-10")
    assert sheet_totals(target, "books_rows", BOOKS_AMOUNTS["flat"])["2026-10"][0] == 450
    assert sheet_requests(sandbox, "books") == {"2026-10": 3, "2026-11": 3}
    assert summary.requests["/sheet?tab=books"] == 6
    assert (
        target.scalar("select count(distinct row_index) from {ds}.books_rows where period = '2026-11'") == 450
    )


def test_incremental_sync_follows_upstream_changes(sandbox, target):
    sync(sandbox, target, resources=PERIOD_RESOURCES)
    changes = sandbox.advance()
    sandbox.reset_requests()
    sync(sandbox, target, resources=PERIOD_RESOURCES)
    assert_warehouse_equals_truth(sandbox, target, "flat")

    months = sandbox.truth.periods(sandbox.customer_ids[0])
    lookback = set(months[-3:])
    changed = set(changes["periods_touched"])
    outside = changed - lookback
    assert outside, "advance() must change a month outside the lookback window"
    # Books: one probe per month; VAT: only changed months and the lookback window.
    assert sheet_requests(sandbox, "books") == {p: 1 for p in months}
    assert sheet_requests(sandbox, "vat") == {p: 1 for p in months if p in lookback | changed}
    # Statements carry balances forward: every month from the earliest change is re-read.
    first_changed = min(outside)
    assert sandbox.request_count("/statements") == 2 * len([p for p in months if p >= first_changed])


def test_second_run_without_changes_only_probes_old_months(sandbox, tmp_path):
    target = make_target("duckdb", tmp_path)
    sync(sandbox, target, resources=PERIOD_RESOURCES)
    sandbox.reset_requests()
    summary = sync(sandbox, target, resources=PERIOD_RESOURCES)
    months = sandbox.truth.periods(sandbox.customer_ids[0])
    assert sheet_requests(sandbox, "books") == {p: 1 for p in months}
    assert sheet_requests(sandbox, "vat") == {p: 1 for p in months[-3:]}
    assert sandbox.request_count("/statements") == 2 * 3
    assert sandbox.request_count("/analytics") == 3
    assert summary.row_counts["books_rows"] == 3 * 120  # the lookback months; tombstones are never stored
    assert_warehouse_equals_truth(sandbox, target, "flat")


def test_month_that_becomes_empty_is_emptied(sandbox, tmp_path):
    target = make_target("duckdb", tmp_path)
    cid = sandbox.customer_ids[0]
    sync(sandbox, target, resources=PERIOD_RESOURCES)
    emptied = sandbox.truth.periods(cid)[2]  # far outside the lookback window
    assert target.scalar(f"select count(*) from {{ds}}.books_rows where period = '{emptied}'") == 120
    sandbox.empty_month(cid, emptied)
    sync(sandbox, target, resources=PERIOD_RESOURCES)
    for table in ("books_rows", "vat_rows", "statement_lines"):
        assert target.scalar(f"select count(*) from {{ds}}.{table} where period = '{emptied}'") == 0, table
    assert_warehouse_equals_truth(sandbox, target, "flat")


def test_full_refresh_resyncs_every_month(sandbox, tmp_path):
    target = make_target("duckdb", tmp_path)
    sync(sandbox, target, resources=["books_rows", "vat_rows"])
    sandbox.reset_requests()
    sync(sandbox, target, resources=["books_rows", "vat_rows"], full_refresh=True)
    months = sandbox.truth.periods(sandbox.customer_ids[0])
    assert sheet_requests(sandbox, "vat") == {p: 1 for p in months}
    assert target.scalar("select count(*) from {ds}.books_rows") == 120 * len(months)


def test_partial_resource_selection_does_not_mark_other_tables_synced(sandbox, tmp_path):
    target = make_target("duckdb", tmp_path)
    sync(sandbox, target, resources=["books_rows"])
    sandbox.reset_requests()
    sync(sandbox, target, resources=["books_rows", "vat_rows"])
    months = sandbox.truth.periods(sandbox.customer_ids[0])
    assert sheet_requests(sandbox, "vat") == {p: 1 for p in months}
    assert target.scalar("select count(distinct period) from {ds}.vat_rows") == len(months)


def test_opt_in_statement_drill_loads_the_rows_behind_chosen_accounts(sandbox, tmp_path):
    target = make_target("duckdb", tmp_path)
    cid = sandbox.customer_ids[0]
    summary = sync(sandbox, target, resources=["statement_drill"], drill_account_codes=["3000", "4000"])
    months = sandbox.truth.periods(cid)
    assert summary.requests["/statements/drill"] == len(months)
    rows = target.query(
        "select period, account_code, sum(net_cents) from {ds}.statement_drill "
        "where account_codes = '3000,4000' group by 1, 2"
    )
    loaded = {(p, a): int(c) for p, a, c in rows}
    for period in months:
        income = sandbox.truth.income_statement(cid, period)
        for account in ("3000", "4000"):
            assert loaded.get((period, account), 0) == income.get(account, 0), (period, account)


def test_drill_is_not_a_table_unless_asked_for(sandbox, tmp_path):
    target = make_target("duckdb", tmp_path)
    sync(sandbox, target, resources=["books_rows"])
    assert "statement_drill" not in target.tables()


@pytest.mark.parametrize(
    ("window", "fetched", "done"),
    [
        ({"offset": 200, "limit": 200, "total": 400, "has_more": False}, 400, True),
        ({"offset": 0, "limit": 200, "total": 400, "has_more": True}, 200, False),
        ({"start": 200, "size": 200, "total_rows": 400}, 400, True),
        ({"start": 0, "size": 200, "total_rows": 400}, 200, False),
        ({"cursor": "abc"}, 400, False),
        (None, 400, False),
    ],
)
def test_row_window_ends_paging_only_when_it_says_so(window, fetched, done):
    from lac_source.books import window_exhausted

    assert window_exhausted(window, fetched) is done


@pytest.mark.parametrize("shape", SHAPES)
@pytest.mark.sandbox_config(rows_per_month=400)
def test_full_months_need_no_trailing_empty_page(sandbox, tmp_path, shape):
    target = make_target("duckdb", tmp_path)
    sync(sandbox, target, resources=["books_rows"], start_period="2026-10")
    assert sandbox.cfg.shape == shape and sandbox.cfg.rows_per_month == 400
    assert sheet_requests(sandbox, "books") == {"2026-10": 2, "2026-11": 2}
    assert target.scalar("select count(*) from {ds}.books_rows") == 800
