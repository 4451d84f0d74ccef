"""Write dispositions shared by every source, and tombstones: how tables forget what vanished upstream.

A re-synced scope (a company's month, a company's register, an invoice's lines) first yields a
tombstone row carrying only the merge key and `_lac_tombstone = true`. dlt deletes every stored
row with that key and, because the column has the `hard_delete` hint, never stores the
tombstone itself. So a scope that is empty upstream becomes empty in the warehouse too.

No table uses `replace`: PostgreSQL's `staging-optimized` replace drops tables without
`CASCADE`, which would fail under the transforms' views.
"""

from collections.abc import Sequence
from typing import Any

# Column that marks a tombstone row (its name predates the second source; tables keep it).
TOMBSTONE_COLUMN = "_lac_tombstone"
TOMBSTONE_HINT = {TOMBSTONE_COLUMN: {"data_type": "bool", "hard_delete": True}}
DELETE_INSERT: dict[str, Any] = {"disposition": "merge", "strategy": "delete-insert"}


def replaced_per(*merge_key: str, columns: dict[str, Any] | None = None) -> dict[str, Any]:
    """Hints of a table whose rows are replaced per `merge_key` scope (tombstones included)."""
    return {
        "write_disposition": DELETE_INSERT,
        "merge_key": list(merge_key),
        "columns": {**TOMBSTONE_HINT, **(columns or {})},
    }


def merged_on(*primary_key: str) -> dict[str, Any]:
    """Hints of a table whose rows are upserted one by one on `primary_key`."""
    return {"write_disposition": DELETE_INSERT, "primary_key": list(primary_key)}


def tombstone(**key: Any) -> dict[str, Any]:
    return {**key, TOMBSTONE_COLUMN: True}


def with_tombstone(rows: Sequence[dict[str, Any]], **key: Any) -> list[dict[str, Any]]:
    """`rows` prefixed with the tombstone of their scope, so an emptied scope empties the table too."""
    return [tombstone(**key), *rows]
