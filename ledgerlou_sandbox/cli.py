"""Command line: `python -m ledgerlou_sandbox --port 8788 ...`."""

from __future__ import annotations

import argparse
import threading
from datetime import date

from .config import ALL_FAULT_KINDS, DEFAULT_FAULT_KINDS, SHAPES, SandboxConfig
from .sandbox import Sandbox


def build_parser() -> argparse.ArgumentParser:
    d = SandboxConfig()
    p = argparse.ArgumentParser(
        prog="python -m ledgerlou_sandbox", description="Serve a deterministic LedgerLou API sandbox."
    )
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=8788)
    p.add_argument(
        "--api-key", default=None, help="extra key accepted with every read scope for the first tenant"
    )
    p.add_argument("--seed", type=int, default=d.seed)
    p.add_argument("--tenants", type=int, choices=(1, 2), default=d.tenants)
    for name in ("months", "bookings_per_month", "invoices_per_month", "customers", "vendors"):
        p.add_argument(f"--{name.replace('_', '-')}", type=int, default=getattr(d, name))
    p.add_argument(
        "--today", type=date.fromisoformat, default=date.today(), help="YYYY-MM-DD (default: today)"
    )
    p.add_argument("--shape", choices=SHAPES, default=d.shape)
    p.add_argument("--shape-seed", type=int, default=d.shape_seed)
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
        tenants=a.tenants,
        months=a.months,
        bookings_per_month=a.bookings_per_month,
        invoices_per_month=a.invoices_per_month,
        customers=a.customers,
        vendors=a.vendors,
        today=a.today,
        shape=a.shape,
        shape_seed=a.shape_seed,
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
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        cfg = config_from_args(args)
    except ValueError as e:
        parser.error(str(e))
    sb = Sandbox(cfg)
    if args.api_key:
        sb.add_api_key(args.api_key, sb.tenant_ids[0])
    server = sb.serve(host=args.host, port=args.port)
    print(f"LedgerLou sandbox serving at {server.base_url}  (shape={cfg.shape}, seed={cfg.seed})", flush=True)
    for t in sb.world.tenants:
        print(f"  tenant {t.tenant_id} ({t.name})", flush=True)
        print(f"    API key (all read scopes): {sb.api_key(t.tenant_id)}", flush=True)
        print(f"    API key (no bank scope):   {sb.api_key(t.tenant_id, bank=False)}", flush=True)
    print(f"  session token (every tenant, pick one with ?tenant_id=): {sb.session_token}", flush=True)
    if args.api_key:
        print(f"  --api-key accepted for tenant {sb.tenant_ids[0]}", flush=True)
    try:
        (stop or threading.Event()).wait()
    except KeyboardInterrupt:
        pass
    finally:
        server.stop()
    return 0
