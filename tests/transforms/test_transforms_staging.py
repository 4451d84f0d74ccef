"""Staging views: exact decimals, new upstream columns, name clashes, tombstones, empty marts, CLI."""

from decimal import Decimal
from pathlib import Path

import dlt
import pytest
from support import Target, drop_target, make_target

from lac_connector.cli import main
from lac_connector.transform import run_transforms

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
TOMBSTONES = [
    {"customer_id": "c1", "period": "2026-01", "_lac_tombstone": True, "x_cents": 1},
    {"customer_id": "c2", "period": "2026-01", "_lac_tombstone": None, "x_cents": 2},
]


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
    pipeline.run(TOMBSTONES, table_name="tombstoned")
    result = run_transforms(pipeline)
    assert {"stg_probe", "stg_tombstoned"} <= set(result.models) and result.rebuilt
    # without books_rows the ledger marts are empty, and nothing is reconciled
    assert target.scalar("select count(*) from {ds}.mart_general_ledger") == 0
    assert "reconciliation: skipped" in capsys.readouterr().out
    # the connector's tombstone column and its rows are left out
    assert target.query("select customer_id, x from {ds}.stg_tombstoned") == [("c2", Decimal("0.02"))]
    assert "_lac_tombstone" not in _column_types(target, "stg_tombstoned")

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
