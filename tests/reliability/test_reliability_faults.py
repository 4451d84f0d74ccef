"""Transient faults over loopback: retried to the exact fault-free result; budget exhaustion is clean."""

from collections import defaultdict
from dataclasses import replace
from pathlib import Path

import pytest
from reliability.helpers import diff_snapshots, duckdb_snapshot, landed_files, landed_files_rows
from support import make_target, sync

from lac_sandbox import Sandbox, SandboxConfig
from lac_sandbox.faults import FaultPlan

MODEST = {"companies": 1, "months": 6, "rows_per_month": 300, "invoices": 20}


def _state_of(target, landing: Path) -> tuple:
    return (
        duckdb_snapshot(target.credentials, target.dataset),
        landed_files(landing),
        landed_files_rows(target.credentials, target.dataset),
    )


def _assert_same(got: tuple, want: tuple) -> None:
    assert diff_snapshots(got[0], want[0]) == []
    assert got[1] == want[1], "landed files differ"
    assert got[2] == want[2], "landed_files rows differ"


def _retries_by_url(records) -> dict[tuple, list]:
    by_url = defaultdict(list)
    for rec in records:
        by_url[(rec.method, rec.path, tuple(sorted(rec.query.items())))].append(rec)
    return by_url


@pytest.mark.sandbox_config(
    **MODEST,
    fault_rate=0.2,
    fault_kinds=("429", "500", "502", "503", "drop", "truncate"),
    fault_max_per_url=2,
    retry_after_seconds=1,
)
def test_twenty_percent_faults_give_exactly_the_fault_free_warehouse(sandbox, tmp_path):
    clean_sb = Sandbox(SandboxConfig(**MODEST))
    faulty, clean = make_target("duckdb", tmp_path / "faulty"), make_target("duckdb", tmp_path / "clean")
    for t in (faulty, clean):
        Path(t.pipelines_dir).parent.mkdir(parents=True, exist_ok=True)
    with clean_sb.serve():
        for step in ("full", "incremental"):
            if step == "incremental":
                assert sandbox.advance() == clean_sb.advance()
            sync(sandbox, faulty, max_attempts=4, landing_url=str(tmp_path / "faulty" / "landing"))
            sync(clean_sb, clean, landing_url=str(tmp_path / "clean" / "landing"))
            got = _state_of(faulty, tmp_path / "faulty" / "landing")
            want = _state_of(clean, tmp_path / "clean" / "landing")
            _assert_same(got, want)
            assert sum(len(rows) for rows in got[0].values()) > 3000, step  # a real warehouse, not empty
    faults = [r for r in sandbox.requests if r.fault]
    kinds = {r.fault for r in faults}
    assert {"429", "drop", "truncate"} <= kinds and kinds & {"500", "502", "503"}, kinds
    assert len(faults) >= 0.1 * len(sandbox.requests)
    # Every faulted URL was asked again and finally answered 200.
    by_url = _retries_by_url(sandbox.requests)
    for rec in faults:
        later = by_url[(rec.method, rec.path, tuple(sorted(rec.query.items())))]
        assert any(r.started > rec.started and r.status == 200 and not r.fault for r in later), rec


@pytest.mark.sandbox_config(
    companies=1, months=3, rows_per_month=50, fault_rate=0.3, fault_kinds=("429",), retry_after_seconds=1
)
def test_retry_after_is_honoured_as_seen_by_the_server(sandbox, tmp_path):
    target = make_target("duckdb", tmp_path)
    sync(sandbox, target, resources=["company", "books_rows", "analytics", "statement_lines"])
    by_url = _retries_by_url(sandbox.requests)
    throttled = [r for r in sandbox.requests if r.fault == "429"]
    assert len(throttled) >= 3
    for rec in throttled:
        url = (rec.method, rec.path, tuple(sorted(rec.query.items())))
        attempts = sorted(by_url[url], key=lambda r: r.started)
        following = [r for r in attempts if r.started > rec.started]
        assert following, f"{rec.path} {rec.query} was never retried"
        # `finished` is taken just before the 429 goes out: the retry waited at least Retry-After.
        assert following[0].started - rec.finished >= sandbox.cfg.retry_after_seconds, rec


@pytest.mark.sandbox_config(
    companies=1, months=3, rows_per_month=50, fault_rate=0.3, fault_kinds=("slow",), slow_seconds=1.5
)
def test_response_slower_than_the_read_timeout_is_retried(sandbox, tmp_path):
    target = make_target("duckdb", tmp_path)
    cid = sandbox.customer_ids[0]
    sync(sandbox, target, resources=["company", "books_rows"], read_timeout=0.4, max_attempts=4)
    slow = [r for r in sandbox.requests if r.fault == "slow"]
    assert slow, "no slow fault was injected"
    by_url = _retries_by_url(sandbox.requests)
    for rec in slow:
        later = by_url[(rec.method, rec.path, tuple(sorted(rec.query.items())))]
        # The slow answer was a 200, so only a client-side read timeout explains asking again.
        retry = [r for r in later if r.started > rec.started and r.status == 200 and not r.fault]
        assert retry, rec
    rows = dict(target.query("select period, count(*) from {ds}.books_rows group by 1"))
    truth = {p: sandbox.truth.sheet_totals(cid, "books", p)["rows"] for p in sandbox.truth.periods(cid)}
    assert rows == {p: n for p, n in truth.items() if n}


@pytest.mark.sandbox_config(companies=1, months=4, rows_per_month=60, invoices=10)
def test_exhausted_retry_budget_fails_cleanly_and_the_next_run_recovers(sandbox, tmp_path):
    sizes = ("companies", "months", "rows_per_month", "invoices")
    cfg = SandboxConfig(**{k: getattr(sandbox.cfg, k) for k in sizes})
    reference_sb = Sandbox(cfg)
    target, reference = make_target("duckdb", tmp_path / "t"), make_target("duckdb", tmp_path / "ref")
    for t in (target, reference):
        Path(t.pipelines_dir).parent.mkdir(parents=True, exist_ok=True)
    landing = str(tmp_path / "t" / "landing")
    sync(sandbox, target, landing_url=landing)
    first = duckdb_snapshot(target.credentials, target.dataset)

    assert sandbox.advance()  # upstream changes, so a half-loaded second run would show
    sandbox.faults = FaultPlan(replace(sandbox.cfg, fail_paths=(r"^/sheet\?.*range=2026-10&tab=vat$",)))
    with pytest.raises(Exception) as info:
        sync(sandbox, target, landing_url=landing, max_attempts=2)
    message = str(info.value)
    assert "GET /sheet" in message and "range=2026-10" in message and "tab=vat" in message, message
    assert "still failing after 2 attempts" in message
    assert diff_snapshots(duckdb_snapshot(target.credentials, target.dataset), first) == []
    status, error = target.query("select status, error from {ds}.sync_runs order by started_at")[-1]
    assert status == "failed" and "range=2026-10" in error

    sandbox.faults = FaultPlan(sandbox.cfg)
    sync(sandbox, target, landing_url=landing)
    with reference_sb.serve():
        sync(reference_sb, reference, landing_url=str(tmp_path / "ref" / "landing"))
        reference_sb.advance()
        sync(reference_sb, reference, landing_url=str(tmp_path / "ref" / "landing"))
    got = duckdb_snapshot(target.credentials, target.dataset)
    assert diff_snapshots(got, duckdb_snapshot(reference.credentials, reference.dataset)) == []
    assert landed_files(Path(landing)) == landed_files(tmp_path / "ref" / "landing")
