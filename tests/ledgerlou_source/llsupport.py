"""Helpers of the LedgerLou source tests: sync a LedgerLou sandbox into a target and read it back."""

from __future__ import annotations

import hashlib
import os
import re
import subprocess
import sys
from collections import Counter
from pathlib import Path
from typing import Any

from support import Target

from lac_connector.pipeline.runner import RunOptions, RunSummary, run_sync
from ledgerlou_source import build_session, open_run
from ledgerlou_source.source import field_settings

REPO = Path(__file__).resolve().parents[2]
TENANT = "lindner"
PIPELINE = "ledgerlou_test"
# A small world that still has every kind of change: a locked and a soft-locked month, open
# invoices for the partial payment of advance(), inactive parties. Keep it small: every sync of it
# loads ~45 tables.
WORLD = {
    "months": 5,
    "bookings_per_month": 5,
    "invoices_per_month": 4,
    "customers": 4,
    "vendors": 6,
    "tenants": 1,
}
# Columns whose value depends on when a row was written, not on the API's data.
RUNTIME_COLUMNS = frozenset({"landed_at"})
RUNTIME_TABLES = frozenset({"sync_runs", "sync_coverage"})


def end_period(sandbox: Any) -> str:
    today = sandbox.cfg.today
    return f"{today.year:04d}-{today.month:02d}"


def ll_sync(
    sandbox: Any,
    target: Target,
    *,
    tenant_index: int = 0,
    tenant: str = TENANT,
    api_key: str | None = None,
    resources: list[str] | None = None,
    pipeline_name: str = PIPELINE,
    max_attempts: int = 6,
    backoff_max: float = 30.0,
    landing: Path | None = None,
    **settings: Any,
) -> RunSummary:
    """One `lac run --source ledgerlou` against the sandbox, ending at the sandbox's current month."""
    settings.setdefault("end_period", end_period(sandbox))
    settings["landing_url"] = str(landing or landing_of(target))
    session = build_session(
        api_key=api_key or sandbox.api_key(sandbox.tenant_ids[tenant_index]),
        base_url=sandbox.server.base_url,
        tenant=tenant,
        field_settings=field_settings(settings),
        base_currency=settings.get("base_currency"),
        page_limit=settings.get("page_limit", 200),
        journal_page_limit=settings.get("journal_page_limit", 1000),
        max_attempts=max_attempts,
        backoff_max=backoff_max,
    )
    options = RunOptions(
        pipeline_name=pipeline_name,
        destination=target.destination,
        dataset_name=target.dataset,
        resources=resources,
        pipelines_dir=target.pipelines_dir,
        destination_credentials=target.credentials,
    )
    run = open_run(settings, session=session)
    try:
        return run_sync(run, options)
    finally:
        run.close()


def landing_of(target: Target) -> Path:
    return Path(target.pipelines_dir).parent / "landing"


def coverage(target: Target, run_id: str) -> dict[str, str]:
    rows = target.query(f"select resource, outcome from {{ds}}.sync_coverage where run_id = '{run_id}'")
    return dict(rows)


def not_ok(target: Target, run_id: str) -> dict[str, str]:
    return {k: v for k, v in coverage(target, run_id).items() if v != "ok"}


def snapshot(target: Target) -> dict[str, Counter]:
    """Every data table: a Counter of rows, each row the sorted (column, value) pairs that are not
    null (a column dlt did not create because it only ever held nulls compares equal to one that
    holds nulls), without dlt's and run-time columns."""
    tables = [
        t
        for (t,) in target.query(
            "select table_name from information_schema.tables where table_schema = '{ds}' "
            "and table_type = 'BASE TABLE'"
        )
        if not t.startswith("_dlt") and t not in RUNTIME_TABLES
    ]
    out: dict[str, Counter] = {}
    for table in sorted(tables):
        columns = sorted(
            c
            for (c,) in target.query(
                "select column_name from information_schema.columns "
                f"where table_schema = '{{ds}}' and table_name = '{table}'"
            )
            if not c.startswith("_dlt") and c not in RUNTIME_COLUMNS
        )
        select = ", ".join(f'"{c}"' for c in columns)
        rows = target.query(f'select {select} from "{{ds}}"."{table}"')
        out[table] = Counter(
            tuple((c, repr(v)) for c, v in zip(columns, row, strict=True) if v is not None) for row in rows
        )
    return out


def diff(got: dict[str, Counter], want: dict[str, Counter], limit: int = 2) -> list[str]:
    problems = []
    for table in sorted(set(got) | set(want)):
        extra, missing = (
            got.get(table, Counter()) - want.get(table, Counter()),
            want.get(table, Counter()) - got.get(table, Counter()),
        )
        if extra or missing:
            problems.append(
                f"{table}: {sum(extra.values())} extra e.g. {list(extra)[:limit]}, "
                f"{sum(missing.values())} missing e.g. {list(missing)[:limit]}"
            )
    return problems


