"""Chart of accounts, tax codes, periods, and per-account figures.

- `ll_accounts`: `/v1/accounts` (limit/offset with `total`), replaced per tenant; accounts that
  `/v1/accounts/search` (no filter) returns beyond them are added with a warning.
- `ll_tax_codes`: `/v1/tax-codes?include_inactive=true`, replaced per tenant.
- `ll_periods`: `/v1/periods`, replaced per tenant; `ll_period_lock_status`:
  `/v1/periods/{period}/lock/status` for every month without a `closing_hash`, and for a closed
  month once when its entry changes; merged on (`tenant_id`, `period`).
- `ll_account_balances`: `balance` of `/v1/accounts/{number}/entries?endDate=<end>&limit=1` (the
  balance up to the end of `end_period`) for every account whose lines changed since it was read.
- `ll_account_entries` (opt-in, `entry_accounts`): the entries (with running balances) of chosen
  accounts, month by month, replaced per (`tenant_id`, `account_number`, `period`).
"""

import logging
from collections.abc import Iterator, Sequence
from typing import Any

import dlt
from dlt.sources import DltResource

from lac_connector.kit.errors import NotFoundError
from lac_connector.kit.records import fingerprint
from ledgerlou_source.paging import as_objects, read_counted, read_windows
from ledgerlou_source.planner import JournalDone, PeriodTask, is_closed, listed_periods
from ledgerlou_source.pool import ordered_map
from ledgerlou_source.rows import (
    TENANT,
    check_money,
    gone,
    keyed,
    merged_rows,
    normalized,
    replaced,
    tenant_state,
)
from ledgerlou_source.session import LedgerLouSession

logger = logging.getLogger("lac")

ACCOUNTS = "ll_accounts"
TAX_CODES = "ll_tax_codes"
PERIODS = "ll_periods"
LOCK_STATUS = "ll_period_lock_status"
BALANCES = "ll_account_balances"
ENTRIES = "ll_account_entries"
ENTRIES_ENDPOINT = "/v1/accounts/{number}/entries"
# The same endpoint read month by month for `ll_account_entries`: counted under its own label.
ENTRIES_BY_MONTH = "/v1/accounts/{number}/entries?startDate&endDate"


def chart(session: LedgerLouSession) -> list[dict[str, Any]]:
    """Every account: `/v1/accounts` page by page, plus any `/v1/accounts/search` adds (once a run)."""

    def read() -> list[dict[str, Any]]:
        counted = read_counted(
            session.client,
            "/v1/accounts",
            "accounts",
            session.page_limit,
            identity=lambda a: a.get("number") if a.get("number") is not None else fingerprint(a),
        )
        if not counted.complete:
            session.report.note_partial(
                ACCOUNTS,
                f"/v1/accounts gave {len(counted.entries)} distinct accounts but total={counted.total}",
            )
        accounts = counted.entries
        numbers = {str(a.get("number")) for a in accounts}
        searched = as_objects(session.client.get_json("/v1/accounts/search"), "accounts")
        extra = [a for a in searched if str(a.get("number")) not in numbers]
        if extra:
            logger.warning(
                "%s: /v1/accounts/search returned %d account(s) /v1/accounts did not: %s",
                ACCOUNTS,
                len(extra),
                ", ".join(str(a.get("number")) for a in extra[:5]),
            )
        return accounts + extra

    return session.shared("accounts", read)


def account_numbers(session: LedgerLouSession) -> set[str]:
    return {str(a["number"]) for a in chart(session) if a.get("number") is not None}


def ledger_resources(session: LedgerLouSession, *, full_refresh: bool = False) -> list[DltResource]:
    claim = session.report.claim
    claim(ACCOUNTS, "/v1/accounts", "/v1/accounts/search")
    claim(TAX_CODES, "/v1/tax-codes")
    claim(PERIODS, "/v1/periods")
    claim(LOCK_STATUS, "/v1/periods/{period}/lock/status")
    tenant = {TENANT: session.tenant}

    @dlt.resource(name=ACCOUNTS, **replaced(TENANT))
    def ll_accounts() -> Iterator[Any]:
        """The chart of accounts; `number` is the key (the reference's account field)."""
        with session.scope(ACCOUNTS):
            accounts = chart(session)
            rows = [
                keyed(a, **tenant, account_number=_str(a.get("number")), position=i)
                for i, a in enumerate(accounts)
            ]
            yield [gone(**tenant), *normalized(session, ACCOUNTS, rows)]

    @dlt.resource(name=TAX_CODES, **replaced(TENANT))
    def ll_tax_codes() -> Iterator[Any]:
        """Tax codes, active and inactive (`include_inactive=true`); `code` is the key."""
        with session.scope(TAX_CODES):
            payload = session.client.get_json("/v1/tax-codes", {"include_inactive": "true"})
            rows = [keyed(c, **tenant, position=i) for i, c in enumerate(as_objects(payload, "tax_codes"))]
            yield [gone(**tenant), *normalized(session, TAX_CODES, rows)]

    @dlt.resource(name=PERIODS, **replaced(TENANT))
    def ll_periods() -> Iterator[Any]:
        """The months `/v1/periods` lists, with `status` and `closing_hash`."""
        with session.scope(PERIODS):
            listed = listed_periods(session)
            rows = [keyed(e, **tenant) for e in listed.values()]
            yield [gone(**tenant), *normalized(session, PERIODS, rows)]

    @dlt.resource(name=LOCK_STATUS, **merged_rows(TENANT, "period"))
    def ll_period_lock_status() -> Iterator[Any]:
        """Pending lock requests per month (`/v1/periods/{period}/lock/status`)."""
        state = tenant_state(session).setdefault("entries", {})
        with session.scope(LOCK_STATUS):
            listed = listed_periods(session)
            todo = [
                p
                for p, e in listed.items()
                if full_refresh or not is_closed(e) or state.get(p) != fingerprint(e)[:16]
            ]

            def status(period: str) -> Any:
                try:
                    return session.client.get_json(
                        "/v1/periods/{period}/lock/status", path_params={"period": period}
                    )
                except NotFoundError:
                    return None

            rows = []
            for period, payload in ordered_map(status, todo, session.concurrency):
                if isinstance(payload, dict):
                    rows.append(keyed(payload, **tenant, period=period))
                state[period] = fingerprint(listed[period])[:16]
            gone_periods = [p for p in state if p not in listed]
            for period in gone_periods:
                del state[period]
            yield [*(gone(**tenant, period=p) for p in gone_periods), *normalized(session, LOCK_STATUS, rows)]

    return [ll_accounts(), ll_tax_codes(), ll_periods(), ll_period_lock_status()]


