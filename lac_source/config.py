"""Every setting of the LAC source, its type and its default: the one place they are declared.

dlt resolves them from `[sources.lac]` in `.dlt/config.toml` / `.dlt/secrets.toml` or from
`SOURCES__LAC__<SETTING>` environment variables (see docs/configuration.md).
"""

from dlt.common.configuration import configspec
from dlt.common.configuration.specs import BaseConfiguration
from dlt.common.typing import TSecretStrValue

from lac_source import settings


@configspec
class LacSourceConfig(BaseConfiguration):
    api_key: TSecretStrValue | None = None
    """Portal API key (`lac_sk_...`); read scope is enough and recommended."""
    access_token: TSecretStrValue | None = None
    """Interactive session token; alternative to `api_key`, short-lived (payroll, API keys)."""
    base_url: str = settings.DEFAULT_BASE_URL
    """API base URL including the `/portal` base path."""
    customer_ids: list[str] | None = None
    """Companies to sync (interactive tokens); default every accessible company."""
    start_period: str | None = None
    """First month to sync (`YYYY-MM`); default the earliest month the sheet offers."""
    end_period: str | None = None
    """Last month to sync (`YYYY-MM`); default the current month in Finland."""
    lookback_months: int = settings.DEFAULT_LOOKBACK_MONTHS
    """Recent months re-synced on every run (open month included)."""
    full_refresh: bool = False
    """Re-sync every month regardless of fingerprints."""
    concurrency: int = 6
    """Sheet requests in flight at once (fingerprint probes, pages of large months, re-checks);
    months themselves are read by dlt's extract workers."""
    unpaginated_max_rows: int = settings.DEFAULT_UNPAGINATED_MAX_ROWS
    """A month of a sheet tab with at most this many rows is read in one unpaginated request
    (`limit=0`); a larger one in pages of 200, `concurrency` at a time (docs/performance.md)."""
    recheck_every_runs: int = settings.DEFAULT_RECHECK_EVERY_RUNS
    """Every month outside the lookback window is re-read in full at least once every this many
    runs, so an edit its fingerprint cannot see arrives within that many runs (1 = every run)."""
    drill_account_codes: list[str] | None = None
    """GL accounts for the opt-in `statement_drill` table."""
    max_attempts: int = 6
    """Attempts per request before a transient failure fails the run."""
    landing_url: str = "landing"
    """Where files land: a local folder or any fsspec URL (`s3://`, `gs://`, `az://`, `file://`)."""
    land_outputs: bool = True
    """Land output package files (VAT return drafts, close reports)."""
    land_uploads: bool = True
    """Land uploaded documents."""
    land_import_packages: bool = True
    """Land import runs' raw source packages."""
    land_invoice_files: bool = False
    """Also land each invoice's PDF and Finvoice XML (opt-in)."""
    land_uploads_export: bool = False
    """Also land the zip of all uploads from `/uploads/export` (opt-in)."""
    payroll_months: int = 12
    """Months of payroll loaded, ending at `end_period` (interactive tokens only)."""
    # Key fields of list entries (docs/keys.md): a field name or dotted path (`file.name`); unset,
    # the key is found by convention, asking the API when several fields qualify.
    upload_name_field: str | None = None
    """Field of a `/uploads` entry holding the stored file name (`/uploads/{filename}`)."""
    output_id_field: str | None = None
    """Field of an `/outputs` entry holding the package id (`/outputs/{output_id}`)."""
    import_run_id_field: str | None = None
    """Field of an `/imports` entry holding the run id (`/imports/{run_id}`)."""
    invoice_id_field: str | None = None
    """Field of an `/invoices` entry holding the invoice id (`/invoices/{invoice_id}`); the spec says `id`."""
    template_id_field: str | None = None
    """Field of an `/invoice-recurring` template that identifies it (`recurring_templates.template_id`)."""
    message_id_field: str | None = None
    """Field of a `/messages` entry that identifies the message (`messages.message_key`)."""
    party_id_field: str | None = None
    """Field of an `/invoice-customers` party that identifies it (`invoice_customers.id`)."""
    connection_id_field: str | None = None
    """Field of a `/<provider>-connections` entry that identifies it (`connections.connection_key`)."""
    employee_id_field: str | None = None
    """Field of a `/payroll` employee holding the id `/payroll/payslip?employee_id=` takes."""
    payroll_run_id_field: str | None = None
    """Field of a `/payroll` run holding the id `/payroll/payslip?run_id=` takes."""
