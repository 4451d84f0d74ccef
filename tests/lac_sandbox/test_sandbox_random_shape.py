"""`shape="random"`: same truth as flat, promised conventions kept, deterministic, hidden keys on purpose."""

from __future__ import annotations

import hashlib
import re
from urllib.parse import quote

import httpx
import pytest

from lac_sandbox import Sandbox, SandboxConfig
from lac_sandbox.ledger import ACCOUNTS, BALANCE_ACCOUNTS
from lac_sandbox.random_shape import RandomShape, hidden_list
from lac_sandbox.shape_info import KEYED_LISTS

DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
MONEY_WORDS = {
    "net_cents": ("net",),
    "vat_cents": ("vat", "tax"),
    "gross_cents": ("gross", "total"),
    "base_cents": ("base",),
    "output_vat_cents": ("output",),
    "input_vat_cents": ("input",),
}
# Seeds below 30 that hide a key: (list, key path in an entry), as documented in docs/sandbox.md.
HIDING_SEEDS = {
    1: ("outputs", "sismosy.pibo"),
    4: ("outputs", "stornox"),
    6: ("uploads", "binur"),
    23: ("imports", "lile"),
    24: ("uploads", "skillabo"),
    26: ("imports", "tinvond"),
    28: ("outputs", "livvresy.hakibo"),
}
# list -> (path, envelope (None: the shape's connections list), canonical key field)
LISTS = {
    "uploads": ("/uploads", "files", "filename"),
    "outputs": ("/outputs", "outputs", "output_id"),
    "imports": ("/imports", "runs", "run_id"),
    "templates": ("/invoice-recurring", "templates", "template_id"),
    "messages": ("/messages", "messages", "id"),
    "connections": ("/bank-connections", None, "connection_id"),
    "employees": ("/payroll", "employees", "employee_id"),
    "payroll_runs": ("/payroll", "runs", "run_id"),
}
SMALL = {"months": 6, "rows_per_month": 40}


def at(obj: dict, dotted: str):
    for name in dotted.split("."):
        obj = obj[name]
    return obj


def leaves(obj: dict, prefix: str = ""):
    """(dotted path, value) of every non-object value, not descending into lists."""
    for k, v in obj.items():
        path = f"{prefix}{k}"
        if isinstance(v, dict):
            yield from leaves(v, path + ".")
        else:
            yield path, v


def conventional_keys(entry: dict, param: str | None) -> list[str]:
    """Paths a key convention would pick: `id`, named after the path parameter, or `*_id/_key/_ref`."""
    out = []
    for path, value in leaves(entry):
        name = path.rsplit(".", 1)[-1]
        if isinstance(value, str) and (
            name == "id" or (param and param in name) or name.endswith(("_id", "_key", "_ref"))
        ):
            out.append(path)
    return out


def canon(fields: dict[str, str], row: dict) -> dict:
    """A rendered row back in canonical form (the fields the truth rows carry)."""
    return {f: at(row, p) for f, p in fields.items() if f not in ("id", "period", "account_name")}


@pytest.fixture(scope="module")
def flat():
    """The flat shape of the `random_shaped` world."""
    sb = Sandbox(SandboxConfig(months=14, rows_per_month=40))
    with sb.serve():
        yield sb


def _get(client, path, **params):
    r = client.get(path, params=params)
    assert r.status_code == 200, r.text
    return r.json()


# ---- truth ---------------------------------------------------------------------------------
def test_truth_is_the_same_world_as_flat(random_shaped, flat):
    sb = random_shaped.sb
    lists = ("invoices", "parties", "templates", "messages", "connections", "uploads", "outputs", "imports")
    for cid in sb.customer_ids:
        for name in lists:
            assert getattr(sb.truth, name)(cid) == getattr(flat.truth, name)(cid), name
        assert sb.truth.sheet_totals(cid, "books", "all") == flat.truth.sheet_totals(cid, "books", "all")


