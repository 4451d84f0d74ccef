"""A tiny in-memory LAC API for unit tests through httpx.MockTransport (acceptance tests use the sandbox)."""

import json
from collections.abc import Callable
from typing import Any

import httpx

Handler = Callable[[httpx.Request], httpx.Response]


def json_response(payload: Any, status: int = 200, headers: dict[str, str] | None = None) -> httpx.Response:
    return httpx.Response(
        status,
        content=json.dumps(payload).encode(),
        headers={"Content-Type": "application/json", **(headers or {})},
    )


def error(status: int, code: str, detail: str) -> httpx.Response:
    return json_response({"error": code, "detail": detail}, status)


class FakeLac:
    """Two months of books for one company; tests override `routes` to inject behaviour."""

    def __init__(self, rows: dict[str, int] | None = None) -> None:
        self.rows = rows or {"2026-01": 250, "2026-02": 3}
        self.requests: list[httpx.Request] = []
        self.routes: dict[str, Handler] = {}

    def transport(self) -> httpx.MockTransport:
        return httpx.MockTransport(self.handle)

    def handle(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        path = request.url.path.removeprefix("/portal")
        if path in self.routes:
            return self.routes[path](request)
        q = request.url.params
        if path == "/me":
            return json_response({"principal": {"kind": "api_key"}, "customers": [{"customer_id": "c1"}]})
        if path == "/customers":
            return json_response({"customers": [{"customer_id": "c1", "name": "Test Oy"}]})
        if path == "/company":
            return json_response(
                {
                    "customer_id": "c1",
                    "legal_name": "Test Oy",
                    "vat_period_months": 1,
                    "fiscal_year_start_month": 1,
                }
            )
        if path in ("/overview", "/status", "/ingest-status"):
            return json_response({"ok": True})
        if path == "/sheet":
            period, limit, offset = q["range"], int(q.get("limit", 0)), int(q.get("offset", 0))
            total = self.rows.get(period, 0)
            stop = total if limit == 0 else min(total, offset + limit)  # limit 0: unpaginated
            rows = [{"n": i, "net_cents": 100 * i} for i in range(offset, stop)]
            return json_response(
                {
                    "rows": rows,
                    "columns": [{"key": "n"}],
                    "summary_cards": [{"key": "count", "value": total}],
                    "available_ranges": [{"range": p} for p in sorted(self.rows)],
                    **({"row_window": {"total": total}} if limit else {}),  # present when paginated
                }
            )
        if path == "/statements":
            if q.get("statement") == "cashflow":
                return json_response(None)
            return json_response(
                {"income_statement": {"lines": [{"account_code": "3000", "amount_cents": 5}]}}
            )
        if path == "/analytics":
            return json_response({"trend": [{"period": q["range"], "revenue_cents": 1}]})
        if path == "/filings":
            return json_response({"period": {"range": q["range"]}, "vat_preview": {"payable_cents": 3}})
        return error(404, "not_found", path)

    def count(self, path: str, **params: str) -> int:
        return sum(
            1
            for r in self.requests
            if r.url.path.removeprefix("/portal") == path
            and all(r.url.params.get(k) == v for k, v in params.items())
        )


def lac_client(base_url: str, token: str, **kwargs: Any) -> Any:
    """An API client configured as the LAC source configures it (messages name LAC's settings)."""
    from lac_connector.kit.http import ApiClient
    from lac_source.session import lac_hints

    return ApiClient(base_url, token, lac_hints("api_key"), **kwargs)


def run_lac(
    api: FakeLac,
    tmp_path: Any,
    resources: list[str],
    *,
    is_api_key: bool = True,
    pipeline_name: str = "unit",
    **settings: Any,
) -> tuple[Any, Any]:
    """Run `resources` of the LAC source against `api` into a DuckDB file under `tmp_path`.

    Returns the run's session (its `report`) and the dlt pipeline. Runs with the same
    `pipeline_name` and `tmp_path` share state and tables, like consecutive scheduled runs.
    """
    import dlt

    from lac_source import lac_source
    from lac_source.session import LacSession

    token = "lac_sk_test" if is_api_key else "interactive-session-token"
    client = lac_client("http://lac.test/portal", token, transport=api.transport(), max_attempts=1)
    session = LacSession(client, is_api_key=is_api_key)
    pipeline = dlt.pipeline(
        pipeline_name,
        destination=dlt.destinations.duckdb(str(tmp_path / f"{pipeline_name}.duckdb")),
        dataset_name="lac",
        pipelines_dir=str(tmp_path / "pipelines"),
    )
    source = lac_source(session=session, landing_url=str(tmp_path / "landing"), **settings)
    pipeline.run(source.with_resources(*resources))
    return session, pipeline


def query(pipeline: Any, sql: str) -> list[tuple]:
    with pipeline.sql_client() as client:
        return [tuple(row) for row in client.execute_sql(sql)]
