"""Every GET endpoint of the reference answers with the reference's top-level fields, in every shape."""

from __future__ import annotations

import pytest

from ledgerlou_sandbox.routes import endpoints

# template -> top-level object fields the reference names, "array" (bare JSON array) or a file type
TOP_LEVEL = {
    "/v1/accounts": {"accounts", "total", "offset", "limit"},
    "/v1/accounts/{number}/entries": {"entries", "balance"},
    "/v1/accounts/search": {"accounts"},
    "/v1/documents/{document_id}/file": "file",
    "/v1/documents/{document_id}/preview": "file",
    "/v1/journal": {"entries"},
    "/v1/journal/{intent_id}": {"intent_id", "entries", "summary", "linked_intents", "metadata"},
    "/v1/bank-accounts": "array",
    "/v1/bank-accounts/{bank_account_id}": {"tx_count", "unreconciled_count", "last_tx_date"},
    "/v1/bank-accounts/{bank_account_id}/reconciliation": {"ledger", "unmatched_ledger", "base_currency"},
    "/v1/bank-accounts/balance-history": {"history", "currentBalance", "startBalance"},
    "/v1/bank-transactions": {"transactions", "total"},
    "/v1/bank-transactions/{transaction_id}": {"transaction"},
    "/v1/bank-transactions/{transaction_id}/evidence": {"evidence"},
    "/v1/bank-transactions/suggestions": "array",
    "/v1/bank-transactions/unreconciled-count": {"count"},
    "/v1/customers": "array",
    "/v1/customers/{customer_id}": {"open_amount"},
    "/v1/outgoing-invoices": "array",
    "/v1/outgoing-invoices/{invoice_id}": {"status", "remaining_amount", "lines"},
    "/v1/outgoing-invoices/open-items": "array",
    "/v1/payment-runs": "array",
    "/v1/payment-runs/{run_id}": {"id", "status", "items"},
    "/v1/payment-runs/eligible-invoices": "array",
    "/v1/periods": "array",
    "/v1/periods/{period}/lock/status": {"has_pending_request", "request_id", "requested_by", "created_at"},
    "/v1/reports": "array",
    "/v1/reports/datev-export": "csv",
    "/v1/reports/monthly-revenue-expenses": "array",
    "/v1/inbox": "array",
    "/v1/inbox/{inbox_id}": {
        "id",
        "document_id",
        "status",
        "ocr_extraction",
        "ocr_raw",
        "vendor_match",
        "compliance_check",
        "source_email",
        "source_subject",
        "original_name",
        "created_at",
    },
    "/v1/inbox/address": {"inbox_address"},
    "/v1/invoice-review-cases": "array",
    "/v1/invoice-review-cases/{case_id}": {"queue_state", "vendor_id", "normalized_invoice"},
    "/v1/invoices": "array",
    "/v1/invoices/{invoice_id}": {"status", "remaining_amount", "lines"},
    "/v1/invoices/open-items": "array",
    "/v1/payables/ingestion-log": "array",
    "/v1/tax-codes": {"tax_codes"},
    "/v1/vendors": "array",
    "/v1/vendors/{vendor_id}": {"open_amount"},
}
# kind of the items of each array-valued response (for the un-shaping round trip)
ITEM_KIND = {
    "/v1/bank-accounts": "bank_account",
    "/v1/bank-transactions/suggestions": "suggestion",
    "/v1/customers": "customer",
    "/v1/outgoing-invoices": "outgoing_invoice",
    "/v1/outgoing-invoices/open-items": "open_item",
    "/v1/payment-runs": "payment_run",
    "/v1/payment-runs/eligible-invoices": "purchase_invoice",
    "/v1/periods": "period",
    "/v1/reports": "trial_balance_line",
    "/v1/reports/monthly-revenue-expenses": "monthly_line",
    "/v1/inbox": "inbox_item",
    "/v1/invoice-review-cases": "review_case",
    "/v1/invoices": "purchase_invoice",
    "/v1/invoices/open-items": "open_item",
    "/v1/payables/ingestion-log": "ingestion_entry",
    "/v1/vendors": "vendor",
}


def test_reference_has_41_get_endpoints_and_all_are_covered():
    gets = [tmpl for method, tmpl in endpoints() if method == "GET"]
    assert len(gets) == 41 and set(gets) == set(TOP_LEVEL)
    assert len(endpoints()) == 88