def landed(root: Path) -> dict[str, str]:
    """{relative path: sha256} of every file under the landing root."""
    if not root.exists():
        return {}
    return {
        str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


# The reference's GET endpoints as request-path patterns (path parameters are one segment).
_SEGMENT = "[^/]+"
GET_ENDPOINTS = [
    "/v1/accounts",
    "/v1/accounts/search",
    "/v1/accounts/{}/entries",
    "/v1/documents/{}/file",
    "/v1/documents/{}/preview",
    "/v1/journal",
    "/v1/journal/{}",
    "/v1/bank-accounts",
    "/v1/bank-accounts/{}",
    "/v1/bank-accounts/{}/reconciliation",
    "/v1/bank-accounts/balance-history",
    "/v1/bank-transactions",
    "/v1/bank-transactions/{}",
    "/v1/bank-transactions/{}/evidence",
    "/v1/bank-transactions/suggestions",
    "/v1/bank-transactions/unreconciled-count",
    "/v1/customers",
    "/v1/customers/{}",
    "/v1/outgoing-invoices",
    "/v1/outgoing-invoices/{}",
    "/v1/outgoing-invoices/open-items",
    "/v1/payment-runs",
    "/v1/payment-runs/{}",
    "/v1/payment-runs/eligible-invoices",
    "/v1/periods",
    "/v1/periods/{}/lock/status",
    "/v1/reports",
    "/v1/reports/datev-export",
    "/v1/reports/monthly-revenue-expenses",
    "/v1/inbox",
    "/v1/inbox/{}",
    "/v1/inbox/address",
    "/v1/invoice-review-cases",
    "/v1/invoice-review-cases/{}",
    "/v1/invoices",
    "/v1/invoices/{}",
    "/v1/invoices/open-items",
    "/v1/payables/ingestion-log",
    "/v1/tax-codes",
    "/v1/vendors",
    "/v1/vendors/{}",
]
_FIXED = {e for e in GET_ENDPOINTS if "{}" not in e}


def endpoint_of(path: str) -> str | None:
    """The reference endpoint a request path belongs to (fixed paths win over parameters)."""
    if path in _FIXED:
        return path
    for endpoint in GET_ENDPOINTS:
        pattern = "^" + re.escape(endpoint).replace(re.escape("{}"), _SEGMENT) + "$"
        if "{}" in endpoint and re.match(pattern, path):
            return endpoint
    return None


def requests_by_endpoint(sandbox: Any) -> Counter:
    return Counter(endpoint_of(r.path) or r.path for r in sandbox.requests)


def cli_env(sandbox: Any, workdir: Path, **extra: str) -> dict[str, str]:
    """Environment of a `lac run --source ledgerlou` subprocess working in `workdir`."""
    base = {k: v for k, v in os.environ.items() if not k.startswith(("SOURCES__", "DESTINATION__", "DLT_"))}
    return {
        **base,
        "SOURCES__LEDGERLOU__API_KEY": sandbox.api_key(sandbox.tenant_ids[0]),
        "SOURCES__LEDGERLOU__BASE_URL": sandbox.server.base_url,
        "SOURCES__LEDGERLOU__TENANT": TENANT,
        "SOURCES__LEDGERLOU__END_PERIOD": end_period(sandbox),
        "SOURCES__LEDGERLOU__LANDING_URL": str(workdir / "landing"),
        "DLT_DATA_DIR": str(workdir / "dlt"),
        "DESTINATION__DUCKDB__CREDENTIALS": str(workdir / "warehouse.duckdb"),
        "PYTHONPATH": str(REPO),
        **extra,
    }


CLI_ARGS = [
    "run",
    "--source",
    "ledgerlou",
    "--pipeline-name",
    PIPELINE,
    "--dataset-name",
    "lac",
    "--no-transforms",
]


def run_cli(
    args: list[str], env: dict[str, str], cwd: Path, crash_point: str | None = None
) -> subprocess.CompletedProcess:
    """`lac ...` as a subprocess; with `crash_point`, through crash_ll.py (SIGKILLs itself there)."""
    argv = (
        [sys.executable, "-m", "lac_connector", *args]
        if crash_point is None
        else [sys.executable, str(Path(__file__).with_name("crash_ll.py")), crash_point, *args]
    )
    return subprocess.run(argv, env=env, cwd=cwd, capture_output=True, text=True, timeout=300)
