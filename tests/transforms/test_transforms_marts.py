"""Marts against the sandbox truth, and reconciliation, on DuckDB in both row shapes and on
PostgreSQL in the nested one (its longer, deeper column names; PostgreSQL reads the flat shape in
test_transforms_ledgerlou.py and the dashboard's tests).

One sync per (engine, shape) serves every test of this module; the corruption test restores the
row it changes.
"""

import json
from collections import defaultdict
from collections.abc import Iterator
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from support import Loaded, loaded_sandbox

from lac_connector.transform import ReconciliationError, dbt, run_transforms

RESOURCES = ["company", "books_rows", "vat_rows", "statement_lines", "invoices"]
AS_OF = date(2026, 11, 1)


@pytest.fixture(
    scope="module",
    params=[
        ("duckdb", "flat"),
        ("duckdb", "nested"),
        pytest.param(("postgres", "nested"), marks=pytest.mark.postgres),
    ],
    ids=lambda p: f"{p[0]}-{p[1]}",
)
def loaded(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Loaded]:
    engine, shape = request.param
    with loaded_sandbox(
        engine,
        tmp_path_factory.mktemp(f"{engine}_{shape}"),
        # 30 months reach back before Finland's 2024-09-01 VAT rate change (2024-06 .. 2026-11)
        {"shape": shape, "months": 30, "rows_per_month": 20, "invoices": 30},
        session_token=True,
        resources=RESOURCES,
        transforms=True,
    ) as loaded:
        yield loaded


def _fiscal(period: str, fy_start: int) -> tuple[int, int]:
    year, month = int(period[:4]), int(period[5:])
    fiscal_year = year + 1 if fy_start != 1 and month >= fy_start else year
    return fiscal_year, (month - fy_start) % 12 + 1


def test_general_ledger_matches_books(loaded: Loaded) -> None:
    truth = loaded.sandbox.truth
    got = {
        (c, p, a): (n, net, vat, gross)
        for c, p, a, n, net, vat, gross in loaded.rows(
            "select customer_id, period, account_code, count(*),"
            " sum(net_cents), sum(vat_cents), sum(gross_cents)"
            " from {ds}.mart_general_ledger group by 1, 2, 3"
        )
    }
    expected: dict[tuple, list[int]] = defaultdict(lambda: [0, 0, 0, 0])
    for cid in loaded.sandbox.customer_ids:
        for period in truth.periods(cid):
            for row in truth.books_rows(cid, period):
                acc = expected[(cid, period, row["account_code"])]
                acc[0] += 1
                acc[1] += row["net_cents"]
                acc[2] += row["vat_cents"]
                acc[3] += row["gross_cents"]
    assert {k: tuple(int(x) for x in v) for k, v in got.items()} == {k: tuple(v) for k, v in expected.items()}
    # euros are exact decimals equal to cents / 100, and fiscal fields follow the company
    for cid in loaded.sandbox.customer_ids:
        fy_start = truth.company(cid)["fiscal_year_start_month"]
        for period, fiscal_year, fiscal_period, net_cents, net in loaded.rows(
            f"select period, fiscal_year, fiscal_period, net_cents, net from {{ds}}.mart_general_ledger"
            f" where customer_id = '{cid}'"
        ):
            assert (fiscal_year, fiscal_period) == _fiscal(period, fy_start)
            assert isinstance(net, Decimal) and net == Decimal(net_cents) / 100


