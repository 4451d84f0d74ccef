"""Constants of the LAC Customer API and of this source's defaults."""

from importlib.metadata import PackageNotFoundError, version

DEFAULT_BASE_URL = "https://api.app.lastaccountingcompany.com/portal"

try:
    PACKAGE_VERSION = version("lac-connector")
except PackageNotFoundError:  # running from a source tree that was not installed
    PACKAGE_VERSION = "0.0.0"
USER_AGENT = f"lac-connector/{PACKAGE_VERSION} (+dlt source)"

# The spec caps sheet pages at 200 rows (0 would mean unpaginated, which we never ask for).
SHEET_PAGE_LIMIT = 200
SHEET_TABS = ("books", "vat")

DEFAULT_LOOKBACK_MONTHS = 3

# How deep dlt flattens nested objects (and nests child tables) for this source.
MAX_TABLE_NESTING = 3

# HTTP behaviour
CONNECT_TIMEOUT_S = 10.0
READ_TIMEOUT_S = 60.0
MAX_ATTEMPTS = 6
BACKOFF_INITIAL_S = 0.5
BACKOFF_MAX_S = 30.0
RETRY_AFTER_MAX_S = 120.0
RETRYABLE_STATUS = frozenset({429, 500, 502, 503, 504})
MAX_CONNECTIONS = 16

# Keys of a sheet page that make up a month's fingerprint. `sheet_status`, `customer`
# and `available_ranges` describe the whole company and would change with any month.
FINGERPRINT_KEYS = ("summary_cards", "columns", "rows", "row_window")

# Column that marks a period tombstone: a row that only deletes the period's old rows.
TOMBSTONE_COLUMN = "_lac_tombstone"
