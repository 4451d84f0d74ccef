"""Sheet pages as Arrow tables, so dlt writes them straight to parquet.

Books and VAT rows are the bulk of every sync. Yielded as dicts, each row goes through dlt's
row-by-row JSON normalizer; yielded as an Arrow table, a page is written as-is (dlt only renames
and reorders columns). `PageTables.convert` builds that table only when it loads exactly what the
normalizer would have made of the same rows:

- nested objects are flattened into `parent__child` columns with the schema's naming convention,
  down to the source's `max_table_nesting`, like the normalizer does;
- every column holds one scalar type (text, bigint, double or bool) that agrees with the column's
  type in the schema, or in pages of this run already converted, or that the normalizer would
  infer for a new column (a string it would detect as a timestamp does not qualify);
- the rows get the `_dlt_load_id` and `_dlt_id` columns the normalizer adds.

Anything else (lists, which become child tables; objects nested deeper; a column with mixed
types or a type that drifted, which dlt puts in a variant column; integers beyond 64 bits)
returns None, and the caller yields that page as dicts for dlt to normalize.
"""

import threading
from collections import Counter
from collections.abc import Mapping, Sequence
from itertools import chain
from types import NoneType
from typing import Any

import pandas  # noqa: F401 - see below
import pyarrow as pa
from dlt.common.normalizers.json import helpers as normalizer_helpers
from dlt.common.normalizers.utils import generate_dlt_ids
from dlt.common.schema import Schema
from dlt.common.schema.typing import C_DLT_ID, C_DLT_LOAD_ID
from dlt.common.schema.utils import autodetect_sc_type

# pyarrow imports pandas lazily on first use, which here happens in one of dlt's extract worker
# threads while the main thread looks pandas up in `sys.modules` to classify items and finds it
# half-initialized. Importing pandas up front (above) takes that race away.

# Python type of a JSON scalar -> (dlt data type the normalizer infers, Arrow type)
_SCALAR_TYPES: dict[type, tuple[str, pa.DataType]] = {
    str: ("text", pa.string()),
    int: ("bigint", pa.int64()),
    float: ("double", pa.float64()),
    bool: ("bool", pa.bool_()),
}


# The hints dlt's normalizer gives `_dlt_id`; a table fed Arrow items must declare them itself.
ARROW_ROW_HINTS: dict[str, Any] = {
    C_DLT_ID: {"data_type": "text", "nullable": False, "unique": True, "row_key": True}
}


# Rows of this process handed to dlt's row-by-row normalizer instead, per table (benchmarks).
ROWS_NORMALIZED_ROW_BY_ROW: Counter[str] = Counter()
_COUNTER_LOCK = threading.Lock()


class _NotTabular(Exception):
    """A page holds something only dlt's normalizer loads faithfully."""


class PageTables:
    """Converts sheet pages to Arrow tables; one per source, shared by its extract threads.

    Pages of different months are converted concurrently, before dlt's schema has seen any of
    them, so the column types this run's converted pages have used are kept here (under a lock):
    the first page decides a new column's type, as the first normalized row would.
    """

    def __init__(self, max_nesting: int) -> None:
        self._max_nesting = max_nesting
        self._lock = threading.Lock()
        self._types: dict[tuple[str, str], str] = {}  # (table, column) -> dlt data type

    def prime(
        self, rows: Sequence[Mapping[str, Any]], key_columns: Sequence[str], *, table: str, schema: Schema
    ) -> None:
        """Let `rows` decide the types of the table's columns no page has decided yet, as if they
        had been converted first: the planner primes `books_rows` with each month's probe page,
        oldest month first, so the types do not depend on which month's thread converts first
        (the normalizer sees the months in that order)."""
        columns: dict[str, list[Any]] = {}
        reserved = frozenset(schema.naming.normalize_identifier(name) for name in key_columns)
        try:
            _flatten(rows, self._max_nesting, _ColumnNames(schema, table), columns, reserved)
        except _NotTabular:
            return
        known = schema.tables.get(table, {}).get("columns", {})
        detections = schema.settings.get("detections") or ()
        with self._lock:
            for name, values in columns.items():
                if (table, name) in self._types or known.get(name, {}).get("data_type"):
                    continue
                try:
                    scalar = _scalar_type(values, None, detections)
                except _NotTabular:
                    continue
                if scalar is not None:
                    self._types[(table, name)] = scalar[0]

    def convert(
        self,
        rows: Sequence[Mapping[str, Any]],
        extra: Mapping[str, Any],
        first_index: int,
        *,
        table: str,
        schema: Schema,
        load_id: str,
    ) -> pa.Table | None:
        """The `extra` key columns, `row_index`, the rows' columns, `_dlt_load_id` and `_dlt_id`; or None."""
        naming = schema.naming
        count = len(rows)
        keys = {naming.normalize_identifier(name): value for name, value in extra.items()}
        columns: dict[str, list[Any]] = {name: [value] * count for name, value in keys.items()}
        columns["row_index"] = list(range(first_index, first_index + count))
        try:
            _flatten(rows, self._max_nesting, _ColumnNames(schema, table), columns, frozenset(columns))
        except _NotTabular:
            return self._not_converted(table, count)

        known = schema.tables.get(table, {}).get("columns", {})
        detections = schema.settings.get("detections") or ()
        arrays: dict[str, pa.Array] = {}
        with self._lock:
            try:
                typed = {
                    name: _scalar_type(
                        values,
                        self._types.get((table, name)) or known.get(name, {}).get("data_type"),
                        detections,
                    )
                    for name, values in columns.items()
                }
                for name, scalar in typed.items():
                    if scalar is not None:
                        arrays[name] = _array(columns[name], scalar[1])
            except _NotTabular:
                return self._not_converted(table, count)
            for name, scalar in typed.items():
                if scalar is not None:
                    self._types[(table, name)] = scalar[0]

        fields = [pa.field(name, array.type, nullable=name not in keys) for name, array in arrays.items()]
        fields.append(pa.field(naming.normalize_identifier(C_DLT_LOAD_ID), pa.string(), nullable=False))
        fields.append(pa.field(naming.normalize_identifier(C_DLT_ID), pa.string(), nullable=False))
        data = [*arrays.values(), pa.array([load_id] * count), pa.array(generate_dlt_ids(count))]
        return pa.Table.from_arrays(data, schema=pa.schema(fields))

    @staticmethod
    def _not_converted(table: str, count: int) -> None:
        with _COUNTER_LOCK:
            ROWS_NORMALIZED_ROW_BY_ROW[table] += count
        return None


