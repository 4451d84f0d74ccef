"""Workspace tables: messages, connections, payroll, API keys; credentials and multi-company layouts."""

import logging
from pathlib import Path
from typing import Any

import dlt
import fake_api
import pytest
import support
from fake_api import lac_client
from support import make_target, sync

from lac_source import build_session, lac_source
from lac_source.session import LacSession
from lac_source.workspace import first_object_list, message_key, payroll_periods

SESSION_ONLY = ["payroll_workspace", "payslips", "api_keys"]
END = "2026-11"  # the sandbox's current month (SandboxConfig.today)


@pytest.fixture
def sessions(monkeypatch: pytest.MonkeyPatch) -> list[LacSession]:
    """Every session `support.sync` builds, to inspect `session.report.notes` after the run."""
    built: list[LacSession] = []

    def capture(**kwargs: Any) -> LacSession:
        built.append(build_session(**kwargs))
        return built[-1]

    monkeypatch.setattr(support, "build_session", capture)
    return built


@pytest.mark.sandbox_config(companies=1)
def test_api_key_skips_payroll_and_api_keys(sandbox, tmp_path: Path, sessions, caplog) -> None:
    target = make_target("duckdb", tmp_path)
    caplog.set_level(logging.INFO, logger="lac")
    summary = sync(sandbox, target, resources=[*SESSION_ONLY, "company"])
    notes = sessions[0].report.notes
    assert set(notes) == set(SESSION_ONLY)
    assert all(n.startswith("skipped:") and "access_token" in n for n in notes.values())
    lines = [r.getMessage() for r in caplog.records if "skipped" in r.getMessage()]
    assert len(lines) == 1 and "[sources.lac] access_token" in lines[0]
    assert not any(p.startswith(("/payroll", "/api-keys")) for p in summary.requests)
    assert not set(SESSION_ONLY) & target.tables()
    assert target.scalar("select count(*) from {ds}.company") == 1


@pytest.mark.sandbox_config(companies=2)
def test_interactive_token_loads_payroll_and_books_of_two_companies(sandbox, tmp_path: Path, sessions):
    target = make_target("duckdb", tmp_path)
    resources = [*SESSION_ONLY, "books_rows", "company"]
    sync(
        sandbox,
        target,
        access_token=sandbox.session_token,
        resources=resources,
        payroll_months=3,
        start_period="2026-09",
    )
    assert sessions[0].report.notes == {}
    months = payroll_periods(END, 3)
    for cid in sandbox.customer_ids:
        where = f"where customer_id = '{cid}'"
        loaded = target.query(f"select period from {{ds}}.payroll_workspace {where}")
        assert sorted(r[0] for r in loaded) == months
        slips = [s for m in months for s in _truth_payslips(sandbox, cid, m)]
        assert target.scalar(f"select count(*) from {{ds}}.payslips {where}") == len(slips)
        assert target.scalar(f"select sum(net_pay_cents) from {{ds}}.payslips {where}") == sum(
            s["net_pay_cents"] for s in slips
        )
        keys = target.query(f"select id, revoked_at is null from {{ds}}.api_keys {where}")
        assert sorted(keys) == sorted((k["id"], k["revoked_at"] is None) for k in sandbox.truth.api_keys(cid))
        books = sum(1 for m in ("2026-09", "2026-10", "2026-11") for _ in sandbox.truth.books_rows(cid, m))
        assert target.scalar(f"select count(*) from {{ds}}.books_rows {where}") == books
    assert sandbox.request_count("/payroll/payslip") == sum(
        len(_truth_payslips(sandbox, cid, m)) for cid in sandbox.customer_ids for m in months
    )


def _truth_payslips(sandbox, cid: str, period: str) -> list[dict]:
    workspace = sandbox.truth.payroll(cid, period)
    slips = []
    for run in workspace["runs"]:
        for employee in workspace["employees"]:
            slip = sandbox.world.payslip(sandbox.world.by_id[cid], employee, period)
            assert slip["run_id"] == run["run_id"]
            slips.append(slip)
    return slips