def test_sheet_rows_are_the_canonical_rows(random_shaped):
    sb, c = random_shaped.sb, random_shaped.read
    cid = sb.customer_ids[0]
    info = sb.shape_info
    for period in sb.truth.periods(cid)[-3:]:
        for tab, fields, truth in (
            ("books", info.books_fields, list(sb.truth.books_rows(cid, period))),
            ("vat", info.vat_fields, list(sb.truth.vat_rows(cid, period))),
        ):
            rows = _get(c, "/sheet", tab=tab, range=period, limit=0)["rows"]
            keys = [f for f in fields if f not in ("id", "period", "account_name")]
            assert [canon(fields, r) for r in rows] == [{k: t[k] for k in keys} for t in truth]
            if "id" in fields:
                assert [at(r, fields["id"]) for r in rows] == [f"{cid}:{period}:{t['seq']}" for t in truth]
            if "period" in fields:
                assert {at(r, fields["period"]) for r in rows} == {period}
            if "account_name" in fields:
                assert all(
                    ACCOUNTS[at(r, fields["account_code"])][0] == at(r, fields["account_name"]) for r in rows
                )


def test_drill_rows_are_the_books_rows(random_shaped):
    sb, c = random_shaped.sb, random_shaped.read
    cid, fields = sb.customer_ids[0], sb.shape_info.books_fields
    payload = _get(c, "/statements/drill", account_codes="3000,4000", range="2026-Q3")
    rows = [r for v in leaves(payload) for r in _lists_of_rows(v[1], fields)]
    want = [r for m in ("2026-07", "2026-08", "2026-09") for r in sb.truth.books_rows(cid, m)]
    want = [r for r in want if r["account_code"] in ("3000", "4000")]
    assert len(rows) == len(want) > 0
    assert sorted(canon(fields, r)["net_cents"] for r in rows) == sorted(r["net_cents"] for r in want)
    assert _account_lines(payload) == {
        code: sum(r["net_cents"] for r in want if r["account_code"] == code) for code in ("3000", "4000")
    }


def _lists_of_rows(value, fields: dict[str, str]) -> list[dict]:
    if not isinstance(value, list):
        return []
    out = []
    for item in value:
        if isinstance(item, dict):
            try:
                canon(fields, item)
            except (KeyError, TypeError):
                for _, v in leaves(item):
                    out += _lists_of_rows(v, fields)
            else:
                out.append(item)
    return out


def test_sums_of_every_cents_field_equal_flat(random_shaped, flat):
    """Σ of every `_cents` leaf of a month's rows, per meaning and in all, equals the flat shape's."""
    sb = random_shaped.sb
    with _client(flat) as fc:
        for tab, fields in (("books", sb.shape_info.books_fields), ("vat", sb.shape_info.vat_fields)):
            money = [f for f in fields if f.endswith("_cents")]
            rows = _get(random_shaped.read, "/sheet", tab=tab, range="2026-10", limit=0)["rows"]
            flat_rows = _get(fc, "/sheet", tab=tab, range="2026-10", limit=0)["rows"]
            assert len(money) == 3 and len(rows) == len(flat_rows) > 0
            for f in money:
                assert sum(at(r, fields[f]) for r in rows) == sum(r[f] for r in flat_rows), (tab, f)
            total = sum(v for r in rows for p, v in leaves(r) if p.endswith("_cents"))
            assert total == sum(v for r in flat_rows for k, v in r.items() if k.endswith("_cents"))


def test_statements_found_by_the_promised_conventions(random_shaped):
    sb, c = random_shaped.sb, random_shaped.read
    cid = sb.customer_ids[0]
    for rng in ("2026-10", "2026-Q3"):
        lines = _account_lines(_get(c, "/statements", range=rng))
        income = {k: v for k, v in lines.items() if k not in BALANCE_ACCOUNTS}
        balance = {k: v for k, v in lines.items() if k in BALANCE_ACCOUNTS}
        assert income == sb.truth.income_statement(cid, rng)
        assert balance == sb.truth.balance_sheet(cid, rng)
        cf = _get(c, "/statements", range=rng, statement="cashflow")
        assert _cashflow_lines(cf) == sb.truth.cashflow(cid, rng)