def _flatten(
    rows: Sequence[Mapping[str, Any] | None],
    level: int,
    names: "_ColumnNames",
    out: dict[str, list[Any]],
    reserved: frozenset[str],
    path: tuple[str, ...] = (),
) -> None:
    """Add the rows' values to `out` column by column, objects flattened into `parent__child`
    columns as dlt's relational normalizer does (None where a row lacks a key or is None).

    `level` counts down from the table's nesting limit; an object reached at level 0 would be
    stored as JSON. Raises `_NotTabular` for what only the normalizer loads faithfully.
    """
    for key in dict.fromkeys(chain.from_iterable(row for row in rows if row)):
        key_path = (*path, key)
        values = [row.get(key) if row else None for row in rows]
        kinds = set(map(type, values))
        if dict in kinds:
            if kinds - {dict, NoneType} or names.stays_json(key_path, level):
                raise _NotTabular(key_path)  # objects mixed with scalars, or a JSON column
            _flatten(values, level - 1, names, out, reserved, key_path)
        elif list in kinds:
            raise _NotTabular(key_path)  # a child table
        else:
            name = names.column(key_path)
            if name in reserved:  # the caller's key columns win, as in `{**row, **key}`
                continue
            if name in out:  # two key paths with one column name: the normalizer keeps the last
                raise _NotTabular(key_path)
            out[name] = values


class _ColumnNames:
    """Column names for key paths, with dlt's own normalizer helpers, cached for one page."""

    def __init__(self, schema: Schema, table: str) -> None:
        self._schema, self._table = schema, table
        self._names: dict[tuple[str, ...], str] = {}
        self._fragments: dict[tuple[str, ...], str] = {}
        self._json: dict[tuple[str, ...], bool] = {}

    def _fragment(self, key_path: tuple[str, ...]) -> str:
        fragment = self._fragments.get(key_path)
        if fragment is None:
            key = key_path[-1]
            if not key or key.isspace():  # the normalizer invents a name for those
                raise _NotTabular(key_path)
            fragment = normalizer_helpers.normalize_identifier(self._schema, self._schema.naming, key)
            self._fragments[key_path] = fragment
        return fragment

    def column(self, key_path: tuple[str, ...]) -> str:
        name = self._names.get(key_path)
        if name is None:
            fragments = [self._fragment(key_path[: i + 1]) for i in range(len(key_path))]
            name = (
                fragments[0]
                if len(fragments) == 1
                else normalizer_helpers.shorten_fragments(self._schema.naming, *fragments)
            )
            self._names[key_path] = name
        return name

    def stays_json(self, key_path: tuple[str, ...], level: int) -> bool:
        """Whether the normalizer keeps the object at `key_path` (found at `level`) as JSON."""
        decided = self._json.get(key_path)
        if decided is None:
            name = self.column(key_path)
            decided = normalizer_helpers.is_nested_type(self._schema, self._table, name, level)
            self._json[key_path] = decided
        return decided


def _scalar_type(
    values: list[Any], known_type: str | None, detections: Sequence[str]
) -> tuple[str, pa.DataType] | None:
    """The column's (dlt type, Arrow type); None when it is all nulls (dlt adds no column for those)."""
    kinds = set(map(type, values)) - {NoneType}
    if not kinds:
        return None
    if len(kinds) > 1:
        raise _NotTabular("mixed types")
    kind = kinds.pop()
    scalar = _SCALAR_TYPES.get(kind)
    if scalar is None or (known_type is not None and known_type != scalar[0]):
        raise _NotTabular("type")
    if known_type is None and kind is str:
        # a new column: the normalizer would type it by its first value (e.g. ISO timestamps)
        first = next(v for v in values if v is not None)
        if autodetect_sc_type(detections, str, first) is not None:
            raise _NotTabular("detected type")
    return scalar


def _array(values: list[Any], arrow_type: pa.DataType) -> pa.Array:
    try:
        return pa.array(values, type=arrow_type)
    except OverflowError as exc:  # an int beyond 64 bits
        raise _NotTabular("overflow") from exc
