"""`lac run` SIGKILLed at each step, then re-run: the result equals one clean run exactly.

A real `lac run` subprocess (tests/reliability/crash_run.py) kills itself with SIGKILL during
extract, normalize, load, transforms or a file download. The next plain `lac run` must finish
the left-behind dlt package (run_sync's pending-package handling) and leave the warehouse, the
landed files and `landed_files` exactly as one clean run against the same sandbox does.

The marts are rebuilt in full from the loaded tables by every build, so the kills before the
transforms run `lac run --no-transforms` and compare the loaded tables; the kill during the
transforms runs them and compares every table, the transforms' included.
"""

from pathlib import Path

import pytest
from reliability.helpers import (
    diff_snapshots,
    duckdb_snapshot,
    lac_env,
    landed_files,
    landed_files_rows,
    run_lac,
)

from lac_connector.kit.landing import PART_MARKER
from lac_sandbox import Sandbox, SandboxConfig

DATASET = "lac_dataset"
CONFIG = {"companies": 1, "months": 4, "rows_per_month": 300, "invoices": 10}


@pytest.fixture(scope="module")
def world():
    sb = Sandbox(SandboxConfig(**CONFIG))
    with sb.serve():
        yield sb
    assert {r.method for r in sb.requests} == {"GET"}


def _env(sb: Sandbox, workdir: Path) -> dict[str, str]:
    today = sb.cfg.today
    return lac_env(
        sb.server.base_url, sb.read_key(sb.customer_ids[0]), f"{today.year:04d}-{today.month:02d}", workdir
    )


def _run_args(point: str | None) -> list[str]:
    """`run`, or `run --no-transforms` where the kill comes before the transforms."""
    return ["run"] if point == "transforms" else ["run", "--no-transforms"]


def _outcome(workdir: Path) -> tuple:
    warehouse = workdir / "warehouse.duckdb"
    return (
        duckdb_snapshot(warehouse, DATASET, snapshots_as_sets=True),
        landed_files(workdir / "landing"),
        landed_files_rows(warehouse, DATASET),
    )


@pytest.fixture(scope="module")
def clean_runs(world, tmp_path_factory) -> dict[str, tuple]:
    """One clean sync's outcome ("loaded"), then the same after `lac transform` ("transformed")."""
    workdir = tmp_path_factory.mktemp("clean")
    env = _env(world, workdir)
    result = run_lac(_run_args(None), env, workdir)
    assert result.returncode == 0, result.stderr
    loaded = _outcome(workdir)
    result = run_lac(["transform"], env, workdir)
    assert result.returncode == 0, result.stderr
    transformed = _outcome(workdir)
    assert set(transformed[0]) > set(loaded[0]), "the transforms built no table"
    return {"loaded": loaded, "transformed": transformed}


@pytest.mark.parametrize("point", ["extract", "normalize", "load", "transforms", "download"])
def test_killed_run_then_rerun_equals_one_clean_run(world, clean_runs, tmp_path, point):
    env = _env(world, tmp_path)
    clean_run = clean_runs["transformed" if point == "transforms" else "loaded"]
    killed = run_lac(_run_args(point), env, tmp_path, crash_point=point)
    assert killed.returncode == -9, (killed.returncode, killed.stderr[-2000:])
    if point == "download":
        parts = [p for p in (tmp_path / "landing").rglob("*") if PART_MARKER in p.name]
        assert parts, "the kill should have left a partial download behind"

    rerun = run_lac(_run_args(point), env, tmp_path)
    assert rerun.returncode == 0, rerun.stderr
    if point in ("normalize", "load"):
        assert "finished an interrupted run first" in rerun.stdout

    got = _outcome(tmp_path)
    assert diff_snapshots(got[0], clean_run[0]) == []
    assert got[1] == clean_run[1], "landed files (names or bytes) differ from a clean run"
    assert got[2] == clean_run[2], "landed_files rows differ from a clean run"
    assert not [p for p in (tmp_path / "landing").rglob("*") if PART_MARKER in p.name]
    pipeline_dir = tmp_path / "dlt" / "pipelines" / "lac"
    # Load packages are folders; a killed dlt may leave a zero-byte temporary file, which is no package.
    leftovers = [
        p
        for sub in ("normalize/extracted", "load/new", "load/normalized")
        for p in (pipeline_dir / sub).glob("*")
        if p.is_dir()
    ]
    assert leftovers == [], "a dlt package is still pending after the re-run"


def test_two_concurrent_runs_one_refuses_and_the_result_equals_a_clean_run(world, clean_runs, tmp_path):
    """Both start at once; the winner holds the lock while its /sheet requests are held back."""
    import subprocess
    import threading
    import time

    from reliability.helpers import lac_command

    gate, first_sheet = threading.Event(), threading.Event()
    decide = world.faults.decide

    def gated(method, path, query):
        if path == "/sheet":
            first_sheet.set()  # requested from inside the run lock: the lock is taken
            gate.wait(timeout=120)
        return decide(method, path, query)

    world.faults.decide = gated
    env = _env(world, tmp_path)
    try:
        procs = [
            subprocess.Popen(
                lac_command(*_run_args(None)),
                env=env,
                cwd=tmp_path,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
            )
            for _ in range(2)
        ]
        assert first_sheet.wait(timeout=120), "no run reached the API's /sheet"
        # The run without the lock fails on it while the other is held at /sheet.
        loser_index, deadline = None, time.monotonic() + 240
        while loser_index is None and time.monotonic() < deadline:
            for i, proc in enumerate(procs):
                try:
                    proc.wait(timeout=0.2)
                    loser_index = i
                    break
                except subprocess.TimeoutExpired:
                    continue
        assert loser_index is not None, "neither run finished while the other held the lock"
        gate.set()
        outputs = [proc.communicate(timeout=240) for proc in procs]
    finally:
        gate.set()
        world.faults.decide = decide
    loser, winner = procs[loser_index], procs[1 - loser_index]
    assert loser.returncode == 2, outputs[loser_index][1]
    assert "another run of pipeline 'lac' is in progress" in outputs[loser_index][1]
    assert winner.returncode == 0, outputs[1 - loser_index][1]
    got, clean_run = _outcome(tmp_path), clean_runs["loaded"]
    assert diff_snapshots(got[0], clean_run[0]) == []
    assert got[1:] == clean_run[1:]
