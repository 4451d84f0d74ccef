"""Every list the source keys: an unrecognisable key loses no entry, says so, and the setting completes it.

For each list, the fake API hides the key two levels down (`ref.deep.handle`), where conventions do
not look, next to fields that repeat. The first run must still load every entry (keyed by a hash),
log one warning naming the list, the number of entries and the setting, and note the resource as
partial. A second run with the documented setting must be complete, with exactly one row per entry.
"""

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest
from dlt.destinations.exceptions import DatabaseUndefinedRelation
from fake_api import FakeLac, error, json_response, query, run_lac

from lac_source.workspace import PROVIDERS

HANDLES = ["kuitti 1.pdf", "lasku_2.pdf", "sopimus-3.pdf"]  # used as ids too: any string will do
SETTING_VALUE = "ref.deep.handle"
FILE = b"%PDF-1.4 not really\n" * 20


def hidden(handle: str, i: int) -> dict[str, Any]:
    """An entry whose key only a setting can name; `label` repeats, `amount_cents` is no string."""
    return {"ref": {"deep": {"handle": handle}}, "label": "same", "amount_cents": 100 * (i + 1)}


ENTRIES = [hidden(h, i) for i, h in enumerate(HANDLES)]


class ListsFake(FakeLac):
    """FakeLac plus routes by path prefix (details and files of the keyed lists)."""

    def __init__(self) -> None:
        super().__init__()
        self.prefixes: dict[str, Callable[[str], httpx.Response]] = {}
        for provider in PROVIDERS:
            self.routes[f"/{provider}-connections"] = lambda r: json_response({"connections": []})

    def handle(self, request: httpx.Request) -> httpx.Response:
        path = request.url.path.removeprefix("/portal")
        for prefix, route in self.prefixes.items():
            if path.startswith(prefix) and path not in self.routes:
                self.requests.append(request)
                return route(path.removeprefix(prefix))
        return super().handle(request)


def known(handle: str, body: Callable[[], httpx.Response]) -> httpx.Response:
    return body() if handle in HANDLES else error(404, "not_found", handle)


def file_response(handle: str) -> httpx.Response:
    pdf = {"Content-Type": "application/pdf"}
    return known(handle, lambda: httpx.Response(200, content=FILE, headers=pdf))


def serve_uploads(api: ListsFake) -> None:
    api.routes["/uploads"] = lambda r: json_response({"files": ENTRIES})
    api.prefixes["/uploads/"] = file_response


def serve_outputs(api: ListsFake) -> None:
    api.routes["/outputs"] = lambda r: json_response({"outputs": [{**e, "roles": ["pdf"]} for e in ENTRIES]})

    def output(rest: str) -> httpx.Response:
        handle, _, role_path = rest.partition("/files/")
        if role_path:
            return file_response(handle)
        return known(handle, lambda: json_response({"status": "ready", "title": handle}))

    api.prefixes["/outputs/"] = output


def serve_imports(api: ListsFake) -> None:
    api.routes["/imports"] = lambda r: json_response({"runs": ENTRIES})
    api.prefixes["/imports/"] = lambda h: known(
        h, lambda: json_response({"run": {"status": "completed"}, "artifacts": [{"n": 1}, {"n": 2}]})
    )
    api.prefixes["/import-runs/"] = lambda rest: file_response(rest.removesuffix("/raw-package"))


def serve_invoices(api: ListsFake) -> None:
    api.routes["/invoices"] = lambda r: json_response({"invoices": ENTRIES})
    api.prefixes["/invoices/"] = lambda h: known(
        h, lambda: json_response({"status": "sent", "lines": [{"gross_cents": 1}, {"gross_cents": 2}]})
    )


def serve_list(path: str, list_key: str) -> Callable[[ListsFake], None]:
    def install(api: ListsFake) -> None:
        api.routes[path] = lambda r: json_response({list_key: ENTRIES})

    return install


def serve_payroll(hidden_list: str) -> Callable[[ListsFake], None]:
    """`/payroll` with the hidden keys in `employees` or `runs`; the other list has one plain entry."""

    def install(api: ListsFake) -> None:
        employees = ENTRIES if hidden_list == "employees" else [{"employee_id": "e1"}]
        runs = ENTRIES if hidden_list == "runs" else [{"run_id": "r1"}]
        api.routes["/payroll"] = lambda r: json_response({"employees": employees, "runs": runs})

        def payslip(request: httpx.Request) -> httpx.Response:
            q = request.url.params
            ids = {q.get("employee_id"), q.get("run_id")}
            if ids & set(HANDLES) and ids <= {*HANDLES, "e1", "r1"}:
                return json_response({"payslip": {"net_pay_cents": 1000}})
            return error(404, "not_found", "no payslip")

        api.routes["/payroll/payslip"] = payslip

    return install