def path_params(s) -> dict[str, str]:
    t = s.t
    out_inv = next(i for i in t.invoices_of("out") if i.status == "paid")
    return {
        "number": "1200",
        "document_id": out_inv.document_id,
        "intent_id": out_inv.intent_id,
        "bank_account_id": t.bank_accounts[0].bank_account_id,
        "transaction_id": t.transactions[0].transaction_id,
        "customer_id": t.customers[0].party_id,
        "vendor_id": t.vendors[0].party_id,
        "run_id": t.runs[0].run_id,
        "period": next(p for p, per in t.periods.items() if per.status == "soft_locked"),
        "inbox_id": t.inbox[0]["id"],
        "case_id": t.review_cases[0]["id"],
        "out_invoice_id": out_inv.invoice_id,
        "in_invoice_id": t.invoices_of("in")[0].invoice_id,
    }


@pytest.mark.parametrize("tmpl", sorted(TOP_LEVEL))
def test_get_endpoint_top_level(shaped, tmpl):
    params = path_params(shaped)
    params["invoice_id"] = params["in_invoice_id" if tmpl.startswith("/v1/invoices/") else "out_invoice_id"]
    query = {"type": "trial_balance"} if tmpl == "/v1/reports" else {}
    r = shaped.get(tmpl.format(**params), **query)
    assert r.status_code == 200, r.text[:300]
    expected = TOP_LEVEL[tmpl]
    ctype = r.headers["content-type"]
    if expected == "file":
        assert ctype == "application/pdf" and r.content.startswith(b"%PDF-")
        disposition = "inline" if tmpl.endswith("preview") else "attachment"
        assert r.headers["content-disposition"].startswith(f'{disposition}; filename="RE-')
        return
    if expected == "csv":
        assert ctype == "text/csv; charset=windows-1252" and r.content.startswith(b'"EXTF";700;21;')
        assert r.headers["content-disposition"].startswith('attachment; filename="EXTF_Buchungsstapel_')
        return
    assert ctype == "application/json; charset=utf-8"
    payload = r.json()
    if expected == "array":
        assert isinstance(payload, list) and payload, f"{tmpl} answered an empty array"
        kind = ITEM_KIND[tmpl]
        paths = shaped.sb.shape_info["fields"][kind]
        for item in payload:
            got = shaped.canon(kind, item)
            assert got, item
            # everything rendered is reachable through shape_info (no stray keys)
            extras = shaped.sb.shape_info["extra_fields"].get(kind, {})
            assert _leaf_count(item) == sum(_leaf_count({"x": v}) for v in got.values()) + len(extras)
        assert paths
    else:
        assert isinstance(payload, dict) and expected <= set(payload), (tmpl, sorted(payload))


def _leaf_count(obj) -> int:
    if isinstance(obj, dict):
        return sum(_leaf_count(v) for v in obj.values()) if obj else 1
    return 1


def test_account_fields_named_by_the_reference_are_fixed(shaped):
    acc = shaped.json("/v1/accounts", limit=1)["accounts"][0]
    assert {"number", "name", "type", "category", "report_group", "is_system"} <= set(acc)
    codes = shaped.json("/v1/tax-codes")["tax_codes"]
    assert set(codes[0]) == {
        "code",
        "label",
        "description",
        "rate",
        "vat_account",
        "self_assess_account",
        "is_system",
        "is_active",
    }


def test_journal_detail_interiors_round_trip(shaped):
    t = shaped.t
    inv = next(i for i in t.invoices_of("out") if i.currency == "USD" and i.intent_id)
    got = shaped.json(f"/v1/journal/{inv.intent_id}")
    assert got["intent_id"] == inv.intent_id
    lines = [shaped.canon("journal_line", e) for e in got["entries"]]
    assert {ln["intent_id"] for ln in lines} == {inv.intent_id}
    assert any(ln["currency"] == "USD" and ln["fx_rate"] is not None for ln in lines)
    summary = shaped.canon("journal_summary", got["summary"])
    assert summary["total_debit"] == summary["total_credit"] == sum(ln["debit"] for ln in lines)
    meta = shaped.canon("journal_metadata", got["metadata"])
    assert meta["external_reference"] == inv.invoice_number and meta["document_id"] == inv.document_id


def test_shape_variants_differ():
    from ledgerlou_sandbox.shapes import Shape

    flat, nested, r1, r2 = Shape("flat"), Shape("nested"), Shape("random", 1), Shape("random", 2)
    for kind in ("journal_line", "bank_transaction", "invoice_line", "customer"):
        assert len({repr(s.paths[kind]) for s in (flat, nested, r1, r2)}) == 4, kind
    # reference-named fields never move
    for s in (nested, r1, r2):
        assert s.paths["outgoing_invoice"]["remaining_amount"] == ("remaining_amount",)
        assert s.paths["account"]["report_group"] == ("report_group",)
