"""The Dagster definitions against the LAC sandbox: two companies' partitions, one DuckDB warehouse.

One set-up serves the module (one dbt build): company `acme` (the sandbox's first company) loads
its tables, then `globex` (the second) loads its tables and builds the marts of the shared dataset,
both in-process. The multiprocess run and the corrupted-ledger run then take the no-change path of
the transforms (no dbt). Configuration is environment variables, as in a container; the project
folder is a temporary directory, so pipeline state lands in its `.lac/pipelines`.
"""

import os
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import dagster as dg
import duckdb
import pytest
from dagster._core.definitions.reconstruct import ReconstructableRepository

from lac_connector.orchestration.definitions import JOB, MARTS, RECONCILIATION, build_definitions
from lac_sandbox import Sandbox, SandboxConfig

REPOSITORY = Path(__file__).resolve().parents[2]
DEFS_FILE = REPOSITORY / "pipelines" / "dagster_defs.py"
TABLES = ["company", "books_rows", "vat_rows", "statement_lines", "invoices"]
SELECTION = [dg.AssetKey(["lac", t]) for t in TABLES]
COMPANIES = ("acme", "globex")  # the sandbox's companies 0 and 1


@dataclass
class Orchestrated:
    sandbox: Sandbox
    project: Path
    defs: dg.Definitions
    runs: dict[str, dg.ExecuteInProcessResult]

    def cid(self, company: str) -> str:
        return self.sandbox.customer_ids[COMPANIES.index(company)]

    def query(self, sql: str, *params: Any) -> list[tuple]:
        with duckdb.connect(str(self.project / "warehouse.duckdb"), read_only=True) as con:
            return con.execute(sql, list(params)).fetchall()

    def materialize(self, company: str, selection: list[dg.AssetKey]) -> dg.ExecuteInProcessResult:
        return dg.materialize(list(self.defs.assets or []), partition_key=company, selection=selection)


@pytest.fixture(scope="module")
def orchestrated(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Orchestrated]:
    project = tmp_path_factory.mktemp("project")
    sandbox = Sandbox(SandboxConfig(months=6, rows_per_month=30, invoices=10))
    with sandbox.serve(), pytest.MonkeyPatch.context() as env:
        today = sandbox.cfg.today
        env.chdir(project)
        env.delenv("DLT_DATA_DIR", raising=False)
        env.setenv("ORCHESTRATION__COMPANIES", '["acme", "globex", "revoked"]')
        for company in COMPANIES:
            key = sandbox.read_key(sandbox.customer_ids[COMPANIES.index(company)])
            env.setenv(f"ORCHESTRATION__COMPANIES__{company.upper()}__API_KEY", key)
        env.setenv("ORCHESTRATION__COMPANIES__REVOKED__API_KEY", "lac_sk_revoked_key")
        env.setenv("SOURCES__LAC__BASE_URL", sandbox.server.base_url)
        env.setenv("SOURCES__LAC__END_PERIOD", f"{today.year:04d}-{today.month:02d}")
        env.setenv("DESTINATION__DUCKDB__CREDENTIALS", str(project / "warehouse.duckdb"))
        env.setenv("DATASET_NAME", "lac")
        defs = build_definitions()
        orchestrated = Orchestrated(sandbox, project, defs, {})
        orchestrated.runs["acme"] = orchestrated.materialize("acme", SELECTION)
        orchestrated.runs["globex"] = orchestrated.materialize("globex", [*SELECTION, MARTS])
        yield orchestrated
    writes = [f"{r.method} {r.path}" for r in sandbox.requests if r.method != "GET"]
    assert writes == []


def _books_by_customer(o: Orchestrated) -> dict[str, tuple[int, int]]:
    return {
        cid: (int(n), int(net))
        for cid, n, net in o.query(
            "select customer_id, count(*), sum(net_cents) from lac.mart_general_ledger group by 1"
        )
    }