def test_profit_and_loss_and_balance_sheet_match_truth(loaded: Loaded) -> None:
    truth = loaded.sandbox.truth
    for cid in loaded.sandbox.customer_ids:
        pl: dict[str, dict[str, int]] = defaultdict(dict)
        ytd: dict[tuple[str, str], int] = {}
        for period, account, net_cents, ytd_cents, net in loaded.rows(
            f"select period, account_code, net_cents, ytd_net_cents, net from {{ds}}.mart_profit_and_loss"
            f" where customer_id = '{cid}'"
        ):
            pl[period][account] = net_cents
            ytd[(period, account)] = ytd_cents
            assert net == Decimal(net_cents) / 100
        fy_start = truth.company(cid)["fiscal_year_start_month"]
        periods = truth.periods(cid)
        assert sorted(pl) == periods
        for period in periods:
            assert pl[period] == truth.income_statement(cid, period), period
            fiscal_year = _fiscal(period, fy_start)[0]
            same_year = [p for p in periods if p <= period and _fiscal(p, fy_start)[0] == fiscal_year]
            for account in pl[period]:
                assert ytd[(period, account)] == sum(
                    truth.income_statement(cid, p).get(account, 0) for p in same_year
                )
        balance: dict[str, dict[str, int]] = defaultdict(dict)
        for period, account, amount_cents in loaded.rows(
            "select period, account_code, amount_cents from {ds}.mart_balance_sheet"
            f" where customer_id = '{cid}'"
        ):
            balance[period][account] = amount_cents
        assert {p: balance[p] for p in periods} == {p: truth.balance_sheet(cid, p) for p in periods}
        assert any(balance[p]["2251"] for p in periods), "the sandbox spans a fiscal year end"


def test_monthly_trend_matches_truth(loaded: Loaded) -> None:
    truth = loaded.sandbox.truth
    for cid in loaded.sandbox.customer_ids:
        got = {
            r[0]: r[1:]
            for r in loaded.rows(
                f"select period, revenue_cents, expenses_cents, result_cents, closing_cash_cents, row_count"
                f" from {{ds}}.mart_monthly_trend where customer_id = '{cid}'"
            )
        }
        expected = {
            t["period"]: (
                t["revenue_cents"],
                t["expenses_cents"],
                t["result_cents"],
                truth.balance_sheet(cid, t["period"])["1910"],
                t["row_count"],
            )
            for t in truth.analytics(cid, "all")["trend"]
        }
        assert got == expected


def test_vat_return_matches_truth(loaded: Loaded) -> None:
    truth = loaded.sandbox.truth
    for cid in loaded.sandbox.customer_ids:
        boxes: dict[str, dict[str, int]] = defaultdict(dict)
        for vat_period, box, amount_cents in loaded.rows(
            f"select vat_period, box, amount_cents from {{ds}}.mart_vat_return where customer_id = '{cid}'"
        ):
            boxes[vat_period][box] = amount_cents
        months = truth.company(cid)["vat_period_months"]
        assert all(len(p) == {1: 7, 3: 7, 12: 4}[months] for p in boxes)
        for vat_period, got in boxes.items():
            preview = truth.filing(cid, vat_period)["vat_preview"]
            by_rate = {r["vat_code"]: r["vat_cents"] for r in preview["output_vat_by_rate"]}
            assert got == {
                "301": by_rate["S255"],
                "302": by_rate["S14"],
                "303": by_rate["S10"],
                "305": preview["eu_purchases_vat_cents"],
                "307": preview["input_vat_cents"],
                "308": preview["payable_cents"],
                "309": preview["zero_rated_sales_base_cents"],
                "311": preview["eu_sales_base_cents"],
                "313": preview["eu_purchases_base_cents"],
            }, vat_period
        by_rate_rows = loaded.rows(
            f"select vat_period, vat_code, vat_rate_basis_points, base_cents from {{ds}}.mart_vat_by_rate"
            f" where customer_id = '{cid}' and vat_code = 'S255'"
        )
        for vat_period, _, bp, base in by_rate_rows:
            assert bp == 2550
            expected = [
                r
                for r in truth.filing(cid, vat_period)["vat_preview"]["output_vat_by_rate"]
                if r["vat_code"] == "S255"
            ]
            assert base == expected[0]["base_cents"]


def _bucket(days: int) -> str:
    if days <= 0:
        return "current"
    return "1-30" if days <= 30 else "31-60" if days <= 60 else "61-90" if days <= 90 else "90+"


