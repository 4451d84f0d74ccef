"""LacClient unit tests over httpx.MockTransport: retries, backoff, error mapping, key hygiene."""

import math
from decimal import Decimal

import httpx
import pytest
from fake_api import error, json_response, lac_client

from lac_connector.kit.errors import ApiError, AuthError, ConfigError, ForbiddenError, NotFoundError
from lac_connector.kit.http import ApiClient, _loads
from lac_source import build_session

KEY = "lac_sk_unit_test_secret_123"


def client_for(handler, **kwargs) -> ApiClient:
    return lac_client(
        "http://lac.test/portal", KEY, transport=httpx.MockTransport(handler), backoff_max=0.01, **kwargs
    )


def sequence(*responses):
    """A handler answering the given responses (or raising exceptions) in order."""
    calls: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        calls.append(request)
        item = responses[min(len(calls), len(responses)) - 1]
        if isinstance(item, Exception):
            raise item
        return item

    handler.calls = calls  # type: ignore[attr-defined]
    return handler


def test_sends_bearer_user_agent_and_counts_requests():
    handler = sequence(json_response({"ok": 1}))
    client = client_for(handler)
    assert client.get_json(
        "/invoices/{invoice_id}", {"customer_id": "c"}, path_params={"invoice_id": "a/b c"}
    ) == {"ok": 1}
    request = handler.calls[0]
    assert request.headers["Authorization"] == f"Bearer {KEY}"
    assert request.headers["User-Agent"].startswith("lac-connector/")
    assert request.url.raw_path == b"/portal/invoices/a%2Fb%20c?customer_id=c"
    assert request.method == "GET"
    assert client.request_counts == {"/invoices/{invoice_id}": 1}


@pytest.mark.parametrize(
    "transient",
    [
        json_response({"error": "busy"}, 503),
        json_response({"error": "bad gateway"}, 502),
        json_response({"error": "oops"}, 500),
        json_response({"error": "slow down"}, 429, headers={"Retry-After": "0"}),
        httpx.Response(200, content=b'{"rows": [1, 2', headers={"Content-Type": "application/json"}),
        httpx.ConnectError("refused"),
        httpx.ReadTimeout("slow"),
        httpx.RemoteProtocolError("peer closed connection without sending complete message body"),
    ],
    ids=["503", "502", "500", "429", "truncated-json", "connect", "read-timeout", "dropped"],
)
def test_transient_failures_are_retried(transient):
    handler = sequence(transient, json_response({"ok": True}))
    assert client_for(handler).get_json("/company") == {"ok": True}
    assert len(handler.calls) == 2


def test_retry_after_is_honoured(monkeypatch):
    waits: list[float] = []
    monkeypatch.setattr("tenacity.nap.time.sleep", waits.append)
    handler = sequence(json_response({"error": "rate"}, 429, headers={"Retry-After": "7"}), json_response({}))
    client_for(handler).get_json("/company")
    assert waits and waits[0] >= 7


def test_gives_up_after_budget_naming_endpoint_and_period():
    handler = sequence(json_response({"error": "down"}, 503))
    client = client_for(handler, max_attempts=3)
    with pytest.raises(
        ApiError, match=r"GET /sheet \(tab=books range=2026-03\) still failing after 3 attempts"
    ):
        client.get_json("/sheet", {"customer_id": "c", "tab": "books", "range": "2026-03"})
    assert len(handler.calls) == 3


@pytest.mark.parametrize(
    ("response", "exc", "text"),
    [
        (
            error(401, "unauthorized", "unknown token"),
            AuthError,
            "rejected the credential (401 unauthorized: unknown token): set a valid api_key",
        ),
        (
            error(403, "forbidden", "payroll needs an admin session"),
            ForbiddenError,
            "forbidden for this credential (403",
        ),
        (
            error(404, "not_found", "no such invoice"),
            NotFoundError,
            "not found (404 not_found: no such invoice)",
        ),
        (
            error(422, "validation_error", "limit must be <= 200"),
            ApiError,
            "refused by the API (422): validation_error: limit must be <= 200",
        ),
    ],
)
def test_client_errors_are_not_retried_and_explain_themselves(response, exc, text):
    handler = sequence(response)
    with pytest.raises(exc) as info:
        client_for(handler).get_json("/payroll", {"period": "2026-01"})
    assert text in str(info.value)
    assert KEY not in str(info.value)
    assert len(handler.calls) == 1


def test_html_page_means_wrong_base_url():
    handler = sequence(httpx.Response(200, content=b"<html>hi</html>", headers={"Content-Type": "text/html"}))
    with pytest.raises(ConfigError, match="check \\[sources.lac\\] base_url"):
        client_for(handler).get_json("/me")
    assert len(handler.calls) == 1


def test_json_null_is_none():
    assert client_for(sequence(json_response(None))).get_json("/statements") is None


@pytest.mark.parametrize(
    ("api_key", "access_token", "message"),
    [
        (None, None, "no LAC credential: set [sources.lac] api_key"),
        ("", None, "[sources.lac] api_key is empty"),
        ("   ", None, "[sources.lac] api_key is empty"),
        ("lac_sk_abc\n", None, "api_key contains whitespace or a line break"),
        ("lac_sk a", None, "api_key contains whitespace or a line break"),
        ("k", "t", "either [sources.lac] api_key or access_token"),
    ],
)
def test_bad_credentials_are_refused_before_any_request(api_key, access_token, message):
    with pytest.raises(ConfigError) as info:
        build_session(api_key=api_key, access_token=access_token)
    assert message in str(info.value)
    assert "\n" not in str(info.value)


def test_bad_base_url_is_refused():
    with pytest.raises(ConfigError, match="base_url must be an http"):
        build_session(api_key="k", access_token=None, base_url="api.example.com")


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        (b'{"n": 12, "x": 1.5, "s": "a"}', {"n": 12, "x": 1.5, "s": "a"}),
        (b'{"n": 9223372036854775807}', {"n": 2**63 - 1}),  # 19 digits: still an int
        (b'{"n": 18446744073709551616}', {"n": Decimal(2**64)}),  # orjson would give a float
        (f'{{"n": {-(2**70)}}}'.encode(), {"n": Decimal(-(2**70))}),
        ('{"s": "ä"}'.encode("utf-16"), {"s": "ä"}),  # not UTF-8: orjson refuses, json decides
        (b'{"s": "\\ud800"}', {"s": "\ud800"}),  # a lone surrogate
    ],
)
def test_json_bodies_decode_exactly(body, expected):
    decoded = _loads(body)
    assert decoded == expected and [type(v) for v in decoded.values()] == [type(v) for v in expected.values()]


def test_nan_decodes_like_stdlib_json():
    assert math.isnan(_loads(b'{"x": NaN}')["x"])
