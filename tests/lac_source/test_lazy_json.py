"""`get_json(..., lazy=...)`: large arrays kept as JSON text decode exactly as `get_json` decodes."""

from decimal import Decimal

import httpx
import pytest
from fake_api import lac_client

from lac_connector.kit.errors import ApiError
from lac_connector.kit.http import RawArray

BODIES = [
    b'{"rows": [{"n": 12345678901234567890123, "x": 1.5}, {"s": "\\u00e4 \\ud83d\\ude00"}], "total": 2}',
    b'{"rows": [], "cards": [{"n": 1}]}',
    b'{"rows": null}',
    b'{"rows": {"not": "a list"}}',
    b'[{"rows": [1]}]',
    b'{"rows": [{"s": "\\ud800"}]}',  # a lone surrogate: msgspec refuses it, stdlib json decides
]


def _client(body: bytes, status: int = 200):
    calls = []

    def handler(request: httpx.Request) -> httpx.Response:
        calls.append(request)
        content = body if len(calls) > 1 or status == 200 else body[: len(body) // 2]
        return httpx.Response(200, content=content, headers={"Content-Type": "application/json"})

    client = lac_client(
        "http://lac.test/portal", "lac_sk_x", transport=httpx.MockTransport(handler), backoff_max=0.01
    )
    return client, calls


def _materialized(value):
    if isinstance(value, RawArray):
        return value.decode()
    if isinstance(value, dict):
        return {k: _materialized(v) for k, v in value.items()}
    return value


@pytest.mark.parametrize("body", BODIES)
def test_lazy_members_decode_to_exactly_what_get_json_returns(body):
    client, _ = _client(body)
    eager = client.get_json("/sheet")
    lazy = client.get_json("/sheet", lazy=("rows",))
    assert _materialized(lazy) == eager
    if isinstance(eager, dict) and isinstance(eager.get("rows"), list) and b"ud800" not in body:
        assert isinstance(lazy["rows"], RawArray)
        assert len(lazy["rows"]) == len(eager["rows"])
        assert [lazy["rows"].decode(i, i + 1)[0] for i in range(len(eager["rows"]))] == eager["rows"]


def test_big_integers_in_lazy_rows_become_decimals_as_in_get_json():
    client, _ = _client(BODIES[0])
    row = client.get_json("/sheet", lazy=("rows",))["rows"].decode(0, 1)[0]
    assert row["n"] == Decimal("12345678901234567890123") and isinstance(row["n"], Decimal)


def test_a_truncated_body_is_retried_before_anything_is_handed_out():
    client, calls = _client(BODIES[0], status=0)  # the first answer is cut in half
    rows = client.get_json("/sheet", lazy=("rows",))["rows"]
    assert len(calls) == 2 and len(rows) == 2


def test_an_element_that_is_not_valid_utf8_fails_when_decoded_with_a_message():
    client, _ = _client(b'{"rows": [{"s": "\xff"}]}')
    rows = client.get_json("/sheet", lazy=("rows",))["rows"]
    with pytest.raises(ApiError, match="not valid JSON"):
        rows.decode()
