"""The ONE place that knows what the interior of sheet rows and statement lines looks like.

The LAC API returns sheet rows and statements "as-is", and dlt flattens nested objects into
`parent__child` columns, so the same logical field lands in differently named columns depending on
the row shape (`flat`: `net_cents`; `nested`: `cells__amounts__net_cents`). Each logical field below
lists its candidate source columns; the generated `int_*` view coalesces, in list order, the
candidates present in the loaded table (absent ones are ignored; a field with no candidate present
is NULL). When the real API's row interior changes, add the new column name here: nothing else
in `transforms/` refers to the loaded column names of these three tables.
"""

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Field:
    """A logical column: its SQL type (`text`, `bigint` or `date`) and candidate loaded columns."""

    type: str
    candidates: tuple[str, ...]


@dataclass(frozen=True)
class RowMapping:
    """A normalised view `view` over the staging view of the loaded table `source`."""

    view: str
    source: str
    keys: tuple[str, ...]  # loaded columns copied unchanged (added by the connector, not the API)
    fields: dict[str, Field] = field(default_factory=dict)


BOOKS_ROWS = RowMapping(
    view="int_books_rows",
    source="books_rows",
    keys=("customer_id", "period", "row_index"),
    fields={
        "entry_date": Field("date", ("date", "cells__date__value")),
        "account_code": Field("text", ("account_code", "cells__account__code")),
        "account_name": Field("text", ("account_name", "cells__account__name")),
        "description": Field("text", ("description", "cells__text__value")),
        "counterparty": Field("text", ("counterparty", "cells__text__counterparty")),
        "vat_code": Field("text", ("vat_code", "cells__vat__code")),
        "vat_rate_basis_points": Field("bigint", ("vat_rate_basis_points", "cells__vat__rate_basis_points")),
        "net_cents": Field("bigint", ("net_cents", "cells__amounts__net_cents")),
        "vat_cents": Field("bigint", ("vat_cents", "cells__amounts__vat_cents")),
        "gross_cents": Field("bigint", ("gross_cents", "cells__amounts__gross_cents")),
        "category": Field("text", ("category", "meta__category")),
        "status": Field("text", ("status", "meta__status")),
    },
)

VAT_ROWS = RowMapping(
    view="int_vat_rows",
    source="vat_rows",
    keys=("customer_id", "period", "row_index"),
    fields={
        "entry_date": Field("date", ("date", "cells__date__value")),
        "account_code": Field("text", ("account_code", "cells__account__code")),
        "vat_code": Field("text", ("vat_code", "cells__vat__code")),
        "vat_rate_basis_points": Field("bigint", ("vat_rate_basis_points", "cells__vat__rate_basis_points")),
        "base_cents": Field("bigint", ("base_cents", "cells__amounts__base_cents")),
        "output_vat_cents": Field("bigint", ("output_vat_cents", "cells__amounts__output_vat_cents")),
        "input_vat_cents": Field("bigint", ("input_vat_cents", "cells__amounts__input_vat_cents")),
    },
)

STATEMENT_LINES = RowMapping(
    view="int_statement_lines",
    source="statement_lines",
    keys=("customer_id", "period", "statement_set", "statement_path", "line_index"),
    fields={
        "account_code": Field("text", ("account_code", "account__code")),
        "account_name": Field("text", ("account_name", "account__name")),
        # cash flow lines carry no account but a key (`opening_cash`, `cash_in`, `cash_out`, `closing_cash`)
        "line_key": Field("text", ("key", "label")),
        "amount_cents": Field("bigint", ("amount_cents", "value_cents")),
    },
)

# `statement_kind` of a statement line: the first kind whose name occurs in its `statement_path`
# (`income_statement.lines`, `statements[balance_sheet].sections[assets].rows`, `cashflow.lines`, ...).
STATEMENT_KINDS = ("income_statement", "balance_sheet", "cashflow")

ROW_MAPPINGS = (BOOKS_ROWS, VAT_ROWS, STATEMENT_LINES)
