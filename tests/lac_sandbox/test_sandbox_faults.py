"""Deterministic fault injection, latency, fail_paths and the request log."""

from __future__ import annotations

import time

import httpx
import pytest

from lac_sandbox import Sandbox, SandboxConfig


def _get(sb: Sandbox, path: str, **params) -> httpx.Response:
    with httpx.Client(
        base_url=sb.server.base_url,
        timeout=10,
        headers={"Authorization": f"Bearer {sb.read_key(sb.customer_ids[0])}"},
    ) as c:
        return c.get(path, params=params)


@pytest.mark.parametrize("kind", ["429", "500", "502", "503"])
def test_status_faults_then_recovery(kind):
    sb = Sandbox(
        SandboxConfig(fault_rate=1.0, fault_kinds=(kind,), fault_max_per_url=2, retry_after_seconds=3)
    )
    with sb.serve():
        r1, r2, r3 = (_get(sb, "/company") for _ in range(3))
        for r in (r1, r2):
            assert r.status_code == int(kind) and set(r.json()) == {"error", "detail"}
            if kind == "429":
                assert r.headers["Retry-After"] == "3"
        assert r3.status_code == 200
        assert _get(sb, "/company").status_code == int(kind)  # streak restarts after a success
        assert [rec.fault for rec in sb.requests] == [kind, kind, None, kind]
        assert sb.request_count("/company") == 4
        assert all(rec.finished >= rec.started for rec in sb.requests)


@pytest.mark.parametrize("kind", ["drop", "truncate"])
def test_transport_faults(kind):
    sb = Sandbox(SandboxConfig(fault_rate=1.0, fault_kinds=(kind,), fault_max_per_url=1))
    with sb.serve():
        with pytest.raises(httpx.TransportError):
            _get(sb, "/sheet", tab="books", range="2026-10", limit="50")
        ok = _get(sb, "/sheet", tab="books", range="2026-10", limit="50")
        assert ok.status_code == 200 and len(ok.json()["rows"]) == 50
        rec = sb.requests[0]
        assert rec.fault == kind and rec.status == (0 if kind == "drop" else 200)
        assert sb.request_count("/sheet", tab="books", range="2026-10") == 2


def test_slow_fault_and_latency():
    sb = Sandbox(SandboxConfig(fault_rate=1.0, fault_kinds=("slow",), slow_seconds=0.3, latency_ms=50))
    with sb.serve():
        t0 = time.monotonic()
        assert _get(sb, "/company").status_code == 200
        assert time.monotonic() - t0 >= 0.35
        rec = sb.requests[0]
        assert rec.fault == "slow" and rec.finished - rec.started >= 0.35


def test_faults_are_deterministic_per_seed():
    def run(seed: int) -> list:
        sb = Sandbox(SandboxConfig(fault_rate=0.5, fault_seed=seed, fault_kinds=("500", "503", "429")))
        with sb.serve():
            for p in ("/company", "/invoices", "/messages", "/uploads", "/company", "/company"):
                _get(sb, p)
            for off in range(0, 120, 20):
                _get(sb, "/sheet", tab="books", range="2026-09", limit="20", offset=str(off))
        return [(r.path, tuple(sorted(r.query.items())), r.status, r.fault) for r in sb.requests]

    a, b, c = run(1), run(1), run(2)
    assert a == b
    assert a != c
    assert any(x[3] for x in a) and any(x[3] is None for x in a)


def test_fail_paths_always_503():
    sb = Sandbox(SandboxConfig(fail_paths=(r"^/sheet\?.*range=2026-10",)))
    with sb.serve():
        for _ in range(5):
            r = _get(sb, "/sheet", tab="books", range="2026-10")
            assert r.status_code == 503 and r.json()["error"] == "service_unavailable"
        assert _get(sb, "/sheet", tab="books", range="2026-09").status_code == 200
        assert sb.request_count("/sheet", range="2026-10") == 5
        assert {r.fault for r in sb.requests if r.query.get("range") == "2026-10"} == {"fail_path"}
        sb.reset_requests()
        assert sb.requests == [] and sb.request_count() == 0


def test_request_log_records_customer(sandbox, norm):
    with norm.client_for(sandbox, sandbox.session_token) as s:
        s.get("/company", params={"customer_id": sandbox.customer_ids[1]})
    rec = sandbox.requests[-1]
    assert rec.customer_id == sandbox.customer_ids[1] and rec.status == 200 and rec.method == "GET"
    assert sandbox.request_count("/company", customer_id=sandbox.customer_ids[1]) == 1
