"""A tenant's journal: generated bookings (bulk layer) merged with stored ones, in date order.

Stored intents are the business events (opening balances, invoices, payments, bank bookings,
reversals, advance() changes). Both layers are append-only; `links` records reversal relations.
Per-month aggregates keyed by (account, tax code) back the reports and running balances.
"""

from __future__ import annotations

import bisect
import heapq
from collections.abc import Iterator
from datetime import date

from . import dates, ids
from .bulk import BulkJournal
from .entries import Intent, Line, is_balanced

Agg = dict[tuple[str, str | None], list[int]]  # (account, tax_code) -> [debit, credit] base cents


class Journal:
    def __init__(self, seed: int, tenant: int, periods: list[str], per_month: int, today: date):
        self.seed, self.tenant, self.today = seed, tenant, today
        self.periods = list(periods)
        self.bulk = BulkJournal(seed, tenant, periods, per_month, today)
        self.stored: list[Intent] = []
        self._by_period: dict[str, list[Intent]] = {}
        self._keys: dict[str, list[tuple]] = {}
        self._by_id: dict[str, Intent] = {}
        self.links: dict[str, list[tuple[str, str]]] = {}  # intent_id -> [(other intent_id, relation)]
        self._bulk_agg: dict[str, Agg] = {}
        self._stored_agg: dict[str, Agg] = {}

    # ---- writing ---------------------------------------------------------------------------
    def add(
        self,
        booking_date: date,
        created: date,
        created_secs: int,
        description: str,
        lines: list[Line],
        **fields,
    ) -> Intent:
        """Store a new balanced intent and return it."""
        if not is_balanced(lines):
            raise ValueError(f"unbalanced intent {description!r}: {lines}")
        seq = len(self.stored)
        period = dates.period_of(booking_date)
        intent = Intent(
            intent_id=ids.encode(
                self.seed,
                ids.KIND_INTENT,
                self.tenant,
                ids.LAYER_STORED,
                dates.month_index(period),
                seq,
                dates.epoch_ms(created, created_secs),
            ),
            booking_date=booking_date.isoformat(),
            created_at=dates.stamp(created, created_secs),
            description=description,
            lines=lines,
            layer=ids.LAYER_STORED,
            seq=seq,
            **fields,
        )
        self.stored.append(intent)
        self._by_id[intent.intent_id] = intent
        month = self._by_period.setdefault(period, [])
        keys = self._keys.setdefault(period, [])
        at = bisect.bisect(keys, intent.order)
        keys.insert(at, intent.order)
        month.insert(at, intent)
        self._stored_agg.pop(period, None)
        return intent

    def link(self, original: str, reversal: str) -> None:
        self.links.setdefault(original, []).append((reversal, "reversed_by"))
        self.links.setdefault(reversal, []).append((original, "reverses"))

    # ---- reading ---------------------------------------------------------------------------
    def get(self, intent_id: str) -> Intent | None:
        hit = self._by_id.get(intent_id)
        if hit is not None:
            return hit
        decoded = ids.decode(self.seed, intent_id)
        if decoded is None:
            return None
        kind, tenant, layer, pidx, seq = decoded
        period = dates.period_of_index(pidx)
        if kind != ids.KIND_INTENT or tenant != self.tenant or layer != ids.LAYER_BULK:
            return None
        if seq >= self.bulk.count(period) or self.bulk.intent_id(period, seq) != intent_id:
            return None
        return self.bulk.intent(period, seq)

    def stored_in(self, period: str) -> list[Intent]:
        return self._by_period.get(period, [])

    def month(self, period: str, first_day: int = 1, last_day: int = 31) -> Iterator[Intent]:
        """Intents of a month booked on days first_day..last_day, in journal order."""
        lo, hi = self.bulk.seq_bounds(period, first_day, last_day)
        bulk = (self.bulk.intent(period, s) for s in range(lo, hi))
        lo_d = f"{period}-{first_day:02d}"
        hi_d = f"{period}-{last_day:02d}"
        stored = (i for i in self.stored_in(period) if lo_d <= i.booking_date <= hi_d)
        return heapq.merge(bulk, stored, key=lambda i: i.order)

    def window(self, start: date | None, end: date | None) -> Iterator[Intent]:
        """Intents with start <= booking date <= end (None = unbounded), in journal order."""
        for period in self.periods_between(start, end):
            first = start.day if start is not None and dates.period_of(start) == period else 1
            last = end.day if end is not None and dates.period_of(end) == period else 31
            yield from self.month(period, first, last)

    def periods_between(self, start: date | None, end: date | None) -> list[str]:
        lo = dates.period_of(start) if start else None
        hi = dates.period_of(end) if end else None
        return [p for p in self.all_periods() if (lo is None or p >= lo) and (hi is None or p <= hi)]

    def all_periods(self) -> list[str]:
        """Months with bookings (generated range plus any stored outside it), ascending."""
        return sorted(set(self.periods) | set(self._by_period))

    # ---- aggregates ------------------------------------------------------------------------
    def month_agg(self, period: str) -> Agg:
        """(account, tax code) -> [debit, credit] over the whole month."""
        bulk = self._bulk_agg.get(period)
        if bulk is None:
            bulk = self._bulk_agg[period] = _aggregate(
                self.bulk.intent(period, s) for s in range(self.bulk.count(period))
            )
        stored = self._stored_agg.get(period)
        if stored is None:
            stored = self._stored_agg[period] = _aggregate(self.stored_in(period))
        out = {k: list(v) for k, v in bulk.items()}
        for k, (d, c) in stored.items():
            cur = out.setdefault(k, [0, 0])
            cur[0] += d
            cur[1] += c
        return out

    def window_agg(self, start: date | None, end: date | None) -> Agg:
        """Aggregates over a date window: cached whole months plus a scan of partial months."""
        out: Agg = {}
        for period in self.periods_between(start, end):
            partial_start = start is not None and dates.period_of(start) == period and start.day > 1
            partial_end = (
                end is not None and dates.period_of(end) == period and end.day < dates.month_days(period)
            )
            if partial_start or partial_end:
                first = start.day if partial_start else 1
                last = end.day if partial_end else 31
                part = _aggregate(self.month(period, first, last))
            else:
                part = self.month_agg(period)
            for k, (d, c) in part.items():
                cur = out.setdefault(k, [0, 0])
                cur[0] += d
                cur[1] += c
        return out


def _aggregate(intents) -> Agg:
    out: Agg = {}
    for it in intents:
        for ln in it.lines:
            cur = out.setdefault((ln.account, ln.tax_code), [0, 0])
            cur[0] += ln.debit
            cur[1] += ln.credit
    return out
