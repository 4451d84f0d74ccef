"""The sources `lac run --source` can sync, by name (each package's `open_run`).

A source package is imported only when a run opens it: it brings pyarrow and pandas (about a second
of start-up), which `lac --help`, `lac status` and `lac transform` do without.
"""

from lac_connector.kit.errors import ConfigError
from lac_connector.kit.protocol import OpenRun

SOURCES = ("lac", "ledgerlou")
DEFAULT_SOURCE = "lac"


def source_opener(name: str) -> OpenRun:
    if name == "lac":
        from lac_source import open_run
    elif name == "ledgerlou":
        from ledgerlou_source import open_run
    else:
        raise ConfigError(f"unknown source {name!r}: choose from {', '.join(SOURCES)}")
    return open_run
