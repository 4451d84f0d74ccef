"""The request log: every request a simulator served, faulted ones included."""

from __future__ import annotations

import threading
from dataclasses import dataclass


@dataclass(frozen=True)
class RequestRecord:
    """One served request (faulted ones included); timestamps are time.monotonic()."""

    method: str
    path: str  # after the API's base path
    query: dict[str, str]
    status: int  # 0 = connection dropped without a response
    started: float
    finished: float
    fault: str | None
    customer_id: str | None  # the tenant the request acted on (`Response.customer_id`), if any


class RequestLog:
    """Thread-safe, append-only list of `RequestRecord`s."""

    def __init__(self) -> None:
        self.records: list[RequestRecord] = []
        self._lock = threading.Lock()

    def add(self, record: RequestRecord) -> None:
        with self._lock:
            self.records.append(record)

    def count(self, path: str | None = None, method: str | None = "GET", **query_filters: str) -> int:
        """Requests matching path, method (None = any) and exact query params."""
        with self._lock:
            recs = list(self.records)
        return sum(
            1
            for r in recs
            if (path is None or r.path == path)
            and (method is None or r.method == method)
            and all(r.query.get(k) == str(v) for k, v in query_filters.items())
        )

    def clear(self) -> None:
        with self._lock:
            self.records.clear()
