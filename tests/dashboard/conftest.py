"""Dashboard fixtures: a demo warehouse (`lac demo`), the AppTest environment, headless Chromium."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from typing import Any

import pytest
from dashboard.helpers import BIN, CHROMIUM_ARGS, DemoRun, DuckWarehouse, require_chromium


@pytest.fixture(autouse=True)
def keep_main_module() -> Iterator[None]:
    """AppTest runs the app as `__main__` and leaves it in `sys.modules`: a later test in the same
    process that starts `multiprocessing` children (Dagster's executor) would re-run the app in them."""
    main = sys.modules["__main__"]
    yield
    sys.modules["__main__"] = main


@pytest.fixture(scope="session")
def demo_run(tmp_path_factory: pytest.TempPathFactory) -> DemoRun:
    """`lac demo` run once per session, as `make demo` does: in a fresh folder (it writes
    `lac_demo.duckdb` and `.lac_demo/` there), with no `SOURCES__`/`DESTINATION__`/`DLT_` settings.
    conftest.py's scheduler keeps every dashboard test on one xdist worker, so this runs once."""
    folder = tmp_path_factory.mktemp("demo")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SOURCES__", "DESTINATION__", "DLT_"))}
    done = subprocess.run(
        [str(BIN / "lac"), "demo"], cwd=folder, env=env, capture_output=True, text=True, timeout=600
    )
    return DemoRun(folder, done.returncode, done.stdout, done.stderr)


@pytest.fixture(scope="session")
def demo_warehouse(demo_run: DemoRun) -> DuckWarehouse:
    """The demo warehouse, its marts read as the app shows them by default: the LAC company's rows."""
    assert demo_run.returncode == 0, demo_run.stderr
    return DuckWarehouse(demo_run.folder / "lac_demo.duckdb", source_system="lac")


@pytest.fixture
def app_env(demo_warehouse: DuckWarehouse, monkeypatch: pytest.MonkeyPatch) -> DuckWarehouse:
    """The AppTest app reads the demo warehouse."""
    for name, value in demo_warehouse.env().items():
        monkeypatch.setenv(name, value)
    return demo_warehouse


@pytest.fixture
def browser() -> Iterator[Any]:
    """Headless Debian Chromium driven by Playwright (Playwright never downloads a browser here)."""
    executable = require_chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(executable), args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()
