"""Driving the served dashboard in headless Chromium: open a page, wait for script runs, read KPIs."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

TIMEOUT_MS = 60_000
APP = '[data-testid="stApp"]'
ERROR = '[data-testid="stException"]'

# Counts finished script runs: the app root's `data-test-script-state` leaving `running`.
_COUNT_RUNS = """() => {
  if (window.__lacRuns !== undefined) return;
  window.__lacRuns = 0;
  const app = document.querySelector('[data-testid="stApp"]');
  new MutationObserver(records => {
    for (const r of records) if (r.oldValue === 'running') window.__lacRuns += 1;
  }).observe(app, {attributes: true, attributeOldValue: true, attributeFilter: ['data-test-script-state']});
}"""
# Every element drawn: no loading skeleton left, charts and tables on their canvases.
_DRAWN = """() => !document.querySelector('[data-testid="stSkeleton"]')
  && [...document.querySelectorAll('[data-testid="stVegaLiteChart"]')]
    .every(c => c.querySelector('canvas, svg'))
  && [...document.querySelectorAll('[data-testid="stDataFrame"]')].every(t => t.querySelector('canvas'))"""


def open_page(page: Any, url: str) -> None:
    """Load `url` and wait until its first script run has finished and everything is drawn."""
    page.goto(url)
    page.wait_for_selector(f'{APP}[data-test-script-state="notRunning"]', timeout=TIMEOUT_MS)
    page.wait_for_function(_DRAWN, timeout=TIMEOUT_MS)
    page.evaluate(_COUNT_RUNS)


def after_run(page: Any, action: Callable[[], None]) -> None:
    """Do `action` (e.g. a click) and wait until the script run it causes has finished."""
    before = page.evaluate("window.__lacRuns")
    action()
    page.wait_for_function("n => window.__lacRuns > n", arg=before, timeout=TIMEOUT_MS)


def refresh(page: Any) -> None:
    """Press the sidebar's Refresh data (the app re-reads the warehouse) and wait for the run."""
    after_run(page, lambda: page.get_by_role("button", name="Refresh data").click())


def metric_value(page: Any, label: str) -> str:
    box = page.locator('[data-testid="stMetric"]').filter(has_text=label)
    return box.locator('[data-testid="stMetricValue"]').inner_text().strip()


def errors(page: Any) -> list[str]:
    return [e.inner_text() for e in page.locator(ERROR).all()]


def warnings(page: Any) -> list[str]:
    return [a.inner_text() for a in page.locator('[data-testid="stAlertContentWarning"]').all()]
