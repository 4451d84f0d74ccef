"""Start the dashboard: `streamlit run app.py` with the warehouse passed in environment variables."""

from __future__ import annotations

import importlib.util
import os
import signal
import subprocess
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from lac_connector.dashboard.config import warehouse_env
from lac_connector.dashboard.warehouse import DESTINATIONS

APP_PATH = Path(__file__).with_name("app.py")
EXIT_CONFIG = 2

# Streamlit settings the dashboard always runs with: served on this machine only (company books
# are not for the whole network; this also skips Streamlit's external-IP lookup), no usage
# statistics sent anywhere, no file watcher (installed code, not edited live), no Deploy button.
STREAMLIT_FLAGS = (
    "--server.address=127.0.0.1",
    "--browser.gatherUsageStats=false",
    "--server.fileWatcherType=none",
    "--client.toolbarMode=viewer",
)


def streamlit_command(port: int | None = None) -> list[str]:
    """The `streamlit run` command line; it carries no credentials."""
    command = [sys.executable, "-m", "streamlit", "run", str(APP_PATH), *STREAMLIT_FLAGS]
    if port is not None:
        command.append(f"--server.port={port}")
    return command


def launch(destination: str, credentials: str, dataset: str, port: int | None = None) -> int:
    """Serve the dashboard until interrupted; returns the exit code (2 with a one-line error on bad config).

    `credentials` is the DuckDB file path or the PostgreSQL connection URL; it reaches the app in
    its environment only.
    """
    problem = config_problem(destination, credentials, dataset)
    if problem:
        print(f"lac: error: {problem}", file=sys.stderr)
        return EXIT_CONFIG
    env = {**os.environ, **warehouse_env(destination, credentials, dataset)}
    server = subprocess.Popen(streamlit_command(port), env=env)
    with _forward_sigterm(server):
        try:
            return server.wait()
        except KeyboardInterrupt:  # the terminal sent Ctrl-C to streamlit too; let it finish
            server.wait()
            return 130


@contextmanager
def _forward_sigterm(server: subprocess.Popen) -> Iterator[None]:
    """While serving, a SIGTERM to this process (a service manager, a test) stops streamlit too."""
    if threading.current_thread() is not threading.main_thread():  # signals reach the main thread only
        yield
        return
    previous = signal.signal(signal.SIGTERM, lambda *_: server.terminate())
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def config_problem(destination: str, credentials: str, dataset: str) -> str | None:
    """What to fix before the dashboard can start, or None."""
    if importlib.util.find_spec("streamlit") is None or importlib.util.find_spec("altair") is None:
        return "the dashboard needs its extra: pip install 'lac-connector[dashboard]'"
    if destination not in DESTINATIONS:
        return f"the dashboard reads {' or '.join(DESTINATIONS)} warehouses, not {destination!r}"
    if not dataset:
        return "no dataset name given"
    if not credentials:
        if destination == "postgres":
            return "no PostgreSQL credentials: set DESTINATION__POSTGRES__CREDENTIALS"
        return "no DuckDB file given"
    if destination == "duckdb" and not Path(credentials).is_file():
        return f"DuckDB file {credentials} does not exist: run `lac run` (or `lac demo`) first"
    return None
