"""Invoicing tables: full sync against the sandbox truth, incremental detail fetches, deletions, 404s."""

from collections import Counter
from pathlib import Path

import dlt
import pytest
from fake_api import FakeLac, error, json_response, lac_client
from support import drop_target, make_target, sync

from lac_source import lac_source
from lac_source.session import LacSession

INVOICING = ["invoices", "invoice_customers", "recurring_templates"]
ALL_MINE = [*INVOICING, "messages", "connections", "company"]
NESTED = pytest.mark.sandbox_config(companies=1, shape="nested")
FLAT = pytest.mark.sandbox_config(companies=1, shape="flat")


def _assert_matches_truth(sb, target, cid: str) -> None:
    truth = sb.truth.invoices(cid)
    live = f"from {{ds}}.invoices where customer_id = '{cid}' and not is_deleted"
    assert target.scalar("select count(*) " + live) == len(truth)
    assert target.scalar("select sum(gross_cents) " + live) == sum(i["gross_cents"] for i in truth)
    statuses = dict(target.query("select id, status " + live))
    assert statuses == {i["id"]: i["status"] for i in truth}
    lines = target.query(
        "select l.invoice_id, count(*), sum(l.gross_cents) from {ds}.invoice_lines l "
        "join {ds}.invoices i on i.customer_id = l.customer_id and i.id = l.invoice_id "
        f"where l.customer_id = '{cid}' and not i.is_deleted group by 1"
    )
    assert {r[0]: (r[1], r[2]) for r in lines} == {
        i["id"]: (len(i["lines"]), sum(x["gross_cents"] for x in i["lines"])) for i in truth
    }
    assert target.scalar(f"select count(*) from {{ds}}.invoice_lines where customer_id = '{cid}'") == sum(
        len(i["lines"]) for i in truth
    )
    parties = target.query(f"select id, name from {{ds}}.invoice_customers where customer_id = '{cid}'")
    assert sorted(parties) == sorted((p["id"], p["name"]) for p in sb.truth.parties(cid))
    templates = target.query(
        f"select template_id, cadence_months from {{ds}}.recurring_templates where customer_id = '{cid}'"
    )
    assert sorted(templates) == sorted(
        (t["template_id"], t["cadence_months"]) for t in sb.truth.templates(cid)
    )


def _assert_messages_and_connections(sb, target, cid: str) -> None:
    truth = sb.truth.messages(cid)
    rows = target.query(
        f"select body, sender, count(*) from {{ds}}.messages where customer_id = '{cid}' group by 1, 2"
    )
    assert sum(r[2] for r in rows) == len(truth)
    assert Counter({(r[0], r[1]): r[2] for r in rows}) == Counter((m["body"], m["sender"]) for m in truth)
    per_provider = dict(
        target.query(
            f"select provider, count(*) from {{ds}}.connections where customer_id = '{cid}' group by 1"
        )
    )
    expected = {p: len(items) for p, items in sb.truth.connections(cid).items() if items}
    assert per_provider == expected
    ids = target.query(
        f"select connection__connection_id from {{ds}}.connections where customer_id = '{cid}'"
    )
    assert sorted(r[0] for r in ids) == sorted(
        i["connection_id"] for items in sb.truth.connections(cid).values() for i in items
    )


@pytest.mark.parametrize(
    "kind",
    [
        pytest.param("duckdb", marks=FLAT),
        pytest.param("postgres", marks=[FLAT, pytest.mark.postgres]),
        pytest.param("duckdb", marks=NESTED, id="duckdb-nested"),
    ],
)
def test_full_sync_matches_truth(sandbox, tmp_path: Path, kind: str) -> None:
    target = make_target(kind, tmp_path)
    try:
        summary = sync(sandbox, target, resources=ALL_MINE)
        cid = sandbox.customer_ids[0]
        _assert_matches_truth(sandbox, target, cid)
        _assert_messages_and_connections(sandbox, target, cid)
        assert summary.requests["/invoices/{invoice_id}"] == len(sandbox.truth.invoices(cid))
    finally:
        drop_target(target)


@pytest.mark.parametrize("shape", [pytest.param("flat", marks=FLAT), pytest.param("nested", marks=NESTED)])
def test_advance_fetches_only_changed_invoices(sandbox, tmp_path: Path, shape: str) -> None:
    assert sandbox.cfg.shape == shape
    target = make_target("duckdb", tmp_path)
    cid = sandbox.customer_ids[0]
    sync(sandbox, target, resources=ALL_MINE)

    changes = sandbox.advance()
    sandbox.reset_requests()
    sync(sandbox, target, resources=ALL_MINE)

    fetched = changes["invoices_paid"] + changes["invoices_new"]
    for invoice_id in fetched:
        assert sandbox.request_count(f"/invoices/{invoice_id}") == 1, invoice_id
    details = sum(
        n
        for path, n in Counter(r.path for r in sandbox.requests).items()
        if path.startswith("/invoices/") and path.count("/") == 2
    )
    assert details == len(fetched)
    for invoice_id in changes["invoices_paid"]:
        assert target.scalar(f"select status from {{ds}}.invoices where id = '{invoice_id}'") == "paid"
    for invoice_id in changes["invoices_removed"]:
        deleted, deleted_at = target.query(
            f"select is_deleted, deleted_at from {{ds}}.invoices where id = '{invoice_id}'"
        )[0]
        assert deleted is True and deleted_at is not None
        assert (
            target.scalar(f"select count(*) from {{ds}}.invoice_lines where invoice_id = '{invoice_id}'") == 0
        )
    _assert_matches_truth(sandbox, target, cid)
    _assert_messages_and_connections(sandbox, target, cid)

    sandbox.reset_requests()
    third = sync(sandbox, target, resources=ALL_MINE)
    assert third.requests.get("/invoices/{invoice_id}", 0) == 0
    assert "messages" not in third.row_counts  # nothing new
    _assert_matches_truth(sandbox, target, cid)
    _assert_messages_and_connections(sandbox, target, cid)
    assert target.scalar("select count(*) from {ds}.invoices where is_deleted") == len(
        changes["invoices_removed"]
    )


