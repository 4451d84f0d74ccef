"""Helpers shared by acceptance tests: run a sync against a sandbox and query the warehouse."""

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from lac_connector.pipeline.runner import RunOptions, RunSummary, run_sync
from lac_connector.transform import run_transforms
from lac_source import build_session, open_run

POSTGRES_DSN = os.environ.get(
    "LAC_TEST_POSTGRES_DSN", "postgresql://postgres:postgres@127.0.0.1:5432/postgres"
)


def postgres_available() -> str | None:
    """None when PostgreSQL answers, else why not."""
    try:
        import psycopg2

        psycopg2.connect(POSTGRES_DSN, connect_timeout=3).close()
        return None
    except Exception as exc:  # noqa: BLE001 - any failure means "not available"
        return str(exc).strip().splitlines()[0]


def require_postgres() -> None:
    reason = postgres_available()
    if reason is None:
        return
    if os.environ.get("LAC_REQUIRE_POSTGRES") == "1":
        pytest.fail(f"PostgreSQL is required (LAC_REQUIRE_POSTGRES=1) but not reachable: {reason}")
    pytest.skip(f"PostgreSQL not reachable at {POSTGRES_DSN} ({reason}); `bash .ci/run` starts one")


@dataclass
class Target:
    """Where a test loads: a DuckDB file or a PostgreSQL schema, plus the dlt working dir."""

    destination: str
    credentials: Any
    dataset: str
    pipelines_dir: str

    def query(self, sql: str) -> list[tuple]:
        """Run SQL with `{ds}` replaced by the dataset name."""
        sql = sql.replace("{ds}", self.dataset)
        if self.destination == "duckdb":
            import duckdb

            with duckdb.connect(self.credentials, read_only=True) as con:
                return con.sql(sql).fetchall()
        import psycopg2

        with psycopg2.connect(self.credentials) as con, con.cursor() as cur:
            cur.execute(sql)
            return cur.fetchall() if cur.description else []

    def scalar(self, sql: str) -> Any:
        return self.query(sql)[0][0]

    def columns(self, table: str) -> list[str]:
        rows = self.query(
            "select column_name from information_schema.columns"
            f" where table_schema = '{{ds}}' and table_name = '{table}'"
        )
        return [r[0] for r in rows]

    def tables(self) -> set[str]:
        if self.destination == "duckdb":
            rows = self.query("select table_name from information_schema.tables where table_schema = '{ds}'")
        else:
            rows = self.query("select table_name from information_schema.tables where table_schema = '{ds}'")
        return {r[0] for r in rows}


def make_target(kind: str, tmp_path: Path) -> Target:
    if kind == "duckdb":
        return Target("duckdb", str(tmp_path / "warehouse.duckdb"), "lac", str(tmp_path / "pipelines"))
    require_postgres()
    dataset = f"lac_{uuid.uuid4().hex[:10]}"
    return Target("postgres", POSTGRES_DSN, dataset, str(tmp_path / "pipelines"))


def drop_target(target: Target) -> None:
    if target.destination == "postgres":
        import psycopg2

        with psycopg2.connect(target.credentials) as con, con.cursor() as cur:
            cur.execute(f'DROP SCHEMA IF EXISTS "{target.dataset}" CASCADE')
            cur.execute(f'DROP SCHEMA IF EXISTS "{target.dataset}_staging_lac_test" CASCADE')


