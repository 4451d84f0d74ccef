"""advance() changes exactly what it reports, and everything stays consistent (both shapes)."""

from __future__ import annotations

import pytest

from lac_sandbox import calendar as cal

SHAPES = [pytest.param(s, marks=pytest.mark.sandbox_config(shape=s), id=s) for s in ("flat", "nested")]


def _books(sb, cid):
    return {p: {r["seq"]: r for r in sb.truth.books_rows(cid, p)} for p in sb.ledger(cid).periods}


@pytest.mark.parametrize("shape", SHAPES)
def test_advance_changes_exactly_what_it_says(sandbox, norm, shape):
    sb = sandbox
    before = {cid: _books(sb, cid) for cid in sb.customer_ids}
    inv_before = {cid: {i["id"]: i for i in sb.truth.invoices(cid)} for cid in sb.customer_ids}
    counts = {
        cid: (
            len(sb.truth.messages(cid)),
            len(sb.truth.uploads(cid)),
            len(sb.truth.outputs(cid)),
            len(sb.truth.imports(cid)),
        )
        for cid in sb.customer_ids
    }
    summary = sb.advance()
    assert summary["advance"] == 1 and set(summary["customers"]) == set(sb.customer_ids)
    today_idx = cal.to_index(cal.period_of(sb.cfg.today))
    for cid, ch in summary["customers"].items():
        after = _books(sb, cid)
        changed = {p for p in after if after[p] != before[cid][p]}
        assert changed == set(ch["periods_touched"])
        added = {(x["period"], x["seq"]) for x in ch["rows_added"]}
        edited = {(x["period"], x["seq"]) for x in ch["rows_edited"]}
        deleted = {(x["period"], x["seq"]) for x in ch["rows_deleted"]}
        assert len(edited) == 3 and len(deleted) == 1 and added
        assert {p for p, _ in added} == {cal.period_of(sb.cfg.today)}
        assert any(today_idx - cal.to_index(p) >= 8 for p, _ in edited)
        for p in after:
            b, a = before[cid][p], after[p]
            assert {(p, s) for s in a.keys() - b.keys()} == {x for x in added if x[0] == p}
            assert {(p, s) for s in b.keys() - a.keys()} == {x for x in deleted if x[0] == p}
            diff = {(p, s) for s in a.keys() & b.keys() if a[s] != b[s]}
            assert diff == {x for x in edited if x[0] == p}
            for _, s in diff:
                assert a[s]["net_cents"] != b[s]["net_cents"]
        # invoices
        inv_after = {i["id"]: i for i in sb.truth.invoices(cid)}
        assert (
            set(inv_before[cid]) - set(inv_after) == set(ch["invoices_removed"])
            and len(ch["invoices_removed"]) == 1
        )
        assert (
            set(inv_after) - set(inv_before[cid]) == set(ch["invoices_new"]) and len(ch["invoices_new"]) == 3
        )
        assert len(ch["invoices_paid"]) == 2
        for iid in ch["invoices_paid"]:
            assert (
                inv_before[cid][iid]["status"] in ("sent", "overdue") and inv_after[iid]["status"] == "paid"
            )
        untouched = set(inv_after) & set(inv_before[cid]) - set(ch["invoices_paid"])
        assert all(inv_after[i] == inv_before[cid][i] for i in untouched)
        m, u, o, i = counts[cid]
        assert (
            len(sb.truth.messages(cid)),
            len(sb.truth.uploads(cid)),
            len(sb.truth.outputs(cid)),
            len(sb.truth.imports(cid)),
        ) == (m + 2, u + 1, o + 1, i + 1)
    # over HTTP: removed invoice 404s, new things visible, statements consistent
    cid = sb.customer_ids[0]
    ch = summary["customers"][cid]
    with norm.client_for(sb, sb.read_key(cid)) as c:
        assert c.get(f"/invoices/{ch['invoices_removed'][0]}").status_code == 404
        assert [i["id"] for i in c.get("/invoices").json()["invoices"]] == [
            i["id"] for i in sb.truth.invoices(cid)
        ]
        new_out = ch["outputs_new"][0]
        for role in ("excel", "pdf", "json", "instructions"):
            assert c.get(f"/outputs/{new_out}/files/{role}").status_code == 200
        for p in ch["periods_touched"]:
            st = norm.statements(shape, c.get("/statements", params={"range": p}).json())
            assert st["income_statement"] == sb.truth.income_statement(cid, p)
            assert st["balance_sheet"] == sb.truth.balance_sheet(cid, p)
            rows = [
                norm.books(shape, r)
                for r in c.get("/sheet", params={"tab": "books", "range": p, "limit": 0}).json()["rows"]
            ]
            assert rows == list(sb.truth.books_rows(cid, p))
            fil = c.get("/filings", params={"range": p}).json()
            assert fil["vat_preview"] == sb.truth.filing(cid, p)["vat_preview"]
            an = norm.analytics(shape, c.get("/analytics", params={"range": p}).json())
            assert an["categories"] == sb.truth.analytics(cid, p)["categories"]


def test_advance_is_deterministic_and_each_call_differs():
    from lac_sandbox import Sandbox, SandboxConfig

    a, b = Sandbox(SandboxConfig()), Sandbox(SandboxConfig())
    first_a, first_b = a.advance(), b.advance()
    assert first_a == first_b
    second = a.advance()
    assert second["advance"] == 2 and second["rows_edited"] != first_a["rows_edited"]
    assert set(second["invoices_new"]).isdisjoint(first_a["invoices_new"])
    assert list(a.truth.books_rows(a.customer_ids[0], "2026-10")) == list(
        a.truth.books_rows(a.customer_ids[0], "2026-10")
    )
