"""Shared fixtures. `sandbox`: a started LAC sandbox (override config via @pytest.mark.sandbox_config)."""

from __future__ import annotations

from pathlib import Path

import pytest


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "sandbox_config(**kwargs): SandboxConfig overrides for the `sandbox` fixture"
    )


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
