"""dlt source for the LedgerLou double-entry bookkeeping API.

Configuration lives in dlt's usual places, section `[sources.ledgerlou]` (every setting and its
default is declared once, in `ledgerlou_source.config.LedgerLouSourceConfig`): `api_key` in
`.dlt/secrets.toml` or `SOURCES__LEDGERLOU__API_KEY`; `base_url`, `tenant` and everything else in
`.dlt/config.toml` or `SOURCES__LEDGERLOU__<SETTING>`. Tables, keys and assumptions:
docs/ledgerlou.md.

Use it like any dlt source (`pipeline.run(ledgerlou_source())`), or through `lac run --source
ledgerlou`, which drives it with `open_run` (see `ledgerlou_source.run`).
"""

from ledgerlou_source.config import LedgerLouSourceConfig
from ledgerlou_source.run import LedgerLouRun, open_run
from ledgerlou_source.session import LedgerLouSession, build_session
from ledgerlou_source.source import ledgerlou_source

__all__ = [
    "ledgerlou_source",
    "open_run",
    "build_session",
    "LedgerLouRun",
    "LedgerLouSession",
    "LedgerLouSourceConfig",
]
