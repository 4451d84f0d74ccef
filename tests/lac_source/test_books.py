"""Period tables against the sandbox over loopback: full sync, incremental sync, empty months."""

from collections import defaultdict

import orjson
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


@pytest.mark.parametrize(
    ("unpaginated_max_rows", "requests", "limits"),
    [
        (450, 2, {"200", "0"}),  # the probe, then the month in one unpaginated request
        (449, 3, {"200"}),  # the probe, then pages 2 and 3 (fetched concurrently)
    ],
)
@pytest.mark.sandbox_config(rows_per_month=450)
def test_months_are_read_with_the_fewest_requests(sandbox, tmp_path, unpaginated_max_rows, requests, limits):
    target = make_target("duckdb", tmp_path)
    summary = sync(
        sandbox,
        target,
        resources=["books_rows", "vat_rows"],
        start_period="2026-10",
        unpaginated_max_rows=unpaginated_max_rows,
    )
    assert sheet_totals(target, "books_rows", BOOKS_AMOUNTS["flat"]) == {
        p: v
        for p, v in truth_sheet(sandbox, sandbox.customer_ids[0], "books", BOOKS_AMOUNTS["flat"]).items()
        if p >= "2026-10"
    }
    assert sheet_requests(sandbox, "books") == {"2026-10": requests, "2026-11": requests}
    assert summary.requests["/sheet?tab=books"] == 2 * requests
    books = [r for r in sandbox.requests if r.path == "/sheet" and r.query["tab"] == "books"]
    assert {r.query["limit"] for r in books} == limits
    assert len({(r.query["range"], r.query.get("offset"), r.query["limit"]) for r in books}) == len(books)
    assert (
        target.scalar("select count(distinct row_index) from {ds}.books_rows where period = '2026-11'") == 450
    )
    # The VAT sheet is sized by the month's Books rows (450): unpaginated at once when that is
    # small enough, else its first page tells its own size.
    vat_rows = {p: n for p, (n, *_) in truth_sheet(sandbox, sandbox.customer_ids[0], "vat", ()).items()}
    assert all(200 < vat_rows[p] <= 449 for p in ("2026-10", "2026-11"))
    expected_vat = {p: 1 if unpaginated_max_rows >= 450 else 2 for p in ("2026-10", "2026-11")}
    assert sheet_requests(sandbox, "vat") == expected_vat


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
    sync(sandbox, target, resources=["books_rows"], start_period="2026-10", unpaginated_max_rows=0)
    assert sandbox.cfg.shape == shape and sandbox.cfg.rows_per_month == 400
    assert sheet_requests(sandbox, "books") == {"2026-10": 2, "2026-11": 2}
    assert target.scalar("select count(*) from {ds}.books_rows") == 800


def _swap_nets_deep_inside(sandbox, cid: str, period: str) -> tuple[int, int]:
    """Swap the net amounts of two rows past the first page that share a VAT rate: the month's
    first page, row count and totals (its summary cards) stay exactly as they were."""
    ledger = sandbox.ledger(cid)
    rows = {r["seq"]: r for r in ledger.iter_rows(period, 250, 400)}
    first = rows[250]
    second = next(
        r for seq, r in rows.items()
        if seq > 250 and r["vat_code"] == first["vat_code"] and r["net_cents"] != first["net_cents"]
    )  # fmt: skip
    ledger.edit_row(period, first["seq"], second["net_cents"])
    ledger.edit_row(period, second["seq"], first["net_cents"])
    return first["seq"], second["net_cents"]


@pytest.mark.sandbox_config(rows_per_month=450)
def test_an_edit_deep_inside_an_old_month_arrives_within_the_recheck_cycle(sandbox, tmp_path):
    """14 months, 3 in the lookback: the 11 others are re-read in full 2 a run (11 / 7 runs,
    rounded up), those read longest ago first (then the older month). Run 1 read every month, so
    months 1-2 are re-checked by run 2, months 3-4 by run 3 and months 5-6 by run 4."""
    cid = sandbox.customer_ids[0]
    target = make_target("duckdb", tmp_path)
    sync(sandbox, target, resources=PERIOD_RESOURCES)
    months = sandbox.truth.periods(cid)
    edited = months[4]
    cards_before = sandbox.truth.sheet_totals(cid, "books", edited)
    seq, net = _swap_nets_deep_inside(sandbox, cid, edited)
    assert sandbox.truth.sheet_totals(cid, "books", edited) == cards_before

    def loaded_net() -> int:
        return target.scalar(
            f"select net_cents from {{ds}}.books_rows where period = '{edited}' and seq = {seq}"
        )

    for run in (2, 3):
        sandbox.reset_requests()
        sync(sandbox, target, resources=PERIOD_RESOURCES)
        assert loaded_net() != net, f"run {run} should not have re-checked {edited} yet"
        rechecked = {r.query["range"] for r in sandbox.requests if r.query.get("limit") == "0"}
        assert rechecked - set(months[-3:]) == set(months[2 * run - 4 : 2 * run - 2])
    sync(sandbox, target, resources=PERIOD_RESOURCES)
    assert loaded_net() == net
    assert_warehouse_equals_truth(sandbox, target, "flat")


@pytest.mark.sandbox_config(shape="random", shape_seed=9, rows_per_month=300, months=5)
def test_rows_with_lists_load_like_the_api_renders_them(sandbox, tmp_path):
    """The random shape of seed 9: fields one object deep and two lists in every row (strings and
    objects). Rows and list elements all arrive, each element linked to its row."""
    from lac_source.sheet_tables import ROWS_NORMALIZED_ROW_BY_ROW

    cid = sandbox.customer_ids[0]
    info = sandbox.shape_info
    assert len(info.row_lists) == 2
    target = make_target("duckdb", tmp_path)
    before = sum(ROWS_NORMALIZED_ROW_BY_ROW.values())
    summary = sync(sandbox, target, resources=["books_rows"])
    months = sandbox.truth.periods(cid)
    net = info.books_fields["net_cents"].replace(".", "__")
    assert sheet_totals(target, "books_rows", (net,)) == truth_sheet(sandbox, cid, "books", ("net_cents",))
    assert summary.requests["/sheet?tab=books"] == 2 * len(months)  # probe + the month unpaginated
    # What the API renders, read back in one request per month, against the child tables.
    for name in info.row_lists:
        expected = 0
        for period in months:
            page = sandbox.api.handle(
                "GET",
                "/sheet",
                {"customer_id": cid, "tab": "books", "range": period, "limit": "0"},
                sandbox.api.authenticate(f"Bearer {sandbox.read_key(cid)}"),
            )
            expected += sum(len(row[name]) for row in orjson.loads(page.body)["rows"])
        child = f"books_rows__{name}"
        assert target.scalar(f"select count(*) from {{ds}}.{child}") == expected
        orphans = target.scalar(
            f"select count(*) from {{ds}}.{child} c left join {{ds}}.books_rows r "
            "on c._dlt_parent_id = r._dlt_id and c._dlt_root_id = r._dlt_id where r._dlt_id is null"
        )
        assert orphans == 0
    # dlt 1.31 cannot take nested tables from a source (docs/performance.md): rows with lists
    # go through its normalizer, and are counted.
    assert sum(ROWS_NORMALIZED_ROW_BY_ROW.values()) - before == 300 * len(months)
