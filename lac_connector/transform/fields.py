"""What the `int_lac__*` models need from each loaded table: the fields mapping discovery resolves.

A field names what it means, never where our sandbox puts it: its `kind` says how values look
(a `money` field is an integer `*_cents` column, a `rate` an integer `*_basis_points` column, a
`date` holds `YYYY-MM-DD` values, an `account_code` short digit strings, ...), `words` are the
meaning words a column name (or the sheet's column label) carries under the spec's conventions,
and `known` are names common in accounting APIs (or fixed by the spec), tried last.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class Field:
    name: str
    kind: str  # date, money, rate, account_code, account_name, code, line_key, text, number, decimal, flag
    words: tuple[str, ...] = ()
    known: tuple[str, ...] = ()
    # money only: several columns may be coalesced when no row holds values in more than one
    coalesce: bool = False
    not_words: tuple[str, ...] = ()  # a column whose name carries one of these is not a candidate
    # how the models do without the field (then an unresolved field is no reason to warn)
    fallback: str = ""


@dataclass(frozen=True)
class TableFields:
    table: str  # the loaded table (also the `[transforms.mapping.<table>]` section)
    sheet_tab: str | None  # tab of `sheet_columns` describing the table's columns, if any
    fields: tuple[Field, ...]
    keys: tuple[str, ...]  # columns the connector adds (never candidates)

    def get(self, name: str) -> Field | None:
        return next((f for f in self.fields if f.name == name), None)


def _money(name: str, *words: str, coalesce: bool = False) -> Field:
    return Field(name, "money", words, (name,), coalesce)


DATE_WORDS = ("date", "day", "booked", "booking", "posted", "posting", "entry", "transaction")
RATE = Field("vat_rate_basis_points", "rate", ("vat", "tax", "rate"), ("vat_rate_basis_points",))
VAT_CODE = Field("vat_code", "code", ("vat", "tax"), ("vat_code", "tax_code"))
ACCOUNT_CODE = Field(
    "account_code", "account_code", ("account", "acct", "code", "number", "no", "num"), ("account_code",)
)
ACCOUNT_NAME = Field("account_name", "account_name", ("name", "title", "label"), ("account_name",))

BOOKS_ROWS = TableFields(
    table="books_rows",
    sheet_tab="books",
    keys=("customer_id", "period", "row_index"),
    fields=(
        Field("entry_date", "date", DATE_WORDS, ("date", "entry_date", "booking_date")),
        _money("net_cents", "net"),
        _money("vat_cents", "vat", "tax"),
        _money("gross_cents", "gross", "total"),
        RATE,
        ACCOUNT_CODE,
        ACCOUNT_NAME,
        VAT_CODE,
        Field(
            "counterparty",
            "text",
            ("counterparty", "party", "vendor", "supplier", "payee", "partner"),
            ("counterparty",),
        ),
        Field(
            "description",
            "text",
            ("description", "memo", "narrative", "explanation", "text"),
            ("description", "memo"),
        ),
        Field("category", "text", ("category",), ("category",)),
        Field("status", "text", ("status", "state"), ("status",)),
    ),
)

VAT_ROWS = TableFields(
    table="vat_rows",
    sheet_tab="vat",
    keys=("customer_id", "period", "row_index"),
    fields=(
        Field("entry_date", "date", DATE_WORDS, ("date", "entry_date")),
        _money("base_cents", "base"),
        _money("output_vat_cents", "output"),
        _money("input_vat_cents", "input"),
        RATE,
        ACCOUNT_CODE,
        VAT_CODE,
    ),
)

STATEMENT_LINES = TableFields(
    table="statement_lines",
    sheet_tab=None,
    keys=("customer_id", "period", "statement_set", "statement_path", "line_index"),
    fields=(
        # one amount per line; different statements may name it differently (coalesced)
        _money("amount_cents", "amount", "value", "balance", "total", "sum", coalesce=True),
        ACCOUNT_CODE,
        ACCOUNT_NAME,
        # cash flow lines carry no account but a key (`opening_cash`, `cash_in`, ...)
        Field("line_key", "line_key", ("key", "line", "item"), ("key", "label", "line")),
        # which statement a line belongs to, when the line itself says so (else derived in SQL)
        Field(
            "statement_kind",
            "text",
            ("statement", "kind"),
            ("statement_kind", "statement", "kind"),
            fallback="derived: the cash flow set, else the kind statement_path names, "
            "else the account's section",
        ),
    ),
)

COMPANY = TableFields(
    table="company",
    sheet_tab=None,
    keys=("customer_id",),
    fields=(
        Field("fiscal_year_start_month", "number", known=("fiscal_year_start_month",)),
        Field("vat_period_months", "number", known=("vat_period_months",)),
    ),
)

INVOICES = TableFields(
    table="invoices",
    sheet_tab=None,
    keys=("customer_id", "id"),
    fields=(
        # fixed by the spec (PortalInvoice, Party) or added by the connector
        Field("status", "text", known=("status",)),
        Field("party_name", "text", known=("customer__name",)),
        Field("is_deleted", "flag", known=("is_deleted",)),
        # left open by the spec
        _money("net_cents", "net"),
        _money("vat_cents", "vat", "tax"),
        _money("gross_cents", "gross", "total"),
        Field(
            "issue_date", "date", ("issue", "issued", "invoice", "invoiced"), ("issue_date", "invoice_date")
        ),
        Field("due_date", "date", ("due",), ("due_date",)),
        Field(
            "number",
            "text",
            ("number", "no", "num"),
            ("number", "invoice_number"),
            not_words=("vat", "tax", "business", "phone", "postal", "customer"),
        ),
    ),
)

INVOICE_LINES = TableFields(
    table="invoice_lines",
    sheet_tab=None,
    keys=("customer_id", "invoice_id", "line_index"),
    fields=(
        # InvoiceLine (the spec names them; discovery confirms they are there)
        _money("unit_price_cents", "price", "unit"),
        _money("net_cents", "net"),
        _money("vat_cents", "vat", "tax"),
        _money("gross_cents", "gross", "total"),
        RATE,
        VAT_CODE,
        Field("quantity", "decimal", ("quantity", "qty"), ("quantity",)),
        Field("description", "text", ("description",), ("description",)),
    ),
)

TABLES: tuple[TableFields, ...] = (BOOKS_ROWS, VAT_ROWS, STATEMENT_LINES, COMPANY, INVOICES, INVOICE_LINES)
TABLES_BY_NAME = {t.table: t for t in TABLES}
