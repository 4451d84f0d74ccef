"""Odd API answers through an in-memory fake API: never a crash loop, never silent truncation.

Every test bounds the number of requests made, so an infinite loop or an unbounded retry fails.
"""

from pathlib import Path

import dlt
import pytest
from fake_api import FakeLac, error, json_response, lac_client

from lac_source import lac_source
from lac_source.session import LacSession

PERIODS = {"start_period": "2026-01", "end_period": "2026-02"}


def _pipeline(tmp_path: Path) -> dlt.Pipeline:
    return dlt.pipeline(
        "odd_answers",
        destination=dlt.destinations.duckdb(str(tmp_path / "w.duckdb")),
        dataset_name="lac",
        pipelines_dir=str(tmp_path / "p"),
    )


def _run(api: FakeLac, tmp_path: Path, resources: list[str], **settings) -> dlt.Pipeline:
    client = lac_client("http://lac.test/portal", "lac_sk_test", transport=api.transport(), max_attempts=2)
    session = LacSession(client, is_api_key=True)
    pipeline = _pipeline(tmp_path)
    pipeline.run(lac_source(session=session, **PERIODS, **settings).with_resources(*resources))
    return pipeline


def _rows(pipeline: dlt.Pipeline, sql: str) -> list[tuple]:
    with pipeline.sql_client() as client:
        return [tuple(r) for r in client.execute_sql(sql)]


def _sheet(api: FakeLac, rewrite):
    """Route /sheet through the fake's own answer, rewritten by `rewrite(request, payload)`."""

    def handler(request):
        del api.routes["/sheet"]
        try:
            payload = api.handle(request).json()
            api.requests.pop()  # FakeLac.handle already logged this request before routing here
        finally:
            api.routes["/sheet"] = handler
        return json_response(rewrite(request, payload))

    api.routes["/sheet"] = handler


def test_422_envelope_fails_the_run_with_its_detail_and_is_not_retried(tmp_path):
    api = FakeLac()
    api.routes["/analytics"] = lambda r: error(422, "invalid_range", "range must be YYYY-MM")
    with pytest.raises(Exception) as info:
        _run(api, tmp_path, ["analytics"])
    assert "refused by the API (422): invalid_range: range must be YYYY-MM" in str(info.value)
    assert 1 <= api.count("/analytics") <= 2  # one per month at most, never retried


@pytest.mark.parametrize("endpoint", ["/company", "/analytics", "/overview", "/statements", "/filings"])
def test_json_null_where_an_object_is_expected_loads_without_it(tmp_path, endpoint):
    api = FakeLac()
    api.routes[endpoint] = lambda r: json_response(None)
    resources = ["company", "books_rows", "analytics", "statement_lines", "filings", "overview_snapshots"]
    pipeline = _run(api, tmp_path, resources)
    assert _rows(pipeline, "select period, count(*) from books_rows group by 1 order by 1") == [
        ("2026-01", 250),
        ("2026-02", 3),
    ]
    if endpoint == "/company":  # the company row is still written, keyed, with nothing else known
        assert _rows(pipeline, "select customer_id from company") == [("c1",)]
    table = {"/analytics": "analytics", "/statements": "statement_lines", "/filings": "filings"}.get(endpoint)
    if table:
        tables = set(pipeline.default_schema.data_table_names())
        assert table not in tables or _rows(pipeline, f"select count(*) from {table}") == [(0,)]
    assert len(api.requests) < 40


def test_json_null_sheet_page_is_an_empty_month(tmp_path):
    api = FakeLac()
    _sheet(api, lambda r, p: None if r.url.params["range"] == "2026-02" else p)
    pipeline = _run(api, tmp_path, ["books_rows"])
    assert _rows(pipeline, "select period, count(*) from books_rows group by 1") == [("2026-01", 250)]
    assert api.count("/sheet", range="2026-02") <= 2