def _account_lines(payload) -> dict[str, int]:
    """{account code: cents} of every list entry holding one account-code field and one amount."""
    found: dict[str, int] = {}

    def visit(value, in_list: bool):
        if isinstance(value, list):
            for v in value:
                visit(v, True)
        elif isinstance(value, dict):
            flat = dict(leaves(value))
            codes = [
                v
                for p, v in flat.items()
                if isinstance(v, str)
                and v.isdigit()
                and re.search(r"account|acct|code|number", p.rsplit(".", 1)[-1])
            ]
            cents = [v for p, v in flat.items() if p.endswith("_cents")]
            if in_list and len(codes) == 1 and len(cents) == 1:
                assert codes[0] not in found
                found[codes[0]] = cents[0]
            for v in value.values():
                visit(v, False)

    visit(payload, False)
    return dict(sorted(found.items()))


def _cashflow_lines(payload) -> dict[str, int]:
    ids = ("opening_cash", "cash_in", "cash_out", "closing_cash")
    out = {}

    def visit(value):
        if isinstance(value, list):
            for v in value:
                visit(v)
        elif isinstance(value, dict):
            names = [v for v in value.values() if v in ids]
            cents = [v for k, v in value.items() if k.endswith("_cents")]
            if len(names) == 1 and len(cents) == 1:
                out[f"{names[0]}_cents"] = cents[0]
            for v in value.values():
                visit(v)

    visit(payload)
    return out


def test_files_are_the_same_bytes(random_shaped):
    sb, c = random_shaped.sb, random_shaped.read
    cid = sb.customer_ids[0]
    for u in sb.truth.uploads(cid):
        r = c.get("/uploads/" + quote(u["filename"]))
        assert hashlib.sha256(r.content).hexdigest() == u["sha256"]
    for o in sb.truth.outputs(cid):
        for f in o["files"]:
            r = c.get(f"/outputs/{o['output_id']}/files/{f['role']}")
            assert hashlib.sha256(r.content).hexdigest() == f["sha256"]


# ---- what stays recognisable ---------------------------------------------------------------
def test_row_fields_keep_the_promised_names(random_shaped):
    info = random_shaped.sb.shape_info
    for fields in (info.books_fields, info.vat_fields):
        leaf = {f: p.rsplit(".", 1)[-1] for f, p in fields.items()}
        for f, words in MONEY_WORDS.items():
            if f in leaf:
                assert leaf[f].endswith("_cents") and any(w in leaf[f] for w in words), leaf[f]
        assert leaf["vat_rate_basis_points"].endswith("_basis_points")
        assert re.search(r"account|acct|code|number", leaf["account_code"])
        if "account_name" in leaf:
            assert re.search(r"name|title|label", leaf["account_name"])
    row = _get(random_shaped.read, "/sheet", tab="books", range="2026-10", limit=1)["rows"][0]
    assert DATE.match(at(row, info.books_fields["date"]))
    assert re.fullmatch(r"\d{4}", at(row, info.books_fields["account_code"]))


def test_row_window_pages_to_the_end(random_shaped):
    c = random_shaped.read
    full = _get(c, "/sheet", tab="books", range="2026-10", limit=0)["rows"]
    paged, offset = [], 0
    while True:
        page = _get(c, "/sheet", tab="books", range="2026-10", limit=15, offset=offset)
        window = page["row_window"]
        assert window["offset"] == offset and window["limit"] == 15
        assert [v for k, v in window.items() if "total" in k] == [len(full)]
        if not page["rows"]:
            break
        paged += page["rows"]
        offset += 15
    assert paged == full


def test_available_ranges_still_name_the_months(random_shaped):
    sb = random_shaped.sb
    ranges = _get(random_shaped.read, "/sheet", tab="books", range="2026-10", limit=1)["available_ranges"]
    months = [
        m
        for entry in ranges
        for _, v in leaves(entry)
        if isinstance(v, str)
        for m in re.findall(r"\d{4}-\d{2}", v)
    ]
    assert months == list(reversed(sb.truth.periods(sb.customer_ids[0])))


