"""Marts equal the truth when the API renders its open interiors in ways nobody here chose.

The sandbox's `random` shape names and nests sheet rows, statement trees and invoice header fields
from seeded nonsense words, keeping only what the spec promises (`_cents` / `_basis_points`
suffixes with their meaning words, `YYYY-MM-DD` dates, account codes under account/acct/code/
number names, the spec-named invoice fields). For each of 25 seeds (on DuckDB; three of them on
PostgreSQL too), one small company is synced once; then its loaded row counts, what mapping
discovery chose (against `shape_info`, what the seed chose, for tests only), and after one
`lac run`'s transforms the marts and the reconciliation are checked against the truth.
"""

from collections import defaultdict
from datetime import date

import pytest
from support import Loaded, loaded_sandbox

from lac_connector.transform import run_transforms
from lac_connector.transform.discovery import discover
from lac_connector.transform.fields import TABLES_BY_NAME
from lac_connector.transform.warehouse import SqlTableProbe, loaded_tables, read_catalog

SEEDS = range(25)
# the same on PostgreSQL (its own types, identifiers and SQL) for a few seeds; 18 has the longest
# mapped column names (36 characters)
POSTGRES_SEEDS = (0, 13, 18)
CASES = [pytest.param("duckdb", seed, id=f"duckdb-{seed}") for seed in SEEDS] + [
    pytest.param("postgres", seed, id=f"postgres-{seed}", marks=pytest.mark.postgres)
    for seed in POSTGRES_SEEDS
]
SANDBOX = {"shape": "random", "companies": 1, "months": 6, "rows_per_month": 20, "invoices": 10}
RESOURCES = ["company", "books_rows", "vat_rows", "statement_lines", "invoices"]
AS_OF = date(2026, 11, 1)
# needed by the marts and the reconciliation; the descriptive ones (description, counterparty,
# category, status, invoice number) have no convention to go by in this shape and stay NULL
REQUIRED = {
    "books_rows": {"entry_date", "account_code", "account_name", "vat_code", "vat_rate_basis_points",
                   "net_cents", "vat_cents", "gross_cents"},
    "vat_rows": {"entry_date", "account_code", "vat_code", "vat_rate_basis_points", "base_cents",
                 "output_vat_cents", "input_vat_cents"},
    "statement_lines": {"account_code", "account_name", "line_key", "amount_cents"},
    "invoices": {"status", "party_name", "issue_date", "due_date", "net_cents", "vat_cents", "gross_cents",
                 "is_deleted"},
    "invoice_lines": {"description", "quantity", "unit_price_cents", "vat_code", "vat_rate_basis_points",
                      "net_cents", "vat_cents", "gross_cents"},
}  # fmt: skip


# sheet fields as `shape_info` names them -> the field discovery fills
SHEET_FIELDS = {"date": "entry_date"}


@pytest.mark.parametrize(("kind", "seed"), CASES)
def test_a_random_shape_loads_maps_and_builds_marts_equal_to_the_truth(
    kind: str, seed: int, tmp_path, capsys: pytest.CaptureFixture
) -> None:
    with loaded_sandbox(kind, tmp_path, {**SANDBOX, "shape_seed": seed}, resources=RESOURCES) as loaded:
        _assert_rows_loaded_and_columns_discovered(loaded)
        capsys.readouterr()
        result = run_transforms(loaded.pipeline, as_of_date=AS_OF)
        resolved = {(d.table, d.field) for d in result.mapping if d.resolved}
        missing = {(t, f) for t, fields in REQUIRED.items() for f in fields} - resolved
        assert not missing, [d for d in result.mapping if (d.table, d.field) in missing]
        assert result.verdict == f"reconciliation: ok, {result.checks} checks" and result.checks > 50
        assert capsys.readouterr().out.strip() == result.verdict
        _assert_marts_equal_the_truth(loaded)


