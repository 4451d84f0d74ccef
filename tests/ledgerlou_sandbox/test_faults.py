"""Faults, latency and fail paths come from the shared server and stay deterministic per seed."""

from __future__ import annotations

import time

import httpx
import pytest

from ledgerlou_sandbox import Sandbox, SandboxConfig

SMALL = {"months": 3, "bookings_per_month": 10}


_CLIENTS: dict[int, httpx.Client] = {}


def _get(sb: Sandbox, path: str, **params) -> httpx.Response:
    """GET with one keep-alive client per sandbox (closed with the server's port going away)."""
    c = _CLIENTS.get(id(sb))
    if c is None or c.base_url != httpx.URL(sb.server.base_url):
        c = _CLIENTS[id(sb)] = httpx.Client(
            base_url=sb.server.base_url,
            timeout=10,
            headers={"Authorization": f"Bearer {sb.api_key(sb.tenant_ids[0])}"},
        )
    return c.get(path, params=params)


@pytest.fixture(autouse=True)
def _close_clients():
    yield
    for c in _CLIENTS.values():
        c.close()
    _CLIENTS.clear()


@pytest.mark.parametrize("kind", ["429", "500", "502", "503"])
def test_status_faults_then_recovery(kind):
    sb = Sandbox(
        SandboxConfig(
            fault_rate=1.0, fault_kinds=(kind,), fault_max_per_url=2, retry_after_seconds=3, **SMALL
        )
    )
    with sb.serve():
        r1, r2, r3 = (_get(sb, "/v1/tax-codes") for _ in range(3))
        for r in (r1, r2):
            assert r.status_code == int(kind) and set(r.json()) == {"error", "detail"}
            if kind == "429":
                assert r.headers["Retry-After"] == "3"
        assert r3.status_code == 200 and len(r3.json()["tax_codes"]) == 8
        assert [rec.fault for rec in sb.requests] == [kind, kind, None]
        assert sb.request_count("/v1/tax-codes") == 3


@pytest.mark.parametrize("kind", ["drop", "truncate"])
def test_transport_faults(kind):
    sb = Sandbox(SandboxConfig(fault_rate=1.0, fault_kinds=(kind,), fault_max_per_url=1, **SMALL))
    with sb.serve():
        with pytest.raises(httpx.TransportError):
            _get(sb, "/v1/journal", limit="50")
        ok = _get(sb, "/v1/journal", limit="50")
        assert ok.status_code == 200 and len(ok.json()["entries"]) == 50
        rec = sb.requests[0]
        assert rec.fault == kind and rec.status == (0 if kind == "drop" else 200)
        assert sb.request_count("/v1/journal", limit="50") == 2


def test_slow_fault_and_latency():
    sb = Sandbox(
        SandboxConfig(fault_rate=1.0, fault_kinds=("slow",), slow_seconds=0.3, latency_ms=50, **SMALL)
    )
    with sb.serve():
        assert _get(sb, "/v1/inbox/address").status_code == 200
        rec = sb.requests[0]
        assert rec.fault == "slow" and rec.finished - rec.started >= 0.35


def test_faults_are_deterministic_per_seed():
    def run(seed: int) -> list:
        sb = Sandbox(
            SandboxConfig(fault_rate=0.5, fault_seed=seed, fault_kinds=("500", "503", "429"), **SMALL)
        )
        with sb.serve():
            for p in ("/v1/accounts", "/v1/customers", "/v1/periods", "/v1/tax-codes", "/v1/accounts"):
                _get(sb, p)
            for off in range(0, 120, 20):
                _get(sb, "/v1/bank-transactions", limit="20", offset=str(off))
        return [(r.path, tuple(sorted(r.query.items())), r.status, r.fault) for r in sb.requests]

    a, b, c = run(1), run(1), run(2)
    assert a == b and a != c
    assert any(x[3] for x in a) and any(x[3] is None for x in a)


def test_fail_paths_always_503():
    sb = Sandbox(SandboxConfig(fail_paths=(r"^/v1/journal\?.*startDate=2026-10",), **SMALL))
    with sb.serve():
        for _ in range(3):
            r = _get(sb, "/v1/journal", startDate="2026-10-01")
            assert r.status_code == 503 and r.json()["error"] == "service_unavailable"
        assert _get(sb, "/v1/journal", startDate="2026-09-01").status_code == 200
        assert {r.fault for r in sb.requests if r.query.get("startDate") == "2026-10-01"} == {"fail_path"}
        sb.reset_requests()
        assert sb.requests == [] and sb.request_count() == 0


def test_request_log_records_tenant():
    sb = Sandbox(SandboxConfig(**SMALL))
    t2 = sb.tenant_ids[1]
    with (
        sb.serve(),
        httpx.Client(base_url=sb.server.base_url, headers={"Authorization": f"Bearer {sb.api_key(t2)}"}) as c,
    ):
        assert c.get("/v1/periods").status_code == 200
        assert c.get("/v1/customers/nope").status_code == 404
    assert [(r.path, r.status, r.customer_id, r.method) for r in sb.requests] == [
        ("/v1/periods", 200, t2, "GET"),
        ("/v1/customers/nope", 404, t2, "GET"),
    ]
    assert time.monotonic() >= sb.requests[-1].finished
