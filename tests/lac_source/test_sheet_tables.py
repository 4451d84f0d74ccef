"""`PageTables`: a sheet page becomes an Arrow table only when it loads exactly as dicts would."""

import uuid
from pathlib import Path

import dlt
import pyarrow as pa
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lac_source.settings import MAX_TABLE_NESTING
from lac_source.sheet_tables import PageTables

KEY = {"customer_id": "c1", "period": "2026-01"}


def _schema() -> dlt.Schema:
    return dlt.Schema("lac")


def _convert(rows, *, schema=None, tables=None, first_index=0, table="books_rows"):
    tables = tables or PageTables(MAX_TABLE_NESTING)
    return tables.convert(rows, KEY, first_index, table=table, schema=schema or _schema(), load_id="123.4")


def test_nested_rows_flatten_like_dlt_and_get_keys_index_and_dlt_columns():
    rows = [
        {"id": "r1", "cells": {"amounts": {"netCents": 100}, "date": {"value": "2026-01-02"}}, "ok": True},
        {"id": "r2", "cells": {"amounts": {"netCents": -5}}, "note": None, "rate": 25.5},
    ]
    table = _convert(rows, first_index=400)
    assert table.column_names == [
        "customer_id",
        "period",
        "row_index",
        "id",
        "cells__amounts__net_cents",
        "cells__date__value",
        "ok",
        "rate",
        "_dlt_load_id",
        "_dlt_id",
    ]  # `note` is null in every row: no column, as with the normalizer
    assert table.column("cells__amounts__net_cents").to_pylist() == [100, -5]
    assert table.column("cells__date__value").to_pylist() == ["2026-01-02", None]
    assert table.schema.field("cells__amounts__net_cents").type == pa.int64()
    assert table.schema.field("rate").type == pa.float64()
    assert table.column("row_index").to_pylist() == [400, 401]
    assert table.column("period").to_pylist() == ["2026-01", "2026-01"]
    assert not table.schema.field("customer_id").nullable and not table.schema.field("_dlt_id").nullable
    assert table.column("_dlt_load_id").to_pylist() == ["123.4", "123.4"]
    assert len(set(table.column("_dlt_id").to_pylist())) == 2


@pytest.mark.parametrize(
    "rows",
    [
        [{"tags": ["a", "b"]}],  # a list becomes a child table
        [{"a": {"b": {"c": {"d": {"e": 1}}}}}],  # deeper than max_table_nesting: a JSON column
        [{"n": 1}, {"n": "1"}],  # mixed types: dlt coerces or makes a variant column
        [{"n": 2**70}],  # beyond 64 bits
        [{"n": 1.5}, {"n": 2}],
        [{"at": "2026-01-02T10:00:00Z"}],  # the normalizer would detect a timestamp
        [{"": 1}],
        [{"a": {"b": 1}}, {"a": 2}],  # an object in one row, a scalar in another
        [{"a__b": 1, "a": {"b": 2}}],  # two keys, one column name
    ],
)
def test_pages_only_dlts_normalizer_loads_faithfully_are_not_converted(rows):
    assert _convert(rows) is None


def test_the_key_columns_win_over_the_rows_own_fields_of_the_same_name():
    table = _convert([{"period": "2025-12", "n": 1}])
    assert table.column("period").to_pylist() == ["2026-01"]


def test_objects_as_deep_as_max_table_nesting_still_flatten():
    assert "a__b__c__d" in _convert([{"a": {"b": {"c": {"d": 1}}}}]).column_names


def test_a_type_the_schema_or_an_earlier_page_already_fixed_wins():
    schema = _schema()
    schema.update_table(
        {"name": "books_rows", "columns": {"net_cents": {"name": "net_cents", "data_type": "bigint"}}}
    )
    assert _convert([{"net_cents": "x1"}], schema=schema) is None
    assert _convert([{"net_cents": 1}], schema=schema) is not None

    tables = PageTables(MAX_TABLE_NESTING)
    assert _convert([{"code": "A"}], tables=tables) is not None
    assert _convert([{"code": 3000}], tables=tables) is None  # another month's page said text
    assert _convert([{"code": 3000}], tables=tables, table="vat_rows") is not None  # per table


scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**63), max_value=2**63 - 1),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(alphabet="abc- 09", max_size=6),
)
keys = st.sampled_from(["amount", "Net Cents", "code", "meta", "x__y", "Period"])
values = st.recursive(
    scalars,
    lambda inner: st.one_of(st.dictionaries(keys, inner, max_size=3), st.lists(inner, max_size=3)),
    max_leaves=6,
)
pages = st.lists(st.dictionaries(keys, values, min_size=1, max_size=4), min_size=1, max_size=5)


@settings(
    max_examples=8,
    derandomize=True,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(rows=pages)
def test_a_page_loads_the_same_tables_as_its_rows_as_dicts(tmp_path: Path, rows):
    """Load the page once as dlt-normalized dicts and once as `books.py` hands it to dlt (the Arrow
    table, or the dicts when `convert` declines: lists, deep objects, drifting types); compare every
    table in DuckDB (child tables by their rows' values, list positions and parent's row index)."""
    loaded = {}
    example = tmp_path / uuid.uuid4().hex  # hypothesis reuses tmp_path across examples
    for way in ("dicts", "arrow"):
        pipeline = dlt.pipeline(
            f"equal_{way}",
            destination=dlt.destinations.duckdb(str(example / f"{way}.duckdb")),
            dataset_name="lac",
            pipelines_dir=str(example / "pipelines"),
        )

        @dlt.resource(name="books_rows", max_table_nesting=MAX_TABLE_NESTING)
        def page(way=way):
            if way == "dicts":
                yield [{**row, **KEY, "row_index": i} for i, row in enumerate(rows)]
                return
            table = PageTables(MAX_TABLE_NESTING).convert(
                rows,
                KEY,
                0,
                table="books_rows",
                schema=dlt.current.source_schema(),
                load_id=dlt.current.load_package_state()["load_id"],
            )
            if table is None:
                assert _has_list(rows) or not _plain(rows)  # declined only for what needs dlt
                yield [{**row, **KEY, "row_index": i} for i, row in enumerate(rows)]
            else:
                yield table

        pipeline.run(page(), loader_file_format="parquet")
        loaded[way] = _tables(pipeline)
    assert loaded["arrow"] == loaded["dicts"]


def _has_list(value) -> bool:
    if isinstance(value, list):
        return True
    return isinstance(value, dict) and any(map(_has_list, value.values()))


def _plain(rows) -> bool:
    """Rows of objects only as deep as the nesting limit, one Python type per key path, no lists."""
    kinds: dict[tuple, set] = {}

    def walk(value, path):
        if isinstance(value, dict):
            if len(path) > MAX_TABLE_NESTING:
                return False
            kinds.setdefault(path, set()).add(dict)
            return all(walk(v, (*path, k)) for k, v in value.items())
        kinds.setdefault(path, set()).add(type(value))
        return not isinstance(value, list)

    return all(walk(row, ()) for row in rows) and all(len(k - {type(None)}) <= 1 for k in kinds.values())


def _tables(pipeline) -> dict:
    """Every data table: its columns' types (dlt's own left out) and its rows, each keyed by its
    root row's `row_index` and its list positions instead of random ids."""
    schema = pipeline.default_schema
    raw = {}
    with pipeline.sql_client() as client:
        for table in sorted(schema.data_table_names(), key=lambda t: t.count("__")):
            columns = {n: c["data_type"] for n, c in schema.get_table_columns(table).items()}
            columns = {n: t for n, t in columns.items() if not n.startswith("_dlt")}
            link = "_dlt_parent_id, _dlt_list_idx" if schema.tables[table].get("parent") else "NULL, NULL"
            names = ", ".join([*(client.escape_column_name(c) for c in sorted(columns)), "_dlt_id", link])
            raw[table] = (columns, client.execute_sql(f"SELECT {names} FROM {table}"))
    ids, out = {}, {}
    for table, (columns, rows) in raw.items():
        keyed = []
        for *values, row_id, parent, position in rows:
            if parent is None:
                ids[row_id] = (values[sorted(columns).index("row_index")],)
            else:
                ids[row_id] = (*ids[parent], position)
            keyed.append((tuple(values), ids[row_id]))
        out[table] = (columns, sorted(keyed, key=repr))
    return out
