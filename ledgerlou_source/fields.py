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

_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}")
_CAMEL = re.compile(r"(?<=[a-z0-9])([A-Z])")
_ID_LIKE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_\-:.]{0,127}$")


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


def looks_like_date(value: Any) -> bool:
    return isinstance(value, str) and bool(_ISO_DATE.match(value))


def name_words(key: str) -> set[str]:
    """The words of a field name: `documentId` and `receipt_document_id` hold "document"."""
    return set(_CAMEL.sub(r"_\1", key).lower().split("_"))


def looks_like_id(value: Any) -> bool:
    """An id-like value: an integer, or one token of letters, digits and `-_:.` holding a digit."""
    if isinstance(value, bool):
        return False
    if isinstance(value, int):
        return True
    return isinstance(value, str) and bool(_ID_LIKE.match(value)) and any(ch.isdigit() for ch in value)


def paths_with_word(obj: Mapping[str, Any], word: str) -> list[Path]:
    """Paths (top level and one level down) of id-like values whose field name holds `word`,
    a field named exactly `<word>_id` first (the convention: `document_id`, `intent_id`)."""
    found = [
        path
        for path, value in scalar_leaves(obj)
        if len(path) <= 2 and word in name_words(path[-1]) and looks_like_id(value)
    ]
    return sorted(found, key=lambda p: (p[-1] != f"{word}_id", len(p)))


# The settings that say where a journal line keeps its posting id, account and document.
LINE_SETTINGS = {
    "intent": "line_intent_field",
    "account": "line_account_field",
    "document": "line_document_field",
}


class FieldSettings:
    """The settings naming fields the API leaves open, checked once: list key fields
    (`customer_id_field`, ...), journal line fields (`line_intent_field`, ...) and `money_fields`."""

    def __init__(
        self,
        key_fields: Mapping[str, str | None] | None = None,
        line_fields: Mapping[str, str | None] | None = None,
        money_fields: Mapping[str, list[str]] | None = None,
    ) -> None:
        self.key_fields = {k: v for k, v in (key_fields or {}).items() if v}
        self.line: dict[str, Path | None] = {}
        for role, setting in LINE_SETTINGS.items():
            value = (line_fields or {}).get(role)
            if value is not None and (not isinstance(value, str) or not parse_path(value)):
                raise ConfigError(
                    f"[sources.ledgerlou] {setting} must be a field name or dotted path, got {value!r}"
                )
            self.line[role] = parse_path(value) if value else None
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
        self.fingerprint = fingerprint(
            {"keys": self.key_fields, "line": line_fields or {}, "money": money_fields or {}}
        )[:16]

    def line_field(self, role: str) -> Path | None:
        return self.line.get(role)

    def money_paths(self, table: str) -> list[Path]:
        return self.money.get(table, [])


def line_setting(role: str) -> str:
    """How a message names the setting of a journal line field."""
    return f"[sources.ledgerlou] {LINE_SETTINGS[role]}"
