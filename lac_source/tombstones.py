"""Tombstone rows: how `delete-insert` tables forget what vanished upstream.

A re-synced scope (a company's month, a company's register, an invoice's lines) first yields a
tombstone row carrying only the merge key and `_lac_tombstone = true`. dlt deletes every stored
row with that key and, because the column has the `hard_delete` hint, never stores the
tombstone itself. So a scope that is empty upstream becomes empty in the warehouse too.
"""

from typing import Any

from lac_source.settings import TOMBSTONE_COLUMN

TOMBSTONE_HINT = {TOMBSTONE_COLUMN: {"data_type": "bool", "hard_delete": True}}

# A company's register read in full each run: replace that company's rows, keep the others'.
REPLACE_PER_COMPANY: dict[str, Any] = {
    "write_disposition": {"disposition": "merge", "strategy": "delete-insert"},
    "merge_key": "customer_id",
    "columns": TOMBSTONE_HINT,
}


def tombstone(**key: Any) -> dict[str, Any]:
    return {**key, TOMBSTONE_COLUMN: True}
