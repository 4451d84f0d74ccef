"""Dashboard fixtures: a demo warehouse (`lac demo`), the AppTest environment, headless Chromium."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from typing import Any

import pytest
from dashboard.helpers import BIN, CHROMIUM_ARGS, DuckWarehouse, require_chromium


@pytest.fixture(autouse=True)
def keep_main_module() -> Iterator[None]:
    """AppTest runs the app as `__main__` and leaves it in `sys.modules`: a later test in the same
    process that starts `multiprocessing` children (Dagster's executor) would re-run the app in them."""
    main = sys.modules["__main__"]
    yield
    sys.modules["__main__"] = main


@pytest.fixture(scope="session")
def demo_warehouse(tmp_path_factory: pytest.TempPathFactory) -> DuckWarehouse:
    """`lac demo` run once per session in its own folder (it writes `.lac_demo/` in its cwd)."""
    folder = tmp_path_factory.mktemp("demo")
    done = subprocess.run(
        [str(BIN / "lac"), "demo", "--duckdb", str(folder / "demo.duckdb")],
        cwd=folder,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stderr
    return DuckWarehouse(folder / "demo.duckdb")


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
