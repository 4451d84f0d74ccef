"""Workspace tables: chat messages, source-system connections, payroll and API keys.

`messages` is incremental: only messages not seen by an earlier run are loaded, merged on a
`message_key` (the message's `id`/`message_id`, else a hash of its whole content). `connections`
holds the six provider lists in one table, replaced per company. `payroll_workspace`, `payslips`
and `api_keys` need an interactive admin/approver session: with an API key they are skipped with
one log line and a note in the run report; a 403 is noted and the run continues.
"""

import logging
import threading
from collections.abc import Callable, Iterator
from typing import Any

import dlt
from dlt.sources import DltResource

from lac_connector.kit.dispositions import merged_on, replaced_per, tombstone, with_tombstone
from lac_connector.kit.errors import ForbiddenError, NotFoundError
from lac_connector.kit.records import fingerprint
from lac_source import periods
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
    """The message's own id when it has one, else a hash of its whole content.

    The spec promises no message fields, so the hash covers everything the API returned: a message
    returned again unchanged keeps its key, and only messages identical in every field share one.
    """
    for field in ("id", "message_id"):
        if message.get(field) not in (None, ""):
            return str(message[field])
    return "sha256:" + fingerprint(message)[:32]


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


def _objects(payload: Any, *keys: str) -> list[dict[str, Any]]:
    """Objects under the first of `keys` that holds a list in an open payload."""
    if isinstance(payload, dict):
        for key in keys:
            if isinstance(payload.get(key), list):
                return [item for item in payload[key] if isinstance(item, dict)]
    return []


def _ids(items: list[dict[str, Any]], *keys: str) -> list[str]:
    """Each item's id: the value of the first of `keys` it has (items without one are left out)."""
    found = (next((str(item[k]) for k in keys if item.get(k) not in (None, "")), None) for item in items)
    return [value for value in found if value]


def payroll_periods(end_period: str | None, months: int) -> list[str]:
    """The `months` months ending at `end_period` (default the current month in Finland)."""
    last = end_period or periods.current_period()
    return periods.month_span(periods.add_months(last, 1 - months), last)


def workspace_resources(
    session: LacSession,
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

    @dlt.resource(name="messages", **merged_on("customer_id", "message_key"))
    def messages() -> Iterator[list[dict[str, Any]]]:
        """`/messages`: each message once; later runs load only messages not seen before."""
        seen_by_company = dlt.current.resource_state().setdefault("seen_keys", {})
        for customer_id in session.customer_ids:
            seen = seen_by_company.setdefault(customer_id, [])
            known = set(seen)
            payload = session.client.get_json("/messages", {"customer_id": customer_id})
            rows = []
            for position, message in enumerate(_objects(payload, "messages")):
                key = message_key(message)
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

        `connection` is the provider's entry as-is, `setup` the rest of the payload (its metadata).
        """
        for customer_id in session.customer_ids:
            rows: list[dict[str, Any]] = [tombstone(customer_id=customer_id)]
            for provider in PROVIDERS:
                payload = session.client.get_json(f"/{provider}-connections", {"customer_id": customer_id})
                list_key, items = first_object_list(payload)
                setup = (
                    {k: v for k, v in payload.items() if k not in (list_key, "customer_id")}
                    if isinstance(payload, dict) else {}
                )
                rows += [
                    {"customer_id": customer_id, "provider": provider, "position": i, "connection": item,
                     "setup": setup or None}
                    for i, item in enumerate(items)
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
                employee_ids = _ids(_objects(payload, "employees"), "employee_id", "id")
                run_ids = _ids(_objects(payload, "runs"), "run_id", "id")
                for run_id in run_ids:
                    for employee_id in employee_ids:
                        try:
                            slip = session.client.get_json(
                                "/payroll/payslip",
                                {"customer_id": customer_id, "employee_id": employee_id, "period": period,
                                 "run_id": run_id},
                            )
                        except NotFoundError:  # the employee is not in that run
                            missing += 1
                            continue
                        body = slip.get("payslip") if isinstance(slip, dict) else None
                        if isinstance(body, dict):
                            yield {**body, "customer_id": customer_id, "period": period, "run_id": run_id,
                                   "employee_id": employee_id}
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
            keys = _objects(payload, "api_keys")
            rows = [{**key, "customer_id": customer_id} for key in keys]
            yield with_tombstone(rows, customer_id=customer_id)

        yield from per_company("api_keys", rows_of)

    return [messages(), connections(), payroll_workspace(), payslips(), api_keys()]
