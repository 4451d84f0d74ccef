"""Fixtures of the LedgerLou source tests: served sandboxes and one clean reference history."""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

# `tests/` is on the path, but this folder's name is the source package's: import helpers by file.
sys.path.insert(0, str(Path(__file__).parent))

from llsupport import WORLD, landed, landing_of, ll_sync, requests_by_endpoint, snapshot  # noqa: E402
from support import Target, make_target  # noqa: E402

from ledgerlou_sandbox import Sandbox, SandboxConfig  # noqa: E402


def assert_only_gets(sandbox: Sandbox) -> None:
    writes = [f"{r.method} {r.path}" for r in sandbox.requests if r.method != "GET"]
    assert writes == [], f"non-GET requests were sent: {writes[:5]}"


@pytest.fixture
def world(request: pytest.FixtureRequest):
    """A served sandbox of `WORLD` (override with `@pytest.mark.world(**knobs)`); only GETs allowed."""
    marker = request.node.get_closest_marker("world")
    sb = Sandbox(SandboxConfig(**{**WORLD, **(marker.kwargs if marker else {})}))
    with sb.serve():
        yield sb
    assert_only_gets(sb)


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "world(**knobs): SandboxConfig overrides for the `world` fixture")


@dataclass
class Reference:
    """A clean history of `WORLD`: full sync, `advance()`, incremental sync (DuckDB)."""

    sandbox: Sandbox
    target: Target
    full: dict[str, Any]  # snapshot after the full sync
    full_files: dict[str, str]
    changes: dict[str, Any]  # what advance() changed
    incremental: dict[str, Any]  # snapshot after the incremental sync
    incremental_files: dict[str, str]
    incremental_requests: Any  # Counter of requests per reference endpoint
    incremental_run_id: str
    extra: dict[str, Any] = field(default_factory=dict)


@pytest.fixture(scope="session")
def reference(tmp_path_factory: pytest.TempPathFactory) -> Reference:
    workdir: Path = tmp_path_factory.mktemp("ll_reference")
    sb = Sandbox(SandboxConfig(**WORLD))
    target = make_target("duckdb", workdir)
    with sb.serve():
        ll_sync(sb, target)
        full, full_files = snapshot(target), landed(landing_of(target))
        changes = sb.advance()
        sb.reset_requests()
        summary = ll_sync(sb, target)
        requests = requests_by_endpoint(sb)
        incremental, incremental_files = snapshot(target), landed(landing_of(target))
    assert_only_gets(sb)
    return Reference(
        sb, target, full, full_files, changes, incremental, incremental_files, requests, summary.run_id
    )