def _assert_rows_loaded_and_columns_discovered(loaded: Loaded) -> None:
    """Every row loaded, whatever the shape; discovery resolves every required field, and for
    sheet fields picks the very column the seed chose."""
    sandbox, pipeline = loaded.sandbox, loaded.pipeline
    info = sandbox.shape_info
    chosen = {"books_rows": info.books_fields, "vat_rows": info.vat_fields}
    truth, cid = sandbox.truth, sandbox.customer_ids[0]
    invoices = truth.invoices(cid)
    expected_rows = {
        "books_rows": sum(1 for p in truth.periods(cid) for _ in truth.books_rows(cid, p)),
        "vat_rows": sum(1 for p in truth.periods(cid) for _ in truth.vat_rows(cid, p)),
        "invoices": len(invoices),
        "invoice_lines": sum(len(i["lines"]) for i in invoices),
    }
    with pipeline.sql_client() as client:
        for table, count in expected_rows.items():
            sql = f"SELECT count(*) FROM {client.make_qualified_table_name(table)}"
            with client.execute_query(sql) as cursor:
                assert cursor.fetchall()[0][0] == count, table
        loaded_tables_ = loaded_tables(pipeline.default_schema, read_catalog(client), ())
        for table, required in REQUIRED.items():
            spec = TABLES_BY_NAME[table]
            probe = SqlTableProbe(
                client, table, loaded_tables_[table], spec.sheet_tab, "sheet_columns" in loaded_tables_
            )
            decisions = {d.field: d for d in discover(spec, probe)}
            assert {f for f in required if not decisions[f].resolved} == set(), [
                decisions[f] for f in required
            ]
            for name, path in chosen.get(table, {}).items():
                field = SHEET_FIELDS.get(name, name)
                if field in required:
                    assert decisions[field].column_name == path.replace(".", "__"), (field, decisions[field])


def _assert_marts_equal_the_truth(loaded: Loaded) -> None:
    truth, cid = loaded.sandbox.truth, loaded.sandbox.customer_ids[0]
    periods = truth.periods(cid)
    ledger: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0, 0, 0, 0])
    for period in periods:
        for row in truth.books_rows(cid, period):
            acc = ledger[(period, row["account_code"])]
            for i, value in enumerate((1, row["net_cents"], row["vat_cents"], row["gross_cents"])):
                acc[i] += value
    got = loaded.rows(
        "select period, account_code, count(*), sum(net_cents), sum(vat_cents), sum(gross_cents),"
        " count(entry_date) from {ds}.mart_general_ledger group by 1, 2"
    )
    assert {(p, a): [int(x) for x in v[:4]] for p, a, *v in got} == dict(ledger)
    assert all(n == dated for _, _, n, *_, dated in got)

    pl: dict[str, dict[str, int]] = defaultdict(dict)
    for period, account, net_cents in loaded.rows(
        "select period, account_code, net_cents from {ds}.mart_profit_and_loss"
    ):
        pl[period][account] = net_cents
    assert dict(pl) == {p: truth.income_statement(cid, p) for p in periods}
    balance: dict[str, dict[str, int]] = defaultdict(dict)
    for period, account, amount_cents in loaded.rows(
        "select period, account_code, amount_cents from {ds}.mart_balance_sheet"
    ):
        balance[period][account] = amount_cents
    assert dict(balance) == {p: truth.balance_sheet(cid, p) for p in periods}

    for vat_period, box, amount_cents in loaded.rows(
        "select vat_period, box, amount_cents from {ds}.mart_vat_return where box in ('307', '308')"
    ):
        preview = truth.filing(cid, vat_period)["vat_preview"]
        assert amount_cents == {"307": preview["input_vat_cents"], "308": preview["payable_cents"]}[box]

    open_gross = defaultdict(int)
    for invoice in truth.invoices(cid):
        if invoice["status"] in ("sent", "overdue"):
            open_gross[invoice["id"]] = invoice["gross_cents"]
    aging = loaded.rows(
        "select invoice_id, gross_cents, due_date, aging_bucket from {ds}.mart_receivables_aging"
    )
    assert {i: g for i, g, _, _ in aging} == dict(open_gross)
    due = {inv["id"]: inv["due_date"] for inv in truth.invoices(cid)}
    assert all(str(d) == due[i] and bucket for i, _, d, bucket in aging)
    lines = loaded.rows("select count(*), sum(gross_cents) from {ds}.mart_invoice_lines")[0]
    live = [inv for inv in truth.invoices(cid)]
    assert lines == (
        sum(len(i["lines"]) for i in live),
        sum(x["gross_cents"] for i in live for x in i["lines"]),
    )
