"""Workspace tables: chat messages, source-system connections, payroll and API keys.

`messages` is incremental: only messages not seen by an earlier run are loaded, merged on a
`message_key` (the message's key field, see docs/keys.md, else a hash of its whole content).
`connections` holds the six provider lists in one table, replaced per company.
`payroll_workspace`, `payslips` and `api_keys` need an interactive admin/approver session: with an
API key they are skipped with one log line and a note in the run report; a 403 is noted and the
run continues.
"""

import dataclasses
import logging
import threading
from collections.abc import Callable, Iterator
from functools import partial
from typing import Any

import dlt
from dlt.sources import DltResource

from lac_connector.kit.details import Details, refused
from lac_connector.kit.dispositions import TOMBSTONE_HINT, merged_on, replaced_per, tombstone, with_tombstone
from lac_connector.kit.errors import ApiError, ForbiddenError, NotFoundError
from lac_connector.kit.keys import discover, value_at
from lac_connector.kit.records import objects
from lac_source import periods
from lac_source.list_keys import (
    CONNECTIONS,
    EMPLOYEES,
    MESSAGES,
    PAYROLL_RUNS,
    ListKeys,
)
from lac_source.session import LacSession

logger = logging.getLogger("lac")

PROVIDERS = ("bank", "stripe", "procountor", "fennoa", "inbox", "gsheet")
DEFAULT_PAYROLL_MONTHS = 12
SESSION_ONLY_TABLES = ("payroll_workspace", "payslips", "api_keys")
SKIP_REASON = (
    "skipped: API keys cannot read payroll or API keys; set [sources.lac] access_token to an "
    "interactive admin session token to load them"
)


def message_key(message: dict[str, Any]) -> str:
    """The key a message gets on its own: its `id` (or `message_id`), else a hash of its whole content.

    The spec promises no message fields, so the hash covers everything the API returned: a message
    returned again unchanged keeps its key, and only messages identical in every field share one.
    The `messages` resource keys whole lists the same way (`lac_source.list_keys.MESSAGES`).
    """
    field = discover(MESSAGES, [message]).field
    return (value_at(message, field) if field else None) or MESSAGES.hash_key(message)


def first_object_list(payload: Any) -> tuple[str | None, list[dict[str, Any]]]:
    """The first list of objects in a payload (breadth first), with the key it was found under.

    Connection lists are provider-specific (`{"connections": [...]}`, `{"items": [...]}`, ...);
    a bare list is accepted too. An empty list or no list at all means no connections.
    """
    if isinstance(payload, list):
        return None, [item for item in payload if isinstance(item, dict)]
    level: list[dict[str, Any]] = [payload] if isinstance(payload, dict) else []
    while level:
        below: list[dict[str, Any]] = []
        for node in level:
            for key, value in node.items():
                if isinstance(value, list) and any(isinstance(item, dict) for item in value):
                    return key, [item for item in value if isinstance(item, dict)]
                if isinstance(value, dict):
                    below.append(value)
        level = below
    return None, []


def payroll_periods(end_period: str | None, months: int) -> list[str]:
    """The `months` months ending at `end_period` (default the current month in Finland)."""
    last = end_period or periods.current_period()
    return periods.month_span(periods.add_months(last, 1 - months), last)