def sync(
    sandbox: Any,
    target: Target,
    *,
    api_key: str | None = None,
    access_token: str | None = None,
    resources: list[str] | None = None,
    transforms: bool = False,
    pipeline_name: str = "lac_test",
    read_timeout: float | None = None,
    **source_settings: Any,
) -> RunSummary:
    """One `lac run` against the sandbox, ending at the sandbox's current month."""
    if access_token is None and api_key is None:
        api_key = sandbox.read_key(sandbox.customer_ids[0])
    session = build_session(
        api_key=api_key,
        access_token=access_token,
        base_url=sandbox.server.base_url,
        customer_ids=source_settings.pop("customer_ids", None),
        max_attempts=source_settings.pop("max_attempts", 6),
        **({"read_timeout": read_timeout} if read_timeout is not None else {}),
    )
    today = sandbox.cfg.today
    source_settings.setdefault("end_period", f"{today.year:04d}-{today.month:02d}")
    options = RunOptions(
        pipeline_name=pipeline_name,
        destination=target.destination,
        dataset_name=target.dataset,
        resources=resources,
        pipelines_dir=target.pipelines_dir,
        destination_credentials=target.credentials,
    )
    run = open_run(source_settings, session=session)
    try:
        summary = run_sync(run, options)
    finally:
        run.close()
    if transforms:
        run_transforms(summary.pipeline)
    return summary


@dataclass
class Loaded:
    """A sandbox, the target a sync loaded from it, and that sync's dlt pipeline."""

    sandbox: Any
    target: Target
    pipeline: Any

    def rows(self, sql: str) -> list[tuple]:
        return self.target.query(sql)

    def corrupt_books_row(self, period: str, delta: int) -> str:
        """Add `delta` cents to the net of `period`'s first 3000 row of company 0; returns the company."""
        cid = self.sandbox.customer_ids[0]
        mapping = dict(
            self.target.query(
                "select field, column_name from {ds}.transform_mapping where view_name = 'books_rows'"
            )
        )
        net, account = mapping["net_cents"], mapping["account_code"]
        with self.pipeline.sql_client() as client:
            table = client.make_qualified_table_name("books_rows")
            client.execute_sql(
                f"UPDATE {table} SET {net} = {net} + {delta}"
                f" WHERE customer_id = '{cid}' AND period = '{period}'"
                f" AND row_index = (SELECT MIN(row_index) FROM {table} WHERE customer_id = '{cid}'"
                f" AND period = '{period}' AND {account} = '3000')"
            )
        return cid


@contextmanager
def loaded_sandbox(
    kind: str,
    tmp_path: Path,
    sandbox_config: dict[str, Any],
    *,
    session_token: bool = False,
    **sync_settings: Any,
) -> Iterator[Loaded]:
    """Serve a fresh sandbox, sync it into a new `kind` target, yield both; drop the target after.

    `session_token` syncs with the interactive token (all companies) instead of a read key.
    """
    from lac_sandbox import Sandbox, SandboxConfig

    target = make_target(kind, tmp_path)
    sandbox = Sandbox(SandboxConfig(**sandbox_config))
    try:
        with sandbox.serve():
            if session_token:
                sync_settings["access_token"] = sandbox.session_token
            summary = sync(sandbox, target, **sync_settings)
        yield Loaded(sandbox, target, summary.pipeline)
    finally:
        drop_target(target)


@contextmanager
def journal_debit_shifted(pipeline: Any, period: str, cents: int, where: str = "TRUE") -> Iterator[None]:
    """Add `cents` to the debit of one `ll_journal_lines` line of `period` (the first with a debit
    that also meets the SQL condition `where`), and take them back on exit.

    The debit column is the one mapping discovery chose (`transform_mapping`), so any shape works.
    """
    with pipeline.sql_client() as client:
        mapping = client.make_qualified_table_name("transform_mapping")
        with client.execute_query(
            f"SELECT column_name FROM {mapping} WHERE view_name = 'll_journal_lines' AND field = 'debit'"
        ) as cursor:
            debit = cursor.fetchall()[0][0]

    def shift(delta: int) -> None:
        with pipeline.sql_client() as client:
            table = client.make_qualified_table_name("ll_journal_lines")
            client.execute_sql(
                f"UPDATE {table} SET {debit} = {debit} + {delta} WHERE period = '{period}' AND line_index ="
                f" (SELECT MIN(line_index) FROM {table} WHERE period = '{period}' AND {debit} > 0"
                f" AND {where})"
            )

    shift(cents)
    try:
        yield
    finally:
        shift(-cents)
