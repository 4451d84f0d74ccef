"""Deterministic books generation (per-row hash), change overlay, and cached per-month aggregates.

Rows are never materialised per month or per ledger: row `seq` of a month is derived directly
from (seed, customer, period, seq). Aggregates are computed by one streaming pass and cached.
"""

from __future__ import annotations

import hashlib
from array import array
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date

from . import calendar as cal

# code -> (name, section)
ACCOUNTS: dict[str, tuple[str, str]] = {
    "3000": ("Myynti 25,5 %", "revenue"),
    "3010": ("Myynti 14 %", "revenue"),
    "3020": ("Myynti 10 %", "revenue"),
    "3040": ("Myynti 0 %", "revenue"),
    "3050": ("EU-tavaramyynti", "revenue"),
    "4000": ("Ostot 25,5 %", "expenses"),
    "4050": ("EU-tavaraostot", "expenses"),
    "5000": ("Palkat", "expenses"),
    "6300": ("Vuokrat", "expenses"),
    "6800": ("Toimistokulut", "expenses"),
    "7000": ("Matkakulut", "expenses"),
    "7600": ("Edustuskulut", "expenses"),
    "8500": ("Pankkikulut", "expenses"),
    "1910": ("Pankkitili", "assets"),
    "2939": ("Arvonlisäverovelka", "liabilities"),
    "2251": ("Edellisten tilikausien voitto", "equity"),
    "2370": ("Tilikauden voitto", "equity"),
}
PL_ACCOUNTS = [c for c, (_, s) in ACCOUNTS.items() if s in ("revenue", "expenses")]
BALANCE_ACCOUNTS = ["1910", "2939", "2251", "2370"]
SALES_VAT_CODES = {"S255", "S14", "S10", "S0", "EU_SALE"}
PURCHASE_VAT_CODES = {"P255", "P14", "P10", "EU_PURCHASE"}
# Finland's general VAT rate, which reverse-charged EU purchases carry: 24 % until 2024-08-31.
GENERAL_RATE_CHANGES = (("2024-09-01", 2550), ("0000-00-00", 2400))


def reverse_charge_bp(day: str) -> int:
    """The general VAT rate in force on `day` (YYYY-MM-DD)."""
    return next(bp for since, bp in GENERAL_RATE_CHANGES if day >= since)


# (account, vat_code, rate_bp, category, weight /100, description)
_SALES = [
    ("3000", "S255", 2550, "sales", 50, "Myyntilasku"),
    ("3010", "S14", 1400, "sales_food", 12, "Ravintolamyynti"),
    ("3020", "S10", 1000, "sales_media", 12, "Lisenssimyynti"),
    ("3040", "S0", 0, "sales_zero_rated", 10, "Veroton myynti"),
    ("3050", "EU_SALE", 0, "sales_eu", 16, "EU-myynti"),
]
_EXPENSES = [
    ("4000", "P255", 2550, "goods", 30, "Ostolasku"),
    ("4050", "EU_PURCHASE", 0, "goods_eu", 10, "EU-ostolasku"),
    ("5000", "NONE", 0, "salaries", 8, "Palkkakulu"),
    ("6300", "P255", 2550, "rent", 7, "Vuokra"),
    ("6800", "P255", 2550, "office", 20, "Toimistotarvikkeet"),
    ("7000", "P10", 1000, "travel", 10, "Matkalippu"),
    ("7600", "P14", 1400, "entertainment", 8, "Asiakastilaisuus"),
    ("8500", "NONE", 0, "bank_fees", 7, "Pankin palvelumaksu"),
]
_COUNTERPARTIES = [
    "Kuusi Consulting Oy",
    "Lumi Media Oy",
    "Revontuli Tech Ab",
    "Saimaa Logistics Oy",
    "Tampere Print Oy",
    "Helsingin Kahvila Oy",
    "Nordic Parts GmbH",
    "Baltic Supply OÜ",
    "Oulu Systems Oy",
    "Verkkokauppa Oy",
    "Pohjola Vakuutus Oy",
    "OP Ryhmä",
]