def test_string_where_a_number_was_loads_into_a_variant_column(tmp_path):
    api = FakeLac()
    _sheet(
        api,
        lambda r, p: (
            {**p, "rows": [{**row, "net_cents": str(row["net_cents"])} for row in p["rows"]]}
            if r.url.params["range"] == "2026-02"
            else p
        ),
    )
    pipeline = _run(api, tmp_path, ["books_rows"])
    columns = pipeline.default_schema.get_table_columns("books_rows")
    assert columns["net_cents"]["data_type"] == "bigint"
    # dlt keeps the first type it saw and puts values that do not coerce into `<col>__v_<type>`;
    # "12"-like strings coerce to bigint, so they load into net_cents itself.
    rows = _rows(pipeline, "select period, count(*), sum(net_cents) from books_rows group by 1 order by 1")
    assert rows == [("2026-01", 250, sum(100 * i for i in range(250))), ("2026-02", 3, 300)]

    api2 = FakeLac()
    _sheet(
        api2,
        lambda r, p: (
            {**p, "rows": [{**row, "net_cents": f"x{row['n']}"} for row in p["rows"]]}
            if r.url.params["range"] == "2026-02"
            else p
        ),
    )
    pipeline = _run(api2, tmp_path / "text", ["books_rows"])
    variant = _rows(pipeline, "select net_cents, net_cents__v_text from books_rows where period = '2026-02'")
    assert sorted(variant) == [(None, "x0"), (None, "x1"), (None, "x2")]


def test_huge_integers_load_exactly_or_fail_loudly_never_truncated(tmp_path):
    huge = 2**70
    api = FakeLac()
    _sheet(api, lambda r, p: {**p, "rows": [{**row, "big_cents": huge + row["n"]} for row in p["rows"]]})
    pipeline = _run(api, tmp_path, ["books_rows"])
    # Integers beyond 64 bits are parsed as Decimal (dlt's writers reject such ints): a column
    # that only ever held them is a decimal column and keeps every digit.
    assert pipeline.default_schema.get_table_columns("books_rows")["big_cents"]["data_type"] == "decimal"
    rows = _rows(pipeline, "select n, big_cents from books_rows where period = '2026-02' order by n")
    assert [(n, int(v)) for n, v in rows] == [(0, huge), (1, huge + 1), (2, huge + 2)]

    # In a column dlt already typed bigint, dlt coerces the integral Decimal back to an int that
    # the destination refuses: the load fails loudly instead of storing a wrong number.
    api = FakeLac()
    _sheet(
        api,
        lambda r, p: (
            {**p, "rows": [{**row, "net_cents": huge} for row in p["rows"]]}
            if r.url.params["range"] == "2026-02"
            else p
        ),
    )
    with pytest.raises(Exception, match="out of range"):
        _run(api, tmp_path / "mixed", ["books_rows"])
    assert len(api.requests) < 20


def test_empty_page_with_a_nonzero_total_ends_the_month(tmp_path):
    api = FakeLac(rows={"2026-01": 1000, "2026-02": 3})
    _sheet(api, lambda r, p: {**p, "rows": []} if int(r.url.params.get("offset", 0)) >= 200 else p)
    pipeline = _run(api, tmp_path, ["books_rows"], unpaginated_max_rows=0)  # months paged
    assert _rows(pipeline, "select period, count(*) from books_rows group by 1 order by 1") == [
        ("2026-01", 200),
        ("2026-02", 3),
    ]
    # page 1 (also the probe), then pages 2-5 fetched at once from the total; the empty one ends it
    assert api.count("/sheet", range="2026-01") <= 5


def test_page_repeating_the_previous_one_fails_clearly_instead_of_looping(tmp_path):
    api = FakeLac(rows={"2026-01": 1000, "2026-02": 3})

    def repeat(request, payload):
        if request.url.params["range"] == "2026-01" and int(request.url.params.get("offset", 0)) > 0:
            return {
                **payload,
                "rows": [
                    {**row, "n": row["n"] - int(request.url.params["offset"])} for row in payload["rows"]
                ],
            }
        return payload

    _sheet(api, lambda r, p: repeat(r, {**p, "rows": [{**row, "net_cents": 0} for row in p["rows"]]}))
    with pytest.raises(Exception) as info:
        _run(api, tmp_path, ["books_rows"], unpaginated_max_rows=0)  # months paged
    assert "repeated the previous page" in str(info.value) and "range=2026-01" in str(info.value)
    assert api.count("/sheet", range="2026-01") <= 5  # the probe and pages 2-5 (fetched at once)
