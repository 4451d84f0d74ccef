"""The reference's four paging styles, as readers that return every entry or say what is missing.

- limit/offset with a `total` (`/v1/accounts`, `/v1/bank-transactions`): `read_counted`;
- limit/offset returning a bare array, no total (customers, invoices, ...): `read_until_short`;
- `limit` without offset (`/v1/journal`, account entries): `read_windows` reads date windows and
  splits a window that comes back full (`limit` lines may be a truncated answer);
- none: one request (`as_objects` unwraps the answer).
"""

import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from lac_connector.kit.errors import ApiError, ConfigError
from lac_connector.kit.http import ApiClient
from lac_connector.kit.records import fingerprint

logger = logging.getLogger("lac")


def as_objects(payload: Any, key: str | None = None) -> list[dict[str, Any]]:
    """The objects of an answer: a bare array, or the list under `key` of an object.

    An object without `key` whose only list holds objects gives that list (an envelope the
    reference does not show); objects inside a list that are not objects are skipped.
    """
    if isinstance(payload, dict):
        if key is not None and key in payload:
            payload = payload[key]
        else:
            lists = [v for v in payload.values() if isinstance(v, list)]
            payload = lists[0] if len(lists) == 1 else []
    if not isinstance(payload, list):
        return []
    return [item for item in payload if isinstance(item, dict)]


def _limit_error(exc: ApiError, setting: str, limit: int) -> ConfigError:
    return ConfigError(f"{exc} — the API refused limit={limit}: lower [sources.ledgerlou] {setting}")


def read_until_short(
    client: ApiClient,
    endpoint: str,
    limit: int,
    params: Mapping[str, Any] | None = None,
    *,
    key: str | None = None,
) -> list[dict[str, Any]]:
    """Every entry of a limit/offset list without a total: pages until one is shorter than `limit`.

    The next offset is the entries received so far, so an API that caps pages below `limit`
    still pages on as long as its pages are full.
    """
    entries: list[dict[str, Any]] = []
    while True:
        query = {**(params or {}), "limit": limit, "offset": len(entries)}
        try:
            page = as_objects(client.get_json(endpoint, query), key)
        except ApiError as exc:
            if exc.status == 400 and not entries:
                raise _limit_error(exc, "page_limit", limit) from exc
            raise
        entries += page
        if len(page) < limit:
            return entries


@dataclass
class Counted:
    """A limit/offset list with a `total`: its entries and whether they add up to the total."""

    entries: list[dict[str, Any]]
    total: int | None
    complete: bool


def read_counted(
    client: ApiClient,
    endpoint: str,
    key: str,
    limit: int,
    params: Mapping[str, Any] | None = None,
    *,
    identity: Callable[[dict[str, Any]], Any] = fingerprint,
) -> Counted:
    """Every entry of a limit/offset list that reports `total`, checked against that total.

    Entries repeated across pages (the list shifted while paging) count once by `identity`; when
    the distinct entries do not match the last `total`, the list is read once more, and if it
    still does not add up the result says so (`complete=False`).
    """
    for _attempt in range(2):
        seen: dict[Any, dict[str, Any]] = {}
        total: int | None = None
        offset = 0
        while True:
            query = {**(params or {}), "limit": limit, "offset": offset}
            try:
                payload = client.get_json(endpoint, query)
            except ApiError as exc:
                if exc.status == 400 and offset == 0:
                    raise _limit_error(exc, "page_limit", limit) from exc
                raise
            page = as_objects(payload, key)
            if isinstance(payload, dict) and isinstance(payload.get("total"), int):
                total = payload["total"]
            for entry in page:
                seen.setdefault(identity(entry), entry)
            offset += len(page)
            if not page or len(page) < limit or (total is not None and offset >= total):
                break
        if total is None or len(seen) == total:
            return Counted(list(seen.values()), total, True)
        logger.info(
            "%s: %d distinct entries but total=%d; reading the list again", endpoint, len(seen), total
        )
    return Counted(list(seen.values()), total, False)


@dataclass
class Windowed:
    """Lines of a date range read window by window, and the days that did not fit one answer."""

    lines: list[dict[str, Any]] = field(default_factory=list)
    requests: int = 0
    truncated_days: list[date] = field(default_factory=list)

    @property
    def complete(self) -> bool:
        return not self.truncated_days


def read_windows(
    client: ApiClient,
    endpoint: str,
    first: date,
    last: date,
    limit: int,
    params: Mapping[str, Any] | None = None,
    *,
    path_params: Mapping[str, str] | None = None,
    key: str = "entries",
    start_param: str = "startDate",
    end_param: str = "endDate",
    count_as: str | None = None,
) -> Windowed:
    """Every line booked from `first` to `last` (inclusive), in the API's order.

    A window answered with `limit` lines may have been cut, so it is split in two halves by date
    and each half read again (all lines of a posting share its date, so a split never cuts one).
    A single day that still fills `limit` cannot be split: its lines are kept as far as they came,
    and the day is reported in `truncated_days` (raise `journal_page_limit`).
    """
    result = Windowed()
    pending = [(first, last)]
    while pending:
        start, end = pending.pop(0)
        query = {**(params or {}), start_param: start.isoformat(), end_param: end.isoformat(), "limit": limit}
        try:
            payload = client.get_json(endpoint, query, path_params=path_params, count_as=count_as)
        except ApiError as exc:
            if exc.status == 400 and result.requests == 0:
                raise _limit_error(exc, "journal_page_limit", limit) from exc
            raise
        result.requests += 1
        lines = as_objects(payload, key)
        if len(lines) >= limit and start < end:
            middle = start + timedelta(days=(end - start).days // 2)
            pending[:0] = [(start, middle), (middle + timedelta(days=1), end)]
            continue
        if len(lines) >= limit:
            result.truncated_days.append(start)
        result.lines += lines
    return result
