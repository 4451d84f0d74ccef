"""Generic helpers for JSON interiors the spec leaves open ("returned as-is")."""

import hashlib
import json
from collections.abc import Iterator
from typing import Any

# Keys whose string value names a list element better than its position does.
_LABEL_KEYS = ("kind", "name", "key", "type", "code", "id", "provider", "role")


def fingerprint(value: Any) -> str:
    """A stable hash of a JSON value (key order does not matter)."""
    canonical = json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)
    return hashlib.sha256(canonical.encode()).hexdigest()


def _label(element: Any, index: int) -> str:
    if isinstance(element, dict):
        for key in _LABEL_KEYS:
            if isinstance(element.get(key), str):
                return element[key]
    return str(index)


def _holds_records(value: Any) -> bool:
    return isinstance(value, list) and any(isinstance(v, dict) for v in value)


def _has_nested_records(record: dict[str, Any]) -> bool:
    return any(_holds_records(v) or (isinstance(v, dict) and _has_nested_records(v)) for v in record.values())


def leaf_records(payload: Any, path: str = "") -> Iterator[tuple[str, dict[str, Any]]]:
    """Yield `(path, record)` for every object inside a list that holds no list of objects itself.

    This turns any statement-like tree (`{"income_statement": {"lines": [...]}}` or
    `{"statements": [{"kind": ..., "sections": [{"rows": [...]}]}]}`) into flat line records,
    with `path` saying where each came from, e.g. `income_statement.lines` or
    `statements[income_statement].sections[revenue].rows`. A non-empty object with no lists
    at all is yielded whole, so nothing is silently dropped.
    """
    found = False
    for child, child_path in _children(payload, path):
        if _holds_records(child):
            for index, element in enumerate(child):
                if not isinstance(element, dict):
                    continue
                found = True
                element_path = f"{child_path}[{_label(element, index)}]"
                if _has_nested_records(element):
                    yield from leaf_records(element, element_path)
                else:
                    yield child_path, element
        elif isinstance(child, dict) and _has_nested_records(child):
            found = True
            yield from leaf_records(child, child_path)
    if not found and path == "" and isinstance(payload, dict) and payload:
        yield "", payload


def _children(payload: Any, path: str) -> Iterator[tuple[Any, str]]:
    if isinstance(payload, dict):
        for key, value in payload.items():
            yield value, f"{path}.{key}" if path else key


def objects(payload: Any, *keys: str) -> list[dict[str, Any]]:
    """The objects in the list under the first of `keys` that holds a list (anything else is ignored)."""
    if isinstance(payload, dict):
        for key in keys:
            if isinstance(payload.get(key), list):
                return [item for item in payload[key] if isinstance(item, dict)]
    return []
