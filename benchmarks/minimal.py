"""Contender "minimal": the fewest requests the API contract allows for the same data, fetch-only.

Built from ours' request log of the same workload (so it reads exactly the data ours read): every
month of a sheet tab that ours read beyond its first page becomes one unpaginated request
(`limit=0`, which the spec allows) instead of its probe and pages; a month ours only probed keeps
its one first-page request; a request repeated with the same path and query is made once.
The requests are issued by as many threads as ours has sheet requests in flight (the source's
`concurrency`, 6) over one pooled httpx client; JSON bodies are parsed with orjson (as ours
does), file bodies are read; nothing is stored.
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


def run(spec: dict[str, Any]) -> dict[str, Any]:
    requests = minimal_requests(json.loads(Path(spec["requests_file"]).read_text()))
    base = spec["base_url"]

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
            rows = body.get("rows") if isinstance(body, dict) else None
            return len(rows) if isinstance(rows, list) else 0

        with ThreadPoolExecutor(max_workers=CONCURRENCY) as pool:
            sheet_rows = sum(pool.map(fetch, requests))
    return {"rows": sheet_rows, "books_rows": None, "client_requests": len(requests)}
