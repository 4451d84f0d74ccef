"""Bank tables.

- `ll_bank_accounts`: `/v1/bank-accounts` with `/v1/bank-accounts/{id}` (transaction counts,
  balances), merged on (`tenant_id`, `record_id`); details re-read when the list entry or the
  bank transactions changed (the detail counts them).
- `ll_bank_reconciliations`: `/v1/bank-accounts/{id}/reconciliation` per bank account, every run
  (it depends on the journal and the bank alike and has no change signal), replaced per tenant.
- `ll_bank_transactions`: `/v1/bank-transactions` (limit/offset with `total`, checked), with
  `/v1/bank-transactions/{id}` for new and changed transactions; `ll_bank_transaction_evidence`:
  their `/evidence` (a transaction without evidence has no row).
- `ll_bank_suggestions`: `/v1/bank-transactions/suggestions`, replaced per tenant.
- `ll_bank_balance_history`: the `history` of `/v1/bank-accounts/balance-history?days=N`, replaced
  per tenant (its `currentBalance` / `startBalance` are in `ll_tenant`).
"""

from collections.abc import Iterator
from typing import Any

import dlt
from dlt.sources import DltResource

from lac_connector.kit.errors import NotFoundError
from lac_connector.kit.records import fingerprint
from ledgerlou_source import keys
from ledgerlou_source.details import Listed, detailed_rows, read_listed
from ledgerlou_source.documents import FILE_TABLES, DocumentLander
from ledgerlou_source.fields import get_path, paths_with_word
from ledgerlou_source.paging import as_objects, read_counted
from ledgerlou_source.pool import ordered_map
from ledgerlou_source.rows import (
    TENANT,
    check_money,
    gone,
    keyed,
    merged_rows,
    normalized,
    replaced,
    route,
    to_table,
)
from ledgerlou_source.session import LedgerLouSession

BANK_ACCOUNTS = keys.BANK_ACCOUNTS.table
RECONCILIATIONS = "ll_bank_reconciliations"
TRANSACTIONS = keys.BANK_TRANSACTIONS.table
EVIDENCE = "ll_bank_transaction_evidence"
SUGGESTIONS = "ll_bank_suggestions"
HISTORY = "ll_bank_balance_history"
RECONCILIATION_ENDPOINT = "/v1/bank-accounts/{id}/reconciliation"
EVIDENCE_ENDPOINT = "/v1/bank-transactions/{id}/evidence"


def bank_accounts(session: LedgerLouSession) -> Listed:
    return read_listed(
        session, keys.BANK_ACCOUNTS, lambda: as_objects(session.client.get_json("/v1/bank-accounts"))
    )


def bank_transactions(session: LedgerLouSession) -> Listed:
    def read() -> list[dict[str, Any]]:
        counted = read_counted(session.client, "/v1/bank-transactions", "transactions", session.page_limit)
        if not counted.complete:
            session.report.note_partial(
                TRANSACTIONS,
                f"/v1/bank-transactions gave {len(counted.entries)} distinct entries but "
                f"total={counted.total} (the list changed while it was read); the next run reads it again",
            )
        return counted.entries

    return read_listed(session, keys.BANK_TRANSACTIONS, read)


def reconciliations(session: LedgerLouSession) -> dict[str, Any]:
    """Every bank account's reconciliation by record id, read once a run (empty without ids)."""

    def read() -> dict[str, Any]:
        listed = bank_accounts(session)

        def one(record_id: str) -> Any:
            try:
                return session.client.get_json(RECONCILIATION_ENDPOINT, path_params={"id": record_id})
            except NotFoundError:
                return None

        keyed = [key for key in listed.entries if key not in listed.hashed]
        return dict(ordered_map(one, keyed, session.concurrency))

    return session.shared("reconciliations", read)


def first_reconciliation(session: LedgerLouSession) -> dict[str, Any] | None:
    found = [r for r in reconciliations(session).values() if isinstance(r, dict)]
    return found[0] if found else None


def balance_history(session: LedgerLouSession, days: int) -> Any:
    return session.shared(
        "balance_history",
        lambda: session.client.get_json("/v1/bank-accounts/balance-history", {"days": days}),
    )


