"""The generated bookings of a tenant (`bookings_per_month` a month), derived on demand.

Booking `seq` of a month is derived directly from (seed, tenant, period, seq) and never stored, so a
36-month x 2,000-booking journal costs memory only for what a request touches. Bookings are immutable
(changes arrive as new bookings: reversals, back-dated corrections), so per-month aggregates can be
cached for good. Booking dates rise with `seq`, which lets a date window map to a seq range in O(1).
"""

from __future__ import annotations

import hashlib
from datetime import date

from . import dates, ids
from .documents import Document
from .entries import Intent, Line, credit, debit, fx_line, gross_split, tax_lines
from .fx import rate_e4

# (weight in %, kind)
_KINDS = (
    (22, "cash_sale_19"),
    (8, "cash_sale_7"),
    (15, "card_sale"),
    (15, "office"),
    (6, "meals"),
    (6, "travel"),
    (4, "postage"),
    (8, "software"),
    (4, "depreciation"),
    (8, "transit"),
    (4, "accrual"),
)
_SOFTWARE = (
    ("GitHub, Inc.", "USD"),
    ("Atlassian Pty Ltd", "USD"),
    ("Figma, Inc.", "USD"),
    ("Proton AG", "CHF"),
    ("Threema GmbH", "CHF"),
)
_OFFICE = ("Bürobedarf Müller", "Schreibwaren Özdemir", "Drogerie am Markt", "Baumarkt Hornbach")
_MEALS = ("Restaurant Zur Post", "Café Glück", "Trattoria Bella Vista", "Brauhaus Späth")


