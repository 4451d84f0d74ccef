"""What the transforms read and write through the pipeline's own SQL client (never dbt's).

Reads: the loaded tables and their columns, samples of their values for mapping discovery, the
sheet's column metadata. Writes, before each build: `transform_params` (one row) and
`transform_mapping` (one row per table and field). Both are rewritten in place (DELETE + INSERT),
never dropped, because views read them.
"""

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from functools import cache
from typing import Any

from dlt.common.schema import Schema

from lac_connector.transform.discovery import ColumnMeta, Decision, metadata_from_rows
from lac_connector.transform.fields import TABLES_BY_NAME

SAMPLE_SIZE = 25
PARAMS_TABLE = "transform_params"
MAPPING_TABLE = "transform_mapping"
PARAMS_COLUMNS = (("run_at", "TIMESTAMP"), ("as_of_date", "DATE"), ("reconcile_tolerance_cents", "BIGINT"))
MAPPING_COLUMNS = (
    ("source_system", "VARCHAR"),
    ("view_name", "VARCHAR"),
    ("field", "VARCHAR"),
    ("column_name", "VARCHAR"),
    ("method", "VARCHAR"),
    ("detail", "VARCHAR"),
    ("decided_at", "TIMESTAMP"),
)
OWN_TABLES = (PARAMS_TABLE, MAPPING_TABLE)


@dataclass(frozen=True)
class Catalog:
    """Base tables of the dataset: name -> [(column, database type)], in column order."""

    tables: Mapping[str, Sequence[tuple[str, str]]]
    views: frozenset[str]


def read_catalog(client: Any) -> Catalog:
    rows = client.execute_sql(
        "SELECT t.table_name, t.table_type, c.column_name, c.data_type FROM information_schema.tables AS t"
        " LEFT JOIN information_schema.columns AS c"
        " ON c.table_schema = t.table_schema AND c.table_name = t.table_name"
        " WHERE t.table_schema = %s ORDER BY t.table_name, c.ordinal_position",
        client.dataset_name,
    )
    tables: dict[str, list[tuple[str, str]]] = {}
    views: set[str] = set()
    for name, kind, column, data_type in rows or []:
        if kind == "VIEW":
            views.add(name)
        elif column is not None:
            tables.setdefault(name, []).append((column, str(data_type).lower()))
    return Catalog(tables, frozenset(views))


def loaded_tables(schema: Schema, catalog: Catalog, built: Iterable[str]) -> dict[str, dict[str, str | None]]:
    """The dataset's loaded tables: table -> {column: dlt data type} of the columns in the warehouse.

    Every base table of the dataset counts except dlt's own (`_dlt_*`), ours (`transform_*`) and
    those dbt builds (`built`: seeds, table models): the views belong to the dataset, which other
    pipelines (another company, another source) may load too. The type is the pipeline's dlt
    schema's where it knows the column, else read from the warehouse's type.
    """
    skip = set(OWN_TABLES) | set(built)
    loaded: dict[str, dict[str, str | None]] = {}
    for table, columns in sorted(catalog.tables.items()):
        if table.startswith("_dlt") or table in skip:
            continue
        known = schema.get_table(table).get("columns", {}) if table in schema.tables else {}
        loaded[table] = {
            name: known.get(name, {}).get("data_type") or _dlt_type(db_type) for name, db_type in columns
        }
    return loaded


def _dlt_type(db_type: str) -> str | None:
    """The dlt data type a warehouse column type corresponds to (DuckDB and PostgreSQL names)."""
    for prefix, data_type in (
        ("bigint", "bigint"), ("integer", "bigint"), ("int", "bigint"), ("smallint", "bigint"),
        ("hugeint", "bigint"), ("decimal", "decimal"), ("numeric", "decimal"), ("double", "double"),
        ("real", "double"), ("float", "double"), ("bool", "bool"), ("date", "date"),
        ("timestamp", "timestamp"), ("time", "time"), ("varchar", "text"), ("character", "text"),
        ("text", "text"), ("json", "json"), ("blob", "binary"), ("bytea", "binary"),
    ):  # fmt: skip
        if db_type.startswith(prefix):
            return data_type
    return None


