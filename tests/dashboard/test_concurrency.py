"""The dashboard and `lac run` on one DuckDB file: the dashboard never blocks a sync, nor fails during one.

DuckDB lets one process write a file or several read it. The dashboard opens a read-only
connection per query and closes it; while a sync holds the file it shows the figures it last read.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from dashboard.browser import errors, metric_value, open_page, refresh, warnings
from dashboard.helpers import BIN, DuckWarehouse, artifacts_dir, click, metric, run_app, served_app

from lac_connector.dashboard.money import euros

YTD_REVENUE = "Revenue, year to date"
HOLD_LOCK = (
    "import duckdb, sys; con = duckdb.connect(sys.argv[1]); print('locked', flush=True); sys.stdin.read()"
)


def latest_year_revenue(warehouse: DuckWarehouse) -> str:
    return euros(
        warehouse.scalar(
            "SELECT SUM(revenue) FROM {ds}.mart_monthly_trend"
            " WHERE fiscal_year = (SELECT MAX(fiscal_year) FROM {ds}.mart_monthly_trend)"
        )
    )


class Writer:
    """Another process holding DuckDB's write lock on a file, as a running `lac run` does."""

    def __init__(self, path: Path) -> None:
        self.proc = subprocess.Popen(
            [sys.executable, "-c", HOLD_LOCK, str(path)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        assert self.proc.stdout is not None and self.proc.stdout.readline() == "locked\n"

    def release(self) -> None:
        assert self.proc.stdin is not None
        self.proc.stdin.close()
        assert self.proc.wait(timeout=30) == 0


@pytest.fixture
def warehouse_copy(
    demo_warehouse: DuckWarehouse, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> DuckWarehouse:
    """A copy of the demo warehouse for the AppTest app (a lock on it disturbs no other test)."""
    copy = DuckWarehouse(tmp_path / "Copy.duckdb", source_system=demo_warehouse.source_system)
    shutil.copyfile(demo_warehouse.path, copy.path)
    for name, value in copy.env().items():
        monkeypatch.setenv(name, value)
    return copy


def test_pages_show_the_last_figures_read_while_a_sync_holds_the_file(warehouse_copy: DuckWarehouse) -> None:
    expected = latest_year_revenue(warehouse_copy)
    at = run_app()
    assert metric(at, YTD_REVENUE) == expected
    writer = Writer(warehouse_copy.path)
    try:
        click(at, "Refresh data")
        assert not at.exception
        [note] = [w.value for w in at.warning]
        assert note.startswith(f"A sync is writing {warehouse_copy.path}; showing figures read at")
        assert metric(at, YTD_REVENUE) == expected
    finally:
        writer.release()
    click(at, "Refresh data")
    assert not at.exception and not at.warning
    assert metric(at, YTD_REVENUE) == expected


def test_a_page_never_read_says_the_sync_is_running(warehouse_copy: DuckWarehouse) -> None:
    writer = Writer(warehouse_copy.path)
    try:
        from streamlit.testing.v1 import AppTest

        from lac_connector.dashboard.launcher import APP_PATH

        at = AppTest.from_file(str(APP_PATH), default_timeout=60).run()
        assert not at.exception and not at.metric
        [note] = [w.value for w in at.warning]
        assert (
            note
            == f"A sync is writing {warehouse_copy.path}; the figures appear when it finishes (Refresh data)."
        )
    finally:
        writer.release()
    at.run()
    assert metric(at, YTD_REVENUE) == latest_year_revenue(warehouse_copy)


def lac_run(sandbox: Any, warehouse: DuckWarehouse, workdir: Path, *extra: str) -> subprocess.Popen:
    """`lac run` into `warehouse` from the sandbox, as cron would start it (its own dlt data dir)."""
    env = {
        **os.environ,
        "SOURCES__LAC__BASE_URL": sandbox.server.base_url,
        "SOURCES__LAC__API_KEY": sandbox.read_key(sandbox.customer_ids[0]),
        "DESTINATION__DUCKDB__CREDENTIALS": str(warehouse.path),
        "DLT_DATA_DIR": str(workdir / "dlt"),
    }
    today = sandbox.cfg.today
    command = [str(BIN / "lac"), "run", "--dataset-name", warehouse.dataset, "--pipeline-name", "dash_sync"]
    command += ["--end-period", f"{today.year:04d}-{today.month:02d}", *extra]
    return subprocess.Popen(
        command, cwd=workdir, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )


def finished(proc: subprocess.Popen) -> tuple[int, str]:
    _, stderr = proc.communicate(timeout=600)
    return proc.returncode, stderr


@pytest.fixture
def synced_warehouse(sandbox: Any, tmp_path: Path) -> Iterator[DuckWarehouse]:
    warehouse = DuckWarehouse(tmp_path / "warehouse.duckdb")
    code, stderr = finished(lac_run(sandbox, warehouse, tmp_path))
    assert code == 0, stderr
    yield warehouse


def test_a_sync_succeeds_while_the_served_dashboard_keeps_reading(
    sandbox: Any, synced_warehouse: DuckWarehouse, browser: Any, tmp_path: Path
) -> None:
    """A full-refresh `lac run` into the file the served app reads, while the app re-reads it."""
    with served_app(synced_warehouse, tmp_path / "streamlit.log") as url:
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        open_page(page, url)
        assert metric_value(page, YTD_REVENUE) == latest_year_revenue(synced_warehouse)

        sync = lac_run(sandbox, synced_warehouse, tmp_path, "--full-refresh")
        rereads = busy = 0
        while sync.poll() is None and rereads < 500:
            refresh(page)  # clears the cache: every rerun opens the file again
            rereads += 1
            busy += bool(warnings(page))
            assert errors(page) == []
            assert metric_value(page, YTD_REVENUE)  # stale or fresh, the figures stay on the page
        code, stderr = finished(sync)
        assert code == 0, stderr
        assert rereads > 0

        refresh(page)
        assert errors(page) == [] and warnings(page) == []
        assert metric_value(page, YTD_REVENUE) == latest_year_revenue(synced_warehouse)
        page.screenshot(path=str(artifacts_dir() / "dashboard-after-sync.png"), full_page=True)
        print(f"{rereads} rereads during the sync, {busy} of them while it held the file")
