"""Contender "minimal": the fewest requests the API contract allows for the same data, fetch-only.

Built from ours' request log of the same workload (so it reads exactly the data ours read): every
month of a sheet tab that ours read beyond its first page becomes one unpaginated request
(`limit=0`, which the spec allows) instead of its probe and pages; a month ours only probed keeps
its one first-page request; a request repeated with the same path and query is made once.
The requests are issued by as many threads as ours has sheet requests in flight (the source's
`concurrency`, 6) over one pooled httpx client; JSON bodies are parsed with orjson (as ours
does), file bodies are read; nothing is stored.

LedgerLou (`"api": "ledgerlou"` in the spec, L1): the reference has no bulk form of the details
(postings, invoices, bank transactions, documents) and ours' list pages already use the largest
`limit`, so the only requests it allows to save are the date windows of `/v1/journal` and account
entries that ours split (a window holding a narrower window of the same query came back full and
was read again in parts: `ledgerlou_minimal_requests`) and repeated requests. Rows are the
journal lines parsed (`rows_path`/`rows_key` of the spec, as in `lower`).
"""

from __future__ import annotations

import json
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import httpx
import orjson

CONCURRENCY = 6


def _month(query: dict[str, str]) -> tuple[str, ...]:
    return tuple(v for k, v in sorted(query.items()) if k not in ("limit", "offset"))


def minimal_requests(log: list[list[Any]]) -> list[tuple[str, dict[str, str]]]:
    """Ours' requests with every sheet month read in full made one unpaginated request, and
    duplicates dropped."""
    whole = {
        _month(query)
        for _method, path, query in log
        if path == "/sheet" and (query.get("limit") == "0" or int(query.get("offset") or 0) > 0)
    }
    out: dict[tuple[str, tuple[tuple[str, str], ...]], dict[str, str]] = {}
    for _method, path, query in log:
        if path == "/sheet" and _month(query) in whole:
            query = {k: v for k, v in query.items() if k not in ("limit", "offset")} | {"limit": "0"}
        out.setdefault((path, tuple(sorted(query.items()))), query)
    return [(path, query) for (path, _), query in out.items()]


WINDOWED = ("/v1/journal",)  # and /v1/accounts/{number}/entries
WINDOW_KEYS = ("startDate", "endDate")


def _windowed(path: str) -> bool:
    return path in WINDOWED or (path.startswith("/v1/accounts/") and path.endswith("/entries"))


def ledgerlou_minimal_requests(log: list[list[Any]]) -> list[tuple[str, dict[str, str]]]:
    """Ours' LedgerLou requests without the date windows ours split, and duplicates dropped."""
    unique: dict[tuple[str, tuple[tuple[str, str], ...]], tuple[str, dict[str, str]]] = {}
    for _method, path, query in log:
        unique.setdefault((path, tuple(sorted(query.items()))), (path, query))

    def rest(path: str, query: dict[str, str]) -> tuple[str, tuple[tuple[str, str], ...]]:
        return path, tuple(sorted((k, v) for k, v in query.items() if k not in WINDOW_KEYS))

    windows: dict[tuple[str, tuple[tuple[str, str], ...]], list[tuple[str, str]]] = {}
    for path, query in unique.values():
        if _windowed(path):
            windows.setdefault(rest(path, query), []).append(
                (query.get("startDate", ""), query.get("endDate", "9999-12-31"))
            )

    def split(path: str, query: dict[str, str]) -> bool:
        lo, hi = query.get("startDate", ""), query.get("endDate", "9999-12-31")
        inside = [w for w in windows[rest(path, query)] if lo <= w[0] and w[1] <= hi and w != (lo, hi)]
        return bool(inside)

    return [(path, query) for path, query in unique.values() if not (_windowed(path) and split(path, query))]


def run(spec: dict[str, Any]) -> dict[str, Any]:
    log = json.loads(Path(spec["requests_file"]).read_text())
    requests = ledgerlou_minimal_requests(log) if spec.get("api") == "ledgerlou" else minimal_requests(log)
    base = spec["base_url"]
    rows_key, rows_path = spec.get("rows_key", "rows"), spec.get("rows_path")

    with httpx.Client(
        headers={"Authorization": f"Bearer {spec['api_key']}", "Accept": "application/json"},
        timeout=120,
        limits=httpx.Limits(max_connections=CONCURRENCY, max_keepalive_connections=CONCURRENCY),
    ) as client:

        def fetch(item: tuple[str, dict[str, str]]) -> int:
            response = client.get(base + item[0], params=item[1])
            if "json" not in response.headers.get("Content-Type", ""):
                return 0  # a file download: the body was read, nothing to parse
            body = orjson.loads(response.content)
            if rows_path is not None and item[0] != rows_path:
                return 0
            rows = body.get(rows_key) if isinstance(body, dict) else None
            return len(rows) if isinstance(rows, list) else 0

        with ThreadPoolExecutor(max_workers=CONCURRENCY) as pool:
            sheet_rows = sum(pool.map(fetch, requests))
    return {"rows": sheet_rows, "books_rows": None, "client_requests": len(requests)}