def bank_resources(
    session: LedgerLouSession, lander: DocumentLander, *, full_refresh: bool, history_days: int
) -> list[DltResource]:
    claim = session.report.claim
    claim(BANK_ACCOUNTS, "/v1/bank-accounts", keys.BANK_ACCOUNTS.detail)
    claim(RECONCILIATIONS, RECONCILIATION_ENDPOINT)
    claim(TRANSACTIONS, "/v1/bank-transactions", keys.BANK_TRANSACTIONS.detail, EVIDENCE_ENDPOINT)
    claim(SUGGESTIONS, "/v1/bank-transactions/suggestions")
    claim(HISTORY, "/v1/bank-accounts/balance-history")
    tenant = {TENANT: session.tenant}

    @dlt.resource(name=BANK_ACCOUNTS, **merged_rows(TENANT, "record_id"))
    def ll_bank_accounts() -> Iterator[Any]:
        """Bank accounts with their detail; re-read when the entry or any transaction changed."""
        with session.scope(BANK_ACCOUNTS):
            listed = bank_accounts(session)
            transactions = fingerprint(bank_transactions(session).entries)[:16]
            depends = dict.fromkeys(listed.entries, transactions)
            yield from detailed_rows(
                session, keys.BANK_ACCOUNTS, listed, lander, full_refresh=full_refresh, depends=depends
            )
            check_money(session, BANK_ACCOUNTS)

    @dlt.resource(name=RECONCILIATIONS, **replaced(TENANT))
    def ll_bank_reconciliations() -> Iterator[Any]:
        """One row per bank account: ledger vs bank as the API reconciles them now."""
        with session.scope(RECONCILIATIONS):
            listed = bank_accounts(session)
            if listed.hashed:
                session.report.note_partial(
                    RECONCILIATIONS,
                    f"{len(listed.hashed)} bank account(s) without a key to ask with: "
                    f"set {keys.SECTION} {keys.BANK_ACCOUNTS.rule.setting}",
                )
            found = reconciliations(session)
            rows = [
                keyed(payload, **tenant, bank_account_record_id=record_id)
                for record_id, payload in found.items()
                if isinstance(payload, dict)
            ]
            yield [gone(**tenant), *normalized(session, RECONCILIATIONS, rows)]
            check_money(session, RECONCILIATIONS)

    @dlt.resource(name=TRANSACTIONS, **merged_rows(TENANT, "record_id"))
    def ll_bank_transactions() -> Iterator[Any]:
        """Bank transactions with their detail and evidence, fetched for new and changed ones."""
        with session.scope(TRANSACTIONS):
            listed = bank_transactions(session)
            yield from detailed_rows(
                session,
                keys.BANK_TRANSACTIONS,
                listed,
                lander,
                full_refresh=full_refresh,
                wrapped_in="transaction",
                on_fetched=evidence_items,
            )
            check_money(session, TRANSACTIONS)

    def evidence_items(fetched: list[tuple[str, dict[str, Any]]], vanished: list[str]) -> Iterator[Any]:
        hashed = bank_transactions(session).hashed

        def evidence(record_id: str) -> Any:
            try:
                payload = session.client.get_json(EVIDENCE_ENDPOINT, path_params={"id": record_id})
            except NotFoundError:
                return None
            return payload["evidence"] if isinstance(payload, dict) and "evidence" in payload else payload

        rows = []
        asked = [r for r, _ in fetched if r not in hashed]
        for record_id, found in ordered_map(evidence, asked, session.concurrency):
            key = {**tenant, "transaction_record_id": record_id}
            rows.append(keyed(found, **key) if isinstance(found, dict) else gone(**key))
        rows += [gone(**tenant, transaction_record_id=r) for r in vanished]
        if rows:
            yield to_table(EVIDENCE, normalized(session, EVIDENCE, rows))
            documents = [get_path(r, p) for r in rows for p in paths_with_word(r, "document")]
            yield from lander.document_items(TRANSACTIONS, documents)

    @dlt.resource(name=SUGGESTIONS, **replaced(TENANT))
    def ll_bank_suggestions() -> Iterator[Any]:
        """Match candidates for open transactions, as the API proposes them now."""
        with session.scope(SUGGESTIONS):
            payload = session.client.get_json("/v1/bank-transactions/suggestions")
            rows = [keyed(s, **tenant, position=i) for i, s in enumerate(as_objects(payload))]
            yield [gone(**tenant), *normalized(session, SUGGESTIONS, rows)]
            check_money(session, SUGGESTIONS)

    @dlt.resource(name=HISTORY, **replaced(TENANT))
    def ll_bank_balance_history() -> Iterator[Any]:
        """Daily closing balances of all bank accounts (base currency), the last `days` days."""
        with session.scope(HISTORY):
            payload = balance_history(session, history_days)
            points = as_objects(payload, "history")
            rows = [keyed(p, **tenant, position=i) for i, p in enumerate(points)]
            yield [gone(**tenant), *normalized(session, HISTORY, rows)]
            check_money(session, HISTORY)

    evidence_table = (EVIDENCE, merged_rows(TENANT, "transaction_record_id"))
    return [
        route(ll_bank_accounts(), FILE_TABLES.items()),
        ll_bank_reconciliations(),
        route(ll_bank_transactions(), [evidence_table, *FILE_TABLES.items()]),
        ll_bank_suggestions(),
        ll_bank_balance_history(),
    ]
