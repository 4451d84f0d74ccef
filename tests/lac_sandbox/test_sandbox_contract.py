"""Every GET operation in the spec, every shape (random on several seeds), validated with openapi-core."""

from __future__ import annotations

import io
import json
import zipfile
from urllib.parse import quote

import openpyxl
import pytest
import yaml

from lac_sandbox.api import SPEC_PATH

SPEC = yaml.safe_load(SPEC_PATH.read_text(encoding="utf-8"))
GET_PATHS = [p for p, item in SPEC["paths"].items() if "get" in item]
SESSION_ONLY = {"/payroll", "/payroll/payslip", "/api-keys"}
QUERY = {
    "/sheet": {"tab": "books", "range": "2026-10", "limit": "50"},
    "/statements": {"range": "2026-10"},
    "/statements/drill": {"account_codes": "3000,3010", "range": "2026-10"},
    "/analytics": {"range": "last_6_months"},
    "/filings": {"range": "2026-Q3"},
    "/payroll": {"period": "2026-10"},
    "/payroll/payslip": {"employee_id": "emp_001", "period": "2026-10"},
}
BINARY = {
    "/outputs/{output_id}/files/{role}",
    "/invoices/{invoice_id}/finvoice",
    "/invoices/{invoice_id}/pdf",
    "/uploads/export",
    "/uploads/{filename}",
    "/import-runs/{run_id}/raw-package",
}


def test_spec_has_36_get_operations():
    assert len(GET_PATHS) == 36


def _fill(tmpl: str, sb, cid: str, role: str = "excel") -> str:
    t = sb.truth
    values = {
        "{output_id}": t.outputs(cid)[0]["output_id"],
        "{role}": role,
        "{invoice_id}": t.invoices(cid)[0]["id"],
        "{filename}": quote(t.uploads(cid)[0]["filename"]),
        "{run_id}": t.imports(cid)[0]["run_id"],
    }
    for k, v in values.items():
        tmpl = tmpl.replace(k, v)
    return tmpl


@pytest.mark.parametrize("tmpl", GET_PATHS)
def test_get_operation_matches_spec(shaped, openapi, norm, tmpl):
    sb = shaped.sb
    cid = sb.customer_ids[0]
    client = shaped.session if tmpl in SESSION_ONLY else shaped.read
    path = _fill(tmpl, sb, cid)
    query = dict(QUERY.get(tmpl, {}))
    resp = client.get(path, params=query)
    assert resp.status_code == 200, resp.text
    if tmpl in BINARY:
        assert int(resp.headers["content-length"]) == len(resp.content) > 0
        return
    assert resp.headers["content-type"].startswith("application/json")
    norm.validate(openapi, "GET", path, query, resp)
    assert resp.json() is not None


@pytest.mark.parametrize("tmpl", GET_PATHS)
def test_random_shape_get_operation_matches_spec(random_shaped, openapi, norm, tmpl):
    """Every company, through the session token (which may read everything, payroll included)."""
    sb = random_shaped.sb
    for cid in sb.customer_ids:
        path = _fill(tmpl, sb, cid)
        query = {**QUERY.get(tmpl, {}), "customer_id": cid}
        resp = random_shaped.session.get(path, params=query)
        assert resp.status_code == 200, resp.text
        if tmpl in BINARY:
            assert int(resp.headers["content-length"]) == len(resp.content) > 0
            continue
        norm.validate(openapi, "GET", path, query, resp)


@pytest.mark.parametrize(
    "params", [{"tab": "vat", "range": "2026-Q3"}, {"tab": "books", "range": "all", "limit": "0"}]
)
def test_random_shape_sheet_variants_match_spec(random_shaped, openapi, norm, params):
    resp = random_shaped.read.get("/sheet", params=params)
    assert resp.status_code == 200
    norm.validate(openapi, "GET", "/sheet", params, resp)
    assert resp.json()["rows"]


