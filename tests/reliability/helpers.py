"""Helpers of the reliability suite: whole-warehouse snapshots, landed-file listings, request-log queries."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from collections import Counter
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[2]

# Columns whose value depends on when or in which run a row was written, not on the API's data.
RUNTIME_COLUMNS = frozenset({"snapshot_at", "landed_at", "deleted_at", "run_at", "decided_at"})
# Tables that describe runs (ids, timings, request counts), not the API's data.
RUNTIME_TABLES = frozenset({"sync_runs", "sync_coverage", "transform_params"})
# Snapshot tables append one row per run by design; with `snapshots_as_sets` they compare as sets.
SNAPSHOT_TABLES = ("overview_snapshots", "agent_status_snapshots")


def _normal(value: Any) -> Any:
    """Make values comparable across two warehouses (floats/decimals/lists as their repr)."""
    if isinstance(value, list | dict | tuple):
        return repr(value)
    return value


def duckdb_snapshot(path: str | Path, dataset: str, *, snapshots_as_sets: bool = False) -> dict[str, Any]:
    """Every data table of `dataset`: {table: Counter of rows} over its non-dlt, non-run-time columns.

    Order-independent; a row is a tuple of (column, value) pairs sorted by column name, so two
    warehouses whose tables list columns in a different order still compare equal.
    """
    import duckdb

    out: dict[str, Any] = {}
    with duckdb.connect(str(path), read_only=True) as con:
        tables = [
            r[0]
            for r in con.execute(
                "select table_name from information_schema.tables "
                "where table_schema = ? and table_type = 'BASE TABLE'",
                [dataset],
            ).fetchall()
        ]
        for table in sorted(tables):
            if table.startswith("_dlt") or table in RUNTIME_TABLES:
                continue
            columns = sorted(
                r[0]
                for r in con.execute(
                    "select column_name from information_schema.columns "
                    "where table_schema = ? and table_name = ?",
                    [dataset, table],
                ).fetchall()
                if not r[0].startswith("_dlt") and r[0] not in RUNTIME_COLUMNS
            )
            select = ", ".join(f'"{c}"' for c in columns)
            rows = con.execute(f'select {select} from "{dataset}"."{table}"').fetchall()
            counted = Counter(tuple(zip(columns, map(_normal, row), strict=True)) for row in rows)
            if snapshots_as_sets and table.startswith(SNAPSHOT_TABLES):
                counted = Counter(set(counted))
            out[table] = counted
    return out


def diff_snapshots(got: dict[str, Any], want: dict[str, Any], limit: int = 3) -> list[str]:
    """Human-readable differences (empty when equal), for assertion messages."""
    problems = []
    for table in sorted(set(got) | set(want)):
        if table not in got or table not in want:
            problems.append(f"{table}: only in {'got' if table in got else 'want'}")
            continue
        extra, missing = got[table] - want[table], want[table] - got[table]
        if extra or missing:
            problems.append(
                f"{table}: {sum(extra.values())} extra row(s) e.g. {list(extra)[:limit]}, "
                f"{sum(missing.values())} missing e.g. {list(missing)[:limit]}"
            )
    return problems


def landed_files(root: Path) -> dict[str, str]:
    """{relative path: sha256} of every file under the landing root (hidden ones included)."""
    if not root.exists():
        return {}
    return {
        str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


def landed_files_rows(path: str | Path, dataset: str) -> list[tuple]:
    import duckdb

    with duckdb.connect(str(path), read_only=True) as con:
        return sorted(
            con.execute(
                f"select customer_id, kind, source_id, role, storage_path, bytes, sha256, content_type "
                f'from "{dataset}".landed_files'
            ).fetchall()
        )


def lac_env(base_url: str, api_key: str, end_period: str, workdir: Path, **extra: str) -> dict[str, str]:
    """Environment of a `lac run` subprocess working in `workdir` (like tests/pipelines/test_cli.py)."""
    base = {k: v for k, v in os.environ.items() if not k.startswith(("SOURCES__", "DESTINATION__", "DLT_"))}
    return {
        **base,
        "SOURCES__LAC__API_KEY": api_key,
        "SOURCES__LAC__BASE_URL": base_url,
        "SOURCES__LAC__END_PERIOD": end_period,
        "SOURCES__LAC__LANDING_URL": str(workdir / "landing"),
        "DLT_DATA_DIR": str(workdir / "dlt"),
        "DESTINATION__DUCKDB__CREDENTIALS": str(workdir / "warehouse.duckdb"),
        "PYTHONPATH": str(REPO),
        **extra,
    }


def lac_command(*args: str, crash_point: str | None = None) -> list[str]:
    """`lac ...` as a subprocess argv; with `crash_point`, through crash_run.py (SIGKILLs itself there)."""
    if crash_point is None:
        return [sys.executable, "-m", "lac_connector", *args]
    return [sys.executable, str(Path(__file__).with_name("crash_run.py")), crash_point, *args]


def run_lac(args: list[str], env: dict[str, str], cwd: Path, **kw: Any) -> subprocess.CompletedProcess:
    return subprocess.run(
        lac_command(*args, crash_point=kw.pop("crash_point", None)),
        env=env,
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=kw.pop("timeout", 240),
        **kw,
    )
