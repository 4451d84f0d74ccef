"""Dotted paths into JSON objects the reference leaves open, and the user's `fields` settings.

A path is a tuple of keys through nested objects (`("posting", "debit")`, written
`posting.debit` in settings). Lists are never stepped into: a path names one value of one object.
"""

import re
from collections.abc import Iterator, Mapping
from typing import Any

from lac_connector.kit.errors import ConfigError
from lac_connector.kit.records import fingerprint

Path = tuple[str, ...]

ROLES = ("id", "intent_id", "document_id", "account")
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}")


def parse_path(text: str) -> Path:
    return tuple(part for part in text.split(".") if part)


def dotted(path: Path) -> str:
    return ".".join(path)


def get_path(obj: Any, path: Path) -> Any:
    """The value at `path`, or None when any step is missing or not an object."""
    node = obj
    for key in path:
        if not isinstance(node, Mapping):
            return None
        node = node.get(key)
    return node


def scalar_leaves(obj: Mapping[str, Any], prefix: Path = ()) -> Iterator[tuple[Path, Any]]:
    """(path, value) of every value that is neither an object nor a list, through nested objects."""
    for key, value in obj.items():
        if isinstance(value, Mapping):
            yield from scalar_leaves(value, (*prefix, key))
        elif not isinstance(value, list):
            yield (*prefix, key), value


def paths_named(obj: Mapping[str, Any], name: str, prefix: Path = ()) -> Iterator[Path]:
    """Paths (through nested objects) whose last key is `name`."""
    for key, value in obj.items():
        if key == name:
            yield (*prefix, key)
        if isinstance(value, Mapping):
            yield from paths_named(value, name, (*prefix, key))


def looks_like_date(value: Any) -> bool:
    return isinstance(value, str) and bool(_ISO_DATE.match(value))


class FieldSettings:
    """The `fields` and `money_fields` settings, checked once."""

    def __init__(
        self, fields: Mapping[str, str] | None, money_fields: Mapping[str, list[str]] | None
    ) -> None:
        self.fields: dict[tuple[str, str], Path] = {}
        for key, value in (fields or {}).items():
            table, _, role = str(key).rpartition(".")
            if not table or role not in ROLES or not isinstance(value, str) or not parse_path(value):
                raise ConfigError(
                    f'[sources.ledgerlou] fields: "{key}" = {value!r} is not "<table>.<role>" = '
                    f'"dotted.path" with a role among {", ".join(ROLES)}'
                )
            self.fields[(table, role)] = parse_path(value)
        self.money: dict[str, list[Path]] = {}
        for table, paths in (money_fields or {}).items():
            if isinstance(paths, str):
                paths = [paths]
            if not isinstance(paths, list) or not all(isinstance(p, str) and parse_path(p) for p in paths):
                raise ConfigError(
                    f"[sources.ledgerlou] money_fields: {table} must list dotted paths, got {paths!r}"
                )
            self.money[str(table)] = [parse_path(p) for p in paths]
        # Rows written under other settings may lack columns these settings add: a change re-reads.
        self.fingerprint = fingerprint({"fields": fields or {}, "money": money_fields or {}})[:16]

    def field(self, table: str, role: str) -> Path | None:
        return self.fields.get((table, role))

    def money_paths(self, table: str) -> list[Path]:
        return self.money.get(table, [])


def setting_name(table: str, role: str) -> str:
    """How a message names the `fields` entry to set."""
    return f'[sources.ledgerlou] fields."{table}.{role}"'
