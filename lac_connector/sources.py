"""The sources `lac run --source` can sync, by name (each package's `open_run`)."""

from lac_connector.kit.errors import ConfigError
from lac_connector.kit.protocol import OpenRun
from lac_source import open_run as open_lac_run
from ledgerlou_source import open_run as open_ledgerlou_run

SOURCES: dict[str, OpenRun] = {"lac": open_lac_run, "ledgerlou": open_ledgerlou_run}
DEFAULT_SOURCE = "lac"


def source_opener(name: str) -> OpenRun:
    try:
        return SOURCES[name]
    except KeyError:
        raise ConfigError(f"unknown source {name!r}: choose from {', '.join(SOURCES)}") from None
