"""Dashboard test helpers: AppTest driving, the app served by streamlit, headless Chromium."""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest

from lac_connector.dashboard.config import warehouse_env
from lac_connector.dashboard.launcher import APP_PATH

BIN = Path(sys.executable).parent
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
REPO = Path(__file__).resolve().parents[2]


@dataclass(frozen=True)
class DuckWarehouse:
    """A DuckDB warehouse file and its dataset, queried directly (read-only) to check the app.

    With `source_system`, every `{ds}.mart_*` a query names reads only that source system's rows:
    the demo warehouse holds a LAC and a LedgerLou company, and the app's filters select the LAC one
    (the first source system) unless a test chooses another.
    """

    path: Path
    dataset: str = "lac_dataset"  # the demo loads where `lac run` does
    source_system: str | None = None

    def rows(self, sql: str, *params: Any) -> list[tuple]:
        import duckdb

        with duckdb.connect(str(self.path), read_only=True) as con:
            return con.execute(self._sql(sql), list(params)).fetchall()

    def _sql(self, sql: str) -> str:
        if self.source_system is not None:
            sql = re.sub(
                r"\{ds\}\.(mart_\w+)",
                rf"(SELECT * FROM {{ds}}.\1 WHERE source_system = '{self.source_system}') AS \1",
                sql,
            )
        return sql.replace("{ds}", self.dataset)

    def scalar(self, sql: str, *params: Any) -> Any:
        return self.rows(sql, *params)[0][0]

    def env(self) -> dict[str, str]:
        return warehouse_env("duckdb", str(self.path), self.dataset)


@dataclass(frozen=True)
class DemoRun:
    """`lac demo` as `make demo` runs it: its folder, exit code and output."""

    folder: Path
    returncode: int
    stdout: str
    stderr: str


def run_app(page: str | None = None):
    """The app run once in AppTest (on `page`, e.g. `vat`, else the overview)."""
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(APP_PATH), default_timeout=60)
    at.run()
    if page is not None:
        at.switch_page(f"views/{page}.py")
        at.run()
    assert_clean(at)
    return at


def assert_clean(at: Any) -> None:
    assert not at.exception, [e.message for e in at.exception]
    assert not at.error, [e.value for e in at.error]


def select(at: Any, label: str, value: Any) -> None:
    """Choose `value` in the selectbox labelled `label` (sidebar or page) and rerun."""
    boxes = [box for box in at.selectbox if box.label == label]
    assert len(boxes) == 1, f"no single selectbox {label!r}: {[b.label for b in at.selectbox]}"
    boxes[0].select(value).run()
    assert_clean(at)


def click(at: Any, label: str) -> None:
    """Press the button labelled `label` and rerun."""
    [button] = [b for b in at.button if b.label == label]
    button.click().run()


def metric(at: Any, label: str) -> str:
    values = [m.value for m in at.metric if m.label == label]
    assert len(values) == 1, f"no single metric {label!r}: {[m.label for m in at.metric]}"
    return values[0]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def served_app(warehouse: DuckWarehouse, log: Path) -> Iterator[str]:
    """`lac dashboard` serving `warehouse` on a free port; yields its URL.

    On exit the launcher gets SIGTERM, as a service manager would send it, and must stop
    streamlit with it: no process of its session may be left.
    """
    port = free_port()
    env = {
        **os.environ,
        "STREAMLIT_SERVER_HEADLESS": "true",
        "DESTINATION__DUCKDB__CREDENTIALS": str(warehouse.path),
    }
    command = [sys.executable, "-m", "lac_connector", "dashboard", "--destination", "duckdb"]
    command += ["--dataset-name", warehouse.dataset, "--port", str(port)]
    with log.open("w") as out:
        proc = subprocess.Popen(
            command, cwd=log.parent, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
        )
    url = f"http://127.0.0.1:{port}"
    try:
        wait_healthy(url, proc, log)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=60)
        finally:
            left = _session_alive(proc.pid)
            if left:
                os.killpg(proc.pid, signal.SIGKILL)
        assert not left, "streamlit outlived its launcher's SIGTERM"


def _session_alive(pgid: int) -> bool:
    try:
        os.killpg(pgid, 0)
    except ProcessLookupError:
        return False
    return True


def wait_healthy(url: str, proc: subprocess.Popen, log: Path) -> None:
    """Poll Streamlit's health endpoint until it answers `ok` (the server is then serving)."""
    with httpx.Client(timeout=2) as client:
        for _ in range(600):
            if proc.poll() is not None:
                pytest.fail(f"streamlit exited with {proc.returncode}: {log.read_text()[-2000:]}")
            try:
                if client.get(f"{url}/_stcore/health").text == "ok":
                    return
            except httpx.TransportError:
                pass
            try:
                proc.wait(timeout=0.1)  # a bounded wait for the server to come up, not a race cover
            except subprocess.TimeoutExpired:
                pass
    pytest.fail(f"streamlit at {url} never became healthy: {log.read_text()[-2000:]}")


def require_chromium() -> Path:
    """Debian's chromium: CI must have it (.ci/run installs it); locally its absence skips."""
    if CHROMIUM.is_file():
        return CHROMIUM
    reason = f"{CHROMIUM} is missing (apt-get install -y chromium)"
    if os.environ.get("CI"):
        pytest.fail(f"CI needs headless Chromium: {reason}")
    pytest.skip(reason)


def artifacts_dir() -> Path:
    """Where browser tests save screenshots: $LAC_ARTIFACTS_DIR, else `test-artifacts/`."""
    folder = Path(os.environ.get("LAC_ARTIFACTS_DIR") or REPO / "test-artifacts")
    folder.mkdir(parents=True, exist_ok=True)
    return folder
