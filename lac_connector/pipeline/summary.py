"""The summary `lac run` prints after a sync: what was stored, where it went, how to look at it."""

import shlex
import shutil
import sys
from pathlib import Path

from lac_connector.pipeline.destination import Warehouse, destination_kind
from lac_connector.pipeline.runner import RunSummary


def print_summary(summary: RunSummary) -> None:
    loaded = {t: n for t, n in sorted(summary.row_counts.items()) if n}
    total_requests = sum(summary.requests.values())
    print(
        f"\nSynced in {summary.seconds:.1f} s with {total_requests} API requests"
        + (" (finished an interrupted run first)" if summary.resumed_pending else "")
    )
    print(f"{'table':<28} rows stored this run")
    for table, rows in loaded.items():
        print(f"  {table:<26} {rows:>10,}")
    dataset = summary.pipeline.dataset_name
    print(f"\nData: dataset {dataset!r} in {summary.warehouse.describe()}")
    if summary.landing:
        print(f"Files: {summary.landing}")
    example = max(loaded, key=lambda t: loaded[t]) if loaded else "sync_runs"
    command = query_command(summary.warehouse, f"select * from {dataset}.{example} limit 10")
    if command:
        print(f"Query it:\n  {command}")


def _shell_quoted(text: str) -> str:
    """`text` as one shell word: in double quotes when nothing in it is special there (readable
    with the single-quoted Python strings inside), else quoted by shlex."""
    return f'"{text}"' if not set(text) & set('"$`\\!') else shlex.quote(text)


def query_command(warehouse: Warehouse, sql: str) -> str | None:
    """A shell command that runs `sql` against the warehouse: the duckdb CLI when it is installed,
    else this Python with the duckdb package; `psql` for PostgreSQL (it asks for the password)."""
    if warehouse.duckdb_path is not None:
        path = str(warehouse.duckdb_path)
        if shutil.which("duckdb"):
            return f"duckdb -readonly {shlex.quote(path)} {shlex.quote(sql)}"
        code = f"import duckdb; print(duckdb.connect({path!r}, read_only=True).sql({sql!r}))"
        return f"{shlex.quote(str(Path(sys.executable)))} -c {_shell_quoted(code)}"
    if warehouse.server is not None and destination_kind(warehouse.destination) == "postgres":
        return f"psql {shlex.quote('postgresql://' + warehouse.server)} -c {shlex.quote(sql)}"
    return None