@dataclass
class Case:
    """One keyed list: where its entries go, which setting names their key, how to check run 2."""

    resource: str
    list_label: str  # as in the warning line
    setting: str
    table: str  # the table holding one row per entry (run 1 and run 2)
    key_sql: str  # the entries' keys once the setting is set
    serve: Callable[[ListsFake], None]
    complete: dict[str, int] = field(default_factory=dict)  # more exact row counts after run 2
    first_run: dict[str, int] = field(default_factory=dict)  # exact row counts of run 1 besides `table`
    session_token: bool = False


N = len(HANDLES)
CASES = [
    Case(
        "uploads",
        "uploads",
        "upload_name_field",
        "uploads",
        "select stored_filename from uploads",
        serve_uploads,
        complete={"landed_files": N},
        first_run={"landed_files": 0},
    ),
    Case(
        "output_packages",
        "output packages",
        "output_id_field",
        "output_packages",
        "select output_id from output_packages",
        serve_outputs,
        complete={"landed_files": N},
        first_run={"landed_files": 0},
    ),
    Case(
        "import_runs",
        "import runs",
        "import_run_id_field",
        "import_runs",
        "select run_id from import_runs",
        serve_imports,
        complete={"import_artifacts": 2 * N, "landed_files": N},
        first_run={"import_artifacts": 0, "landed_files": 0},
    ),
    Case(
        "invoices",
        "invoices",
        "invoice_id_field",
        "invoices",
        "select id from invoices where not is_deleted",
        serve_invoices,
        complete={"invoice_lines": 2 * N},
        first_run={"invoice_lines": 0},
    ),
    Case(
        "recurring_templates",
        "recurring templates",
        "template_id_field",
        "recurring_templates",
        "select template_id from recurring_templates",
        serve_list("/invoice-recurring", "templates"),
    ),
    Case(
        "messages",
        "messages",
        "message_id_field",
        "messages",
        "select message_key from messages",
        serve_list("/messages", "messages"),
    ),
    Case(
        "invoice_customers",
        "invoice customers",
        "party_id_field",
        "invoice_customers",
        "select id from invoice_customers",
        serve_list("/invoice-customers", "customers"),
    ),
    Case(
        "connections",
        "bank connections",
        "connection_id_field",
        "connections",
        "select connection_key from connections",
        serve_list("/bank-connections", "connections"),
    ),
    Case(
        "payslips",
        "payroll employees",
        "employee_id_field",
        "payroll_workspace__employees",
        "select employee_id from payslips",
        serve_payroll("employees"),
        complete={"payslips": N},
        first_run={"payslips": 0},
        session_token=True,
    ),
    Case(
        "payslips",
        "payroll runs",
        "payroll_run_id_field",
        "payroll_workspace__runs",
        "select run_id from payslips",
        serve_payroll("runs"),
        complete={"payslips": N},
        first_run={"payslips": 0},
        session_token=True,
    ),
]


def count(pipeline: Any, table: str) -> int:
    try:
        return query(pipeline, f"select count(*) from {table}")[0][0]
    except DatabaseUndefinedRelation:  # nothing was ever written to it
        return 0


