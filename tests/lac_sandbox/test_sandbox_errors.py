"""Every error case answers the JSON envelope with the right status."""

from __future__ import annotations

import httpx
import pytest


def _envelope(resp: httpx.Response, status: int, code: str | None = None) -> dict:
    assert resp.status_code == status, resp.text
    body = resp.json()
    assert set(body) == {"error", "detail"} and all(isinstance(v, str) and v for v in body.values())
    if code:
        assert body["error"] == code
    return body


def test_401_missing_and_unknown_token(sandbox, openapi, norm):
    base = sandbox.server.base_url
    r = httpx.get(base + "/company")
    _envelope(r, 401, "missing_token")
    norm.validate(openapi, "GET", "/company", {}, r)
    _envelope(
        httpx.get(base + "/company", headers={"Authorization": "Bearer lac_sk_nope"}), 401, "invalid_token"
    )
    _envelope(httpx.get(base + "/company", headers={"Authorization": "Basic abc"}), 401, "missing_token")


def test_403_other_company_and_session_only(sandbox, client, openapi, norm):
    other = sandbox.customer_ids[1]
    r = client.get("/company", params={"customer_id": other})
    _envelope(r, 403, "forbidden_customer")
    norm.validate(openapi, "GET", "/company", {"customer_id": other}, r)
    for path in ("/payroll", "/payroll/payslip", "/api-keys"):
        _envelope(client.get(path, params={"employee_id": "emp_001"}), 403, "forbidden_role")
    with norm.client_for(sandbox, sandbox.write_key(sandbox.customer_ids[0])) as w:
        _envelope(w.get("/payroll"), 403, "forbidden_role")
        _envelope(w.post("/payroll/draft", json={}), 403, "forbidden_role")
        _envelope(w.post("/messages", json={"text": "hi"}), 501, "not_implemented")
    with norm.client_for(sandbox, sandbox.session_token) as s:
        _envelope(s.get("/company", params={"customer_id": "cust_unknown"}), 403)
        assert s.get("/company", params={"customer_id": other}).json()["customer_id"] == other


@pytest.mark.parametrize("method", ["POST", "PATCH", "DELETE", "PUT"])
def test_403_read_key_on_mutations(client, method):
    _envelope(client.request(method, "/messages", json={"text": "x"}), 403, "insufficient_scope")


def test_404_unknown_ids_and_paths(client):
    for path in (
        "/invoices/inv_99999",
        "/invoices/inv_99999/pdf",
        "/invoices/inv_99999/finvoice",
        "/outputs/out_9999",
        "/outputs/out_9999/files/pdf",
        "/outputs/out_0001/files/bogus",
        "/uploads/nope.pdf",
        "/imports/imp_9999",
        "/import-runs/imp_9999/raw-package",
        "/nowhere",
    ):
        _envelope(client.get(path), 404, "not_found")
    _envelope(httpx.get(str(client.base_url).replace("/portal", "/other"), headers=client.headers), 404)


@pytest.mark.parametrize(
    "params",
    [
        {"tab": "ledger", "range": "2026-10"},
        {"range": "2026-10"},
        {"tab": "books"},
        {"tab": "books", "range": "2026-10", "limit": "201"},
        {"tab": "books", "range": "2026-10", "limit": "-1"},
        {"tab": "books", "range": "2026-10", "limit": "ten"},
        {"tab": "books", "range": "2026-10", "offset": "-3"},
        {"tab": "books", "range": "2026-10", "sort": "random"},
        {"tab": "books", "range": "2026-13"},
        {"tab": "books", "range": "2026-Q5"},
        {"tab": "books", "range": "26-10"},
        {"tab": "books", "range": "last_7_months"},
        {"tab": "books", "range": "2026-1"},
    ],
)
def test_422_sheet_validation(client, params):
    _envelope(client.get("/sheet", params=params), 422, "validation_error")


def test_422_other_endpoints(client):
    _envelope(client.get("/statements/drill", params={"range": "2026-10"}), 422)
    _envelope(client.get("/statements", params={"range": "bogus"}), 422)
    _envelope(client.get("/statements", params={"range": "2026-10", "months": "x"}), 422)
    _envelope(client.get("/analytics", params={"range": "2026-00"}), 422)
    _envelope(client.get("/filings", params={"range": "Q3"}), 422)


def test_auth_failures_are_not_faulted(sandbox):
    sandbox.faults.cfg.fault_rate = 1.0
    r = httpx.get(sandbox.server.base_url + "/company")
    assert r.status_code == 401
    assert sandbox.requests[-1].fault is None
