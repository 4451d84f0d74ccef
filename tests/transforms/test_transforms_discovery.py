"""Mapping discovery on synthetic loaded tables whose column names nobody here chose.

Each table is loaded with dlt into a DuckDB file (as `lac run` would flatten it) and discovered
through the pipeline's SQL client, as `run_transforms` does; no dbt runs here.
"""

from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

import dlt
import pytest

from lac_connector.kit.errors import ConfigError
from lac_connector.transform.discovery import (
    AMBIGUOUS,
    COLUMNS_METADATA,
    CONFIG,
    CONVENTION,
    KNOWN_NAME,
    UNRESOLVED,
    Decision,
    discover,
)
from lac_connector.transform.fields import BOOKS_ROWS, INVOICES, STATEMENT_LINES, TableFields
from lac_connector.transform.warehouse import SqlTableProbe, loaded_tables, read_catalog


@pytest.fixture
def load(tmp_path: Path) -> Iterator[Any]:
    """load(table, rows, spec, config=None, sheet_columns=None) -> {field: Decision}."""
    pipeline = dlt.pipeline(
        pipeline_name="discovery",
        destination=dlt.destinations.duckdb(str(tmp_path / "w.duckdb")),
        dataset_name="lac",
        pipelines_dir=str(tmp_path / "pipelines"),
    )

    def run(
        rows: Sequence[Mapping[str, Any]],
        spec: TableFields,
        config: Mapping[str, str] | None = None,
        sheet_columns: Sequence[Mapping[str, Any]] | None = None,
    ) -> dict[str, Decision]:
        pipeline.run(list(rows), table_name=spec.table)
        if sheet_columns:
            pipeline.run(list(sheet_columns), table_name="sheet_columns")
        with pipeline.sql_client() as client:
            loaded = loaded_tables(pipeline.default_schema, read_catalog(client), ())
            probe = SqlTableProbe(
                client, spec.table, loaded[spec.table], spec.sheet_tab, "sheet_columns" in loaded
            )
            return {d.field: d for d in discover(spec, probe, config)}

    yield run


