"""Same seed, same bytes; shapes are stable per shape_seed; some random seeds hide an id."""

from __future__ import annotations

import json
import re

import pytest

from ledgerlou_sandbox import Sandbox, SandboxConfig
from ledgerlou_sandbox.shapes import HIDDEN_ID_CANDIDATES, KINDS, Shape

PATHS = (
    "/v1/accounts",
    "/v1/journal",
    "/v1/customers",
    "/v1/outgoing-invoices",
    "/v1/invoices",
    "/v1/bank-transactions",
    "/v1/periods",
    "/v1/payment-runs",
    "/v1/inbox",
    "/v1/invoice-review-cases",
    "/v1/payables/ingestion-log",
    "/v1/reports/monthly-revenue-expenses",
)


def _bodies(cfg: SandboxConfig) -> dict[str, bytes]:
    sb = Sandbox(cfg)
    p = sb.api.authenticate(f"Bearer {sb.api_key(sb.tenant_ids[0])}")
    out = {path: sb.api.handle("GET", path, {}, p).body for path in PATHS}
    t = sb.tenant(sb.tenant_ids[0])
    doc = t.invoices_of("in")[0].document_id
    out["doc"] = sb.api.handle("GET", f"/v1/documents/{doc}/file", {}, p).body
    out["datev"] = sb.api.handle("GET", "/v1/reports/datev-export", {}, p).body
    return out


@pytest.mark.parametrize("shape", ["flat", "random"])
def test_same_seed_same_bytes(shape):
    cfg = {"months": 4, "bookings_per_month": 30, "shape": shape}
    a, b = _bodies(SandboxConfig(seed=3, **cfg)), _bodies(SandboxConfig(seed=3, **cfg))
    c = _bodies(SandboxConfig(seed=4, **cfg))
    assert a == b
    assert all(a[k] != c[k] for k in ("/v1/journal", "/v1/customers", "/v1/bank-transactions", "datev"))


def test_random_shapes_are_stable_per_seed_and_keep_reference_names():
    assert Shape("random", 5).info == Shape("random", 5).info != Shape("random", 6).info
    for seed in range(12):
        s = Shape("random", seed)
        for kind, (fixed, free) in KINDS.items():
            paths = s.paths[kind]
            assert set(paths) == set(fixed) | set(free)
            assert all(paths[f] == (f,) for f in fixed)
            extras = [p for p, _ in s.extras[kind].values()]
            rendered = [".".join(p) for p in [*paths.values(), *extras]]
            assert len(set(rendered)) == len(rendered), (seed, kind)  # no two fields on one path
            tops = {p[0] for p in [*paths.values(), *extras] if len(p) > 1}
            assert not tops & {p[0] for p in [*paths.values(), *extras] if len(p) == 1}, (seed, kind)


_CONVENTIONAL = re.compile(r"^(id|.+_(id|key|ref))$")


@pytest.mark.parametrize("seed", range(0, 24))
def test_hidden_id_seeds(seed):
    s = Shape("random", seed)
    if seed % 3:
        assert s.hidden_ids == {}
        for kind in HIDDEN_ID_CANDIDATES:
            assert _CONVENTIONAL.match(s.paths[kind]["id"][-1]), (seed, kind)
    else:
        kind = HIDDEN_ID_CANDIDATES[(seed // 3) % len(HIDDEN_ID_CANDIDATES)]
        path = s.paths[kind]["id"]
        assert s.hidden_ids == {kind: ".".join(path)}
        assert not any(_CONVENTIONAL.match(name) for name in path)


def test_hidden_id_is_served(tools):
    sb = Sandbox(SandboxConfig(shape="random", shape_seed=3, months=3, bookings_per_month=5))
    ((kind, path),) = sb.shape_info["hidden_ids"].items()
    assert kind == "vendor"
    p = sb.api.authenticate(f"Bearer {sb.api_key(sb.tenant_ids[0])}")
    vendors = json.loads(sb.api.handle("GET", "/v1/vendors", {}, p).body)
    assert [tools.unshape(sb, kind, v)["id"] for v in vendors] == [
        v.party_id for v in sb.tenant(sb.tenant_ids[0]).vendors
    ]
    assert path in _leaf_paths(vendors[0])
    free = [k for k in _leaf_paths(vendors[0]) if k not in KINDS["vendor"][0]]
    assert not any(_CONVENTIONAL.match(k.rsplit(".", 1)[-1]) for k in free)


def _leaf_paths(obj: dict, prefix: str = "") -> list[str]:
    out = []
    for k, v in obj.items():
        if isinstance(v, dict) and v:
            out += _leaf_paths(v, f"{prefix}{k}.")
        else:
            out.append(prefix + k)
    return out
