"""Constants of the LedgerLou API as this source reads it, and the defaults of its settings."""

API_NAME = "LedgerLou"
SECTION = "ledgerlou"
TABLE_PREFIX = "ll_"

DEFAULT_LOOKBACK_MONTHS = 3
DEFAULT_CONCURRENCY = 6
# Limits the reference does not state; the settings say what to lower if the API refuses them.
DEFAULT_PAGE_LIMIT = 200
DEFAULT_JOURNAL_PAGE_LIMIT = 1000
DEFAULT_BALANCE_HISTORY_DAYS = 366
# `type` values of /v1/reports: the reference names the parameter, not its values.
DEFAULT_REPORT_TYPES = ["trial_balance", "profit_and_loss", "balance_sheet", "vat"]
DEFAULT_CUMULATIVE_REPORT_TYPES = ["trial_balance", "balance_sheet"]

# How deep dlt flattens nested objects (and nests child tables) for this source.
MAX_TABLE_NESTING = 3
