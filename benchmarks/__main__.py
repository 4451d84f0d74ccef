"""`python -m benchmarks [--workloads W1,W2,...,L1] [--scale 0.1] [--shapes flat,nested] [--contenders ...]`.

Per workload family and shape one sandbox process is started (W1, W3 and W4 share one, so W3/W4
run incrementally on W1's pipeline state and W4 follows one `advance()`; they run on the first
shape only; L1 runs against the LedgerLou sandbox, on the first shape); each contender runs in its
own child process (`benchmarks.run_one`), in an empty folder. After ours' DuckDB run of W1 and L1,
ours' transforms (the dbt build) are measured in a child of their own, as a row of their own.
Prints a Markdown table and the target checks (docs/performance.md).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
import uuid
from datetime import datetime
from pathlib import Path
from typing import Any

from benchmarks.report import MB, Measurement, table, targets
from benchmarks.run_one import MARKER
from benchmarks.sandbox_proc import SandboxProcess
from benchmarks.workloads import (
    ALL_WORKLOADS,
    DESCRIPTIONS,
    FAMILY,
    LEDGERLOU_WORKLOADS,
    SHAPED,
    family_sizes,
    known_shapes,
    ledgerlou_config,
)

REPO = Path(__file__).resolve().parent.parent
CONTENDERS = ("ours", "baseline", "lower", "minimal")
POSTGRES_DSN = os.environ.get(
    "LAC_BENCH_POSTGRES_DSN", "postgresql://postgres:postgres@127.0.0.1:5432/postgres"
)
CHILD_TIMEOUT_S = 3600
# Workloads after whose ours (DuckDB) run the transforms are measured (a row of their own).
TRANSFORMED = ("W1", "L1")
# What `lower` and `minimal` count as rows: LAC's sheet rows; LedgerLou's journal lines.
LEDGERLOU_ROWS = {"api": "ledgerlou", "rows_path": "/v1/journal", "rows_key": "entries"}


def _csv(value: str, allowed: tuple[str, ...], what: str) -> list[str]:
    items = [v.strip() for v in value.split(",") if v.strip()]
    bad = [v for v in items if v not in allowed]
    if bad:
        raise argparse.ArgumentTypeError(f"unknown {what} {bad}; choose from {','.join(allowed)}")
    return items


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__.splitlines()[0])
    p.add_argument("--workloads", default=",".join(ALL_WORKLOADS), help="comma-joined subset of W1..W5,L1")
    p.add_argument("--scale", type=float, default=1.0, help="shrink rows/months/invoices (1.0 = the issue's)")
    p.add_argument("--skip-postgres", action="store_true", help="no PostgreSQL run of ours at W1")
    p.add_argument(
        "--contenders",
        default=",".join(CONTENDERS),
        help="comma-joined subset of ours,baseline,lower,minimal",
    )
    p.add_argument(
        "--shapes",
        default="flat",
        help="sandbox shapes for W1, W2 and W5 (comma-joined: flat,nested,...); W3, W4 and L1 use the first",
    )
    p.add_argument("--workdir", default=None, help="keep pipelines, DuckDB files and child logs here")
    p.add_argument(
        "--profile",
        default=None,
        metavar="DIR",
        help="profile ours (pyinstrument + RSS timeline) into DIR; profiled times are slower",
    )
    p.add_argument("--json", dest="json_path", default=None, help="also write the measurements as JSON")
    return p


def postgres_problem() -> str | None:
    """None when PostgreSQL answers, else why not."""
    try:
        import psycopg2

        psycopg2.connect(POSTGRES_DSN, connect_timeout=3).close()
        return None
    except Exception as exc:  # noqa: BLE001 - any failure means "not available"
        return str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__


def drop_postgres_schemas(dataset: str) -> None:
    import psycopg2

    with psycopg2.connect(POSTGRES_DSN) as con, con.cursor() as cur:
        cur.execute(
            "select schema_name from information_schema.schemata "
            "where schema_name = %s or schema_name like %s",
            (dataset, dataset + "\\_staging%"),
        )
        for (schema,) in cur.fetchall():
            cur.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')


class Bench:
    """Runs children, collects measurements."""

    def __init__(self, root: Path, contenders: list[str], postgres: bool, profile: str | None = None) -> None:
        self.root = root
        self.profile = Path(profile).resolve() if profile else None
        self.contenders = contenders
        self.postgres = postgres
        self.results: list[Measurement] = []
        self.failures: list[str] = []
        self.shape = "flat"
        (root / "logs").mkdir(parents=True, exist_ok=True)

    def child(self, contender: str, workload: str, spec: dict[str, Any], tag: str) -> dict[str, Any]:
        env = {
            **os.environ,
            "RUNTIME__DLTHUB_TELEMETRY": "false",
            "PYTHONUNBUFFERED": "1",
            "PYTHONPATH": os.pathsep.join(p for p in (str(REPO), os.environ.get("PYTHONPATH")) if p),
        }
        log = self.root / "logs" / f"{workload}-{tag}.log"
        cwd = Path(tempfile.mkdtemp(prefix=f"{workload}-{tag}-", dir=self.root))  # no .dlt/ config here
        cmd = [sys.executable, "-m", "benchmarks.run_one", contender, workload, json.dumps(spec)]
        with open(log, "w") as err:
            proc = subprocess.run(
                cmd, cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=err, text=True, timeout=CHILD_TIMEOUT_S
            )
        found = [ln for ln in proc.stdout.splitlines() if ln.startswith(MARKER)]
        if proc.returncode != 0 or not found:
            tail = "".join(log.read_text().splitlines(keepends=True)[-25:])
            raise RuntimeError(f"{workload} {tag} failed (exit {proc.returncode}); log {log}:\n{tail}")
        return json.loads(found[-1][len(MARKER) :])

    def measure(
        self,
        sb: SandboxProcess,
        contender: str,
        workload: str,
        spec: dict[str, Any],
        destination: str,
        step: str = "sync",
    ) -> tuple[Measurement | None, list]:
        """One child run; a failure is reported (and listed after the table), not raised."""
        try:
            return self._measure(sb, contender, workload, spec, destination, step)
        except (RuntimeError, subprocess.TimeoutExpired) as exc:
            what = contender if step == "sync" else f"{contender}: {step}"
            message = f"{workload} {what} ({destination}) failed: {exc}"
            lines = [ln for ln in message.splitlines() if ln.strip()]
            self.failures.append(lines[0] + (f" ... {lines[-1].strip()}" if len(lines) > 1 else ""))
            print("  " + message, flush=True)
            return None, []

    def _measure(
        self,
        sb: SandboxProcess,
        contender: str,
        workload: str,
        spec: dict[str, Any],
        destination: str,
        step: str = "sync",
    ) -> tuple[Measurement, list]:
        """`step` "transforms": ours' dbt build on what ours' run `spec` loaded (requests: none expected)."""
        sb.reset()
        child = "transforms" if step == "transforms" else contender
        if self.profile and contender == "ours":
            spec = {**spec, "profile": str(self.profile / f"{workload}-{child}-{destination}")}
        out = self.child(child, workload, spec, f"{child}-{destination}")
        log = sb.log()
        note = out.get("note", "")
        if out.get("client_requests") is not None and out["client_requests"] != len(log):
            note = f"client counted {out['client_requests']}"
        m = Measurement(
            workload=workload,
            contender=contender,
            destination=destination if contender not in ("lower", "minimal") else "-",
            seconds=out["seconds"],
            cpu_seconds=out["cpu_seconds"],
            requests=len(log),
            rows=out["rows"],
            peak_rss_mb=out["peak_rss_mib"] * 1024 * 1024 / MB,
            shape=self.shape,
            row_by_row=out.get("row_by_row"),
            note=note,
            step=step,
        )
        self.results.append(m)
        print(
            f"  {workload} {self.shape:<6} {child:<10} {m.destination:<8} {m.seconds:7.1f} s "
            f"{m.cpu_seconds:7.1f} cpu s  {m.requests:>7,} requests  {m.rows:>10,} rows  "
            f"{m.peak_rss_mb:6.0f} MB",
            flush=True,
        )
        return m, log

    def run_family(self, family: str, workloads: list[str], scale: float, shape: str) -> None:
        sizes = family_sizes(family, scale)
        self.shape = shape
        print(
            f"[{family}, {shape}] sandbox: {sizes.months} months x {sizes.rows_per_month:,} Books rows, "
            f"{sizes.invoices} invoices, {sizes.outputs} outputs, latency {sizes.latency_ms} ms",
            flush=True,
        )
        fam_dir = self.root / f"{family}-{shape}"
        fam_dir.mkdir(parents=True, exist_ok=True)
        with SandboxProcess(sizes.sandbox_config(shape)) as sb:
            assert sb.info is not None
            base = {
                "base_url": sb.info.base_url,
                "api_key": sb.info.api_key,
                "end_period": sb.info.end_period,
            }
            ours_duck = {
                **base,
                "workdir": str(fam_dir / "ours"),
                "destination": "duckdb",
                "credentials": str(fam_dir / "ours.duckdb"),
                "dataset": "lac",
                "pipeline_name": "lac_bench",
            }
            baseline = {
                **base,
                "workdir": str(fam_dir / "baseline"),
                "credentials": str(fam_dir / "baseline.duckdb"),
                "dataset": "lac_rest_api",
            }
            order = [w for w in ("W1", "W3", "W4", "W2", "W5") if w in workloads]
            if family == "base" and order and order[0] != "W1":
                order.insert(0, "W1")  # W3/W4 need W1's pipeline state
            for workload in order:
                if workload == "W4":
                    sb.advance()
                print(f" {workload}: {DESCRIPTIONS[workload]}", flush=True)
                self.run_workload(sb, workload, ours_duck, baseline, fam_dir)

    def run_ledgerlou(self, workloads: list[str], scale: float, shape: str) -> None:
        """L1: ours (and its bounds) against the LedgerLou sandbox; there is no baseline for it."""
        cfg = {**ledgerlou_config(scale), "shape": shape}
        self.shape = shape
        print(
            f"[ledgerlou, {shape}] sandbox: 1 tenant, {cfg['months']} months x {cfg['bookings_per_month']:,} "
            f"bookings, {cfg['invoices_per_month']} sales + {cfg['invoices_per_month']} purchase invoices "
            "a month, latency 0 ms",
            flush=True,
        )
        if "baseline" in self.contenders:
            print(" (no baseline for LedgerLou workloads: skipped)", flush=True)
        fam_dir = self.root / f"ledgerlou-{shape}"
        fam_dir.mkdir(parents=True, exist_ok=True)
        with SandboxProcess(cfg, api="ledgerlou") as sb:
            assert sb.info is not None
            ours_duck = {
                "base_url": sb.info.base_url,
                "api_key": sb.info.api_key,
                "tenant": "bench",
                "end_period": sb.info.end_period,
                "workdir": str(fam_dir / "ours"),
                "destination": "duckdb",
                "credentials": str(fam_dir / "ours.duckdb"),
                "dataset": "ledgerlou",
                "pipeline_name": "ledgerlou_bench",
                **LEDGERLOU_ROWS,
            }
            for workload in workloads:
                print(f" {workload}: {DESCRIPTIONS[workload]}", flush=True)
                self.run_workload(sb, workload, ours_duck, None, fam_dir)

    def run_workload(
        self,
        sb: SandboxProcess,
        workload: str,
        ours_spec: dict[str, Any],
        baseline_spec: dict[str, Any] | None,
        fam_dir: Path,
    ) -> None:
        # ours always runs when a bound does: the bounds are built from ours' requests
        replays = [c for c in ("lower", "minimal") if c in self.contenders]
        if "ours" in self.contenders or replays:
            ours, log = self.measure(sb, "ours", workload, ours_spec, "duckdb")
            if ours is not None and "ours" not in self.contenders:
                self.results.remove(ours)
            if ours is not None and "ours" in self.contenders and workload in TRANSFORMED:
                self.measure(sb, "ours", workload, ours_spec, "duckdb", step="transforms")
            if replays and ours is not None:
                requests_file = fam_dir / f"{workload}-requests.json"
                requests_file.write_text(json.dumps([[m, p, q] for m, p, q, _status in log]))
                replay_spec = {**ours_spec, "requests_file": str(requests_file)}
                for contender in replays:
                    self.measure(sb, contender, workload, replay_spec, "-")
        if workload == "W1" and self.postgres and "ours" in self.contenders:
            dataset = f"lac_bench_{uuid.uuid4().hex[:8]}"
            pg_spec = {
                **ours_spec,
                "workdir": str(fam_dir / "ours-postgres"),
                "destination": "postgres",
                "credentials": POSTGRES_DSN,
                "dataset": dataset,
            }
            try:
                self.measure(sb, "ours", workload, pg_spec, "postgres")
            finally:
                drop_postgres_schemas(dataset)
        if "baseline" in self.contenders and baseline_spec is not None:
            self.measure(sb, "baseline", workload, baseline_spec, "duckdb")


def machine() -> str:
    return f"{os.cpu_count()} cores, {platform.machine()}, Python {platform.python_version()}"


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        workloads = _csv(args.workloads, ALL_WORKLOADS, "workload")
        contenders = _csv(args.contenders, CONTENDERS, "contender")
        shapes = _csv(args.shapes, known_shapes(), "shape")
    except argparse.ArgumentTypeError as exc:
        parser.error(str(exc))
    if not 0 < args.scale <= 10:
        parser.error("--scale must be within (0, 10]")
    postgres = not args.skip_postgres and "W1" in workloads and "ours" in contenders
    if postgres and (problem := postgres_problem()):
        print(f"PostgreSQL not reachable at {POSTGRES_DSN} ({problem}); skipping its W1 run", flush=True)
        postgres = False
    command = "python -m benchmarks " + " ".join(argv if argv is not None else sys.argv[1:])
    root = Path(args.workdir) if args.workdir else Path(tempfile.mkdtemp(prefix="lac-bench-"))
    bench = Bench(root, contenders, postgres, args.profile)
    started = time.monotonic()
    print(
        f"benchmarks: workloads {','.join(workloads)}, contenders {','.join(contenders)}, scale {args.scale}"
    )
    try:
        for family in ("base", "latency", "scale"):
            selected = [w for w in workloads if FAMILY[w] == family]
            for shape in shapes:
                shaped = selected if shape == shapes[0] else [w for w in selected if w in SHAPED]
                if shaped:
                    bench.run_family(family, shaped, args.scale, shape)
        ledgerlou = [w for w in workloads if w in LEDGERLOU_WORKLOADS]
        if ledgerlou:
            bench.run_ledgerlou(ledgerlou, args.scale, shapes[0])
    finally:
        if not args.workdir:
            shutil.rmtree(root, ignore_errors=True)
    print()
    print(f"Measured {datetime.now().date().isoformat()} on {machine()}; command: `{command.strip()}`")
    print(f"(total {time.monotonic() - started:.0f} s)")
    print()
    print(table(bench.results))
    if bench.failures:
        print("\nFailed runs (see the child logs under --workdir):")
        print("\n".join(f"- {f}" for f in bench.failures))
    checks = targets(bench.results)
    if checks:
        print("\nTargets (measured, not asserted):")
        print("\n".join(checks))
    if args.json_path:
        Path(args.json_path).write_text(json.dumps([m.as_dict() for m in bench.results], indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
