"""Constants of the LAC Customer API and of this source's defaults."""

DEFAULT_BASE_URL = "https://api.app.lastaccountingcompany.com/portal"

# The spec caps sheet pages at 200 rows (0 would mean unpaginated, which we never ask for).
SHEET_PAGE_LIMIT = 200
SHEET_TABS = ("books", "vat")

DEFAULT_LOOKBACK_MONTHS = 3

# How deep dlt flattens nested objects (and nests child tables) for this source.
MAX_TABLE_NESTING = 3

# Keys of a sheet page that make up a month's fingerprint. `sheet_status`, `customer`
# and `available_ranges` describe the whole company and would change with any month.
FINGERPRINT_KEYS = ("summary_cards", "columns", "rows", "row_window")
