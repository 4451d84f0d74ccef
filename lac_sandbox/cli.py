"""Command line: `python -m lac_sandbox --port 8787 ...` (wired by the lead as `lac sandbox`)."""

from __future__ import annotations

import argparse
import threading
from datetime import date

from .config import ALL_FAULT_KINDS, DEFAULT_FAULT_KINDS, SHAPES, SandboxConfig
from .sandbox import Sandbox


def build_parser() -> argparse.ArgumentParser:
    d = SandboxConfig()
    p = argparse.ArgumentParser(
        prog="lac sandbox", description="Serve a deterministic LAC Customer API sandbox."
    )
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=8787)
    p.add_argument("--api-key", default=None, help="extra key accepted as read-scoped for the first company")
    p.add_argument("--seed", type=int, default=d.seed)
    p.add_argument("--companies", type=int, default=d.companies)
    p.add_argument("--months", type=int, default=d.months)
    p.add_argument("--rows-per-month", type=int, default=d.rows_per_month)
    p.add_argument(
        "--today", type=date.fromisoformat, default=date.today(), help="YYYY-MM-DD (default: today)"
    )
    p.add_argument("--shape", choices=SHAPES, default=d.shape)
    p.add_argument("--shape-seed", type=int, default=d.shape_seed, help="seed of the random shape's names")
    for name in ("invoices", "uploads", "outputs", "imports", "messages", "employees"):
        p.add_argument(f"--{name}", type=int, default=getattr(d, name))
    p.add_argument("--latency-ms", type=int, default=d.latency_ms)
    p.add_argument("--fault-rate", type=float, default=d.fault_rate)
    p.add_argument("--fault-seed", type=int, default=d.fault_seed)
    p.add_argument(
        "--fault-kinds",
        default=",".join(DEFAULT_FAULT_KINDS),
        help=f"comma-joined subset of {','.join(ALL_FAULT_KINDS)}",
    )
    p.add_argument("--fault-max-per-url", type=int, default=d.fault_max_per_url)
    p.add_argument("--retry-after-seconds", type=int, default=d.retry_after_seconds)
    p.add_argument("--slow-seconds", type=float, default=d.slow_seconds)
    p.add_argument("--fail-path", action="append", default=[], help="regex; matching requests always 503")
    return p


def config_from_args(a: argparse.Namespace) -> SandboxConfig:
    return SandboxConfig(
        seed=a.seed,
        companies=a.companies,
        months=a.months,
        rows_per_month=a.rows_per_month,
        today=a.today,
        shape=a.shape,
        shape_seed=a.shape_seed,
        invoices=a.invoices,
        uploads=a.uploads,
        outputs=a.outputs,
        imports=a.imports,
        messages=a.messages,
        employees=a.employees,
        latency_ms=a.latency_ms,
        fault_rate=a.fault_rate,
        fault_seed=a.fault_seed,
        fault_kinds=tuple(k for k in a.fault_kinds.split(",") if k),
        fault_max_per_url=a.fault_max_per_url,
        retry_after_seconds=a.retry_after_seconds,
        slow_seconds=a.slow_seconds,
        fail_paths=tuple(a.fail_path),
    )


def main(argv: list[str] | None = None, stop: threading.Event | None = None) -> int:
    """Serve until Ctrl-C (or until `stop` is set, for tests)."""
    args = build_parser().parse_args(argv)
    sb = Sandbox(config_from_args(args))
    if args.api_key:
        sb.add_read_key(args.api_key, sb.customer_ids[0])
    server = sb.serve(host=args.host, port=args.port)
    shape = sb.cfg.shape + (f" {sb.cfg.shape_seed}" if sb.cfg.shape == "random" else "")
    print(f"LAC sandbox serving at {server.base_url}  (shape={shape}, seed={sb.cfg.seed})", flush=True)
    for cid in sb.customer_ids:
        print(f"  {cid}: read={sb.read_key(cid)} write={sb.write_key(cid)}", flush=True)
    print(f"  session token (admin, all companies): {sb.session_token}", flush=True)
    if args.api_key:
        print(f"  --api-key accepted as read key for {sb.customer_ids[0]}", flush=True)
    try:
        (stop or threading.Event()).wait()
    except KeyboardInterrupt:
        pass
    finally:
        server.stop()
    return 0
