"""Secrets never leak: not in exceptions, traces, state, the warehouse; only GETs; secrets.toml ignored."""

import json
import shutil
import subprocess
import traceback
from pathlib import Path

import dlt
import pytest
from reliability.helpers import REPO
from support import drop_target, make_target, sync

SMALL = pytest.mark.sandbox_config(companies=1, months=2, rows_per_month=20, invoices=3)
FAST = ["company", "books_rows", "invoices", "uploads", "api_keys"]


def _full_text(exc: BaseException) -> str:
    return "".join(traceback.format_exception(exc)) + repr(exc) + str(exc)


@SMALL
def test_rejected_key_is_not_in_the_exception(sandbox, tmp_path):
    key = "lac_sk_read_" + "f" * 24
    with pytest.raises(Exception) as info:
        sync(sandbox, make_target("duckdb", tmp_path), api_key=key, resources=["company"])
    assert "401" in str(info.value)
    assert key not in _full_text(info.value)


@SMALL
def test_retry_exhausted_failure_names_no_key_in_exception_or_trace(sandbox, tmp_path):
    key = sandbox.read_key(sandbox.customer_ids[0])
    sandbox.faults._fail = [__import__("re").compile(r"^/company")]
    target = make_target("duckdb", tmp_path)
    with pytest.raises(Exception) as info:
        sync(sandbox, target, resources=["company", "books_rows"], max_attempts=2)
    assert "still failing after 2 attempts" in str(info.value)
    assert key not in _full_text(info.value)
    trace = dlt.attach("lac_test", pipelines_dir=target.pipelines_dir).last_trace
    assert trace is not None and key not in json.dumps(trace.asdict(), default=str) + str(trace)


@SMALL
@pytest.mark.parametrize("kind", ["duckdb", pytest.param("postgres", marks=pytest.mark.postgres)])
def test_no_secret_in_trace_state_or_any_text_column(sandbox, tmp_path, kind):
    key = sandbox.read_key(sandbox.customer_ids[0])
    target = make_target(kind, tmp_path)
    try:
        summary = sync(sandbox, target, resources=FAST, landing_url=str(tmp_path / "landing"))
        pipeline = summary.pipeline
        assert key not in json.dumps(pipeline.last_trace.asdict(), default=str) + str(pipeline.last_trace)
        assert key not in json.dumps(pipeline.state, default=str)
        text_types = ("VARCHAR", "TEXT", "character varying", "text", "JSON", "jsonb", "json")
        columns = target.query(
            "select table_name, column_name from information_schema.columns "
            f"where table_schema = '{{ds}}' and data_type in {text_types!r}"
        )
        assert columns, "no text columns found: the search would be vacuous"
        hits = [
            (table, column)
            for table, column in columns
            if target.scalar(
                f'select count(*) from {{ds}}."{table}" where cast("{column}" as text) like \'%{key}%\''
            )
        ]
        assert hits == []
        if kind == "duckdb":
            assert key.encode() not in Path(target.credentials).read_bytes()
        working = [p for p in Path(target.pipelines_dir).rglob("*") if p.is_file()]
        assert not [p for p in working if key.encode() in p.read_bytes()]
    finally:
        drop_target(target)


def test_secrets_toml_is_git_ignored():
    git = shutil.which("git")
    if git is None or not (REPO / ".git").exists():
        pytest.skip("git or the repository's .git is not available")
    result = subprocess.run([git, "check-ignore", "-q", ".dlt/secrets.toml"], cwd=REPO, capture_output=True)
    assert result.returncode == 0, "add .dlt/secrets.toml to .gitignore"
