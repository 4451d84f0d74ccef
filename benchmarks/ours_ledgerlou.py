"""Contender "ours" on a LedgerLou workload: the `lac run --source ledgerlou --no-transforms` path.

`lac_connector.pipeline.runner.run_sync` with the LedgerLou source's run (`ledgerlou_source.open_run`),
as `lac_connector/cli.py` builds it, against the LedgerLou sandbox.
"""

from __future__ import annotations

from typing import Any

from benchmarks.ours import sync_once
from ledgerlou_source import open_run


def run(spec: dict[str, Any]) -> dict[str, Any]:
    """One `lac run --source ledgerlou` into an empty destination."""
    rows, requests = sync_once(spec, open_run, tenant=spec["tenant"])
    return {
        "rows": sum(rows.values()),
        "journal_lines": rows.get("ll_journal_lines", 0),
        "client_requests": requests,
    }