def _row(i: int, **extra: Any) -> dict[str, Any]:
    """A books row as a server nobody here wrote might render it."""
    net = 1000 + i
    return {
        "customer_id": "c1",
        "period": "2026-01",
        "row_index": i,
        "posted_on": f"2026-01-{i + 1:02d}",
        "ledger": {"acct_no": str(3000 + 10 * (i % 3)), "acct_title": f"Sales {i % 3}"},
        "sums": {"net_eur_cents": net, "tax_eur_cents": net // 4, "total_eur_cents": net + net // 4},
        "levy_basis_points": 2500,
        "klass": ["S25", "P14", "EU_SALE"][i % 3],
        "memo_text": f"line {i}",
        "customer_name": "Oy Ab",  # a Party-like name beside the books row
        **extra,
    }


ROWS = [_row(i) for i in range(6)]


def _columns(decisions: Mapping[str, Decision]) -> dict[str, tuple[str | None, str]]:
    return {name: (d.column_name, d.method) for name, d in decisions.items()}


def test_books_rows_named_by_nobody_here(load) -> None:
    got = _columns(load(ROWS, BOOKS_ROWS))
    assert got == {
        "entry_date": ("posted_on", CONVENTION),  # the only column of YYYY-MM-DD values
        "net_cents": ("sums__net_eur_cents", CONVENTION),
        "vat_cents": ("sums__tax_eur_cents", CONVENTION),
        "gross_cents": ("sums__total_eur_cents", CONVENTION),
        "vat_rate_basis_points": ("levy_basis_points", CONVENTION),
        "account_code": ("ledger__acct_no", CONVENTION),  # digits under an acct/no name
        "account_name": ("ledger__acct_title", CONVENTION),  # a title beside the account code
        "vat_code": ("klass", CONVENTION),  # the only column of upper-case codes
        "counterparty": (None, UNRESOLVED),
        "description": ("memo_text", CONVENTION),
        "category": (None, UNRESOLVED),
        "status": (None, UNRESOLVED),
    }


def test_a_missing_field_is_unresolved_and_names_the_columns_seen(load) -> None:
    rows = [{k: v for k, v in r.items() if k != "levy_basis_points"} for r in ROWS]
    rate = load(rows, BOOKS_ROWS)["vat_rate_basis_points"]
    assert rate.method == UNRESOLVED and rate.columns == ()
    assert rate.detail.startswith("not found in books_rows (columns seen: posted_on, ")
    assert "sums__net_eur_cents" in rate.detail and "row_index" not in rate.detail


def test_two_candidates_are_ambiguous_never_guessed(load) -> None:
    rows = [_row(i, other={"net_adjusted_cents": 5}) for i in range(6)]
    net = load(rows, BOOKS_ROWS)["net_cents"]
    assert net.method == AMBIGUOUS and net.columns == ()
    assert net.detail.startswith("ambiguous in books_rows (candidates: ")
    assert set(net.detail.split(": ")[1].rstrip(")").split(", ")) == {
        "sums__net_eur_cents",
        "other__net_adjusted_cents",
    }


def test_a_name_carrying_two_meanings_is_no_candidate(load) -> None:
    """`vat_total_cents` could be the VAT or the gross: it is taken for neither."""
    rows = [
        {**{k: v for k, v in r.items() if k != "sums"}, "net_cents": 100, "vat_total_cents": 24} for r in ROWS
    ]
    got = load(rows, BOOKS_ROWS)
    assert (got["net_cents"].column_name, got["vat_cents"].method, got["gross_cents"].method) == (
        "net_cents",
        UNRESOLVED,
        UNRESOLVED,
    )


def test_the_users_mapping_wins_and_is_checked(load) -> None:
    rows = [_row(i, other={"net_adjusted_cents": 5}) for i in range(6)]
    got = load(rows, BOOKS_ROWS, {"net_cents": "other__net_adjusted_cents", "status": "memo_text"})
    assert _columns(got)["net_cents"] == ("other__net_adjusted_cents", CONFIG)
    assert _columns(got)["status"] == ("memo_text", CONFIG)
    assert got["description"].method == UNRESOLVED  # the user's choice took memo_text
    with pytest.raises(
        ConfigError, match=r"\[transforms.mapping.books_rows\] net_cents = 'nope': nope is not"
    ):
        load(rows, BOOKS_ROWS, {"net_cents": "nope"})
    with pytest.raises(ConfigError, match="unknown field"):
        load(rows, BOOKS_ROWS, {"nett": "sums__net_eur_cents"})


def test_the_sheets_columns_metadata_names_a_column_and_its_type(load) -> None:
    """Two date columns: the sheet's `columns` say which one is the booking date."""
    rows = [_row(i, approved={"day": "2026-02-01"}) for i in range(6)]
    described = [
        {"customer_id": "c1", "period": "2026-01", "tab": "books", "position": 0,
         "zub": "posted_on", "kind_of": "date", "txt": "Kirjauspäivä"},
        {"customer_id": "c1", "period": "2026-01", "tab": "books", "position": 1,
         "zub": "approved.day", "kind_of": "text", "txt": "Hyväksytty"},
        {"customer_id": "c1", "period": "2026-01", "tab": "books", "position": 2,
         "zub": "sums.net_eur_cents", "kind_of": "money", "txt": "Net"},
    ]  # fmt: skip
    got = load(rows, BOOKS_ROWS, sheet_columns=described)
    assert _columns(got)["entry_date"] == ("posted_on", COLUMNS_METADATA)
    assert _columns(got)["net_cents"] == ("sums__net_eur_cents", COLUMNS_METADATA)
    without = load(rows, BOOKS_ROWS.__class__(**{**BOOKS_ROWS.__dict__, "sheet_tab": None}))
    assert without["entry_date"].method == AMBIGUOUS  # two date columns and nothing to tell them apart


def test_statement_lines_amounts_account_names_and_cash_flow_keys(load) -> None:
    base = {"customer_id": "c1", "period": "2026-01", "statement_path": "x", "line_index": 0}
    rows = [
        {**base, "statement_set": "default", "line_index": 0, "gl": {"code": "3000", "label": "Sales"},
         "book_value_cents": 500, "grp": "revenue"},
        {**base, "statement_set": "default", "line_index": 1, "gl": {"code": "1910", "label": "Bank"},
         "book_value_cents": 900, "grp": "assets"},
        {**base, "statement_set": "cashflow", "line_index": 2, "ident": "opening_cash", "sum_cents": 10},
        {**base, "statement_set": "cashflow", "line_index": 3, "ident": "cash_in", "sum_cents": 20},
    ]  # fmt: skip
    got = _columns(load(rows, STATEMENT_LINES))
    assert got["amount_cents"] == ("book_value_cents, sum_cents", CONVENTION)  # never on the same line
    assert got["account_code"] == ("gl__code", CONVENTION)
    assert got["account_name"] == ("gl__label", CONVENTION)
    assert got["line_key"] == ("ident", CONVENTION)  # the text the lines without an account carry
    assert got["statement_kind"][1] == UNRESOLVED  # derived in SQL instead


def test_invoice_dates_told_apart_by_their_values_and_spec_names_known(load) -> None:
    rows = [
        {"customer_id": "c1", "id": f"i{i}", "status": "sent",
         "customer": {"name": "Oy", "vat_number": "FI1"},
         "zorp": f"2026-0{i + 1}-01", "blip": f"2026-0{i + 1}-{15 + i:02d}",
         "gross_cents": 100, "net_cents": 80, "vat_cents": 20, "is_deleted": False}
        for i in range(4)
    ]  # fmt: skip
    got = _columns(load(rows, INVOICES))
    assert got["issue_date"] == ("zorp", CONVENTION) and got["due_date"] == ("blip", CONVENTION)
    assert got["party_name"] == ("customer__name", KNOWN_NAME)
    assert got["status"] == ("status", KNOWN_NAME) and got["is_deleted"] == ("is_deleted", KNOWN_NAME)
    assert got["number"] == (None, UNRESOLVED)  # `customer__vat_number` is the party's, not the invoice's
