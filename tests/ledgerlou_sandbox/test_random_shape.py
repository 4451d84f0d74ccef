"""The random shape keeps what conventions identify (docs/ledgerlou-sandbox.md, "Shapes").

The classifier below restates the documented naming rules as a client would apply them to a leaf
name; it is written from the docs, not from `random_shape.py`. For every free field of every kind,
on many seeds, it must find exactly the meaning the field has, and nothing in the random parts.
"""

from __future__ import annotations

import re
from decimal import Decimal
from types import SimpleNamespace

import pytest

from ledgerlou_sandbox.shapes import HIDDEN_ID_CANDIDATES, KINDS, Shape

SEEDS = range(1, 22)
OWN_ID = re.compile(r"^(id|.+_(id|key|ref))$")
REFERENCE_WORDS = {
    "intent", "document", "transaction", "bank", "invoice", "party", "vendor", "inbox", "case", "run",
}  # fmt: skip


def money_meaning(tokens: list[str]) -> str | None:
    """The documented decision list for money names (first match wins)."""
    t = set(tokens)
    if "base" in t:
        if t & {"gross", "total"}:
            return "base_gross"
        if t & {"remaining", "open"}:
            return "base_remaining"
        return "base_balance" if "balance" in t else "base_amount"
    rules = [
        ({"remaining", "open"}, "remaining"),
        ({"debit"}, "debit"),
        ({"credit"}, "credit"),
        ({"net"}, "net"),
        ({"output"}, "output_tax"),
        ({"input"}, "input_tax"),
        ({"tax", "vat"}, "tax"),
        ({"gross", "total"}, "gross"),
        ({"opening"}, "opening_balance"),
        ({"closing"}, "closing_balance"),
        ({"balance"}, "balance"),
        ({"price"}, "unit_price"),
        ({"revenue"}, "revenue"),
        ({"expenses", "expense"}, "expenses"),
        ({"result"}, "result"),
        ({"amount"}, "amount"),
    ]
    return next((meaning for words, meaning in rules if t & words), None)


def classify(name: str) -> str | None:
    """What a client concludes from a free field's leaf name alone (None: a random name)."""
    tokens = name.split("_")
    t = set(tokens)
    if OWN_ID.match(name):
        return "id"
    if t & REFERENCE_WORDS:
        return "ref:" + next(w for w in tokens if w in REFERENCE_WORDS)
    if t & {"account", "acct", "number"}:
        return "account"
    if t & {"name", "title", "label"}:
        return "account_name"
    if "currency" in t:
        return "currency"
    if t & {"code", "taxcode", "vatcode"}:
        return "tax_code"
    if "rate" in t:
        return "rate"
    if t & {"status", "state"}:
        return "status"
    if "active" in t:
        return "active"
    money = money_meaning(tokens)
    return f"money:{money}" if money else None


# canonical free field -> what its name must tell (fields not listed must tell nothing)
EXPECTED = {
    "id": "id",
    "currency": "currency",
    "account_number": "account",
    "ledger_account": "account",
    "open_item_account": "account",
    "account_name": "account_name",
    "tax_code": "tax_code",
    "default_tax_code": "tax_code",
    "fx_rate": "rate",
    "tax_rate": "rate",
    "rate": "rate",
    "status": "status",
    "is_active": "active",
    "intent_id": "ref:intent",
    "document_id": "ref:document",
    "transaction_id": "ref:transaction",
    "bank_account_id": "ref:bank",
    "invoice_id": "ref:invoice",
    "party_id": "ref:party",
    "vendor_id": "ref:vendor",
    "inbox_id": "ref:inbox",
    "review_case_id": "ref:case",
    "payment_run_id": "ref:run",
    **{
        f"{f}": f"money:{m}"
        for f, m in {
            "debit": "debit",
            "credit": "credit",
            "amount": "amount",
            "base_amount": "base_amount",
            "running_balance": "balance",
            "total_debit": "debit",
            "total_credit": "credit",
            "total_net": "net",
            "total_tax": "tax",
            "total_gross": "gross",
            "remaining_amount": "remaining",
            "base_total_gross": "base_gross",
            "base_remaining_amount": "base_remaining",
            "unit_price": "unit_price",
            "net": "net",
            "tax": "tax",
            "gross": "gross",
            "output_tax": "output_tax",
            "input_tax": "input_tax",
            "balance": "balance",
            "base_balance": "base_balance",
            "opening_balance": "opening_balance",
            "closing_balance": "closing_balance",
            "statement_balance": "balance",
            "revenue": "revenue",
            "expenses": "expenses",
            "result": "result",
        }.items()
    },
}
DATES = {"booking_date", "value_date", "payment_date", "invoice_date", "due_date", "opening_date"}
DATES |= {"as_of", "date", "start_date", "end_date"}


@pytest.mark.parametrize("seed", SEEDS)
def test_every_free_field_tells_what_a_convention_identifies(seed):
    s = Shape("random", seed)
    hidden = {kind for kind in s.hidden_ids}
    for kind, (_, free) in KINDS.items():
        for f in free:
            path = s.paths[kind][f]
            want = None if (f == "id" and kind in hidden) else EXPECTED.get(f)
            assert classify(path[-1]) == want, (seed, kind, f, path)
            # groups are random words: only the leaf carries meaning
            assert all(classify(group) is None for group in path[:-1]), (seed, kind, f, path)
        for path, _ in s.extras[kind].values():
            assert all(classify(name) is None for name in path), (seed, kind, path)
        meanings = [m for f in free if (m := classify(s.paths[kind][f][-1]))]
        assert len(meanings) == len(set(meanings)), (seed, kind, meanings)  # one field per meaning


