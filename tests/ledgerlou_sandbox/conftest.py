"""Fixtures for the LedgerLou sandbox tests: started sandboxes per shape, Decimal-exact JSON, un-shaping."""

from __future__ import annotations

import json
from decimal import Decimal
from types import SimpleNamespace

import httpx
import pytest

from ledgerlou_sandbox import Sandbox, SandboxConfig

SMALL = {"months": 6, "bookings_per_month": 40, "invoices_per_month": 5}
# (shape, shape_seed): the two hand-written shapes, a random one, and a random one hiding an id
SHAPES = [("flat", 1), ("nested", 1), ("random", 1), ("random", 3)]


def client_for(sb: Sandbox, token: str) -> httpx.Client:
    return httpx.Client(base_url=sb.server.base_url, headers={"Authorization": f"Bearer {token}"}, timeout=60)


def body(resp: httpx.Response):
    """JSON with exact decimals (amounts are JSON numbers; floats would lose cents)."""
    return json.loads(resp.content, parse_float=Decimal)


def cents(value) -> int:
    d = Decimal(str(value)) * 100
    assert d == d.to_integral_value(), f"{value} is not whole cents"
    return int(d)


_MISSING = object()


def unshape(sb: Sandbox, kind: str, obj: dict) -> dict:
    """Rendered object -> {canonical field: value} for the fields present (via sb.shape_info)."""
    out = {}
    for field, path in sb.shape_info["fields"][kind].items():
        node = obj
        for key in path.split("."):
            node = node.get(key, _MISSING) if isinstance(node, dict) else _MISSING
            if node is _MISSING:
                break
        if node is not _MISSING:
            out[field] = node
    return out


class Session:
    """A started sandbox with a read client for its first tenant."""

    def __init__(self, sb: Sandbox, client: httpx.Client):
        self.sb, self.client = sb, client
        self.tid = sb.tenant_ids[0]
        self.t = sb.tenant(self.tid)

    def get(self, path: str, **params) -> httpx.Response:
        return self.client.get(path, params=params)

    def json(self, path: str, **params):
        r = self.get(path, **params)
        assert r.status_code == 200, (path, params, r.status_code, r.text[:300])
        return body(r)

    def canon(self, kind: str, obj: dict) -> dict:
        return unshape(self.sb, kind, obj)


@pytest.fixture(scope="module", params=SHAPES, ids=[f"{s}-{n}" for s, n in SHAPES])
def shaped(request) -> Session:
    shape, seed = request.param
    sb = Sandbox(SandboxConfig(shape=shape, shape_seed=seed, **SMALL))
    with sb.serve(), client_for(sb, sb.api_key(sb.tenant_ids[0])) as c:
        yield Session(sb, c)


@pytest.fixture(scope="module")
def flat() -> Session:
    sb = Sandbox(SandboxConfig(**SMALL))
    with sb.serve(), client_for(sb, sb.api_key(sb.tenant_ids[0])) as c:
        yield Session(sb, c)


@pytest.fixture
def fresh() -> Session:
    """A function-scoped sandbox (for tests that mutate it)."""
    sb = Sandbox(SandboxConfig(**SMALL))
    with sb.serve(), client_for(sb, sb.api_key(sb.tenant_ids[0])) as c:
        yield Session(sb, c)


@pytest.fixture(scope="session")
def tools() -> SimpleNamespace:
    return SimpleNamespace(body=body, cents=cents, unshape=unshape, client_for=client_for)
