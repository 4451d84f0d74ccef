"""Authentication, scopes, tenant pinning, 404s, 400s and mutating methods."""

from __future__ import annotations

import httpx
import pytest

from ledgerlou_sandbox import dates, ids
from ledgerlou_sandbox.routes import endpoints


def _raw(s, token: str | None, method: str, path: str, **params) -> httpx.Response:
    headers = {} if token is None else {"Authorization": f"Bearer {token}"}
    with httpx.Client(base_url=s.sb.server.base_url, headers=headers, timeout=30) as c:
        return c.request(method, path, params=params)


@pytest.mark.parametrize("token", [None, "ll_live_nope", "llsess_0000"])
def test_401_without_a_known_token(flat, token):
    r = _raw(flat, token, "GET", "/v1/accounts")
    assert (
        r.status_code == 401
        and r.json()["error"] == "not_authenticated"
        and set(r.json()) == {"error", "detail"}
    )


def test_403_when_the_key_lacks_a_scope(flat):
    s = flat
    limited = s.sb.api_key(s.tid, bank=False)
    for path in (
        "/v1/bank-accounts",
        "/v1/bank-transactions",
        "/v1/bank-transactions/unreconciled-count",
        f"/v1/bank-accounts/{s.t.bank_accounts[0].bank_account_id}/reconciliation",
    ):
        r = _raw(s, limited, "GET", path)
        assert (
            r.status_code == 403 and r.json()["error"] == "scope_missing" and "'bank'" in r.json()["detail"]
        )
    for path in ("/v1/accounts", "/v1/customers", "/v1/periods", "/v1/inbox/address"):
        assert _raw(s, limited, "GET", path).status_code == 200


def test_keys_are_pinned_to_their_tenant(flat):
    s = flat
    other = s.sb.tenant_ids[1]
    r = _raw(s, s.sb.api_key(s.tid), "GET", "/v1/customers", tenant_id=other)
    assert r.status_code == 403 and r.json()["error"] == "forbidden_tenant"
    own = _raw(s, s.sb.api_key(other), "GET", "/v1/customers", limit=1).json()
    assert own[0]["id"] == s.sb.tenant(other).customers[0].party_id
    assert _raw(s, s.sb.session_token, "GET", "/v1/customers", tenant_id="nope").status_code == 403


def test_404s(flat):
    s = flat
    for path in (
        "/v1/nothing",
        "/v2/accounts",
        "/",
        "/v1/accounts/9999/entries",
        "/v1/journal/not-an-id",
        "/v1/journal/01999ec9-f660-71a5-9005-25c6c15eabb9",
        "/v1/documents/x/file",
        "/v1/bank-accounts/x",
        "/v1/bank-transactions/x",
        "/v1/bank-transactions/x/evidence",
        "/v1/customers/x",
        "/v1/vendors/x",
        "/v1/outgoing-invoices/x",
        "/v1/invoices/x",
        "/v1/payment-runs/x",
        "/v1/inbox/x",
        "/v1/invoice-review-cases/x",
        "/v1/periods/1999-01/lock/status",
        "/v1/bank-accounts/x/reconciliation",
    ):
        r = s.get(path)
        assert r.status_code == 404, path
        assert r.json()["error"] == "not_found"
    # an outgoing invoice id is not a purchase invoice id
    out_id = s.t.invoices_of("out")[0].invoice_id
    assert s.get(f"/v1/invoices/{out_id}").status_code == 404


def test_bulk_ids_from_another_tenant_are_unknown(flat):
    s = flat
    other = s.sb.tenant(s.sb.tenant_ids[1])
    p = s.sb.world.periods[-2]
    foreign = other.journal.bulk.intent_id(p, 3)
    assert s.get(f"/v1/journal/{foreign}").status_code == 404
    own = s.t.journal.bulk.intent_id(p, 3)
    assert s.json(f"/v1/journal/{own}")["intent_id"] == own
    beyond = ids.encode(
        s.sb.cfg.seed,
        ids.KIND_INTENT,
        0,
        ids.LAYER_BULK,
        dates.month_index(p),
        s.sb.cfg.bookings_per_month + 5,
        1_790_000_000_000,
    )
    assert ids.decode(s.sb.cfg.seed, beyond) is not None and s.get(f"/v1/journal/{beyond}").status_code == 404
    assert s.get(f"/v1/documents/{own}/file").status_code == 404  # an intent id is no document id


@pytest.mark.parametrize(
    "path,params",
    [
        ("/v1/accounts", {"limit": "abc"}),
        ("/v1/accounts", {"limit": "0"}),
        ("/v1/accounts", {"limit": "501"}),
        ("/v1/accounts", {"offset": "-1"}),
        ("/v1/accounts/search", {"type": "assets"}),
        ("/v1/journal", {"startDate": "2026-13-01"}),
        ("/v1/journal", {"startDate": "01.02.2026"}),
        ("/v1/journal", {"startDate": "2026-05-02", "endDate": "2026-05-01"}),
        ("/v1/journal", {"limit": "1001"}),
        ("/v1/journal", {"account": "12x0"}),
        ("/v1/accounts/1200/entries", {"endDate": "yesterday"}),
        ("/v1/bank-transactions", {"status": "matched"}),
        ("/v1/bank-transactions", {"start_date": "2026-1-1"}),
        ("/v1/bank-accounts/balance-history", {"days": "0"}),
        ("/v1/customers", {"is_active": "maybe"}),
        ("/v1/vendors", {"limit": "201"}),
        ("/v1/outgoing-invoices", {"type": "refund"}),
        ("/v1/outgoing-invoices", {"status": "overdue"}),
        ("/v1/invoices", {"status": "draft"}),
        ("/v1/payment-runs", {"status": "done"}),
        ("/v1/inbox", {"status": "new"}),
        ("/v1/invoice-review-cases", {"queue_state": "open"}),
        ("/v1/payables/ingestion-log", {"outcome": "ok"}),
        ("/v1/tax-codes", {"include_inactive": "yes"}),
        ("/v1/reports", {}),
        ("/v1/reports", {"type": "cashflow"}),
        ("/v1/reports/datev-export", {"startDate": "2025-12-01", "endDate": "2026-01-31"}),
    ],
)
def test_400_for_invalid_query_values(flat, path, params):
    r = flat.get(path, **params)
    assert r.status_code == 400, (path, params, r.text)
    assert r.json()["error"] == "validation_error" and r.json()["detail"].split(":")[0] in params | {
        "type": 1
    }


def test_mutating_methods_are_authenticated_then_refused(flat):
    s = flat
    token = s.sb.api_key(s.tid)
    writes = [(m, t) for m, t in endpoints() if m != "GET"]
    assert len(writes) == 47
    url = s.sb.server.base_url
    with (
        httpx.Client(base_url=url) as anon,
        httpx.Client(base_url=url, headers={"Authorization": f"Bearer {token}"}) as c,
    ):
        for method, tmpl in writes:
            path = tmpl.replace("{", "").replace("}", "")
            assert anon.request(method, path).status_code == 401
            r = c.request(method, path)
            assert r.status_code == 501 and r.json()["error"] == "not_implemented", (method, tmpl)
    r = _raw(s, token, "DELETE", "/v1/accounts")
    assert r.status_code == 405 and r.headers["allow"] == "GET, POST"
    assert _raw(s, token, "POST", "/v1/periods").status_code == 405
    assert not any(rec.status == 200 for rec in s.sb.requests if rec.method != "GET")