def workspace_resources(
    session: LacSession,
    keys: ListKeys,
    *,
    payroll_months: int = DEFAULT_PAYROLL_MONTHS,
    end_period: str | None = None,
) -> list[DltResource]:
    claim = session.report.claim
    claim("messages", "/messages")
    claim("connections", *(f"/{provider}-connections" for provider in PROVIDERS))
    claim("payroll_workspace", "/payroll")
    claim("payslips", "/payroll/payslip")
    claim("api_keys", "/api-keys")
    skip_logged = threading.Event()
    workspace_cache: dict[tuple[str, str], Any] = {}
    cache_lock = threading.Lock()

    def session_only(name: str) -> bool:
        """False (after noting why, and logging once per run) when the credential is an API key."""
        if not session.is_api_key:
            return True
        session.report.note(name, SKIP_REASON)
        if not skip_logged.is_set():
            skip_logged.set()
            logger.warning("%s %s", "/".join(SESSION_ONLY_TABLES), SKIP_REASON)
        return False

    def forbidden(name: str, customer_id: str, exc: ForbiddenError) -> None:
        session.report.note(name, f"failed: 403 for company {customer_id}: {exc}")
        logger.warning("%s: company %s: %s", name, customer_id, exc)

    def workspace(customer_id: str, period: str) -> Any:
        """`/payroll` for one month, fetched once per run for both payroll tables (errors included)."""
        key = (customer_id, period)
        with cache_lock:
            if key not in workspace_cache:
                try:
                    workspace_cache[key] = session.client.get_json(
                        "/payroll", {"customer_id": customer_id, "period": period}
                    )
                except ForbiddenError as exc:
                    workspace_cache[key] = exc
            result = workspace_cache[key]
        if isinstance(result, ForbiddenError):
            raise result
        return result

    def per_company(name: str, rows_of: Callable[[str], Iterator[Any]]) -> Iterator[Any]:
        """Run `rows_of` per company, turning a 403 into a note instead of a failed run."""
        if not session_only(name):
            return
        for customer_id in session.customer_ids:
            try:
                yield from rows_of(customer_id)
            except ForbiddenError as exc:
                forbidden(name, customer_id, exc)

    @dlt.resource(name="messages", columns=TOMBSTONE_HINT, **merged_on("customer_id", "message_key"))
    def messages() -> Iterator[list[dict[str, Any]]]:
        """`/messages`: each message once; later runs load only messages not seen before.

        When the key field changes (e.g. `message_id_field` was set after messages were keyed by a
        hash), the rows loaded under the old keys are removed and every message is loaded again.
        """
        seen_by_company = dlt.current.resource_state().setdefault("seen_keys", {})
        for customer_id in session.customer_ids:
            seen = seen_by_company.setdefault(customer_id, [])
            payload = session.client.get_json("/messages", {"customer_id": customer_id})
            keyed = keys.resolve(MESSAGES, objects(payload, "messages"), customer_id, resource="messages")
            stale = set(keyed.stale_keys(seen)) if keyed.changed else set()
            rows = [tombstone(customer_id=customer_id, message_key=key) for key in stale]
            seen[:] = [key for key in seen if key not in stale]
            known = set(seen)
            for position, (key, message, _) in enumerate(keyed):
                if key in known:
                    continue
                known.add(key)
                seen.append(key)
                rows.append({**message, "message_key": key, "customer_id": customer_id, "position": position})
            if rows:
                yield rows

    @dlt.resource(name="connections", **replaced_per("customer_id"))
    def connections() -> Iterator[list[dict[str, Any]]]:
        """The six `/<provider>-connections` lists: one row per connection, replaced per company.

        `connection` is the provider's entry as-is, `setup` the rest of the payload (its metadata),
        `connection_key` its key field's value (`connection_id_field`) or a hash of the entry.
        """
        for customer_id in session.customer_ids:
            rows: list[dict[str, Any]] = [tombstone(customer_id=customer_id)]
            for provider in PROVIDERS:
                payload = session.client.get_json(f"/{provider}-connections", {"customer_id": customer_id})
                list_key, items = first_object_list(payload)
                setup = (
                    {k: v for k, v in payload.items() if k not in (list_key, "customer_id")}
                    if isinstance(payload, dict)
                    else {}
                )
                rule = dataclasses.replace(CONNECTIONS, list_name=f"{provider} connections")
                keyed = keys.resolve(rule, items, customer_id, resource="connections")
                rows += [
                    {
                        "customer_id": customer_id,
                        "provider": provider,
                        "position": i,
                        "connection_key": key,
                        "connection": item,
                        "setup": setup or None,
                    }
                    for i, (key, item, _) in enumerate(keyed)
                ]
            yield rows

    months = payroll_periods(end_period, payroll_months)

    @dlt.resource(name="payroll_workspace", **merged_on("customer_id", "period"))
    def payroll_workspace() -> Iterator[dict[str, Any]]:
        """`/payroll?period=` for each of the last `payroll_months` months (interactive sessions only)."""

        def rows_of(customer_id: str) -> Iterator[dict[str, Any]]:
            for period in months:
                payload = workspace(customer_id, period)
                if isinstance(payload, dict):
                    yield {**payload, "customer_id": customer_id, "period": period}

        yield from per_company("payroll_workspace", rows_of)

    @dlt.resource(name="payslips", **merged_on("customer_id", "period", "run_id", "employee_id"))
    def payslips() -> Iterator[dict[str, Any]]:
        """`/payroll/payslip` for every employee and run the month's workspace lists."""

        def rows_of(customer_id: str) -> Iterator[dict[str, Any]]:
            missing = 0
            for period in months:
                payload = workspace(customer_id, period)
                slips = _PayslipRequests(session, customer_id, period)
                employees = keys.resolve(
                    EMPLOYEES,
                    objects(payload, "employees"),
                    customer_id,
                    resource="payslips",
                    probe=Details(slips.latest).probe,
                )
                employee_ids = [key for key, _, by_hash in employees if not by_hash]
                runs = keys.resolve(
                    PAYROLL_RUNS,
                    objects(payload, "runs"),
                    customer_id,
                    resource="payslips",
                    probe=partial(slips.knows_run, employee_ids),
                )
                for run_id in (key for key, _, by_hash in runs if not by_hash):
                    for employee_id in employee_ids:
                        slip = slips.get(run_id, employee_id)
                        if slip is None:  # the employee is not in that run
                            missing += 1
                            continue
                        body = slip.get("payslip") if isinstance(slip, dict) else None
                        if isinstance(body, dict):
                            yield {
                                **body,
                                "customer_id": customer_id,
                                "period": period,
                                "run_id": run_id,
                                "employee_id": employee_id,
                            }
            if missing:
                logger.info(
                    "payslips: company %s: %d employee/run pairs without a payslip", customer_id, missing
                )

        yield from per_company("payslips", rows_of)

    @dlt.resource(name="api_keys", **replaced_per("customer_id"))
    def api_keys() -> Iterator[list[dict[str, Any]]]:
        """`/api-keys` metadata (never secrets), replaced per company (interactive admin sessions only)."""

        def rows_of(customer_id: str) -> Iterator[list[dict[str, Any]]]:
            payload = session.client.get_json("/api-keys", {"customer_id": customer_id})
            rows = [{**key, "customer_id": customer_id} for key in objects(payload, "api_keys")]
            yield with_tombstone(rows, customer_id=customer_id)

        yield from per_company("api_keys", rows_of)

    return [messages(), connections(), payroll_workspace(), payslips(), api_keys()]


