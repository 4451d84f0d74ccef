"""The transforms wait for a process reading the DuckDB file (the dashboard, a duckdb shell).

DuckDB refuses a write-open while another process reads the file. The transforms open it
in this process through dlt and again when dbt starts; each open that finds a reader waits for it (CI once
saw `lac run` fail this way while the served dashboard re-read the file). The reader here is
released from the waiting loop itself, so the test is deterministic: each open that finds it
waited once and then succeeded.
"""

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from support import Loaded, loaded_sandbox

from lac_connector.kit import duckdb_file
from lac_connector.transform import dbt, run_transforms

HOLD_READ = (
    "import duckdb, sys; con = duckdb.connect(sys.argv[1], read_only=True); "
    "print('reading', flush=True); sys.stdin.read()"
)


class Reader:
    """Another process with the DuckDB file open read-only until `release`."""

    def __init__(self, path: str) -> None:
        self.proc = subprocess.Popen(
            [sys.executable, "-c", HOLD_READ, path], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
        )
        assert self.proc.stdout is not None and self.proc.stdout.readline() == "reading\n"

    def release(self) -> None:
        assert self.proc.stdin is not None
        self.proc.stdin.close()
        assert self.proc.wait(timeout=30) == 0


@pytest.fixture
def loaded(tmp_path: Path) -> Iterator[Loaded]:
    with loaded_sandbox(
        "duckdb",
        tmp_path,
        {"months": 3, "rows_per_month": 20},
        resources=["company", "books_rows", "vat_rows"],
    ) as loaded:
        yield loaded


def test_each_open_waits_for_a_reader_then_the_build_succeeds(
    loaded: Loaded, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture
) -> None:
    path = loaded.target.credentials
    readers: list[Reader] = []
    waited: list[str] = []

    def pause(self: duckdb_file.LockWait, error_text: str) -> None:
        waited.append(error_text)
        readers.pop().release()  # the reader leaves while we wait

    original_dbt = dbt._invoke

    def dbt_finds_a_reader(*args, **kwargs):
        if len(waited) == 1:  # dbt's first start: a reader opened the file just before it
            readers.append(Reader(path))
        return original_dbt(*args, **kwargs)

    monkeypatch.setattr(duckdb_file.LockWait, "pause", pause)
    monkeypatch.setattr(dbt, "_invoke", dbt_finds_a_reader)

    readers.append(Reader(path))  # reading when the transforms start
    capsys.readouterr()
    result = run_transforms(loaded.pipeline)
    # the wait is one line in the log, not dbt's error and traceback on the console
    assert capsys.readouterr().out.strip() == result.verdict

    assert len(waited) == 2 and not readers
    assert all(duckdb_file.is_locked_out(text) for text in waited)
    assert "DuckDbSqlClient" in waited[0]  # this process's own open, through dlt
    assert "initialize_db" in waited[1]  # dbt's open, found in dbt's log
    assert result.rebuilt and result.checks > 0 and not result.differences
    assert loaded.target.scalar("select count(*) from {ds}.mart_monthly_trend") == 3
