"""Honest reconciliation: unmapped inputs skip checks (never pass them), empty marts are flagged,
the user's mapping fixes it, severities decide the exit code, and `sync_runs` says what failed.

A server that renders rows another way is simulated by renaming a loaded column to a name with
no meaning word: discovery must not guess it.
"""

import json
import logging
from pathlib import Path

import duckdb
import pytest
from support import loaded_sandbox

from lac_connector.cli import main
from lac_connector.transform import ReconciliationError, run_transforms

RESOURCES = ["company", "books_rows", "vat_rows", "statement_lines"]
SANDBOX = {"companies": 1, "months": 6, "rows_per_month": 30}
AMOUNT_CHECKS = ("income_statement", "balance_sheet", "vat_base", "vat_output", "vat_input")


def test_an_unmapped_amount_skips_its_checks_then_the_users_mapping_fixes_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    with loaded_sandbox("duckdb", tmp_path, SANDBOX, resources=RESOURCES) as loaded:
        rows = loaded.target.scalar("select count(*) from {ds}.books_rows")
        with loaded.pipeline.sql_client() as client:
            table = client.make_qualified_table_name("books_rows")
            client.execute_sql(f"ALTER TABLE {table} RENAME COLUMN net_cents TO zorp_cents")

        with caplog.at_level(logging.WARNING, logger="lac"), pytest.raises(ReconciliationError) as failed:
            run_transforms(loaded.pipeline)
        verdict = str(failed.value)
        assert verdict.startswith("reconciliation: ") and " 0 failed, " in verdict and "ok," not in verdict
        assert "skipped income_statement, balance_sheet, vat_base, vat_output, vat_input" in verdict
        assert (
            f"marts empty or NULL although the raw tables hold rows: books_rows {rows} rows, 0 usable"
            in verdict
        )

        decided = loaded.rows(
            "select column_name, method, detail from {ds}.transform_mapping"
            " where view_name = 'books_rows' and field = 'net_cents'"
        )
        assert decided[0][:2] == (None, "unresolved")
        assert (
            decided[0][2].startswith("not found in books_rows (columns seen: ")
            and "zorp_cents" in decided[0][2]
        )
        warnings = [r.getMessage() for r in caplog.records if "books_rows.net_cents" in r.getMessage()]
        assert len(warnings) == 1 and "zorp_cents" in warnings[0]
        assert 'set [transforms.mapping.books_rows] net_cents = "<column>"' in warnings[0]

        # the checks that need the net were skipped, never compared; the cash flow was
        statuses = dict(
            loaded.rows(
                "select check_name, min(status) from {ds}.reconciliation_checks"
                " where check_name <> 'rows_mapped' group by 1"
            )
        )
        for check in AMOUNT_CHECKS:
            assert statuses[check].startswith("skipped: net_cents not found in books_rows (columns seen: "), (
                check
            )
        assert statuses["cashflow"] == "ok"
        assert loaded.rows("select count(*), count(net_cents) from {ds}.mart_general_ledger") == [(rows, 0)]

        monkeypatch.setenv("TRANSFORMS__MAPPING", json.dumps({"books_rows": {"net_cents": "zorp_cents"}}))
        result = run_transforms(loaded.pipeline)
        assert result.verdict == f"reconciliation: ok, {result.checks} checks" and result.rebuilt
        assert loaded.rows(
            "select column_name, method from {ds}.transform_mapping"
            " where view_name = 'books_rows' and field = 'net_cents'"
        ) == [("zorp_cents", "config")]


def test_exit_code_3_and_sync_runs_status_then_warn_severity_exits_0(
    sandbox, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture
) -> None:
    """A books row that disagrees with the API's statements: `lac run` loads, then exits 3."""
    warehouse = tmp_path / "warehouse.duckdb"
    today = sandbox.cfg.today
    for name, value in {
        "SOURCES__LAC__API_KEY": sandbox.read_key(sandbox.customer_ids[0]),
        "SOURCES__LAC__BASE_URL": sandbox.server.base_url,
        "SOURCES__LAC__END_PERIOD": f"{today.year:04d}-{today.month:02d}",
        "DESTINATION__DUCKDB__CREDENTIALS": str(warehouse),
    }.items():
        monkeypatch.setenv(name, value)
    flags = ["--pipelines-dir", str(tmp_path / "pipelines"), "--dataset-name", "lac"]
    resources = ["--resources", ",".join(RESOURCES)]
    assert main(["run", *resources, *flags, "--no-transforms"]) == 0
    first = sandbox.truth.periods(sandbox.customer_ids[0])[0]  # older than the lookback: not re-synced
    with duckdb.connect(str(warehouse)) as con:
        con.execute(
            "update lac.books_rows set net_cents = net_cents + 100 where period = ? and row_index ="
            " (select min(row_index) from lac.books_rows where period = ? and account_code = '3000')",
            [first, first],
        )
    capsys.readouterr()

    assert main(["run", *resources, *flags]) == 3
    out, err = capsys.readouterr()
    assert f"differences, first: period {first} account 3000 (income_statement, " in out
    assert err.strip().splitlines()[-1].startswith("lac: error: reconciliation: 2 differences, first: ")
    with duckdb.connect(str(warehouse), read_only=True) as con:
        runs = con.sql("select status, error from lac.sync_runs order by started_at").fetchall()
    assert [status for status, _ in runs] == ["ok", "reconciliation_failed"]
    assert runs[-1][1].startswith("reconciliation: 2 differences, first: ")  # the net is the VAT base too

    # with both checks at `warn` the same data exits 0, and the warnings are printed
    monkeypatch.setenv("TRANSFORMS__SEVERITY", json.dumps({"income_statement": "warn", "vat_base": "warn"}))
    assert main(["transform", *flags]) == 0
    out = capsys.readouterr().out.strip().splitlines()[-1]
    assert (
        out.startswith("reconciliation: ")
        and " 2 failed, 0 skipped; warnings (income_statement, vat_base), first: " in out
    )
