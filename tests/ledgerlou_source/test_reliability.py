"""Faults and kills: a LedgerLou sync that meets 20 % transient faults, or is SIGKILLed at extract,
normalize or load and run again, leaves exactly the warehouse and files of one clean run."""

from pathlib import Path

import pytest
from llsupport import CLI_ARGS, WORLD, cli_env, diff, landed, landing_of, ll_sync, run_cli, snapshot
from support import Target, make_target

from lac_connector.kit.landing import PART_MARKER
from ledgerlou_sandbox import Sandbox, SandboxConfig

FAULTS = {
    "fault_rate": 0.2,
    "fault_kinds": ("429", "500", "502", "503", "drop", "truncate"),
    "fault_max_per_url": 2,
    "retry_after_seconds": 1,
}


def test_twenty_percent_faults_give_exactly_the_clean_warehouse(reference, tmp_path):
    sb = Sandbox(SandboxConfig(**WORLD, **FAULTS))
    target = make_target("duckdb", tmp_path)
    with sb.serve():
        ll_sync(sb, target, max_attempts=4, backoff_max=0.2)
        assert diff(snapshot(target), reference.full) == []
        assert landed(landing_of(target)) == reference.full_files
        assert sb.advance() == reference.changes
        ll_sync(sb, target, max_attempts=4, backoff_max=0.2)
        assert diff(snapshot(target), reference.incremental) == []
        assert landed(landing_of(target)) == reference.incremental_files
    faults = [r for r in sb.requests if r.fault]
    kinds = {r.fault for r in faults}
    assert {"429", "drop", "truncate"} <= kinds and kinds & {"500", "502", "503"}, kinds
    assert len(faults) >= 0.1 * len(sb.requests)
    assert {r.method for r in sb.requests} == {"GET"}


@pytest.mark.parametrize("point", ["extract", "normalize", "load"])
def test_killed_run_then_rerun_equals_one_clean_run(reference, tmp_path, point):
    sb = Sandbox(SandboxConfig(**WORLD))
    with sb.serve():
        env = cli_env(sb, tmp_path)
        killed = run_cli(CLI_ARGS, env, tmp_path, crash_point=point)
        assert killed.returncode == -9, (killed.returncode, killed.stderr[-2000:])
        rerun = run_cli(CLI_ARGS, env, tmp_path)
        assert rerun.returncode == 0, rerun.stderr[-3000:]
    if point in ("normalize", "load"):
        assert "finished an interrupted run first" in rerun.stdout
    target = Target("duckdb", str(tmp_path / "warehouse.duckdb"), "lac", str(tmp_path / "dlt"))
    assert diff(snapshot(target), reference.full) == []
    assert landed(tmp_path / "landing") == reference.full_files
    assert not [p for p in Path(tmp_path / "landing").rglob("*") if PART_MARKER in p.name]
    assert {r.method for r in sb.requests} == {"GET"}