def lac_warnings(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.name == "lac" and r.levelno == logging.WARNING]


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.list_label.replace(" ", "_"))
def test_unrecognisable_keys_lose_nothing_and_the_setting_completes_the_next_run(
    case: Case, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    api = ListsFake()
    case.serve(api)
    resources = [case.resource, "payroll_workspace"] if case.session_token else [case.resource]
    settings: dict[str, Any] = {"payroll_months": 1, "end_period": "2026-02"}

    def run(**key_setting: str) -> Any:
        return run_lac(api, tmp_path, resources, is_api_key=not case.session_token, **settings, **key_setting)

    session, pipeline = run()
    assert count(pipeline, case.table) == N  # every entry loaded
    assert {t: count(pipeline, t) for t in case.first_run} == case.first_run
    describes = "names the file of" if case.resource == "uploads" else "identifies the"
    assert (
        f"{case.list_label} of company c1: could not tell which field {describes} {N} entries; "
        f"set [sources.lac] {case.setting} (fields seen: label, amount_cents)"
    ) in lac_warnings(caplog)
    note = session.report.notes[case.resource]
    assert note.startswith(f"partial: {case.list_label} of company c1: {N} of {N} entries keyed by a hash")
    assert f"[sources.lac] {case.setting}" in note

    caplog.clear()
    session, pipeline = run(**{case.setting: SETTING_VALUE})
    assert sorted(r[0] for r in query(pipeline, case.key_sql)) == sorted(HANDLES)
    assert count(pipeline, case.table) == N  # nothing duplicated
    assert {t: count(pipeline, t) for t in case.complete} == case.complete
    assert case.resource not in session.report.notes
    assert lac_warnings(caplog) == []


# -- several candidates: the request the run needs anyway decides, and is not repeated ---------


def test_ambiguous_output_ids_are_settled_by_the_detail_request(tmp_path: Path) -> None:
    api = ListsFake()
    outputs = [{"output_id": f"legacy-{i}", "id": h, "roles": ["pdf"]} for i, h in enumerate(HANDLES)]
    api.routes["/outputs"] = lambda r: json_response({"outputs": outputs})
    serve_outputs_details(api)
    session, pipeline = run_lac(api, tmp_path, ["output_packages"])
    assert sorted(r[0] for r in query(pipeline, "select output_id from output_packages")) == sorted(HANDLES)
    assert count(pipeline, "landed_files") == N and session.report.notes == {}
    assert api.count("/outputs/legacy-0") == 1  # `output_id` asked first and refused
    assert [api.count(f"/outputs/{h}") for h in HANDLES] == [1] * N  # the probe's answer is the detail

    api.requests.clear()
    run_lac(api, tmp_path, ["output_packages"])
    assert [r.url.path for r in api.requests] == ["/portal/customers", "/portal/outputs"]  # remembered


def serve_outputs_details(api: ListsFake) -> None:
    def output(rest: str) -> httpx.Response:
        handle, _, role = rest.partition("/files/")
        return file_response(handle) if role else known(handle, lambda: json_response({"status": "ready"}))

    api.prefixes["/outputs/"] = output


def test_ambiguous_upload_names_are_settled_by_landing_the_file(tmp_path: Path) -> None:
    api = ListsFake()
    files = [{"filename": f"stored_{i}.pdf", "name": h} for i, h in enumerate(HANDLES)]
    api.routes["/uploads"] = lambda r: json_response({"files": files})
    api.prefixes["/uploads/"] = file_response
    session, pipeline = run_lac(api, tmp_path, ["uploads"])
    assert sorted(r[0] for r in query(pipeline, "select stored_filename from uploads")) == sorted(HANDLES)
    assert count(pipeline, "landed_files") == N and session.report.notes == {}
    assert api.count("/uploads/stored_0.pdf") == 1
    assert [api.count(f"/uploads/{h}") for h in HANDLES] == [1] * N  # the probe landed the first one


def test_ambiguous_employee_ids_are_settled_by_a_payslip_request(tmp_path: Path) -> None:
    api = ListsFake()
    employees = [{"employee_id": f"legacy-{i}", "id": h} for i, h in enumerate(HANDLES)]
    api.routes["/payroll"] = lambda r: json_response({"employees": employees, "runs": [{"run_id": "r1"}]})

    def payslip(request: httpx.Request) -> httpx.Response:
        if request.url.params["employee_id"] in HANDLES:
            return json_response({"payslip": {"net_pay_cents": 1000}})
        return error(404, "not_found", "no payslip")

    api.routes["/payroll/payslip"] = payslip
    settings = {"payroll_months": 1, "end_period": "2026-02", "is_api_key": False}
    session, pipeline = run_lac(api, tmp_path, ["payslips"], **settings)
    assert sorted(r[0] for r in query(pipeline, "select employee_id from payslips")) == sorted(HANDLES)
    assert api.count("/payroll/payslip") == 2 + N  # legacy-0 refused, then the first handle (latest run)
    assert session.report.notes == {}

    api.requests.clear()
    run_lac(api, tmp_path, ["payslips"], **settings)
    assert api.count("/payroll/payslip") == N  # the field is remembered: nothing asked again


# -- resolved keys the API does not know: counted, never silent ---------------------------------


def test_detail_and_file_404s_are_counted_and_retried(tmp_path: Path, caplog: pytest.LogCaptureFixture):
    api = ListsFake()
    outputs = [{"output_id": h, "roles": ["pdf"]} for h in [*HANDLES, "gone"]]
    api.routes["/outputs"] = lambda r: json_response({"outputs": outputs})
    serve_outputs_details(api)
    files = [{"filename": h} for h in [*HANDLES, "gone.pdf"]]
    api.routes["/uploads"] = lambda r: json_response({"files": files})
    api.prefixes["/uploads/"] = file_response
    session, pipeline = run_lac(api, tmp_path, ["output_packages", "uploads"])
    assert count(pipeline, "output_packages") == N + 1 and count(pipeline, "uploads") == N + 1
    assert count(pipeline, "landed_files") == 2 * N
    assert session.report.notes == {
        "output_packages": "partial: company c1: 1 package detail(s) 404, retried next run",
        "uploads": "partial: company c1: 1 file(s) not landed (404), retried next run",
    }
    assert len(lac_warnings(caplog)) == 2

    api.requests.clear()
    session, _ = run_lac(api, tmp_path, ["output_packages", "uploads"])
    assert api.count("/outputs/gone") == 1 and api.count("/uploads/gone.pdf") == 1
    assert sum(api.count(f"/uploads/{h}") + api.count(f"/outputs/{h}") for h in HANDLES) == 0


def test_customers_without_an_id_are_warned_about(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    api = ListsFake()
    api.routes["/customers"] = lambda r: json_response({"customers": [{"customer_id": "c1"}, {"name": "?"}]})
    session, pipeline = run_lac(api, tmp_path, ["identity"])
    assert query(pipeline, "select customer_id from identity") == [("c1",)]
    assert lac_warnings(caplog) == [
        "customers: 1 of 2 /customers entries have neither customer_id nor id; those companies are not synced"
    ]
    assert session.report.notes == {"identity": "partial: 1 /customers entries without customer_id or id"}
