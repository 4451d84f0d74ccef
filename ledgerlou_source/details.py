"""Lists whose entries have a detail endpoint: read the list in full, fetch details only where needed.

Each run reads the whole list (the API has no change tracking) and resolves the entries' own id
(`keys`). A detail is fetched for an entry that is new, whose list entry changed, or whose
dependencies changed (e.g. a customer's invoices, for its `open_amount`), judged by a hash per
entry kept in the resource state (`known`). The row is the list entry overlaid with the detail;
a list the detail holds under a field the reference names (`lines`, `items`) becomes rows of a
child table, replaced per parent. Entries gone from the list are deleted (tombstones), with their
child rows. A detail answering 404 (removed meanwhile) is skipped, noted `partial`, and retried
next run.
"""

import logging
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import partial
from typing import Any

import dlt

from lac_connector.kit.changes import Changes
from lac_connector.kit.details import Details
from lac_connector.kit.errors import NotFoundError
from lac_connector.kit.records import fingerprint
from ledgerlou_source.documents import DocumentLander
from ledgerlou_source.fields import get_path, paths_with_word
from ledgerlou_source.keys import ListSpec
from ledgerlou_source.pool import ordered_map
from ledgerlou_source.rows import TENANT, gone, keyed, normalized, to_table
from ledgerlou_source.session import LedgerLouSession

logger = logging.getLogger("lac")


@dataclass(frozen=True)
class Child:
    """A list inside the detail that becomes its own table, keyed by its parent."""

    field: str  # e.g. "lines"
    table: str  # e.g. "ll_sales_invoice_lines"
    parent_key: str  # e.g. "invoice_record_id"


@dataclass
class Listed:
    """A list as read this run: its entries by key, which keys are hashes, and the detail cache."""

    entries: dict[str, dict[str, Any]]
    hashed: set[str]
    details: Details


def read_listed(
    session: LedgerLouSession,
    spec: ListSpec,
    read: Callable[[], Sequence[dict[str, Any]]],
) -> Listed:
    """The list of `spec`, read and keyed once per run (other resources may need it too).

    Keying may ask the detail endpoint which candidate field it knows; those answers are kept in
    `details` and are the details the run loads."""

    def load() -> Listed:
        # an entry returned twice (e.g. a filter the API ignores) counts once
        entries = list({fingerprint(e): e for e in read()}.values())
        details = Details(partial(_get_detail, session, spec.detail))
        probe = details.probe if spec.detail else None
        keyed = session.keys.resolve(spec, entries, session.tenant, probe)
        by_key: dict[str, dict[str, Any]] = {}
        for key, entry, _ in keyed:
            by_key.setdefault(key, entry)
        hashed = {key for key, _, by_hash in keyed if by_hash}
        return Listed(by_key, hashed, details)

    return session.shared(f"list:{spec.table}", load)


def _get_detail(session: LedgerLouSession, endpoint: str | None, key: str) -> Any:
    assert endpoint is not None
    return session.client.get_json(endpoint, path_params={"id": key})


def unwrap(detail: Any, key: str | None) -> dict[str, Any] | None:
    """The detail object (under `key` when the answer is wrapped, e.g. `{"transaction": {...}}`)."""
    if isinstance(detail, dict) and key and isinstance(detail.get(key), dict) and len(detail) == 1:
        return detail[key]
    return detail if isinstance(detail, dict) else None


def detailed_rows(
    session: LedgerLouSession,
    spec: ListSpec,
    listed: Listed,
    lander: DocumentLander,
    *,
    full_refresh: bool = False,
    depends: Mapping[str, str] | None = None,
    children: Sequence[Child] = (),
    wrapped_in: str | None = None,
    on_fetched: Callable[[list[tuple[str, dict[str, Any]]], list[str]], Iterator[Any]] | None = None,
) -> Iterator[Any]:
    """Items for `spec.table` (and its child tables): changed and new entries with their details,
    tombstones for vanished ones. State lives in the calling resource's state.

    `on_fetched(fetched, vanished)` yields the items of tables that follow the entries fetched
    this run and those that vanished (e.g. a bank transaction's evidence)."""
    table = spec.table
    known = Changes.of(dlt.current.resource_state(), "known", session.tenant)
    prints = {
        rid: fingerprint([entry, (depends or {}).get(rid), session.fields.fingerprint])[:16]
        for rid, entry in listed.entries.items()
    }
    changed = [rid for rid in listed.entries if full_refresh or known.is_changed(rid, prints[rid])]

    def detail_of(record_id: str) -> dict[str, Any] | None:
        """The detail ({} when the entry has no key to ask with), None when it answers 404."""
        if spec.detail is None or record_id in listed.hashed:
            return {}
        try:
            payload = listed.details.get(record_id)
        except NotFoundError:
            return None
        return unwrap(payload, wrapped_in) or {}

    rows: list[dict[str, Any]] = []
    child_rows: dict[str, list[dict[str, Any]]] = {c.table: [] for c in children}
    fetched: list[tuple[str, dict[str, Any]]] = []
    missing = []
    for record_id, detail in ordered_map(detail_of, changed, session.concurrency):
        if detail is None:
            missing.append(record_id)
            continue
        merged = {**listed.entries[record_id], **detail}
        fetch = spec.detail is not None and record_id not in listed.hashed
        for child in children:
            if not fetch and child.field not in merged:
                continue  # no detail this run: the lines loaded before stay
            items = merged.pop(child.field, None)
            parent = {TENANT: session.tenant, child.parent_key: record_id}
            child_rows[child.table].append(gone(**parent))
            for index, item in enumerate(items if isinstance(items, list) else []):
                if isinstance(item, dict):
                    child_rows[child.table].append(keyed(item, **parent, line_index=index))
        rows.append(keyed(merged, **{TENANT: session.tenant, "record_id": record_id}))
        fetched.append((record_id, merged))
        known.remember(record_id, prints[record_id])
    # gone from the list, or loaded under a key that changed (a hash, an old key field)
    vanished = sorted(set(known.keys()) - set(listed.entries))
    for record_id in vanished:
        rows.append(gone(**{TENANT: session.tenant, "record_id": record_id}))
        for child in children:
            child_rows[child.table].append(gone(**{TENANT: session.tenant, child.parent_key: record_id}))
    known.forget(vanished)
    if missing:
        logger.warning(
            "%s: %d entr(ies) listed but 404 on detail (removed meanwhile), retried next run: %s",
            table,
            len(missing),
            ", ".join(missing[:5]),
        )
        session.report.note_partial(table, f"{len(missing)} detail(s) 404, retried next run")
    if rows:
        yield normalized(session, table, rows)
    for child in children:
        if child_rows[child.table]:
            yield to_table(child.table, normalized(session, child.table, child_rows[child.table]))
    documents = [get_path(row, p) for _, row in fetched for p in paths_with_word(row, "document")]
    yield from lander.document_items(table, documents)
    if on_fetched is not None:
        yield from on_fetched(fetched, vanished)