def test_the_rules_cover_every_money_date_and_id_field():
    """Guards EXPECTED against a new field slipping through as a random name."""
    money_like = re.compile(r"debit|credit|amount|balance|net|tax|gross|total|price|revenue|expenses|result")
    for kind, (_, free) in KINDS.items():
        for f in free:
            if f in DATES or f.endswith("_at") or f in ("tax_rate", "tax_code", "default_tax_code"):
                continue
            if money_like.search(f) or f.endswith("_id") and f not in ("batch_id", "end_to_end_id"):
                assert f in EXPECTED, (kind, f)


@pytest.mark.parametrize("seed", SEEDS)
def test_leaf_names_are_distinct_within_a_kind(seed):
    s = Shape("random", seed)
    for kind in KINDS:
        leaves = [p[-1] for p in s.paths[kind].values()] + [p[-1] for p, _ in s.extras[kind].values()]
        assert len(leaves) == len(set(leaves)), (seed, kind)


def test_names_and_structure_vary_with_the_seed():
    shapes = [Shape("random", seed) for seed in SEEDS]
    for kind in ("journal_line", "bank_transaction", "invoice_line", "open_item"):
        assert len({repr(s.paths[kind]) for s in shapes}) == len(shapes), kind
        assert len({tuple(s.order[kind]) for s in shapes}) > len(shapes) // 2, kind
        nested = [s for s in shapes if any(len(p) > 1 for p in s.paths[kind].values())]
        assert 0 < len(nested) < len(shapes), kind
    assert 0 < sum(1 for s in shapes if s.extras["journal_line"]) < len(shapes)
    money = {s.paths["journal_line"]["debit"][-1] for s in shapes}
    assert "debit" in money and len(money) > len(shapes) // 2


@pytest.mark.parametrize("seed", [0, 3, 6, 9, 12, 15, 18, 21, 24, 27, 30, 33, 36, 39, 42])
def test_hidden_ids_match_no_convention(seed):
    s = Shape("random", seed)
    kind = HIDDEN_ID_CANDIDATES[(seed // 3) % len(HIDDEN_ID_CANDIDATES)]
    assert list(s.hidden_ids) == [kind]
    assert all(classify(name) is None for name in s.hidden_ids[kind].split("."))
    # no other field of that kind follows the id convention either
    fixed = set(KINDS[kind][0])
    assert not [f for f, p in s.paths[kind].items() if f not in fixed and OWN_ID.match(p[-1])]


def test_same_seed_same_layout():
    for seed in SEEDS:
        a, b = Shape("random", seed), Shape("random", seed)
        assert a.info == b.info and a.order == b.order


def _leaves(obj: dict, fixed: set[str]) -> dict[str, object]:
    """Leaf name -> value of a rendered object, skipping reference-named fields and nested lists' items."""
    out = {}
    for k, v in obj.items():
        if k in fixed:
            continue
        if isinstance(v, dict) and v:
            out |= _leaves(v, set())
        else:
            out[k] = v
    return out


def test_served_values_fit_their_names(tools):
    """What a client sees: by name alone it finds the id, money, currencies, accounts and dates."""
    from ledgerlou_sandbox import Sandbox, SandboxConfig

    sb = Sandbox(SandboxConfig(shape="random", shape_seed=4, months=3, bookings_per_month=20))
    p = sb.api.authenticate(f"Bearer {sb.api_key(sb.tenant_ids[0])}")
    date = re.compile(r"^\d{4}-\d{2}-\d{2}$")
    for path, key, kind, found in (
        ("/v1/journal", "entries", "journal_line", {"id", "money", "currency", "account", "date", "ref"}),
        ("/v1/bank-transactions", "transactions", "bank_transaction", {"id", "money", "currency", "date"}),
        ("/v1/invoices", None, "purchase_invoice", {"id", "money", "rate"}),
        ("/v1/outgoing-invoices/open-items", None, "open_item", {"money", "currency", "date", "ref"}),
    ):
        payload = tools.body(_get(sb, p, path))
        items = payload[key] if key else payload
        assert items, path
        fixed = set(KINDS[kind][0])
        dates = {sb.shape_info["fields"][kind][f].rsplit(".", 1)[-1] for f in DATES if f in KINDS[kind][1]}
        for item in items:
            leaves = _leaves(item, fixed)
            assert sum(1 for name in leaves if classify(name) == "id") == (kind != "open_item"), item
            seen = set()
            for name, value in leaves.items():
                meaning = classify(name) or ""
                seen.add(meaning.split(":")[0] or ("date" if name in dates else ""))
                if meaning.startswith("money:"):
                    assert value is None or type(value) in (int, Decimal), (name, value)
                elif meaning == "currency":
                    assert re.fullmatch(r"[A-Z]{3}", value), (name, value)
                elif meaning == "account":
                    assert re.fullmatch(r"\d{4}", value), (name, value)
                elif name in dates:
                    assert value is None or date.match(value), (name, value)
            assert found <= seen, (kind, item)


def _get(sb, principal, path: str):
    resp = sb.api.handle("GET", path, {}, principal)
    assert resp.status == 200, resp.body[:200]
    return SimpleNamespace(content=resp.body)
