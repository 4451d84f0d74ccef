"""Run the transforms after a load (`lac run`) or alone (`lac transform`).

One transaction, in this order:

1. drop the views of the previous run (`stg_*`, `int_*`, `mart_*` in the dataset; PostgreSQL's
   `CREATE OR REPLACE VIEW` cannot drop columns, so views are always recreated);
2. rewrite `transform_params` (one row: `run_at`, `as_of_date`, `reconcile_tolerance_cents`);
3. create one `stg_<table>` view per loaded table from the dlt schema (`transforms.staging`) and
   the row-mapping views `int_books_rows`, `int_vat_rows`, `int_statement_lines`
   (`transforms.row_mapping`; empty, with the same columns, when the table is not loaded);
4. run `transforms/sql/*.sql` in filename order with `{dataset}` replaced by the quoted dataset
   name; a file whose `-- requires:` tables/columns are not loaded is skipped;
5. rewrite the `reconciliation` table from the `int_reconcile_*` views.

Then print the verdict and raise `ReconciliationError` when a difference exceeds the tolerance.
"""

import logging
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import dlt

from lac_connector.kit.errors import ConfigError, ConnectorError
from transforms.row_mapping import ROW_MAPPINGS
from transforms.staging import mapping_view_sql, staging_view_name, staging_view_sql

logger = logging.getLogger("lac")

SQL_DIR = Path(__file__).parent / "sql"
VIEW_PREFIXES = ("stg_", "int_", "mart_")
RECONCILE_VIEW_PREFIX = "int_reconcile_"
CHECK_ORDER = {
    "income_statement": 0,
    "balance_sheet": 1,
    "cashflow": 2,
    "vat_base": 3,
    "vat_output": 4,
    "vat_input": 5,
}
KEY_LABEL = {"income_statement": "account", "balance_sheet": "account", "cashflow": "line"}
_REQUIRES = re.compile(r"^--\s*requires:(.*)$", re.MULTILINE)
_STATEMENT_END = re.compile(r";[ \t]*(?:\n|$)")


class ReconciliationError(ConnectorError):
    """The API's statements or VAT sheet disagree with the ledger beyond the tolerance."""


@dataclass
class TransformResult:
    views: list[str] = field(default_factory=list)
    skipped_files: list[str] = field(default_factory=list)
    checks: int = 0
    differences: list[tuple[Any, ...]] = field(default_factory=list)  # beyond the tolerance
    verdict: str = ""


def run_transforms(
    pipeline: dlt.Pipeline,
    *,
    as_of_date: date | None = None,
    tolerance_cents: int | None = None,
) -> TransformResult:
    """Build every view of the dataset and reconcile; raises ReconciliationError on a difference.

    `as_of_date` (default `[transforms] as_of_date`, else today) dates the receivables aging;
    `tolerance_cents` (default `[transforms] reconcile_tolerance_cents`, else 0) is the largest
    absolute difference per check that does not fail the run.
    """
    as_of_date = as_of_date or _config_date("transforms.as_of_date") or date.today()
    if tolerance_cents is None:
        tolerance_cents = _config_int("transforms.reconcile_tolerance_cents", 0)
    schema = pipeline.default_schema
    result = TransformResult()
    with pipeline.sql_client() as client:
        quote = client.capabilities.escape_identifier
        max_length = client.capabilities.max_identifier_length
        dataset = quote(client.dataset_name)

        def qualified(name: str) -> str:
            return f"{dataset}.{quote(name)}"

        with client.begin_transaction():
            tables, views = _relations(client)
            for view in views:
                if view.startswith(VIEW_PREFIXES):
                    client.execute_sql(f"DROP VIEW IF EXISTS {qualified(view)} CASCADE")
            _write_params(client, qualified("transform_params"), as_of_date, tolerance_cents)

            loaded: dict[str, dict[str, str | None]] = {}
            for table in schema.data_table_names(include_incomplete=True):
                present = tables.get(table, set())
                columns = {
                    n: c.get("data_type") for n, c in schema.get_table_columns(table).items() if n in present
                }
                if not columns:
                    continue
                loaded[table] = columns
                view = staging_view_name(table, max_length)
                client.execute_sql(
                    staging_view_sql(qualified(view), qualified(table), columns.items(), quote, max_length)
                )
                result.views.append(view)
            for mapping in ROW_MAPPINGS:  # a mapping of a table not loaded is an empty view
                source = (
                    qualified(staging_view_name(mapping.source, max_length))
                    if mapping.source in loaded
                    else None
                )
                present = set(loaded.get(mapping.source, {}))
                client.execute_sql(mapping_view_sql(qualified(mapping.view), source, mapping, present, quote))
                result.views.append(mapping.view)

            for path in sorted(SQL_DIR.glob("*.sql")):
                text = path.read_text()
                missing = _missing_requirements(text, loaded)
                if missing:
                    logger.debug("transforms: skipping %s (not loaded: %s)", path.name, ", ".join(missing))
                    result.skipped_files.append(path.name)
                    continue
                for statement in _statements(text.replace("{dataset}", dataset)):
                    client.execute_sql(statement)
                result.views += re.findall(r"CREATE VIEW \S+\.(\w+)", text)

            checks = [v for v in result.views if v.startswith(RECONCILE_VIEW_PREFIX)]
            result.checks = _write_reconciliation(client, qualified, checks)
            rows = client.execute_sql(
                "SELECT customer_id, period, check_name, line_key, expected_cents, actual_cents,"
                " difference_cents"
                f" FROM {qualified('reconciliation')} WHERE NOT within_tolerance"
            )
            result.differences = sorted(
                rows or [], key=lambda r: (r[1], CHECK_ORDER.get(r[2], 9), r[0], r[3])
            )

    result.verdict = _verdict(result, bool(checks))
    print(result.verdict)
    if result.differences:
        raise ReconciliationError(result.verdict)
    return result


