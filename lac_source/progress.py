"""Progress lines for long runs: what was planned, which month finished, rows so far.

Written to the `lac` logger (stderr in the `lac` command); thread-safe because period
transformers run on dlt's worker pool.
"""

import logging
import threading
import time
from collections import Counter
from collections.abc import Sequence
from typing import Any

logger = logging.getLogger("lac")


class Progress:
    def __init__(self, every_s: float = 2.0) -> None:
        self._lock = threading.Lock()
        self._every_s = every_s
        self._last = 0.0
        self.rows: Counter[str] = Counter()

    def reset(self) -> None:
        with self._lock:
            self.rows.clear()
            self._last = 0.0

    def planned(self, customer_id: str, tasks: Sequence[Any]) -> None:
        if not tasks:
            logger.info("%s: every month is up to date", customer_id)
            return
        first, last = tasks[0].period, tasks[-1].period
        sheet_months = sum(1 for t in tasks if t.sync.get("books_rows"))
        logger.info(
            "%s: syncing %d month(s) %s..%s (%d with sheet changes or in the lookback window)",
            customer_id,
            len(tasks),
            first,
            last,
            sheet_months,
        )

    def add_rows(self, table: str, count: int) -> None:
        with self._lock:
            self.rows[table] += count
            now = time.monotonic()
            if now - self._last < self._every_s:
                return
            self._last = now
            summary = ", ".join(f"{t} {n:,}" for t, n in sorted(self.rows.items()))
        logger.info("rows so far: %s", summary)

    def month_done(self, table: str, customer_id: str, period: str) -> None:
        logger.debug("%s %s %s done", customer_id, table, period)


progress = Progress()