def test_receivables_aging_and_invoice_lines(loaded: Loaded) -> None:
    run_transforms(loaded.pipeline, as_of_date=AS_OF)
    truth = loaded.sandbox.truth
    for cid in loaded.sandbox.customer_ids:
        expected: dict[str, list[int]] = defaultdict(lambda: [0, 0])
        for invoice in truth.invoices(cid):
            if invoice["status"] in ("sent", "overdue"):
                bucket = _bucket((AS_OF - date.fromisoformat(invoice["due_date"])).days)
                expected[bucket][0] += 1
                expected[bucket][1] += invoice["gross_cents"]
        got = {
            b: [n, g]
            for b, n, g in loaded.rows(
                f"select aging_bucket, invoice_count, gross_cents from {{ds}}.mart_receivables_summary"
                f" where customer_id = '{cid}' and as_of_date = DATE '{AS_OF}'"
            )
        }
        assert got == dict(expected) and len(got) >= 2
        lines = {
            (i, n): (q, g, gross)
            for i, n, q, g, gross in loaded.rows(
                f"select invoice_id, line_index, quantity, gross_cents, gross from {{ds}}.mart_invoice_lines"
                f" where customer_id = '{cid}'"
            )
        }
        truth_lines = {
            (inv["id"], n): (Decimal(line["quantity"]), line["gross_cents"])
            for inv in truth.invoices(cid)
            for n, line in enumerate(inv["lines"])
        }
        assert {k: v[:2] for k, v in lines.items()} == truth_lines
        assert all(v[2] == Decimal(v[1]) / 100 for v in lines.values())


def _corrupt(loaded: Loaded, delta: int) -> tuple[str, str]:
    """Corrupt the 6th month's first 3000 row; returns (customer, period)."""
    period = loaded.sandbox.truth.periods(loaded.sandbox.customer_ids[0])[5]
    return loaded.corrupt_books_row(period, delta), period


def test_reconciliation_passes_then_names_a_corrupted_row(
    loaded: Loaded, capsys: pytest.CaptureFixture
) -> None:
    result = run_transforms(loaded.pipeline)
    assert result.checks > 500 and not result.differences
    assert capsys.readouterr().out.strip() == f"reconciliation: ok, {result.checks} checks"
    assert loaded.target.scalar("select count(*) from {ds}.reconciliation") == 0

    cid, period = _corrupt(loaded, 100)
    try:
        with pytest.raises(ReconciliationError) as failed:
            run_transforms(loaded.pipeline)
        message = str(failed.value)
        assert message.startswith("reconciliation: ") and "differences, first:" in message
        assert f"period {period} account 3000 (income_statement, {cid})" in message
        assert "difference 1.00" in message
        rows = loaded.rows(
            "select period, check_name, line_key, difference_cents from {ds}.reconciliation"
            " where check_name = 'income_statement'"
        )
        assert rows == [(period, "income_statement", "3000", 100)]
        assert loaded.target.scalar("select count(distinct run_at) from {ds}.reconciliation") == 1
        # a tolerance of one euro accepts it, but the table still lists it
        tolerated = run_transforms(loaded.pipeline, tolerance_cents=100)
        assert not tolerated.differences
        assert loaded.target.scalar("select count(*) from {ds}.reconciliation where within_tolerance") >= 2
    finally:
        _corrupt(loaded, -100)
    assert not run_transforms(loaded.pipeline).differences


def test_no_loaded_table_uses_replace(loaded: Loaded) -> None:
    """PostgreSQL's staging-optimized replace drops tables without CASCADE, which views would block."""
    schema = loaded.pipeline.default_schema
    dispositions = {t: schema.get_table(t).get("write_disposition") for t in schema.data_table_names()}
    assert "replace" not in set(dispositions.values()), dispositions