def _truth_books(o: Orchestrated, company: str) -> tuple[int, int]:
    truth, cid = o.sandbox.truth, o.cid(company)
    rows = [r for period in truth.periods(cid) for r in truth.books_rows(cid, period)]
    return len(rows), sum(r["net_cents"] for r in rows)


def test_each_company_loads_its_tables_with_its_own_pipeline(orchestrated: Orchestrated) -> None:
    o = orchestrated
    for company in COMPANIES:
        cid = o.cid(company)
        truth_rows = _truth_books(o, company)[0]
        assert o.query("select count(*) from lac.books_rows where customer_id = ?", cid) == [(truth_rows,)]
        vat_truth = sum(len(list(o.sandbox.truth.vat_rows(cid, p))) for p in o.sandbox.truth.periods(cid))
        assert o.query("select count(*) from lac.vat_rows where customer_id = ?", cid) == [(vat_truth,)]
        events = {
            e.asset_key.path[-1]: e.materialization
            for e in o.runs[company].get_asset_materialization_events()
        }
        assert sorted(k for k in events if k != "marts") == sorted(TABLES)
        books = events["books_rows"]
        assert (books.partition, books.metadata["rows_loaded"].value) == (company, truth_rows)
        assert books.metadata["customer_ids"].value == cid
        assert (o.project / ".lac" / "pipelines" / f"lac_{company}" / "state.json").is_file()
    # one sync_runs row per company's pipeline, each covering its own company only
    assert sorted(o.query("select pipeline_name, customer_ids, status from lac.sync_runs")) == [
        ("lac_acme", o.cid("acme"), "ok"),
        ("lac_globex", o.cid("globex"), "ok"),
    ]
    # only the selected tables were synced
    assert o.query("select count(*) from information_schema.tables where table_name = 'messages'") == [(0,)]


def test_marts_hold_both_companies_and_the_check_passes(orchestrated: Orchestrated) -> None:
    o = orchestrated
    assert _books_by_customer(o) == {o.cid(c): _truth_books(o, c) for c in COMPANIES}
    (check,) = o.runs["globex"].get_asset_check_evaluations()
    assert (check.asset_key, check.check_name, check.passed) == (MARTS, RECONCILIATION, True)
    assert check.description is not None and check.description.startswith("reconciliation: ok, ")
    (marts,) = [
        e.materialization for e in o.runs["globex"].get_asset_materialization_events() if e.asset_key == MARTS
    ]
    assert marts.metadata["rebuilt"].value is True
    assert marts.metadata["verdict"].value == check.description


def test_multiprocess_run_with_a_persistent_instance(orchestrated: Orchestrated, tmp_path: Path) -> None:
    """The daily job of one partition, each step in its own process, recorded in a DagsterInstance."""
    o = orchestrated
    # as `dagster dev -f pipelines/dagster_defs.py` run in the clone: local imports from its root
    repository = ReconstructableRepository.for_file(str(DEFS_FILE), "defs", working_directory=str(REPOSITORY))
    job = repository.get_reconstructable_job(JOB)
    (tmp_path / "dagster_home").mkdir()
    with dg.DagsterInstance.local_temp(str(tmp_path / "dagster_home")) as instance:
        result = dg.execute_job(
            job,
            instance,
            tags={"dagster/partition": "globex"},
            asset_selection=[*SELECTION, MARTS],
        )
        assert result.success
        step_pids = {e.pid for e in result.all_events if e.event_type == dg.DagsterEventType.STEP_SUCCESS}
        assert len(step_pids) == 2 and os.getpid() not in step_pids  # tables, then marts (and check)
        (check,) = result.get_asset_check_evaluations()
        assert (check.check_name, check.passed) == (RECONCILIATION, True)
        recorded = instance.fetch_materializations(
            dg.AssetRecordsFilter(asset_key=MARTS, asset_partitions=["globex"]), limit=5
        ).records
        assert [r.run_id for r in recorded] == [result.run_id]
        # the marts took the no-change path: the build of the in-process run still stands
        assert recorded[0].asset_materialization.metadata["rebuilt"].value is False
    # nothing loaded twice, and the second globex run is recorded
    assert _books_by_customer(o) == {o.cid(c): _truth_books(o, c) for c in COMPANIES}
    assert o.query(
        "select count(*) from lac.sync_runs where pipeline_name = 'lac_globex' and status = 'ok'"
    ) == [(2,)]


