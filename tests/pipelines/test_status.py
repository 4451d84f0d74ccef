"""`lac status` and the run summary, read from a real DuckDB file or PostgreSQL schema."""

import os
import shutil
import subprocess
from datetime import UTC, datetime

import pytest
from support import drop_target, make_target, sync

from lac_connector.pipeline.destination import resolve_warehouse
from lac_connector.pipeline.status import format_status, read_status
from lac_connector.pipeline.summary import print_summary

RESOURCES = ["company", "books_rows", "payslips"]


def table_line(lines: list[str], table: str) -> list[str]:
    return next(line.split() for line in lines if line.startswith(f"{table} "))


@pytest.fixture(params=["duckdb", pytest.param("postgres", marks=pytest.mark.postgres)])
def target(request, tmp_path):
    target = make_target(request.param, tmp_path)
    yield target
    drop_target(target)


def test_status_per_table_and_summary_without_password(sandbox, target, capsys):
    first = sync(sandbox, target, resources=RESOURCES)
    second = sync(sandbox, target, resources=RESOURCES)
    months = len(sandbox.truth.periods(sandbox.customer_ids[0]))

    print_summary(second)
    shown = capsys.readouterr().out
    assert f"dataset '{target.dataset}' in " in shown
    if target.destination == "postgres":
        assert "in postgres postgres@127.0.0.1:5432/postgres\n" in shown
        assert ":postgres@" not in shown  # the password
        command = shown.split("Query it:\n", 1)[1].strip()
        assert command.startswith("psql postgresql://postgres@127.0.0.1:5432/postgres -c ")
        if shutil.which("psql"):  # asks for the password, which is not in the command
            env = {**os.environ, "PGPASSWORD": "postgres"}
            result = subprocess.run(command, shell=True, env=env, capture_output=True, text=True, timeout=60)
            assert result.returncode == 0 and sandbox.customer_ids[0] in result.stdout, result.stderr
    else:
        assert f"in DuckDB file {target.credentials}\n" in shown

    warehouse = resolve_warehouse(target.destination, target.credentials, "lac_test", target.dataset)
    lines = format_status(read_status(warehouse, target.dataset, "lac_test"))
    assert lines[1].startswith("Last run: ok, finished ")
    books = table_line(lines, "books_rows")
    assert books[1:3] == [f"{120 * months:,}", f"{3 * 120:,}"] and books[-1] == "ok"
    finished = second.pipeline.dataset().sync_runs.df()["finished_at"].max()
    assert " ".join(books[3:5]) == finished.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S")
    payslips = " ".join(table_line(lines, "payslips"))
    assert payslips.startswith("payslips - 0 ") and " never skipped: " in payslips
    assert lines[-1] == "Reconciliation: no reconciliation table (run `lac transform`)"
    assert first.run_id != second.run_id


def test_reconciliation_rows_of_the_latest_run_are_printed_as_they_are(sandbox, tmp_path):
    target = make_target("duckdb", tmp_path)
    sync(sandbox, target, resources=["company"])
    import duckdb

    with duckdb.connect(target.credentials) as con:
        con.execute(
            f"create table {target.dataset}.reconciliation (run_at timestamptz, check_name text, diff bigint)"
        )
        con.executemany(
            f"insert into {target.dataset}.reconciliation values (?, ?, ?)",
            [
                (datetime(2026, 11, 1, tzinfo=UTC), "old", 5),
                (datetime(2026, 11, 2, tzinfo=UTC), "vat_base", 12),
                (datetime(2026, 11, 2, tzinfo=UTC), "cashflow", -3),
            ],
        )
    warehouse = resolve_warehouse("duckdb", target.credentials, "lac_test", target.dataset, read_only=True)
    lines = format_status(read_status(warehouse, target.dataset, "lac_test"))
    reconciliation = lines[lines.index("Reconciliation: 2 row(s) in the reconciliation table") :]
    assert sorted(reconciliation[1:]) == [
        "  run_at=2026-11-02 00:00:00+00:00, check_name=cashflow, diff=-3",
        "  run_at=2026-11-02 00:00:00+00:00, check_name=vat_base, diff=12",
    ]
