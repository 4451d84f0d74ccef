"""Resolve a source's settings once, with dlt's configuration providers.

Each source declares its settings (names, types, defaults) in one `@configspec` class; dlt reads
them from `.dlt/config.toml`, `.dlt/secrets.toml` and environment variables. A value that cannot
be read as its type becomes a one-line `ConfigError` naming the setting.
"""

from collections.abc import Mapping
from typing import Any

from dlt.common.configuration import resolve_configuration
from dlt.common.configuration.exceptions import ConfigValueCannotBeCoercedException
from dlt.common.configuration.specs import BaseConfiguration

from lac_connector.kit.errors import ConfigError


def resolve_settings(
    spec: type[BaseConfiguration], section: str, overrides: Mapping[str, Any] | None = None
) -> dict[str, Any]:
    """The settings of `[sources.<section>]`, with `overrides` (e.g. command-line flags) winning."""
    explicit = {k: v for k, v in (overrides or {}).items() if v is not None}
    try:
        config = resolve_configuration(spec(), sections=("sources", section), explicit_value=explicit)
    except ConfigValueCannotBeCoercedException as exc:
        env = f"SOURCES__{section.upper()}__{exc.field_name.upper()}"
        expected = getattr(exc.hint, "__name__", str(exc.hint))
        raise ConfigError(
            f"[sources.{section}] {exc.field_name} must be a value of type {expected} "
            f"(check .dlt/config.toml, .dlt/secrets.toml or {env})"
        ) from None
    return {name: config[name] for name in config}
