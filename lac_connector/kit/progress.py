"""Progress lines for long runs: months planned and re-synced per company, rows so far per table.

Written to the `lac` logger (stderr in the `lac` command); thread-safe because period
transformers run on dlt's worker pool. "Rows so far" records carry `extra={"live": True}`: a
handler writing to a terminal may redraw them on one line (the `lac` command does), any other
handler prints them as plain lines.
"""

import logging
import threading
import time
from collections import Counter

logger = logging.getLogger("lac")

LIVE = {"live": True}


class Progress:
    def __init__(self, every_s: float = 0.5) -> None:
        self._lock = threading.Lock()
        self._every_s = every_s
        self._last = 0.0
        self.rows: Counter[str] = Counter()

    def reset(self) -> None:
        with self._lock:
            self.rows.clear()
            self._last = 0.0

    def planned(self, tenant: str, periods: list[str], resync: int) -> None:
        """One line per company: the months in the window, of which `resync` are read again in
        full (changed upstream, never synced, or in the lookback window); the rest are up to date."""
        if not periods:
            logger.info("%s: no months to sync", tenant)
            return
        logger.info(
            "%s: %d month(s) %s..%s planned, %d to re-sync, %d up to date",
            tenant,
            len(periods),
            periods[0],
            periods[-1],
            resync,
            len(periods) - resync,
        )

    def add_rows(self, table: str, count: int) -> None:
        with self._lock:
            self.rows[table] += count
            now = time.monotonic()
            if now - self._last < self._every_s:
                return
            self._last = now
            summary = self._summary()
        logger.info("rows so far: %s", summary, extra=LIVE)

    def finish(self) -> None:
        """The final count, as a plain line (it also ends a redrawn line)."""
        with self._lock:
            if not self.rows:
                return
            summary = self._summary()
        logger.info("rows extracted: %s", summary)

    def period_done(self, table: str, tenant: str, period: str) -> None:
        logger.debug("%s %s %s done", tenant, table, period)

    def _summary(self) -> str:
        return ", ".join(f"{t} {n:,}" for t, n in sorted(self.rows.items()))


progress = Progress()
