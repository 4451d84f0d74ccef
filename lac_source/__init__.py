"""dlt source for The Last Accounting Company (LAC) Customer API.

Configuration lives in dlt's usual places, section `[sources.lac]` (every setting and its default
is declared once, in `lac_source.config.LacSourceConfig`): `api_key` (a read-scoped portal key,
recommended) or `access_token` (a short-lived interactive session token that can also read payroll
and API keys) in `.dlt/secrets.toml` or `SOURCES__LAC__API_KEY`; everything else in
`.dlt/config.toml` or `SOURCES__LAC__<SETTING>`.

Use it like any dlt source (`pipeline.run(lac_source())`), or through the `lac` command, which
drives it with `open_run` (see `lac_source.run`).
"""

from lac_source.config import LacSourceConfig
from lac_source.run import LacRun, open_run
from lac_source.session import LacSession, build_session
from lac_source.source import lac_source

__all__ = ["lac_source", "open_run", "build_session", "LacRun", "LacSession", "LacSourceConfig"]