class SqlTableProbe:
    """A loaded table for mapping discovery, queried lazily through the SQL client."""

    def __init__(
        self,
        client: Any,
        table: str,
        columns: Mapping[str, str | None],
        sheet_tab: str | None = None,
        sheet_columns_loaded: bool = False,
        loaded_tables: Mapping[str, Mapping[str, str | None]] | None = None,
    ):
        self.client = client
        self.loaded_tables = loaded_tables or {}  # the dataset's (for `count_outside`)
        self.table = table
        self.columns = columns
        self._qualified = client.make_qualified_table_name(table)
        self._sheet_tab = sheet_tab
        self._sheet_columns_loaded = sheet_columns_loaded
        self.samples = cache(self._samples)  # type: ignore[method-assign]

    @property
    def row_count(self) -> int:
        return int(self.client.execute_sql(f"SELECT COUNT(*) FROM {self._qualified}")[0][0])

    def _q(self, column: str) -> str:
        return self.client.escape_column_name(column)

    def _samples(self, column: str) -> Sequence[str]:
        q = self._q(column)
        rows = self.client.execute_sql(
            f"SELECT CAST({q} AS VARCHAR) FROM {self._qualified} WHERE {q} IS NOT NULL LIMIT {SAMPLE_SIZE}"
        )
        return tuple(str(r[0]) for r in rows or [])

    def count_rows(self, present: Sequence[str], absent: Sequence[str] = ()) -> int:
        where = [f"{self._q(c)} IS NOT NULL" for c in present] + [f"{self._q(c)} IS NULL" for c in absent]
        sql = f"SELECT COUNT(*) FROM {self._qualified} WHERE {' AND '.join(where) or '1 = 1'}"
        return int(self.client.execute_sql(sql)[0][0])

    def count_outside(self, column: str, table: str, key: str) -> int | None:
        if table not in self.loaded_tables or key not in self.loaded_tables[table]:
            return None
        q, other = self._q(column), self.client.make_qualified_table_name(table)
        sql = (
            f"SELECT COUNT(DISTINCT CAST({q} AS VARCHAR)) FROM {self._qualified} WHERE {q} IS NOT NULL"
            f" AND CAST({q} AS VARCHAR) NOT IN (SELECT CAST({self._q(key)} AS VARCHAR) FROM {other}"
            f" WHERE {self._q(key)} IS NOT NULL)"
        )
        return int(self.client.execute_sql(sql)[0][0])

    def count_later(self, earlier: str, later: str) -> tuple[int, int]:
        a = f"SUBSTR(CAST({self._q(earlier)} AS VARCHAR), 1, 10)"
        b = f"SUBSTR(CAST({self._q(later)} AS VARCHAR), 1, 10)"
        row = self.client.execute_sql(
            f"SELECT COALESCE(SUM(CASE WHEN {b} < {a} THEN 1 ELSE 0 END), 0),"
            f" COALESCE(SUM(CASE WHEN {b} > {a} THEN 1 ELSE 0 END), 0)"
            f" FROM {self._qualified} WHERE {a} IS NOT NULL AND {b} IS NOT NULL"
        )[0]
        return int(row[0]), int(row[1])

    def column_metadata(self) -> Mapping[str, ColumnMeta]:
        if not (self._sheet_tab and self._sheet_columns_loaded):
            return {}
        table = self.client.make_qualified_table_name("sheet_columns")
        names = [
            r[0]
            for r in self.client.execute_sql(
                "SELECT column_name FROM information_schema.columns"
                " WHERE table_schema = %s AND table_name = 'sheet_columns'",
                self.client.dataset_name,
            )
        ]
        described = [n for n in names if n not in ("customer_id", "period", "tab", "position")
                     and not n.startswith(("_dlt_", "_lac_"))]  # fmt: skip
        if not described or "tab" not in names:
            return {}
        select = ", ".join(f"CAST({self._q(n)} AS VARCHAR)" for n in described)
        rows = self.client.execute_sql(
            f"SELECT DISTINCT {select} FROM {table} WHERE {self._q('tab')} = %s", self._sheet_tab
        )
        entries = [dict(zip(described, row, strict=True)) for row in rows or []]
        return metadata_from_rows(entries, self.columns)


def write_params(client: Any, as_of_date: date, tolerance_cents: int) -> datetime:
    run_at = datetime.now(UTC).replace(tzinfo=None, microsecond=0)
    _rewrite(client, PARAMS_TABLE, PARAMS_COLUMNS, [(run_at, as_of_date, tolerance_cents)])
    return run_at


def write_mapping(client: Any, decisions: Iterable[Decision], decided_at: datetime) -> None:
    rows = [
        (TABLES_BY_NAME[d.table].source_system, d.table, d.field, d.column_name, d.method, d.detail or None,
         decided_at)
        for d in decisions
    ]  # fmt: skip
    _rewrite(client, MAPPING_TABLE, MAPPING_COLUMNS, rows)


def _rewrite(client: Any, table: str, columns: Sequence[tuple[str, str]], rows: Sequence[tuple]) -> None:
    """Replace the rows of one of our tables, creating it (or, if its columns changed, recreating it)."""
    qualified = client.make_qualified_table_name(table)
    existing = [
        r[0]
        for r in client.execute_sql(
            "SELECT column_name FROM information_schema.columns WHERE table_schema = %s AND table_name = %s"
            " ORDER BY ordinal_position",
            client.dataset_name,
            table,
        )
        or []
    ]
    with client.begin_transaction():
        if existing and existing != [name for name, _ in columns]:
            client.execute_sql(f"DROP TABLE {qualified} CASCADE")  # an older layout; views get rebuilt
            existing = []
        if not existing:
            definition = ", ".join(f"{client.escape_column_name(n)} {t}" for n, t in columns)
            client.execute_sql(f"CREATE TABLE {qualified} ({definition})")
        else:
            client.execute_sql(f"DELETE FROM {qualified}")
        if rows:
            values = ", ".join("(" + ", ".join(["%s"] * len(columns)) + ")" for _ in rows)
            client.execute_sql(f"INSERT INTO {qualified} VALUES {values}", *(v for row in rows for v in row))
