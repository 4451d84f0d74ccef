"""SQL for the generated views: `stg_<table>` per loaded table and the `int_*` row-mapping views.

Staging views are generated from the dlt schema on every run, so a new table or column appears
without code changes:

- every integer (or decimal) column ending in `_cents` keeps its cents column and gains an exact
  `DECIMAL(38,2)` euro column named without the suffix (`net_cents` -> `net`,
  `cells__amounts__net_cents` -> `cells__amounts__net`);
- every integer column ending in `_basis_points` gains an exact rate `DECIMAL(10,4)` named without
  the suffix (`vat_rate_basis_points` 2550 -> `vat_rate` 0.2550) and a percent `DECIMAL(10,2)`
  named `<that>_percent` (25.50);
- name clashes: a derived name that is already a column of the table (or was derived before) gets
  `_dec` appended until it is unique;
- the connector's `_lac_tombstone` column is left out and its rows filtered out (dlt never stores
  them, the filter only guards against that changing).

Conversions never go through floating point: `CAST(CAST(x AS DECIMAL(38,0)) * 0.01 AS DECIMAL(38,2))`
is exact on DuckDB and PostgreSQL (DuckDB's `DECIMAL / 100` would be DOUBLE).
"""

from collections.abc import Callable, Iterable

from dlt.common.normalizers.naming.naming import NamingConvention

from transforms.row_mapping import STATEMENT_KINDS, RowMapping

TOMBSTONE_COLUMN = "_lac_tombstone"
CENTS_SUFFIX = "_cents"
BASIS_POINTS_SUFFIX = "_basis_points"
NUMERIC_TYPES = {"bigint", "decimal"}
SQL_TYPES = {"text": "VARCHAR", "bigint": "BIGINT", "date": "DATE"}

Quote = Callable[[str], str]


def euros(expr: str) -> str:
    """Exact euros from an integer cents expression."""
    return f"CAST(CAST({expr} AS DECIMAL(38,0)) * 0.01 AS DECIMAL(38,2))"


def rate(expr: str) -> str:
    """Exact fraction (2550 -> 0.2550) from basis points."""
    return f"CAST(CAST({expr} AS DECIMAL(18,0)) * 0.0001 AS DECIMAL(10,4))"


def percent(expr: str) -> str:
    """Exact percent (2550 -> 25.50) from basis points."""
    return f"CAST(CAST({expr} AS DECIMAL(18,0)) * 0.01 AS DECIMAL(10,2))"


def staging_view_name(table: str, max_length: int) -> str:
    return _fit(f"stg_{table}", max_length)


def _fit(name: str, max_length: int) -> str:
    """Shorten an identifier the way dlt does when it exceeds the destination's limit."""
    return NamingConvention.shorten_identifier(name, name, max_length) if len(name) > max_length else name


def staging_view_sql(
    qualified_view: str,
    qualified_table: str,
    columns: Iterable[tuple[str, str | None]],
    quote: Quote,
    max_length: int,
) -> str:
    """`CREATE VIEW` for one loaded table; `columns` are (name, dlt data type) in schema order."""
    columns = list(columns)
    where = (
        f"\nWHERE {quote(TOMBSTONE_COLUMN)} IS NOT TRUE"
        if any(n == TOMBSTONE_COLUMN for n, _ in columns)
        else ""
    )
    columns = [(name, data_type) for name, data_type in columns if name != TOMBSTONE_COLUMN]
    taken = {name for name, _ in columns}

    def unique(name: str) -> str:
        name = _fit(name, max_length)
        while name in taken:
            name = _fit(f"{name}_dec", max_length)
        taken.add(name)
        return name

    select = []
    for name, data_type in columns:
        select.append(quote(name))
        if data_type not in NUMERIC_TYPES:
            continue
        if name.endswith(CENTS_SUFFIX) and len(name) > len(CENTS_SUFFIX):
            select.append(f"{euros(quote(name))} AS {quote(unique(name[: -len(CENTS_SUFFIX)]))}")
        elif name.endswith(BASIS_POINTS_SUFFIX) and len(name) > len(BASIS_POINTS_SUFFIX):
            stem = unique(name[: -len(BASIS_POINTS_SUFFIX)])
            select.append(f"{rate(quote(name))} AS {quote(stem)}")
            select.append(f"{percent(quote(name))} AS {quote(unique(f'{stem}_percent'))}")
    return (
        f"CREATE VIEW {qualified_view} AS\nSELECT\n    "
        + ",\n    ".join(select)
        + f"\nFROM {qualified_table}{where}"
    )


def mapping_view_sql(
    qualified_view: str, qualified_source: str | None, mapping: RowMapping, present: set[str], quote: Quote
) -> str:
    """`CREATE VIEW` of a row mapping: keys as loaded, each field coalesced over its present candidates.

    Every candidate is cast to the field's type before coalescing, so candidates of different
    loaded types (text in one shape, bigint in another) mix safely. Without a source (the table is
    not loaded) the view has the same columns and no rows, so SQL that merely reads the mapping
    (e.g. the ledger's balance anchors reading `int_statement_lines`) works without the table.
    """
    if qualified_source is None:
        present = set()
    select = [
        quote(key) if key in present else f"CAST(NULL AS VARCHAR) AS {quote(key)}" for key in mapping.keys
    ]
    for name, fld in mapping.fields.items():
        sql_type = SQL_TYPES[fld.type]
        casts = [_cast(quote(col), fld.type) for col in fld.candidates if col in present]
        if not casts:
            expr = f"CAST(NULL AS {sql_type})"
        else:
            expr = casts[0] if len(casts) == 1 else f"COALESCE({', '.join(casts)})"
        select.append(f"{expr} AS {quote(name)}")
    if "statement_path" in mapping.keys:
        whens = " ".join(
            f"WHEN {quote('statement_path')} LIKE '%{kind}%' THEN '{kind}'" for kind in STATEMENT_KINDS
        )
        kind = f"CASE {whens} END" if "statement_path" in present else "CAST(NULL AS VARCHAR)"
        select.append(f"{kind} AS {quote('statement_kind')}")
    source = f"FROM {qualified_source}" if qualified_source is not None else "WHERE 1 = 0"
    return f"CREATE VIEW {qualified_view} AS\nSELECT\n    " + ",\n    ".join(select) + f"\n{source}"


def _cast(expr: str, field_type: str) -> str:
    if field_type == "date":  # ISO text (possibly with a time part) or an already typed date
        return f"CAST(SUBSTR(CAST({expr} AS VARCHAR), 1, 10) AS DATE)"
    return f"CAST({expr} AS {SQL_TYPES[field_type]})"
