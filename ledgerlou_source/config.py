"""Every setting of the LedgerLou source, its type and its default: the one place they are declared.

dlt resolves them from `[sources.ledgerlou]` in `.dlt/config.toml` / `.dlt/secrets.toml` or from
`SOURCES__LEDGERLOU__<SETTING>` environment variables (see docs/ledgerlou.md, "Settings").
"""

from dlt.common.configuration import configspec
from dlt.common.configuration.specs import BaseConfiguration
from dlt.common.typing import TSecretStrValue

from ledgerlou_source import settings


@configspec
class LedgerLouSourceConfig(BaseConfiguration):
    api_key: TSecretStrValue | None = None
    """LedgerLou API key (or session token), sent as `Authorization: Bearer <api_key>`."""
    base_url: str | None = None
    """The API's base URL, without `/v1` (the reference names no host)."""
    tenant: str | None = None
    """A stable label you choose for the books this key reads: every row's `tenant_id`."""
    start_period: str | None = None
    """First month of the journal and reports (`YYYY-MM`); default the first month `/v1/periods` lists."""
    end_period: str | None = None
    """Last month (`YYYY-MM`); default the later of the last listed period and the current month."""
    lookback_months: int = settings.DEFAULT_LOOKBACK_MONTHS
    """Months before `end_period` (it included) re-read every run unless closed with a `closing_hash`."""
    full_refresh: bool = False
    """Re-read every month and every detail, ignoring what earlier runs recorded."""
    concurrency: int = settings.DEFAULT_CONCURRENCY
    """Requests in flight at once for months, details and files."""
    max_attempts: int = 6
    """Attempts per request before a transient failure (429, 5xx, dropped connection) fails the run."""
    page_limit: int = settings.DEFAULT_PAGE_LIMIT
    """`limit` of limit/offset lists (bank transactions, customers, invoices, ...)."""
    journal_page_limit: int = settings.DEFAULT_JOURNAL_PAGE_LIMIT
    """`limit` of `/v1/journal` and account entries; a date window returning this many lines is split."""
    report_types: list[str] | None = None
    """`type` values read from `/v1/reports` per month; default `settings.DEFAULT_REPORT_TYPES`."""
    cumulative_report_types: list[str] | None = None
    """Report types whose figures carry history forward (re-read after any earlier month changed);
    default `settings.DEFAULT_CUMULATIVE_REPORT_TYPES`."""
    balance_history_days: int = settings.DEFAULT_BALANCE_HISTORY_DAYS
    """`days` of `/v1/bank-accounts/balance-history`."""
    entry_accounts: list[str] | None = None
    """Account numbers whose `/v1/accounts/{number}/entries` load into `ll_account_entries` (opt-in)."""
    base_currency: str | None = None
    """The books' base currency; default the `base_currency` of a bank reconciliation, else EUR."""
    customer_id_field: str | None = None
    """The field (or dotted path) that identifies a `/v1/customers` entry; default discovered."""
    vendor_id_field: str | None = None
    """The same for `/v1/vendors`."""
    sales_invoice_id_field: str | None = None
    """The same for `/v1/outgoing-invoices`."""
    purchase_invoice_id_field: str | None = None
    """The same for `/v1/invoices`."""
    payment_run_id_field: str | None = None
    """The same for `/v1/payment-runs`."""
    bank_account_id_field: str | None = None
    """The same for `/v1/bank-accounts`."""
    bank_transaction_id_field: str | None = None
    """The same for `/v1/bank-transactions`."""
    inbox_item_id_field: str | None = None
    """The same for `/v1/inbox`."""
    review_case_id_field: str | None = None
    """The same for `/v1/invoice-review-cases`."""
    line_intent_field: str | None = None
    """The field of a journal line holding its posting's `intent_id`; default discovered."""
    line_account_field: str | None = None
    """The field of a journal line holding its account number; default discovered."""
    line_document_field: str | None = None
    """The field of a journal line holding its document id; default fields named `document_id`."""
    money_fields: dict[str, list[str]] | None = None
    """Extra money fields per table, as dotted paths: `{"ll_journal_lines": ["debit", "credit"]}`."""
    landing_url: str = "landing"
    """Where files land: a local folder or any fsspec URL (`s3://`, `gs://`, `az://`, `file://`)."""
    land_documents: bool = True
    """Land the file of every document the synced tables refer to (`/v1/documents/{id}/file`)."""
    land_document_previews: bool = False
    """Also land each document's preview rendition (`/v1/documents/{id}/preview`, opt-in)."""
    land_datev_exports: bool = True
    """Land the DATEV export (`/v1/reports/datev-export`) of every re-read month."""