class BulkJournal:
    """Generated bookings of one tenant; `generated` counts derivations (scale assertions)."""

    def __init__(self, seed: int, tenant: int, periods: list[str], per_month: int, today: date):
        self.seed, self.tenant, self.per_month, self.today = seed, tenant, per_month, today
        self.periods = set(periods)
        self._open = dates.period_of(today)
        self.generated = 0

    def count(self, period: str) -> int:
        return self.per_month if period in self.periods else 0

    def _days(self, period: str) -> int:
        return self.today.day if period == self._open else dates.month_days(period)

    def day_of(self, period: str, seq: int) -> int:
        return 1 + seq * self._days(period) // self.count(period)

    def seq_bounds(self, period: str, first_day: int, last_day: int) -> tuple[int, int]:
        """[lo, hi) of the seqs booked on days first_day..last_day of the month."""
        n, d = self.count(period), self._days(period)
        if n == 0 or first_day > last_day:
            return 0, 0
        lo = -(-(first_day - 1) * n // d)
        hi = -(-last_day * n // d)
        return max(0, min(lo, n)), max(0, min(hi, n))

    def _ts(self, period: str, seq: int) -> tuple[date, int]:
        day = dates.first_day(period).replace(day=self.day_of(period, seq))
        return day, 3600 + seq % 36000

    def intent_id(self, period: str, seq: int) -> str:
        day, secs = self._ts(period, seq)
        return ids.encode(
            self.seed,
            ids.KIND_INTENT,
            self.tenant,
            ids.LAYER_BULK,
            dates.month_index(period),
            seq,
            dates.epoch_ms(day, secs),
        )

    def document_id(self, period: str, seq: int) -> str:
        day, secs = self._ts(period, seq)
        return ids.encode(
            self.seed,
            ids.KIND_DOCUMENT,
            self.tenant,
            ids.LAYER_BULK,
            dates.month_index(period),
            seq,
            dates.epoch_ms(day, secs),
        )

    def _bits(self, period: str, seq: int) -> int:
        h = hashlib.blake2b(f"{self.seed}|{self.tenant}|{period}|{seq}".encode(), digest_size=16).digest()
        return int.from_bytes(h, "little")

    @staticmethod
    def _kind(x: int) -> str:
        pick = (x & 0xFFFF) % 100
        for weight, kind in _KINDS:
            if pick < weight:
                return kind
            pick -= weight
        raise AssertionError("weights add up to 100")

    def intent(self, period: str, seq: int) -> Intent:
        """Derive booking `seq` of `period`."""
        self.generated += 1
        x = self._bits(period, seq)
        kind = self._kind(x)
        amt, pick, meta = (x >> 16) & 0xFFFFFFFF, (x >> 48) & 0xFFFF, (x >> 64) & 0xFFFF
        day, secs = self._ts(period, seq)
        iso = day.isoformat()
        n = seq + 1
        doc = None
        ext = None
        custom = None
        lines: list[Line]
        if kind in ("cash_sale_19", "cash_sale_7", "card_sale"):
            rate, code, acc = (7, "USt7", "8300") if kind == "cash_sale_7" else (19, "USt19", "8400")
            gross = 250 + amt % 79_750
            net, _ = gross_split(gross, rate)
            vat = tax_lines(code, net, "C")
            tax = sum(v.credit for v in vat)
            net = gross - tax
            cash = "1360" if kind == "card_sale" else "1000"
            lines = [debit(cash, gross), credit(acc, net, code), *vat]
            if kind == "card_sale":
                desc, ext = f"Kartenzahlung SumUp {iso}", f"SUMUP-{x >> 96 & 0xFFFFFFFF:08X}"
            else:
                desc, ext = f"Barverkauf Kasse 1 Bon {n}", f"KASSE1-{period.replace('-', '')}-{n:05d}"
                custom = {"register": "K1", "receipt_no": n}
        elif kind in ("office", "meals", "travel", "postage"):
            acc, code, payer = {
                "office": ("4930", "VSt19", "1000"),
                "meals": ("4650", "VSt19", "1000"),
                "travel": ("4660", "VSt7", "1730"),
                "postage": ("4910", None, "1000"),
            }[kind]
            gross = 190 + amt % 24_810
            if code is None:
                lines = [debit(acc, gross), credit(payer, gross)]
            else:
                net, _ = gross_split(gross, 7 if code == "VSt7" else 19)
                vat = tax_lines(code, net, "D")
                net = gross - sum(v.debit for v in vat)
                lines = [debit(acc, net, code), *vat, credit(payer, gross)]
            shop = {
                "office": _OFFICE[pick % len(_OFFICE)],
                "meals": _MEALS[pick % len(_MEALS)],
                "travel": "Deutsche Bahn Fernverkehr",
                "postage": "Deutsche Post AG",
            }[kind]
            desc = {
                "office": "Bürobedarf",
                "meals": "Bewirtung Geschäftspartner",
                "travel": "Bahnticket",
                "postage": "Briefmarken",
            }[kind] + f" {shop}"
            if kind != "postage":
                doc = self.document_id(period, seq)
            if meta % 3 == 0:
                custom = {"cost_center": f"KST-{100 + meta % 5 * 10}"}
        elif kind == "software":
            vendor, cur = _SOFTWARE[pick % len(_SOFTWARE)]
            amount = 900 + amt % 49_100
            rate = rate_e4(cur, iso)
            exp = fx_line("4964", "D", amount, cur, rate, "RC19")
            lines = [
                exp,
                fx_line("1730", "C", amount, cur, rate, base=exp.debit),
                *tax_lines("RC19", exp.debit, "D"),
            ]
            desc, ext = f"Abo {vendor}", f"INV-{x >> 96 & 0xFFFFFF:06d}"
            doc = self.document_id(period, seq)
        elif kind == "depreciation":
            value = 2_000 + amt % 48_000
            lines = [debit("4830", value), credit("0420", value)]
            desc = f"AfA Büroeinrichtung {period}"
        elif kind == "transit":
            value = 5_000 + amt % 195_000
            lines = [debit("1360", value), credit("1000", value)]
            desc = "Kasse an Geldtransit"
        else:  # accrual
            value = 10_000 + amt % 290_000
            lines = [debit("4900", value), credit("0970", value)]
            desc = "Rückstellung sonstige Kosten"
        return Intent(
            intent_id=self.intent_id(period, seq),
            booking_date=iso,
            created_at=dates.stamp(day, secs),
            description=desc,
            lines=lines,
            layer=ids.LAYER_BULK,
            seq=seq,
            source="pos" if kind in ("cash_sale_19", "cash_sale_7", "card_sale") else "manual",
            external_reference=ext,
            document_id=doc,
            custom_metadata=custom,
        )

    def document(self, period: str, seq: int) -> Document | None:
        """The receipt attached to booking `seq`, if it has one."""
        it = self.intent(period, seq)
        if it.document_id is None:
            return None
        gross = sum(ln.debit for ln in it.lines if ln.account not in ("1576", "1571", "1577"))
        body = (it.description, f"Datum {it.booking_date}", f"Betrag {gross / 100:.2f} EUR")
        if it.lines[0].account == "4964":
            ln = it.lines[0]
            body = (it.description, f"Date {it.booking_date}", f"Total {ln.amount / 100:.2f} {ln.currency}")
            return Document(
                it.document_id, f"Invoice-{it.external_reference}.pdf", "pdf", it.created_at, "Invoice", body
            )
        if it.lines[0].account == "4660":
            return Document(
                it.document_id,
                f"Fahrkarte_{it.booking_date}_{seq + 1}.pdf",
                "pdf",
                it.created_at,
                "Fahrkarte",
                body,
            )
        return Document(
            it.document_id,
            f"Quittung {it.booking_date} Nr. {seq + 1}.png",
            "png",
            it.created_at,
            "Quittung",
            body,
        )