def test_eu_purchases_before_september_2024_reverse_charge_at_24_percent(loaded: Loaded) -> None:
    """Books reaching back before Finland's 2024-09-01 rate change still reconcile: the sandbox's
    VAT sheet and filings and the ledger marts both charge EU purchases at the rate of their date."""
    truth = loaded.sandbox.truth
    eu = [
        (cid, r)
        for cid in loaded.sandbox.customer_ids
        for period in truth.periods(cid)
        for r in truth.vat_rows(cid, period)
        if r["vat_code"] == "EU_PURCHASE"
    ]
    assert {r["date"] >= "2024-09-01" for _, r in eu} == {False, True}  # rows on both sides
    for _, r in eu:
        bp = 2550 if r["date"] >= "2024-09-01" else 2400
        assert r["output_vat_cents"] == (abs(r["base_cents"]) * bp + 5000) // 10000, r
    got = loaded.rows(
        "select customer_id, period, sum(output_vat_cents) from {ds}.int_ledger_vat"
        " where vat_code = 'EU_PURCHASE' group by 1, 2"
    )
    expected: dict[tuple[str, str], int] = defaultdict(int)
    for cid, r in eu:
        expected[(cid, r["date"][:7])] += r["output_vat_cents"]
    assert {(c, p): int(v) for c, p, v in got} == dict(expected)


MARTS = (
    "mart_general_ledger", "mart_profit_and_loss", "mart_balance_sheet", "mart_monthly_trend",
    "mart_vat_by_rate", "mart_vat_return", "mart_receivables_aging", "mart_receivables_summary",
    "mart_invoice_lines", "mart_vat_by_tax_code", "mart_vat_return_de",
)  # fmt: skip
GRAINS = (*MARTS, "int_ledger_account_anchors")  # models with a grain test
RECONCILIATION_TESTS = 11  # one per check (reconciliation_<check>), LedgerLou's four included


def _work_dir(loaded: Loaded) -> Path:
    return Path(loaded.pipeline.working_dir) / "dbt_project"


def test_the_dbt_build_passed_every_test_including_each_marts_grain(loaded: Loaded) -> None:
    results = json.loads((_work_dir(loaded) / "target" / "run_results.json").read_text())["results"]
    kinds: dict[str, dict[str, str]] = defaultdict(dict)
    for r in results:
        kind, _, name = r["unique_id"].split(".")[:3]
        kinds[kind][name] = r["status"]
    assert (
        set(kinds["test"].values()) == {"pass"} and len(kinds["test"]) == len(GRAINS) + RECONCILIATION_TESTS
    ), kinds["test"]
    assert {n.removeprefix("grain_") for n in kinds["test"] if n.startswith("grain_")} == set(GRAINS)
    assert set(kinds["model"].values()) == set(kinds["seed"].values()) == {"success"}
    assert set(MARTS) <= set(kinds["model"])


def test_every_mart_has_source_system_and_no_int_model_reads_a_mart(loaded: Loaded) -> None:
    for mart in MARTS:
        # a LAC-only warehouse: the German VAT marts (LedgerLou's) are empty, the rest LAC's
        expected = [] if mart.endswith(("_by_tax_code", "_return_de")) else [("lac",)]
        assert loaded.rows(f"select distinct source_system from {{ds}}.{mart}") == expected, mart
    manifest = json.loads((_work_dir(loaded) / "target" / "manifest.json").read_text())
    models = {n["name"]: n for n in manifest["nodes"].values() if n["resource_type"] == "model"}
    for name, node in models.items():
        assert Path(node["original_file_path"]).stem == name  # one model per file, named as the model
        parents = {p.split(".")[-1] for p in node["depends_on"]["nodes"]}
        if name.startswith("int_"):
            assert not {p for p in parents if p.startswith("mart_")}, (name, parents)
    assert set(MARTS) <= set(models) and {"reconciliation", "reconciliation_checks"} <= set(models)


def test_a_run_without_change_only_reruns_the_checks(loaded: Loaded, monkeypatch: pytest.MonkeyPatch) -> None:
    def no_dbt(*args, **kwargs):
        raise AssertionError("dbt started although nothing changed")

    monkeypatch.setattr(dbt, "make_runner", no_dbt)
    result = run_transforms(loaded.pipeline)
    assert not result.rebuilt and result.verdict == f"reconciliation: ok, {result.checks} checks"
    assert {t.status for t in result.tests} == {"pass"} and len(result.tests) == len(
        GRAINS
    ) + RECONCILIATION_TESTS