def round_bp(amount: int, bp: int) -> int:
    """Round-half-up of amount*bp/10000, sign preserved."""
    sign = -1 if amount < 0 else 1
    return sign * ((abs(amount) * bp + 5000) // 10000)


def vat_row(row: dict) -> dict | None:
    """Canonical VAT-sheet row derived from a books row (None for vat_code NONE)."""
    code = row["vat_code"]
    if code == "NONE":
        return None
    net, vat = row["net_cents"], row["vat_cents"]
    if code == "EU_PURCHASE":
        out = inp = round_bp(abs(net), reverse_charge_bp(row["date"]))
    elif code in SALES_VAT_CODES:
        out, inp = vat, 0
    else:
        out, inp = 0, -vat
    return {
        "seq": row["seq"],
        "date": row["date"],
        "account_code": row["account_code"],
        "vat_code": code,
        "vat_rate_basis_points": row["vat_rate_basis_points"],
        "base_cents": net,
        "output_vat_cents": out,
        "input_vat_cents": inp,
    }


def make_row(
    seq: int,
    day: str,
    account: str,
    vat_code: str,
    bp: int,
    net: int,
    category: str,
    description: str,
    counterparty: str,
    status: str,
) -> dict:
    vat = 0 if vat_code in ("EU_SALE", "EU_PURCHASE", "NONE") else round_bp(net, bp)
    return {
        "seq": seq,
        "date": day,
        "account_code": account,
        "account_name": ACCOUNTS[account][0],
        "description": description,
        "counterparty": counterparty,
        "vat_code": vat_code,
        "vat_rate_basis_points": bp,
        "net_cents": net,
        "vat_cents": vat,
        "gross_cents": net + vat,
        "category": category,
        "status": status,
    }


def with_net(row: dict, net: int) -> dict:
    """Copy of a row with a new net amount (VAT and gross recomputed)."""
    return make_row(
        row["seq"],
        row["date"],
        row["account_code"],
        row["vat_code"],
        row["vat_rate_basis_points"],
        net,
        row["category"],
        row["description"],
        row["counterparty"],
        row["status"],
    )


@dataclass
class MonthAgg:
    """Cached totals of one month (overlay applied)."""

    count: int = 0
    net: int = 0
    vat: int = 0
    gross: int = 0
    cash_in: int = 0
    cash_out: int = 0
    open_items: int = 0
    by_account: dict[str, list[int]] = field(default_factory=dict)  # code -> [net, vat, gross, count]
    by_vat: dict[str, list[int]] = field(default_factory=dict)  # code -> [base, output, input, count]
    by_category: dict[str, list[int]] = field(default_factory=dict)  # cat -> [net, count]
    vat_seqs: array = field(default_factory=lambda: array("l"))

    @property
    def vat_count(self) -> int:
        return len(self.vat_seqs)

    def vat_totals(self) -> tuple[int, int, int]:
        base = sum(v[0] for v in self.by_vat.values())
        out = sum(v[1] for v in self.by_vat.values())
        inp = sum(v[2] for v in self.by_vat.values())
        return base, out, inp


@dataclass
class MonthOverlay:
    """Upstream changes to one month: edited rows, deleted seqs, appended rows."""

    edits: dict[int, dict] = field(default_factory=dict)
    deleted: set[int] = field(default_factory=set)
    appended: list[dict] = field(default_factory=list)
    emptied: bool = False


class Ledger:
    """The books of one company: `months` calendar months ending with today's (open) month."""

    def __init__(self, seed: int, cid: str, periods: list[str], rows_per_month: int, today: date):
        self.seed, self.cid, self.today = seed, cid, today
        self.periods = list(periods)
        self.rows_per_month = rows_per_month
        self.generated = 0  # number of base rows derived so far (scale tests)
        self._overlay: dict[str, MonthOverlay] = {}
        self._agg: dict[str, MonthAgg] = {}
        self._deleted_sorted: dict[str, list[int]] = {}
        self._open = cal.period_of(today)
        self._period_set = set(self.periods)

    # ---- structure -------------------------------------------------------------------------
    def base_count(self, period: str) -> int:
        return self.rows_per_month if period in self._period_set else 0

    def overlay(self, period: str) -> MonthOverlay:
        return self._overlay.setdefault(period, MonthOverlay())

    def seq_space(self, period: str) -> int:
        ov = self._overlay.get(period)
        return self.base_count(period) + (len(ov.appended) if ov else 0)

    def count(self, period: str) -> int:
        """Live rows of a month (O(1))."""
        ov = self._overlay.get(period)
        if ov is None:
            return self.base_count(period)
        if ov.emptied:
            return 0
        return self.base_count(period) + len(ov.appended) - len(ov.deleted)

    def periods_with_rows(self) -> list[str]:
        return [p for p in self.periods if self.count(p) > 0]

    def _days(self, period: str) -> int:
        return self.today.day if period == self._open else cal.month_days(period)

    # ---- rows ------------------------------------------------------------------------------
    def base_row(self, period: str, seq: int) -> dict:
        """Derive row `seq` of `period` directly from the per-row hash."""
        self.generated += 1
        h = hashlib.blake2b(f"{self.seed}|{self.cid}|{period}|{seq}".encode(), digest_size=16).digest()
        x = int.from_bytes(h, "little")
        kind, pick, amt = x & 0xFFFF, (x >> 16) & 0xFFFF, (x >> 32) & 0xFFFFFFFF
        cp, st = (x >> 64) & 0xFFFF, (x >> 80) & 0xFFFF
        pct = pick % 100
        if kind < 39322:  # ~60 % sales
            table, net = _SALES, 5000 + amt % 495000
        else:
            table = _EXPENSES
            net = -(2000 + amt % 248000)
        acc = table[-1]
        for entry in table:
            if pct < entry[4]:
                acc = entry
                break
            pct -= entry[4]
        account, vat_code, bp, category, _, desc = acc
        if account == "5000":
            net = -(150000 + amt % 250000)
        n = self.base_count(period)
        day = 1 + (seq * self._days(period)) // max(n, 1)
        s = st % 100
        status = "booked" if s < 90 else ("needs_review" if s < 97 else "pending")
        party = _COUNTERPARTIES[cp % len(_COUNTERPARTIES)]
        return make_row(
            seq,
            f"{period}-{day:02d}",
            account,
            vat_code,
            bp,
            net,
            category,
            f"{desc} {period}/{seq + 1}",
            party,
            status,
        )

    def row(self, period: str, seq: int) -> dict | None:
        """Row `seq` with the overlay applied (None if deleted / out of range)."""
        ov = self._overlay.get(period)
        base = self.base_count(period)
        if ov is not None:
            if ov.emptied or seq in ov.deleted:
                return None
            if seq in ov.edits:
                return dict(ov.edits[seq])
            if seq >= base:
                i = seq - base
                return dict(ov.appended[i]) if i < len(ov.appended) else None
        if 0 <= seq < base:
            return self.base_row(period, seq)
        return None

    def _deleted(self, period: str) -> list[int]:
        ov = self._overlay.get(period)
        if ov is None or not ov.deleted:
            return []
        cached = self._deleted_sorted.get(period)
        if cached is None:
            cached = self._deleted_sorted[period] = sorted(ov.deleted)
        return cached

    def seq_at(self, period: str, ordinal: int) -> int:
        """Seq of the `ordinal`-th live row (skips deleted seqs)."""
        seq = ordinal
        for d in self._deleted(period):
            if d <= seq:
                seq += 1
            else:
                break
        return seq

    def iter_rows(
        self, period: str, start: int = 0, stop: int | None = None, reverse: bool = False
    ) -> Iterator[dict]:
        """Live rows by ordinal window [start, stop) in seq order (or reversed order); O(window)."""
        total = self.count(period)
        stop = total if stop is None else min(stop, total)
        if start >= stop:
            return
        space = self.seq_space(period)
        if not reverse:
            seq = self.seq_at(period, start)
            left = stop - start
            while left > 0 and seq < space:
                r = self.row(period, seq)
                seq += 1
                if r is not None:
                    left -= 1
                    yield r
        else:
            seq = self.seq_at(period, total - 1 - start)
            left = stop - start
            while left > 0 and seq >= 0:
                r = self.row(period, seq)
                seq -= 1
                if r is not None:
                    left -= 1
                    yield r

    def all_rows(self, period: str) -> Iterator[dict]:
        return self.iter_rows(period, 0, None)

    # ---- aggregates ------------------------------------------------------------------------
    def aggregates(self, period: str) -> MonthAgg:
        """Per-month totals, one streaming pass, cached until the month changes."""
        agg = self._agg.get(period)
        if agg is not None:
            return agg
        agg = MonthAgg()
        for r in self.all_rows(period):
            net, vat, gross = r["net_cents"], r["vat_cents"], r["gross_cents"]
            agg.count += 1
            agg.net += net
            agg.vat += vat
            agg.gross += gross
            if gross >= 0:
                agg.cash_in += gross
            else:
                agg.cash_out += gross
            if r["status"] != "booked":
                agg.open_items += 1
            a = agg.by_account.setdefault(r["account_code"], [0, 0, 0, 0])
            a[0] += net
            a[1] += vat
            a[2] += gross
            a[3] += 1
            c = agg.by_category.setdefault(r["category"], [0, 0])
            c[0] += net
            c[1] += 1
            v = vat_row(r)
            if v is not None:
                agg.vat_seqs.append(r["seq"])
                b = agg.by_vat.setdefault(v["vat_code"], [0, 0, 0, 0])
                b[0] += v["base_cents"]
                b[1] += v["output_vat_cents"]
                b[2] += v["input_vat_cents"]
                b[3] += 1
        self._agg[period] = agg
        return agg

    def iter_vat_rows(
        self, period: str, start: int = 0, stop: int | None = None, reverse: bool = False
    ) -> Iterator[dict]:
        """VAT-sheet rows by ordinal window using the cached seq index; O(window)."""
        seqs = self.aggregates(period).vat_seqs
        n = len(seqs)
        stop = n if stop is None else min(stop, n)
        rng = range(start, stop)
        for i in rng:
            seq = seqs[n - 1 - i] if reverse else seqs[i]
            r = self.row(period, seq)
            v = vat_row(r) if r else None
            if v is not None:
                yield v

    # ---- mutations -------------------------------------------------------------------------
    def _touch(self, period: str) -> None:
        self._agg.pop(period, None)
        self._deleted_sorted.pop(period, None)

    def edit_row(self, period: str, seq: int, net: int) -> dict:
        row = self.row(period, seq)
        if row is None:
            raise KeyError((period, seq))
        new = with_net(row, net)
        self.overlay(period).edits[seq] = new
        self._touch(period)
        return new

    def delete_row(self, period: str, seq: int) -> None:
        if self.row(period, seq) is None:
            raise KeyError((period, seq))
        self.overlay(period).deleted.add(seq)
        self._touch(period)

    def append_row(self, period: str, account: str, net: int, description: str, counterparty: str) -> dict:
        seq = self.seq_space(period)
        entry = next(e for e in _SALES + _EXPENSES if e[0] == account)
        row = make_row(
            seq,
            f"{period}-{self._days(period):02d}",
            account,
            entry[1],
            entry[2],
            net,
            entry[3],
            description,
            counterparty,
            "pending",
        )
        self.overlay(period).appended.append(row)
        self._touch(period)
        return row

    def empty_month(self, period: str) -> None:
        self.overlay(period).emptied = True
        self._touch(period)

    def live_seqs_sample(self, period: str, k: int, salt: int) -> list[int]:
        """k distinct live seqs of a month, deterministic in `salt` (O(k) typically)."""
        space = self.seq_space(period)
        out: list[int] = []
        if self.count(period) == 0:
            return out
        i = 0
        while len(out) < k and i < space * 2 + 10:
            h = hashlib.blake2b(
                f"pick|{self.seed}|{self.cid}|{period}|{salt}|{i}".encode(), digest_size=8
            ).digest()
            seq = int.from_bytes(h, "little") % space
            i += 1
            if seq not in out and self.row(period, seq) is not None:
                out.append(seq)
        return out