# ---- unit tests through httpx.MockTransport --------------------------------------------------


class InvoiceApi(FakeLac):
    """FakeLac plus an invoice list whose details can be made to 404."""

    def __init__(self) -> None:
        super().__init__()
        self.invoices = {
            "i1": {"id": "i1", "status": "sent", "gross_cents": 100, "lines": [{"gross_cents": 100}]},
            "i2": {
                "id": "i2",
                "status": "sent",
                "gross_cents": 250,
                "lines": [{"gross_cents": 50}, {"gross_cents": 200}],
            },
        }
        self.gone: set[str] = set()
        self.parties = [{"id": "p1", "name": "A"}, {"name": "No id Oy"}]
        self.templates = [{"id": "t1", "name": "Monthly"}]
        self.routes["/invoices"] = lambda r: json_response(
            {"invoices": [{k: v for k, v in i.items() if k != "lines"} for i in self.invoices.values()]}
        )
        self.routes["/invoice-customers"] = lambda r: json_response({"customers": self.parties})
        self.routes["/invoice-recurring"] = lambda r: json_response({"templates": self.templates})

    def handle(self, request):
        path = request.url.path.removeprefix("/portal")
        if path.startswith("/invoices/"):
            self.requests.append(request)
            invoice_id = path.rsplit("/", 1)[1]
            if invoice_id in self.gone or invoice_id not in self.invoices:
                return error(404, "not_found", invoice_id)
            return json_response(self.invoices[invoice_id])
        return super().handle(request)


def _run(api: FakeLac, tmp_path: Path, resources: list[str]) -> tuple[LacSession, dlt.Pipeline]:
    client = lac_client("http://lac.test/portal", "lac_sk_test", transport=api.transport(), max_attempts=1)
    session = LacSession(client, is_api_key=True)
    pipeline = dlt.pipeline(
        "unit_invoicing",
        destination=dlt.destinations.duckdb(str(tmp_path / "u.duckdb")),
        dataset_name="lac",
        pipelines_dir=str(tmp_path / "p"),
    )
    pipeline.run(lac_source(session=session).with_resources(*resources))
    return session, pipeline


def _rows(pipeline: dlt.Pipeline, sql: str) -> list[tuple]:
    with pipeline.sql_client() as client:
        return [tuple(r) for r in client.execute_sql(sql)]


def test_detail_404_is_skipped_noted_and_retried(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    api = InvoiceApi()
    api.gone.add("i2")
    session, pipeline = _run(api, tmp_path, ["invoices"])
    assert _rows(pipeline, "select id from invoices") == [("i1",)]
    note = session.report.notes["invoices"]
    assert note == "partial: company c1: 1 invoice detail(s) 404, retried next run"
    assert [r for r in caplog.records if "404 on detail" in r.getMessage()]

    api.gone.clear()
    api.requests.clear()
    _, pipeline = _run(api, tmp_path, ["invoices"])
    assert api.count("/invoices/i2") == 1 and api.count("/invoices/i1") == 0
    assert sorted(_rows(pipeline, "select id, is_deleted from invoices")) == [("i1", False), ("i2", False)]
    assert _rows(pipeline, "select count(*) from invoice_lines where invoice_id = 'i2'") == [(2,)]

    del api.invoices["i1"]
    api.invoices["i2"]["lines"] = []
    api.invoices["i2"]["status"] = "credited"
    _, pipeline = _run(api, tmp_path, ["invoices"])
    assert sorted(_rows(pipeline, "select id, is_deleted, status from invoices")) == [
        ("i1", True, None),
        ("i2", False, "credited"),
    ]
    assert _rows(pipeline, "select count(*) from invoice_lines") == [(0,)]


def test_registers_are_replaced_per_company_with_key_fallbacks(tmp_path: Path) -> None:
    api = InvoiceApi()
    _, pipeline = _run(api, tmp_path, ["invoice_customers", "recurring_templates"])
    parties = dict(_rows(pipeline, "select name, id from invoice_customers"))
    assert parties["A"] == "p1" and len(parties["No id Oy"]) == 16
    assert _rows(pipeline, "select template_id, customer_id from recurring_templates") == [("t1", "c1")]

    api.parties = api.parties[:1]
    api.templates = []
    _, pipeline = _run(api, tmp_path, ["invoice_customers", "recurring_templates"])
    assert _rows(pipeline, "select id from invoice_customers") == [("p1",)]
    assert _rows(pipeline, "select count(*) from recurring_templates") == [(0,)]
