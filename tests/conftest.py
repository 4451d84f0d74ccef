"""Shared fixtures. `sandbox`: a started LAC sandbox (override config via @pytest.mark.sandbox_config).

Every test that reaches PostgreSQL must carry the `postgres` marker (so `-m postgres` and
`-m "not postgres"` select exactly those): one without it fails when it asks for PostgreSQL
through `support.make_target` / `support.require_postgres`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import support

_require_postgres = support.require_postgres


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "sandbox_config(**kwargs): SandboxConfig overrides for the `sandbox` fixture"
    )


# `make test` hands whole files to pytest-xdist workers in collection order (--dist loadfile),
# except the dashboard's files, which go to one worker together (`pytest_xdist_make_scheduler`):
# they share one session-scoped `lac demo` run. The slowest files (dbt builds, whole `lac run`s)
# go first so that no worker ends the suite alone with one of them. Measured with `make test`'s
# --durations; a file not listed keeps its place after; a folder entry ends with "/".
SLOW_FIRST = (  # by measured seconds per file (or folder), most first
    "transforms/test_transforms_random_shapes.py",
    "dashboard/",
    "transforms/test_transforms_marts.py",
    "lac_source/test_keys_acceptance.py",
    "pipelines/test_cli.py",
    "reliability/test_reliability_crashes.py",
    "ledgerlou_source/test_reliability.py",
    "pipelines/test_first_hour.py",
    "transforms/test_transforms_staging.py",
    "transforms/test_transforms_honest.py",
    "transforms/test_transforms_ledgerlou.py",
    "transforms/test_transforms_anchors.py",
    "lac_source/test_books.py",
    "transforms/test_transforms_ledgerlou_anchors.py",
    "reliability/test_reliability_faults.py",
    "ledgerlou_source/test_shapes.py",
    "orchestration/test_dagster.py",
    "transforms/test_transforms_ledgerlou_entries.py",
)
TOGETHER = ("tests/dashboard/",)  # folders whose files run on one xdist worker


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    here = Path(__file__).parent

    def slowness(item: pytest.Item) -> int:
        path = Path(str(item.path)).relative_to(here).as_posix()
        ranks = (
            i
            for i, entry in enumerate(SLOW_FIRST)
            if path == entry or path.startswith(entry) and entry.endswith("/")
        )
        return next(ranks, len(SLOW_FIRST))

    items.sort(key=slowness)  # stable: the order within a file and among the others is kept


def pytest_xdist_make_scheduler(config: pytest.Config, log: Any) -> Any:
    """`--dist loadfile`, except that each folder of `TOGETHER` is one unit of work."""
    if config.getvalue("dist") != "loadfile":
        return None
    from xdist.scheduler import LoadFileScheduling

    class LoadFileOrFolder(LoadFileScheduling):
        def _split_scope(self, nodeid: str) -> str:
            path = nodeid.split("::", 1)[0]
            return next((folder for folder in TOGETHER if path.startswith(folder)), path)

    return LoadFileOrFolder(config, log)


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item: pytest.Item) -> None:
    """Before any fixture of `item` (module-scoped ones included) is set up."""
    if item.get_closest_marker("postgres"):
        support.require_postgres = _require_postgres
        return

    def unmarked() -> None:
        pytest.fail(f"{item.nodeid} uses PostgreSQL but has no @pytest.mark.postgres marker", pytrace=False)

    support.require_postgres = unmarked


@pytest.fixture
def sandbox(request: pytest.FixtureRequest):
    """A started small Sandbox (months=14, rows_per_month=120); `.server.base_url` is the API root."""
    from lac_sandbox import Sandbox, SandboxConfig

    kwargs: dict = {"months": 14, "rows_per_month": 120}
    # Every sandbox_config marker applies (e.g. one on a parameter, one on the test); closer wins.
    for marker in reversed(list(request.node.iter_markers("sandbox_config"))):
        kwargs.update(marker.kwargs)
    sb = Sandbox(SandboxConfig(**kwargs))
    with sb.serve():
        yield sb
    # The connector is read-only: outside the sandbox's own tests (which send writes on purpose)
    # every request a test made must have been a GET.
    if "lac_sandbox" not in Path(str(request.node.path)).relative_to(Path(__file__).parent).parts[:1]:
        writes = [f"{r.method} {r.path}" for r in sb.requests if r.method != "GET"]
        assert writes == [], f"non-GET requests were sent: {writes[:5]}"