def account_resources(
    session: LedgerLouSession, driver: DltResource, entry_accounts: Sequence[str]
) -> list[DltResource]:
    """Per-account tables fed by the journal driver."""
    claim = session.report.claim
    claim(BALANCES, ENTRIES_ENDPOINT)
    tenant = {TENANT: session.tenant}

    @dlt.transformer(name=BALANCES, **merged_rows(TENANT, "account_number"))
    def ll_account_balances(task: PeriodTask | JournalDone) -> Iterator[Any]:
        """Each account's `balance` up to the end of `end_period`, re-read when its lines changed
        (every account when the lines do not say which account they post to)."""
        if not isinstance(task, JournalDone):
            return
        state = tenant_state(session).setdefault("accounts", {})
        with session.scope(BALANCES):
            numbers = sorted(account_numbers(session))
            as_of = task.end.isoformat()

            def identity(number: str) -> str:
                lines = task.accounts.get(number, "-") if task.accounts is not None else task.prefix
                return fingerprint([as_of, lines, session.fields.fingerprint])[:16]

            todo = [n for n in numbers if task.force or state.get(n) != identity(n)]

            def balance(number: str) -> Any:
                try:
                    return session.client.get_json(
                        ENTRIES_ENDPOINT, {"endDate": as_of, "limit": 1}, path_params={"number": number}
                    )
                except NotFoundError:
                    return None

            rows = []
            for number, payload in ordered_map(balance, todo, session.concurrency):
                if not isinstance(payload, dict):
                    continue
                rows.append(
                    {**tenant, "account_number": number, "as_of": as_of, "balance": payload.get("balance")}
                )
                state[number] = identity(number)
            vanished = [n for n in state if n not in set(numbers)]
            for number in vanished:
                del state[number]
            yield [
                *(gone(**tenant, account_number=n) for n in vanished),
                *normalized(session, BALANCES, rows),
            ]

    resources = [driver | ll_account_balances]
    if entry_accounts:
        claim(ENTRIES, ENTRIES_BY_MONTH)
        resources.append(driver | _entries_resource(session, list(entry_accounts)))
    return resources


def _entries_resource(session: LedgerLouSession, numbers: list[str]) -> Any:
    tenant = {TENANT: session.tenant}

    @dlt.transformer(name=ENTRIES, **replaced(TENANT, "account_number", "period"))
    def ll_account_entries(task: PeriodTask | JournalDone) -> Iterator[Any]:
        """Entries of the `entry_accounts` per month whose lines changed (read by date windows)."""
        if isinstance(task, JournalDone):
            return
        done = tenant_state(session).setdefault("periods", {})
        identity = f"{task.content}|{','.join(numbers)}"
        if done.get(task.period) == identity and not task.force:
            return
        with session.scope(ENTRIES):
            for number in numbers:
                result = read_windows(
                    session.client,
                    ENTRIES_ENDPOINT,
                    task.first,
                    task.last,
                    session.journal_page_limit,
                    path_params={"number": number},
                    count_as=ENTRIES_BY_MONTH,
                )
                key = {**tenant, "account_number": number, "period": task.period}
                rows = [keyed(e, **key, line_index=i) for i, e in enumerate(result.lines)]
                yield [gone(**key), *normalized(session, ENTRIES, rows)]
                if result.truncated_days:
                    session.report.note_partial(
                        ENTRIES, f"{number} {task.period}: a day fills journal_page_limit; raise it"
                    )
                    return
            check_money(session, ENTRIES)
            done[task.period] = identity

    return ll_account_entries


def _str(value: Any) -> str | None:
    return None if value is None else str(value)