def test_a_revoked_key_fails_its_partition_once_without_retries(orchestrated: Orchestrated) -> None:
    o = orchestrated
    job = o.defs.resolve_job_def(JOB)
    assert job.op_retry_policy is not None and job.op_retry_policy.max_retries == 2
    result = job.execute_in_process(partition_key="revoked", raise_on_error=False)
    assert not result.success
    (failure,) = result.get_step_failure_events()
    assert failure.step_key == "lac_tables"
    assert failure.step_failure_data.user_failure_data.description == (
        "the LAC API rejected the credential (401 invalid_token: The bearer token is not a known API key or"
        " session token): set a valid api_key in [orchestration.companies.revoked] of .dlt/secrets.toml or"
        " ORCHESTRATION__COMPANIES__REVOKED__API_KEY"
    )
    assert "lac_sk_revoked_key" not in str(failure.step_failure_data.error.to_string())
    assert not [e for e in result.all_events if e.event_type == dg.DagsterEventType.STEP_UP_FOR_RETRY]


def test_the_daily_schedule_starts_a_run_per_company(orchestrated: Orchestrated) -> None:
    schedule = orchestrated.defs.resolve_schedule_def(f"{JOB}_schedule")
    assert (schedule.cron_schedule, schedule.execution_timezone) == ("0 5 * * *", "Europe/Helsinki")
    context = dg.build_schedule_context(
        scheduled_execution_time=datetime(2026, 11, 30, 5),
        repository_def=orchestrated.defs.get_repository_def(),
    )
    requests = list(schedule.evaluate_tick(context).run_requests or [])
    assert [(r.partition_key, r.run_key) for r in requests] == [
        ("acme", "acme-2026-11-30"),
        ("globex", "globex-2026-11-30"),
        ("revoked", "revoked-2026-11-30"),
    ]


def test_the_check_fails_when_a_ledger_row_is_corrupted(orchestrated: Orchestrated) -> None:
    """Last: it leaves acme's first month corrupted. globex's run fails its check, because the marts
    and their reconciliation cover the whole dataset; the run itself succeeds (the marts are built)."""
    o = orchestrated
    cid = o.cid("acme")
    period = o.sandbox.truth.periods(cid)[0]
    mapping = dict(
        o.query("select field, column_name from lac.transform_mapping where view_name = 'books_rows'")
    )
    net, account = mapping["net_cents"], mapping["account_code"]
    with duckdb.connect(str(o.project / "warehouse.duckdb")) as con:
        con.execute(
            f"update lac.books_rows set {net} = {net} + 100 where customer_id = ? and period = ?"
            f" and row_index = (select min(row_index) from lac.books_rows where customer_id = ?"
            f" and period = ? and {account} = '3000')",
            [cid, period, cid, period],
        )
    result = o.materialize("globex", [*SELECTION, MARTS])
    assert result.success
    (check,) = result.get_asset_check_evaluations()
    assert (check.check_name, check.passed, check.severity) == (
        RECONCILIATION,
        False,
        dg.AssetCheckSeverity.ERROR,
    )
    assert check.description is not None
    assert f"period {period} account 3000 (income_statement, {cid})" in check.description
    assert "difference 1.00" in check.description
    # as after `lac run`: the load of this run stands, its sync_runs row says the reconciliation failed
    (run_id,) = [
        e.materialization.metadata["sync_run_id"].value
        for e in result.get_asset_materialization_events()
        if e.asset_key == dg.AssetKey(["lac", "books_rows"])
    ]
    assert o.query("select status from lac.sync_runs where run_id = ?", run_id) == [
        ("reconciliation_failed",)
    ]
