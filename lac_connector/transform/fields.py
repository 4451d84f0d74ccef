"""What the `int_lac__*` and `int_ledgerlou__*` models need from each loaded table: the fields
mapping discovery resolves.

A field names what it means, never where our sandbox puts it: its `kind` says how values look
(a `money` field is an integer column ending in the table's money suffix: `*_cents` for LAC,
`*_minor` for LedgerLou, whose source adds a minor-units twin to every money field; a `rate` an
integer `*_basis_points` column; a `tax_code` short tokens such as `USt19` or `S255`; a
`date` holds `YYYY-MM-DD` values, an `account_code` short digit strings, ...), `words` are the
meaning words a column name (or the sheet's column label) carries under the spec's conventions,
and `known` are names common in accounting APIs (or fixed by the spec), tried last.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class Field:
    name: str
    # date, money, rate, account_code, account_name, code, tax_code, line_key, text, number, decimal, flag
    kind: str
    words: tuple[str, ...] = ()
    known: tuple[str, ...] = ()
    # money only: several columns may be coalesced when no row holds values in more than one
    coalesce: bool = False
    not_words: tuple[str, ...] = ()  # a column whose name carries one of these is not a candidate
    # how the models do without the field (then an unresolved field is no reason to warn)
    fallback: str = ""
    # (table, column) every value must be found in, when that table is loaded (an account number
    # must be one of the chart's)
    values_in: tuple[str, str] | None = None


@dataclass(frozen=True)
class TableFields:
    table: str  # the loaded table (also the `[transforms.mapping.<table>]` section)
    sheet_tab: str | None  # tab of `sheet_columns` describing the table's columns, if any
    fields: tuple[Field, ...]
    keys: tuple[str, ...]  # columns the connector adds (never candidates)
    source_system: str = "lac"
    money_suffix: str = "_cents"  # how the loaded integer minor-units columns end

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

# ---- LedgerLou (`ledgerlou_source`, tables `ll_*`) ----------------------------------------------
# The reference names the fields of accounts, tax codes, invoices and parties (their names are
# `known`); a journal line's, an invoice line's and a report line's fields are left open, so they
# are found by the words their names carry. Money: the `<field>_minor` BIGINT twin the source adds.


def _minor(
    name: str,
    *words: str,
    known: tuple[str, ...] = (),
    not_words: tuple[str, ...] = (),
    coalesce: bool = False,
) -> Field:
    return Field(name, "money", words, known, coalesce, not_words=not_words)


BASE = ("base",)  # the base-currency twin of an amount is another field


LL_TAX_CODE = Field(
    "tax_code", "tax_code", ("code", "taxcode", "vatcode"), ("tax_code",), not_words=("currency",)
)
LL_ACCOUNT = Field(
    "account_code",
    "account_code",
    ("account", "acct", "number", "no", "num"),
    ("account_number", "account"),
    values_in=("ll_accounts", "account_number"),
)
# report lines of different types may name their fields differently (never on the same row)
LL_REPORT_ACCOUNT = Field(
    "account_code",
    "account_code",
    ("account", "acct", "number", "no", "num"),
    ("account_number", "account"),
    coalesce=True,
    values_in=("ll_accounts", "account_number"),
)

LL_JOURNAL_LINES = TableFields(
    table="ll_journal_lines",
    sheet_tab=None,
    keys=("tenant_id", "period", "line_index", "intent_id", "record_id"),
    source_system="ledgerlou",
    money_suffix="_minor",
    fields=(
        Field("entry_date", "date", DATE_WORDS, ("booking_date", "date")),
        LL_ACCOUNT,
        _minor("debit", "debit", known=("debit_minor",)),
        _minor("credit", "credit", known=("credit_minor",)),
        LL_TAX_CODE,
        Field(
            "description",
            "text",
            ("description", "memo", "narrative", "text"),
            ("description",),
            fallback="NULL: no check needs it",
        ),
    ),
)

LL_JOURNAL_INTENTS = TableFields(
    table="ll_journal_intents",
    sheet_tab=None,
    keys=("tenant_id", "intent_id", "period", "entry_count"),
    source_system="ledgerlou",
    money_suffix="_minor",
    fields=(
        Field(
            "status",
            "text",
            ("status", "state"),
            ("summary__status", "status"),
            fallback="NULL: the lines still count (a reversal is its own posting)",
        ),
    ),
)

LL_ACCOUNTS = TableFields(
    table="ll_accounts",
    sheet_tab=None,
    keys=("tenant_id", "account_number", "position"),
    source_system="ledgerlou",
    money_suffix="_minor",
    fields=(
        Field("name", "text", ("name",), ("name",)),
        Field("type", "text", ("type",), ("type",)),
    ),
)

LL_TAX_CODES = TableFields(
    table="ll_tax_codes",
    sheet_tab=None,
    keys=("tenant_id", "code", "position"),
    source_system="ledgerlou",
    money_suffix="_minor",
    fields=(
        Field("rate", "number", ("rate",), ("rate",)),
        Field("vat_account", "account_code", ("vat", "account"), ("vat_account",)),
        Field(
            "self_assess_account",
            "account_code",
            ("self", "assess", "account"),
            ("self_assess_account",),
            fallback="NULL: no reverse-charge tax code",
        ),
    ),
)

LL_REPORT_LINES = TableFields(
    table="ll_report_lines",
    sheet_tab=None,
    keys=("tenant_id", "report_type", "period", "line_index"),
    source_system="ledgerlou",
    money_suffix="_minor",
    fields=(
        LL_REPORT_ACCOUNT,
        LL_TAX_CODE,
        _minor("amount", "amount", "value", "sum", known=("amount_minor",), coalesce=True),
        _minor("closing_balance", "closing", known=("closing_balance_minor",)),
        _minor("net", "net", known=("net_minor",)),
        _minor("output_tax", "output", known=("output_tax_minor",)),
        _minor("input_tax", "input", known=("input_tax_minor",)),
    ),
)

LL_SALES_INVOICES = TableFields(
    table="ll_sales_invoices",
    sheet_tab=None,
    keys=("tenant_id", "record_id"),
    source_system="ledgerlou",
    money_suffix="_minor",
    fields=(
        # named by the reference (POST /v1/outgoing-invoices, its detail)
        Field(
            "number",
            "text",
            ("number", "no", "num"),
            ("invoice_number",),
            not_words=("vat", "tax", "customer"),
        ),
        Field("status", "text", ("status",), ("status",)),
        Field("party_id", "text", (), ("customer_id",)),
        Field("posting_id", "text", (), ("intent_id",)),
        Field("currency", "text", ("currency",), ("currency",)),
        Field("issue_date", "date", ("issue", "invoice"), ("invoice_date",)),
        Field("due_date", "date", ("due",), ("due_date",)),
        _minor("net", "net", known=("total_net_minor",), not_words=BASE),
        _minor("tax", "tax", "vat", known=("total_tax_minor",), not_words=BASE),
        _minor("gross", "gross", "total", known=("total_gross_minor",), not_words=BASE),
        _minor("remaining", "remaining", "open", known=("remaining_amount_minor",), not_words=BASE),
    ),
)

LL_SALES_INVOICE_LINES = TableFields(
    table="ll_sales_invoice_lines",
    sheet_tab=None,
    keys=("tenant_id", "invoice_record_id", "line_index"),
    source_system="ledgerlou",
    money_suffix="_minor",
    fields=(
        _minor("unit_price", "price", "unit", known=("unit_price_minor",)),
        _minor("net", "net", known=("net_minor",)),
        _minor("tax", "tax", "vat", known=("tax_minor",)),
        _minor("gross", "gross", "total", known=("gross_minor",)),
        LL_TAX_CODE,
        Field("quantity", "decimal", ("quantity", "qty"), ("quantity",), fallback="NULL"),
        Field("description", "text", ("description", "text", "memo"), ("description",), fallback="NULL"),
    ),
)

LL_CUSTOMERS = TableFields(
    table="ll_customers",
    sheet_tab=None,
    keys=("tenant_id", "record_id"),
    source_system="ledgerlou",
    money_suffix="_minor",
    fields=(Field("name", "text", ("name",), ("name",)),),
)

LL_BANK_ACCOUNTS = TableFields(
    table="ll_bank_accounts",
    sheet_tab=None,
    keys=("tenant_id", "record_id"),
    source_system="ledgerlou",
    money_suffix="_minor",
    fields=(
        # the bank account's ledger account (its number at the bank is not an account code)
        Field(
            "ledger_account",
            "account_code",
            ("ledger", "account", "acct", "number", "no", "num"),
            ("ledger_account",),
            values_in=("ll_accounts", "account_number"),
        ),
    ),
)

LL_OPEN_ITEMS = TableFields(
    table="ll_open_items",
    sheet_tab=None,
    keys=("tenant_id", "side", "position"),
    source_system="ledgerlou",
    money_suffix="_minor",
    fields=(
        Field("invoice_id", "text", ("invoice",), ("invoice_id",), not_words=("number", "no", "date")),
        _minor("remaining", "remaining", "open", known=("remaining_amount_minor",), not_words=BASE),
    ),
)

LL_ACCOUNT_ENTRIES = TableFields(
    table="ll_account_entries",
    sheet_tab=None,
    # the account, the month and the entry's order in the month's answer are the source's keys
    keys=("tenant_id", "account_number", "period", "line_index"),
    source_system="ledgerlou",
    money_suffix="_minor",
    fields=(
        # the account's balance after the entry: the reference names only the answer's `entries`
        # and `balance`, so a money field of an entry named like running/balance is taken for it
        _minor("running_balance", "running", "balance", known=("running_balance_minor",)),
    ),
)

LAC_TABLES = (BOOKS_ROWS, VAT_ROWS, STATEMENT_LINES, COMPANY, INVOICES, INVOICE_LINES)
LEDGERLOU_TABLES = (
    LL_JOURNAL_LINES,
    LL_JOURNAL_INTENTS,
    LL_ACCOUNTS,
    LL_TAX_CODES,
    LL_REPORT_LINES,
    LL_SALES_INVOICES,
    LL_SALES_INVOICE_LINES,
    LL_CUSTOMERS,
    LL_BANK_ACCOUNTS,
    LL_OPEN_ITEMS,
    LL_ACCOUNT_ENTRIES,
)
TABLES: tuple[TableFields, ...] = LAC_TABLES + LEDGERLOU_TABLES
TABLES_BY_NAME = {t.table: t for t in TABLES}