@pytest.mark.sandbox_config(companies=2)
def test_one_pipeline_per_company_into_one_dataset(sandbox, tmp_path: Path) -> None:
    target = make_target("duckdb", tmp_path)
    tables = ["invoices", "invoice_customers", "messages", "connections", "company"]
    first, second = sandbox.customer_ids
    sync(sandbox, target, api_key=sandbox.read_key(first), resources=tables, pipeline_name="lac_first")
    sync(sandbox, target, api_key=sandbox.read_key(second), resources=tables, pipeline_name="lac_second")
    sync(sandbox, target, api_key=sandbox.read_key(first), resources=tables, pipeline_name="lac_first")
    for table in ("invoices", "invoice_lines", "invoice_customers", "messages", "connections", "company"):
        per_company = dict(target.query(f"select customer_id, count(*) from {{ds}}.{table} group by 1"))
        assert set(per_company) == {first, second}, table
    for cid in (first, second):
        where = f"where customer_id = '{cid}'"
        truths = {"invoices": sandbox.truth.invoices(cid), "messages": sandbox.truth.messages(cid)}
        for table, truth in truths.items():
            assert target.scalar(f"select count(*) from {{ds}}.{table} {where}") == len(truth), table


# ---- unit tests ----------------------------------------------------------------------------------


def test_first_object_list_takes_the_first_list_of_objects() -> None:
    assert first_object_list({"customer_id": "c", "connections": [{"a": 1}], "setup": {"x": [1]}}) == (
        "connections",
        [{"a": 1}],
    )
    assert first_object_list({"items": [{"a": 1}, "junk"], "meta": {}}) == ("items", [{"a": 1}])
    assert first_object_list({"data": {"rows": [{"a": 1}]}}) == ("rows", [{"a": 1}])
    assert first_object_list({"connections": [], "setup": {}}) == (None, [])
    assert first_object_list([{"a": 1}]) == (None, [{"a": 1}])
    assert first_object_list(None) == (None, [])


def test_message_key_prefers_ids_and_hashes_whole_content() -> None:
    assert message_key({"id": "m1", "body": "x"}) == "m1"
    assert message_key({"message_id": 7}) == "7"
    plain = {"sender": "bjorn", "body": "Hei", "sent_at": "2026-11-01T10:00:00Z"}
    assert message_key(plain) == message_key(dict(reversed(list(plain.items()))))
    assert message_key(plain) != message_key({**plain, "sent_at": "2026-11-01T10:01:00Z"})


def test_payroll_periods_end_at_the_end_period() -> None:
    assert payroll_periods("2026-02", 3) == ["2025-12", "2026-01", "2026-02"]
    assert len(payroll_periods(None, 12)) == 12


def test_forbidden_payroll_is_noted_and_the_run_continues(tmp_path: Path, caplog) -> None:
    api = fake_api.FakeLac()
    forbidden = fake_api.error(403, "forbidden_role", "approver role required")
    api.routes["/payroll"] = lambda r: forbidden
    api.routes["/api-keys"] = lambda r: fake_api.json_response({"api_keys": [{"id": "k1", "scope": "read"}]})
    api.routes["/messages"] = lambda r: fake_api.json_response({"messages": [{"body": "hi"}, {"body": "hi"}]})
    client = lac_client("http://lac.test/portal", "firebase-token", transport=api.transport(), max_attempts=1)
    session = LacSession(client, is_api_key=False)
    pipeline = dlt.pipeline(
        "unit_workspace",
        destination=dlt.destinations.duckdb(str(tmp_path / "u.duckdb")),
        dataset_name="lac",
        pipelines_dir=str(tmp_path / "p"),
    )
    source = lac_source(session=session, payroll_months=2, end_period="2026-02")
    pipeline.run(source.with_resources("payroll_workspace", "payslips", "api_keys", "messages"))
    assert session.report.notes["payroll_workspace"].startswith("failed: 403")
    assert session.report.notes["payslips"].startswith("failed: 403")
    assert "api_keys" not in session.report.notes
    assert api.count("/payroll") == 1  # one 403 per company: the other months are not tried
    with pipeline.sql_client() as sql:
        assert sql.execute_sql("select id, customer_id from api_keys") == [("k1", "c1")]
        assert sql.execute_sql("select count(*) from messages") == [(1,)]  # identical content: one message
