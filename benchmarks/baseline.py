"""Contender "baseline": dlt's generic `rest_api_source`, configured from the OpenAPI spec.

What a user would build without this connector: the same endpoints, declared in a
`RESTAPIConfig`. Months come from the Books sheet's `available_ranges`; every per-month endpoint
resolves `range` from them (the entries' month field, read off one answer). The Books and VAT
sheets use dlt's offset paginator (limit 200, stopping on the row window's `*more*` flag or its
`*total*`, whichever the answer has); invoice and output package details are child resources resolved from
their lists. Deliberately not configured, because `rest_api` cannot express them:

- file downloads (output package files, uploads, import packages): out of `rest_api`'s scope;
- fingerprint-based incrementality: the API has no cursor/updated-since parameter, so W3/W4 re-read
  and replace everything (`write_disposition="replace"`).

Defaults are kept (resources extracted one after the other, `parallelized=False`), except the
loader file format: parquet, as ours uses for DuckDB, so the comparison is about API access.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import dlt
import httpx
from dlt.sources.rest_api import rest_api_source

PAGE_LIMIT = 200
MONTH = re.compile(r"^\d{4}-\d{2}$")


@dataclass(frozen=True)
class Names:
    """What a user reads off one `/sheet` answer: the month field of `available_ranges` entries
    and the row-window field that ends paging (the spec leaves both interiors open)."""

    range_field: str = "range"
    has_more_path: str | None = "row_window.has_more"
    total_path: str | None = None


def discover(base_url: str, api_key: str) -> Names:
    """The names of this API's sheet answers, from one small request (as a user would look)."""
    answer = httpx.get(
        base_url.rstrip("/") + "/sheet",
        params={"tab": "books", "range": "this_month", "limit": 1},
        headers={"Authorization": f"Bearer {api_key}"},
        timeout=60,
    ).json()
    entry = (answer.get("available_ranges") or [{}])[0]
    range_field = next((k for k, v in entry.items() if isinstance(v, str) and MONTH.match(v)), None)
    if range_field is None:
        raise SystemExit("rest_api cannot resolve months nested in `available_ranges` entries")
    window = answer.get("row_window") or {}
    more = next((k for k, v in window.items() if "more" in k and isinstance(v, bool)), None)
    total = next((k for k, v in window.items() if "total" in k and isinstance(v, int)), None)
    return Names(
        range_field,
        f"row_window.{more}" if more else None,
        f"row_window.{total}" if total and not more else None,
    )


def _per_month(name: str, path: str, names: Names, **params: Any) -> dict[str, Any]:
    """A resource requested once per month of `months` (response object as-is)."""
    return {
        "name": name,
        "endpoint": {
            "path": path,
            "params": {**params, "range": f"{{resources.months.{names.range_field}}}"},
            "data_selector": "$",
            "paginator": "single_page",
        },
        "include_from_parent": [names.range_field],
    }


def _sheet(name: str, tab: str, names: Names) -> dict[str, Any]:
    resource = _per_month(name, "sheet", names, tab=tab)
    resource["endpoint"]["data_selector"] = "rows"
    resource["endpoint"]["paginator"] = {
        "type": "offset",
        "limit": PAGE_LIMIT,
        "offset_param": "offset",
        "limit_param": "limit",
        "total_path": names.total_path,
        "has_more_path": names.has_more_path,
    }
    return resource


def _detail(name: str, parent: str, id_field: str) -> dict[str, Any]:
    return {
        "name": name,
        "endpoint": {
            "path": f"{parent}/{{{id_field}}}",
            "params": {id_field: {"type": "resolve", "resource": parent, "field": id_field}},
            "data_selector": "$",
            "paginator": "single_page",
        },
    }


def rest_api_config(base_url: str, api_key: str, names: Names | None = None) -> dict[str, Any]:
    """The `RESTAPIConfig` a user would write from the spec for the benchmarked endpoints."""
    names = names or Names()
    return {
        "client": {"base_url": base_url.rstrip("/") + "/", "auth": {"type": "bearer", "token": api_key}},
        "resource_defaults": {"write_disposition": "replace"},
        "resources": [
            {
                "name": "months",
                "endpoint": {
                    "path": "sheet",
                    "params": {"tab": "books", "range": "this_month", "limit": 1},
                    "data_selector": "available_ranges",
                    "paginator": "single_page",
                },
            },
            _sheet("books_rows", "books", names),
            _sheet("vat_rows", "vat", names),
            _per_month("statements", "statements", names),
            _per_month("cashflow", "statements", names, statement="cashflow"),
            _per_month("analytics", "analytics", names),
            _per_month("filings", "filings", names),
            {
                "name": "invoices",
                "endpoint": {"path": "invoices", "data_selector": "invoices", "paginator": "single_page"},
            },
            _detail("invoice_details", "invoices", "id"),
            {
                "name": "outputs",
                "endpoint": {"path": "outputs", "data_selector": "outputs", "paginator": "single_page"},
            },
            _detail("output_details", "outputs", "output_id"),
        ],
    }


def run(spec: dict[str, Any]) -> dict[str, Any]:
    workdir = Path(spec["workdir"])
    names = discover(spec["base_url"], spec["api_key"])
    source = rest_api_source(rest_api_config(spec["base_url"], spec["api_key"], names), name="lac_rest_api")
    pipeline = dlt.pipeline(
        pipeline_name="rest_api_bench",
        destination=dlt.destinations.duckdb(spec["credentials"]),
        dataset_name=spec["dataset"],
        pipelines_dir=str(workdir / "pipelines"),
    )
    pipeline.run(source, loader_file_format="parquet").raise_on_failed_jobs()
    counts = pipeline.last_trace.last_normalize_info.row_counts
    tables = pipeline.default_schema.tables
    # root tables only, as ours reports (`RunSummary.row_counts`): nested child tables are left out
    rows = {t: n for t, n in counts.items() if not t.startswith("_dlt") and not tables[t].get("parent")}
    return {"rows": sum(rows.values()), "books_rows": rows.get("books_rows", 0), "client_requests": None}
