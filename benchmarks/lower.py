"""Contender "lower": the requests ours issued, replayed with ours' concurrency, JSON-parsed only.

Nothing is stored and nothing depends on anything: every request of the list (taken from the
sandbox's request log of ours' run of the same workload) is issued by a pool of 6 threads over one
pooled httpx client. JSON bodies are parsed; file bodies are read. The rows it reports are the
lengths of the `rows_key` lists of the JSON answers (of `rows_path` only, when the spec names one):
LAC's sheet `rows` by default, LedgerLou's `/v1/journal` `entries` for L1.
"""

from __future__ import annotations

import json
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import httpx

CONCURRENCY = 6


def run(spec: dict[str, Any]) -> dict[str, Any]:
    requests: list[list[Any]] = json.loads(Path(spec["requests_file"]).read_text())
    base = spec["base_url"]
    rows_key, rows_path = spec.get("rows_key", "rows"), spec.get("rows_path")

    with httpx.Client(
        headers={"Authorization": f"Bearer {spec['api_key']}", "Accept": "application/json"},
        timeout=120,
        limits=httpx.Limits(max_connections=CONCURRENCY, max_keepalive_connections=CONCURRENCY),
    ) as client:

        def fetch(item: list[Any]) -> int:
            _method, path, query = item[0], item[1], item[2]
            response = client.get(base + path, params=query)
            if "json" not in response.headers.get("Content-Type", ""):
                return 0  # a file download: the body was read, nothing to parse
            body = response.json()
            if rows_path is not None and path != rows_path:
                return 0
            rows = body.get(rows_key) if isinstance(body, dict) else None
            return len(rows) if isinstance(rows, list) else 0

        with ThreadPoolExecutor(max_workers=CONCURRENCY) as pool:
            sheet_rows = sum(pool.map(fetch, requests))
    return {"rows": sheet_rows, "books_rows": None, "client_requests": len(requests)}