@pytest.mark.parametrize(
    "role,ctype",
    [
        ("excel", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        ("pdf", "application/pdf"),
        ("json", "application/json"),
        ("instructions", "text/markdown"),
    ],
)
def test_output_files_are_real(shaped, role, ctype):
    sb = shaped.sb
    cid = sb.customer_ids[0]
    for out in sb.truth.outputs(cid):
        resp = shaped.read.get(f"/outputs/{out['output_id']}/files/{role}")
        assert resp.status_code == 200
        assert resp.headers["content-type"].startswith(ctype)
        meta = next(f for f in out["files"] if f["role"] == role)
        assert len(resp.content) == meta["size_bytes"] == int(resp.headers["content-length"])
        if role == "excel":
            wb = openpyxl.load_workbook(io.BytesIO(resp.content))
            assert "Summary" in wb.sheetnames
        elif role == "pdf":
            assert resp.content.startswith(b"%PDF")
        elif role == "json":
            data = json.loads(resp.content)
            assert data["payable_cents"] == out["vat_preview"]["payable_cents"]
            assert all(isinstance(v, int) for k, v in data.items() if k.endswith("_cents"))


def test_documents_and_invoices_are_real(shaped):
    sb, c = shaped.sb, shaped.read
    cid = sb.customer_ids[0]
    uploads = sb.truth.uploads(cid)
    names = {u["filename"] for u in uploads}
    assert "kuitti_äö 1.pdf" in names and any(" " in n for n in names)
    for u in uploads:
        r = c.get("/uploads/" + quote(u["filename"]))
        assert r.status_code == 200 and r.headers["content-type"] == u["content_type"]
        assert len(r.content) == u["size_bytes"]
    z = zipfile.ZipFile(io.BytesIO(c.get("/uploads/export").content))
    assert set(z.namelist()) == names
    inv = sb.truth.invoices(cid)[0]
    pdf = c.get(f"/invoices/{inv['id']}/pdf")
    assert pdf.headers["content-type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    xml = c.get(f"/invoices/{inv['id']}/finvoice")
    assert xml.headers["content-type"] == "application/xml" and b'<Finvoice Version="3.0"' in xml.content
    run = sb.truth.imports(cid)[0]
    raw = c.get(f"/import-runs/{run['run_id']}/raw-package")
    assert zipfile.ZipFile(io.BytesIO(raw.content)).namelist() == ["manifest.json", "ledger.csv"]


def test_invoice_list_has_no_lines_detail_has_lines(shaped):
    sb, c = shaped.sb, shaped.read
    cid = sb.customer_ids[0]
    listed = c.get("/invoices").json()["invoices"]
    truth = sb.truth.invoices(cid)
    assert [i["id"] for i in listed] == [i["id"] for i in truth]
    assert all("lines" not in i for i in listed)
    statuses = {i["status"] for i in truth}
    assert {"draft", "paid"} <= statuses and statuses & {"sent", "overdue"}
    for inv in truth:
        detail = c.get(f"/invoices/{inv['id']}").json()
        assert detail == inv
        assert sum(ln["net_cents"] for ln in inv["lines"]) == inv["net_cents"]
        assert sum(ln["gross_cents"] for ln in inv["lines"]) == inv["gross_cents"]


def test_shape_specific_interiors(shaped):
    sb, c = shaped.sb, shaped.read
    sheet = c.get("/sheet", params={"tab": "books", "range": "2026-10", "limit": 5}).json()
    msgs = c.get("/messages").json()["messages"]
    conns = c.get("/bank-connections").json()
    if shaped.shape == "flat":
        assert all("id" in r for r in sheet["rows"]) and set(sheet["row_window"]) >= {
            "offset",
            "limit",
            "total",
        }
        assert all("id" in m for m in msgs) and "connections" in conns
        assert sheet["available_ranges"][0] == {"range": "2026-11", "label": "2026-11"}
    else:
        assert all("id" not in r and "cells" in r for r in sheet["rows"])
        assert set(sheet["row_window"]) == {"start", "size", "total_rows"}
        assert all("id" not in m for m in msgs) and "items" in conns and "meta" in conns
        assert sheet["available_ranges"][0] == {"value": "2026-11", "kind": "month"}
    assert len(sheet["available_ranges"]) == len(sb.truth.periods(sb.customer_ids[0]))