# ---- determinism ---------------------------------------------------------------------------
def test_same_seed_same_bytes_other_seed_other_names():
    paths = [
        ("/sheet", {"tab": "books", "range": "2026-10", "limit": "5"}),
        ("/uploads", {}),
        ("/outputs", {}),
        ("/statements", {"range": "2026-10"}),
        ("/invoices", {}),
    ]

    def dump(seed: int) -> list[bytes]:
        sb = Sandbox(SandboxConfig(shape="random", shape_seed=seed, **SMALL))
        with sb.serve(), _client(sb) as c:
            return [c.get(p, params=q).content for p, q in paths]

    assert dump(11) == dump(11)
    assert all(a != b for a, b in zip(dump(11), dump(12), strict=True))


def _client(sb: Sandbox) -> httpx.Client:
    return token_client(sb, sb.read_key(sb.customer_ids[0]))


def token_client(sb: Sandbox, token: str) -> httpx.Client:
    return httpx.Client(base_url=sb.server.base_url, headers={"Authorization": f"Bearer {token}"})


# ---- keys ----------------------------------------------------------------------------------
def test_about_one_seed_in_five_hides_a_key():
    hiding = {s: hidden_list(s) for s in range(200) if hidden_list(s)}
    assert 25 <= len(hiding) <= 55
    assert {s: k for s, k in hiding.items() if s < 30} == {s: k for s, (k, _) in HIDING_SEEDS.items()}
    assert set(hiding.values()) == {"uploads", "outputs", "imports"}


def _truth_entries(sb: Sandbox, name: str) -> list[dict]:
    cid, t = sb.customer_ids[0], sb.truth
    if name in ("employees", "payroll_runs"):
        return t.payroll(cid, "2026-11")["employees" if name == "employees" else "runs"]
    return t.connections(cid)["bank"] if name == "connections" else getattr(t, name)(cid)


@pytest.mark.parametrize("seed", range(30))
def test_keys_follow_a_convention_unless_hidden(seed):
    """Non-hidden: the key is the one field a convention finds; hidden: no field is."""
    sb = Sandbox(SandboxConfig(shape="random", shape_seed=seed, **SMALL))
    info = sb.shape_info
    assert info.hidden_keys == ((HIDING_SEEDS[seed][0],) if seed in HIDING_SEEDS else ())
    if seed in HIDING_SEEDS:
        assert info.keys[info.hidden_keys[0]] == HIDING_SEEDS[seed][1]
    with sb.serve(), token_client(sb, sb.session_token) as c:
        for name, (path, envelope, field) in LISTS.items():
            entries = at(c.get(path).json(), envelope or info.connections_list)
            key = info.keys[name]
            assert [at(e, key) for e in entries] == [x[field] for x in _truth_entries(sb, name)] != []
            found = {tuple(conventional_keys(e, KEYED_LISTS[name])) for e in entries}
            assert found == ({()} if name in info.hidden_keys else {(key,)}), (name, key)
        if "uploads" in info.hidden_keys:
            entry = c.get("/uploads").json()["files"][0]
            with_extension = [
                p for p, v in leaves(entry) if isinstance(v, str) and re.search(r"\.[a-z]{3,4}$", v)
            ]
            assert len(with_extension) >= 2 and info.keys["uploads"] in with_extension


def test_lists_inside_rows_on_some_seeds():
    infos = {s: RandomShape(s).info for s in range(30)}
    with_lists = [s for s, i in infos.items() if i.row_lists]
    assert 3 <= len(with_lists) < 30
    sb = Sandbox(SandboxConfig(shape="random", shape_seed=with_lists[0], **SMALL))
    with sb.serve(), _client(sb) as c:
        rows = c.get("/sheet", params={"tab": "books", "range": "2026-10", "limit": 50}).json()["rows"]
    for name in sb.shape_info.row_lists:
        assert all(isinstance(r[name], list) for r in rows)
        assert any(r[name] for r in rows)
