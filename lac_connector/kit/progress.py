"""Progress lines for long runs: what was planned per company, rows so far per table.

Written to the `lac` logger (stderr in the `lac` command); thread-safe because period
transformers run on dlt's worker pool.
"""

import logging
import threading
import time
from collections import Counter

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

    def planned(self, tenant: str, periods: list[str], changed: int) -> None:
        """One line per company: the months to sync, of which `changed` re-read in full."""
        if not periods:
            logger.info("%s: every month is up to date", tenant)
            return
        logger.info(
            "%s: syncing %d month(s) %s..%s (%d with changes or in the lookback window)",
            tenant,
            len(periods),
            periods[0],
            periods[-1],
            changed,
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

    def period_done(self, table: str, tenant: str, period: str) -> None:
        logger.debug("%s %s %s done", tenant, table, period)


progress = Progress()
