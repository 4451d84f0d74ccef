"""Generated staging views: exact decimals, new upstream columns, name clashes, skipped marts, CLI."""

from decimal import Decimal
from pathlib import Path

import dlt
import pytest
from support import Target, drop_target, make_target

from lac_connector.cli import main
from transforms.runner import _missing_requirements, _statements, run_transforms
from transforms.staging import staging_view_sql

PROBE = {
    "customer_id": "c1",
    "amount_cents": 1000000000001,
    "refund_cents": -1000000000001,
    "rate_basis_points": 2550,
    "fee": "card",  # a loaded column already named like fee_cents' euro column
    "fee_cents": 5,
    "amounts": {"extra_cents": 7},
    "note_cents": "not a number",
}


def _probe_pipeline(target: Target, name: str = "tx_probe") -> dlt.Pipeline:
    destination = (
        dlt.destinations.duckdb(target.credentials)
        if target.destination == "duckdb"
        else dlt.destinations.postgres(target.credentials)
    )
    return dlt.pipeline(
        pipeline_name=name,
        destination=destination,
        dataset_name=target.dataset,
        pipelines_dir=target.pipelines_dir,
    )


def _column_types(target: Target, view: str) -> dict[str, tuple]:
    rows = target.query(
        "select column_name, data_type, numeric_precision, numeric_scale from information_schema.columns"
        f" where table_schema = '{{ds}}' and table_name = '{view}'"
    )
    return {name: tuple(rest) for name, *rest in rows}


@pytest.fixture(params=["duckdb", pytest.param("postgres", marks=pytest.mark.postgres)])
def target(request: pytest.FixtureRequest, tmp_path: Path):
    t = make_target(request.param, tmp_path)
    yield t
    drop_target(t)


def test_exact_decimals_and_new_cents_column(target: Target, capsys: pytest.CaptureFixture) -> None:
    pipeline = _probe_pipeline(target)
    pipeline.run([PROBE], table_name="probe")
    result = run_transforms(pipeline)
    assert "stg_probe" in result.views and "10_ledger.sql" in result.skipped_files
    assert "reconciliation: skipped" in capsys.readouterr().out

    row = target.query(
        "select amount, refund, rate, rate_percent, fee, fee_dec, amounts__extra, note_cents"
        " from {ds}.stg_probe"
    )[0]
    assert row == (
        Decimal("10000000000.01"),
        Decimal("-10000000000.01"),
        Decimal("0.2550"),
        Decimal("25.50"),
        "card",
        Decimal("0.05"),
        Decimal("0.07"),
        "not a number",
    )
    assert all(isinstance(v, Decimal) for v in (row[0], row[1], row[2], row[3]))
    types = _column_types(target, "stg_probe")
    euro_type = types["amount"]
    assert euro_type[1:] == (38, 2) and euro_type[0].lower().startswith(("decimal", "numeric")), euro_type
    assert types["rate"][1:] == (10, 4) and types["rate_percent"][1:] == (10, 2)
    assert "_lac_tombstone" not in types

    # an upstream column added later appears after the next run, without code changes
    pipeline.run([{**PROBE, "customer_id": "c2", "bonus_cents": 12345}], table_name="probe")
    run_transforms(pipeline)
    assert target.query("select customer_id, bonus from {ds}.stg_probe order by customer_id") == [
        ("c1", None),
        ("c2", Decimal("123.45")),
    ]
    assert _column_types(target, "stg_probe")["bonus"][1:] == (38, 2)


def test_lac_transform_command(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture
) -> None:
    target = make_target("duckdb", tmp_path)
    monkeypatch.setenv("DLT_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("DESTINATION__DUCKDB__CREDENTIALS", target.credentials)
    pipeline = _probe_pipeline(target, "tx_cli")
    pipeline.run([PROBE], table_name="probe")
    assert main(["transform", "--pipeline-name", "tx_cli"]) == 0
    assert "reconciliation: skipped" in capsys.readouterr().out
    assert target.scalar("select amount from {ds}.stg_probe") == Decimal("10000000000.01")


def test_tombstone_rows_and_column_are_excluded() -> None:
    sql = staging_view_sql(
        '"d"."stg_t"', '"d"."t"', [("_lac_tombstone", "bool"), ("x_cents", "bigint")], lambda n: f'"{n}"', 63
    )
    assert '"_lac_tombstone" IS NOT TRUE' in sql
    assert '"_lac_tombstone",' not in sql and '"x_cents"' in sql and 'AS "x"' in sql


def test_requirements_and_statement_splitting() -> None:
    sql = "-- requires: a, b.c\n-- requires: d.e\nCREATE VIEW x AS SELECT 1;\n-- trailing comment\n"
    assert _missing_requirements(sql, {"a": {}, "b": {"c": "bigint"}, "d": {}}) == ["d.e"]
    assert _missing_requirements(sql, {"a": {}, "b": {"c": "bigint"}, "d": {"e": "text"}}) == []
    assert _statements(sql) == ["-- requires: a, b.c\n-- requires: d.e\nCREATE VIEW x AS SELECT 1"]