class _PayslipRequests:
    """`/payroll/payslip` for one company and month, each (run, employee) requested at most once.

    Key resolution of the runs asks through `knows_run`, whose answers the load then reuses.
    """

    def __init__(self, session: LacSession, customer_id: str, period: str) -> None:
        self.session = session
        self.params = {"customer_id": customer_id, "period": period}
        self.answers: dict[tuple[str, str], Any] = {}

    def latest(self, employee_id: str) -> Any:
        """The employee's payslip of the month's latest run (the spec's default without `run_id`)."""
        return self.session.client.get_json("/payroll/payslip", {**self.params, "employee_id": employee_id})

    def get(self, run_id: str, employee_id: str) -> Any:
        """The payslip of `employee_id` in `run_id`, None when there is none (404)."""
        if (run_id, employee_id) not in self.answers:
            try:
                self.answers[run_id, employee_id] = self.session.client.get_json(
                    "/payroll/payslip", {**self.params, "employee_id": employee_id, "run_id": run_id}
                )
            except NotFoundError:
                self.answers[run_id, employee_id] = None
        return self.answers[run_id, employee_id]

    def knows_run(self, employee_ids: list[str], run: dict[str, Any], run_id: str) -> bool:
        """Whether the API knows `run_id` as `run`'s id: one of the employees has a payslip in it."""
        for employee_id in employee_ids:
            try:
                if self.get(run_id, employee_id) is not None:
                    return True
            except ApiError as exc:
                if not refused(exc):
                    raise
                self.answers[run_id, employee_id] = None
        return False
