"""The endpoint table, read from the shipped API reference (path parameter names chosen here).

The reference prints each path with its parameters elided (`GET /v1/accounts/` then `/entries` on
the next line); a parameter takes its name from the collection segment before it.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path
from urllib.parse import unquote

REFERENCE = Path(__file__).parent / "spec" / "ledgerlou-api-reference.txt"
PARAM_NAMES = {
    "accounts": "number",
    "documents": "document_id",
    "journal": "intent_id",
    "bank-accounts": "bank_account_id",
    "bank-transactions": "transaction_id",
    "bank-match-groups": "match_group_id",
    "customers": "customer_id",
    "outgoing-invoices": "invoice_id",
    "invoices": "invoice_id",
    "payment-runs": "run_id",
    "periods": "period",
    "lock": "request_id",
    "inbox": "inbox_id",
    "invoice-review-cases": "case_id",
    "tax-codes": "code",
    "vendors": "vendor_id",
}
_ENDPOINT = re.compile(r"^(GET|POST|PUT|PATCH|DELETE) (/v1/\S*)$")


@lru_cache(maxsize=1)
def endpoints() -> tuple[tuple[str, str], ...]:
    """(method, template) of every endpoint, e.g. ("GET", "/v1/accounts/{number}/entries")."""
    lines = REFERENCE.read_text(encoding="utf-8").splitlines()
    out: list[tuple[str, str]] = []
    i = 0
    while i < len(lines):
        m = _ENDPOINT.match(lines[i])
        i += 1
        if not m:
            continue
        parts = [m.group(2)]
        while i < len(lines) and lines[i].startswith("/"):
            parts.append(lines[i])
            i += 1
        path = parts[0]
        for cont in parts[1:]:
            path = _with_param(path) + cont
        if path.endswith("/"):
            path = _with_param(path)
        if (m.group(1), path) not in out:
            out.append((m.group(1), path))
    return tuple(out)


def _with_param(path: str) -> str:
    """`/v1/accounts/` -> `/v1/accounts/{number}`."""
    segment = path.rstrip("/").rsplit("/", 1)[-1]
    return f"{path.rstrip('/')}/{{{PARAM_NAMES[segment]}}}"


@lru_cache(maxsize=1)
def _compiled() -> list[tuple[re.Pattern, str, frozenset[str]]]:
    by_tmpl: dict[str, set[str]] = {}
    for method, tmpl in endpoints():
        by_tmpl.setdefault(tmpl, set()).add(method)
    routes = []
    for tmpl, methods in by_tmpl.items():
        rx = "^" + re.sub(r"\\\{(\w+)\\\}", r"(?P<\1>[^/]+)", re.escape(tmpl)) + "$"
        routes.append((re.compile(rx), tmpl, frozenset(methods)))
    # literal segments win over parameters: /v1/accounts/search before /v1/accounts/{number}
    routes.sort(key=lambda r: (r[1].count("{"), -len(r[1])))
    return routes


def match(path: str) -> tuple[str, dict[str, str], frozenset[str]] | None:
    """(template, path parameters, methods) of the route serving `path`."""
    for rx, tmpl, methods in _compiled():
        m = rx.match(path)
        if m:
            return tmpl, {k: unquote(v) for k, v in m.groupdict().items()}, methods
    return None