def _relations(client: Any) -> tuple[dict[str, set[str]], list[str]]:
    """Base tables (name -> columns) and views currently in the dataset."""
    rows = client.execute_sql(
        "SELECT t.table_name, t.table_type, c.column_name FROM information_schema.tables AS t"
        " LEFT JOIN information_schema.columns AS c"
        " ON c.table_schema = t.table_schema AND c.table_name = t.table_name"
        " WHERE t.table_schema = %s",
        client.dataset_name,
    )
    tables: dict[str, set[str]] = {}
    views: set[str] = set()
    for name, kind, column in rows or []:
        if kind == "VIEW":
            views.add(name)
        else:
            tables.setdefault(name, set()).add(column)
    return tables, sorted(views)


def _write_params(client: Any, table: str, as_of_date: date, tolerance_cents: int) -> None:
    client.execute_sql(f"DROP TABLE IF EXISTS {table}")
    client.execute_sql(
        f"CREATE TABLE {table} (run_at TIMESTAMP, as_of_date DATE, reconcile_tolerance_cents BIGINT)"
    )
    run_at = datetime.now(UTC).replace(tzinfo=None, microsecond=0)
    client.execute_sql(f"INSERT INTO {table} VALUES (%s, %s, %s)", run_at, as_of_date, tolerance_cents)


def _write_reconciliation(client: Any, qualified: Callable[[str], str], check_views: Sequence[str]) -> int:
    """Rewrite `reconciliation` with every check whose actual differs from expected; returns #checks."""
    table = qualified("reconciliation")
    client.execute_sql(f"DROP TABLE IF EXISTS {table}")
    client.execute_sql(
        f"CREATE TABLE {table} (run_at TIMESTAMP, customer_id VARCHAR, period VARCHAR, check_name VARCHAR,"
        " line_key VARCHAR, expected_cents BIGINT, actual_cents BIGINT, difference_cents BIGINT,"
        " within_tolerance BOOLEAN)"
    )
    checks = 0
    for view in check_views:
        client.execute_sql(
            f"INSERT INTO {table} SELECT p.run_at, v.customer_id, v.period, v.check_name, v.line_key,"
            " v.expected_cents, v.actual_cents, v.actual_cents - v.expected_cents,"
            " ABS(v.actual_cents - v.expected_cents) <= p.reconcile_tolerance_cents"
            f" FROM {qualified(view)} AS v CROSS JOIN {qualified('transform_params')} AS p"
            " WHERE v.actual_cents <> v.expected_cents"
        )
        checks += int(client.execute_sql(f"SELECT COUNT(*) FROM {qualified(view)}")[0][0])
    return checks


def _verdict(result: TransformResult, reconciled: bool) -> str:
    if not reconciled:
        return "reconciliation: skipped (needs books_rows and company with statement_lines or vat_rows)"
    if not result.differences:
        return f"reconciliation: ok, {result.checks} checks"
    customer_id, period, check, key, expected, actual, difference = result.differences[0]
    label = KEY_LABEL.get(check, "vat")
    return (
        f"reconciliation: {len(result.differences)} differences, first: period {period} {label} {key}"
        f" ({check}, {customer_id}): API {_euros(expected)}, ledger {_euros(actual)},"
        f" difference {_euros(difference)}"
    )


def _euros(cents: int) -> str:
    return f"{Decimal(int(cents)).scaleb(-2):.2f}"


def _missing_requirements(sql: str, loaded: dict[str, dict[str, str | None]]) -> list[str]:
    """`-- requires: table, table.column` entries of a SQL file that are not loaded."""
    missing = []
    for line in _REQUIRES.findall(sql):
        for item in (part.strip() for part in line.split(",")):
            table, _, column = item.partition(".")
            if item and (table not in loaded or (column and column not in loaded[table])):
                missing.append(item)
    return missing


def _statements(sql: str) -> list[str]:
    """Split a SQL file on `;` at line ends (the files keep semicolons out of strings and comments)."""
    return [s.strip() for s in _STATEMENT_END.split(sql) if s.strip() and not _only_comments(s)]


def _only_comments(sql: str) -> bool:
    return all(not line.strip() or line.strip().startswith("--") for line in sql.splitlines())


def _config_int(key: str, default: int) -> int:
    value = dlt.config.get(key)
    if value is None:
        return default
    try:
        return int(value)
    except (TypeError, ValueError):
        raise ConfigError(
            f"[{key.rpartition('.')[0]}] {key.rpartition('.')[2]} must be an integer, got {value!r}"
        ) from None


def _config_date(key: str) -> date | None:
    value = dlt.config.get(key)
    if value is None or isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        raise ConfigError(
            f"[{key.rpartition('.')[0]}] {key.rpartition('.')[2]} must be a date YYYY-MM-DD, got {value!r}"
        ) from None
