"""Constants of the LAC Customer API and of this source's defaults."""

DEFAULT_BASE_URL = "https://api.app.lastaccountingcompany.com/portal"

# The spec caps sheet pages at 200 rows; `limit=0` asks for the selection unpaginated.
SHEET_PAGE_LIMIT = 200
UNPAGINATED = 0
SHEET_TABS = ("books", "vat")

DEFAULT_LOOKBACK_MONTHS = 3

# How deep dlt flattens nested objects (and nests child tables) for this source.
MAX_TABLE_NESTING = 3

# Keys of a sheet page that make up a month's fingerprint. `sheet_status`, `customer`
# and `available_ranges` describe the whole company and would change with any month.
FINGERPRINT_KEYS = ("summary_cards", "columns", "rows", "row_window")

# A month of a sheet tab with at most this many rows is read in one unpaginated request. Its
# answer is held as JSON text while it is converted (~370 bytes a row for LAC's Books rows, so
# ~7 MB at the default) by each of the extract workers; larger months are paged concurrently.
# Measured at 1M rows (months of 27,778 rows): read unpaginated, 40 % less CPU but ~140 MB more
# peak RSS than paged (docs/performance.md).
DEFAULT_UNPAGINATED_MAX_ROWS = 20_000

# Every month outside the lookback window is re-read in full at least once every this many runs.
DEFAULT_RECHECK_EVERY_RUNS = 7
