"""Journal intents and their lines (canonical, integer cents), plus builders that keep them balanced."""

from __future__ import annotations

from dataclasses import dataclass

from .chart import TAX
from .money import div_round, percent_of, to_base

BASE_CURRENCY = "EUR"


@dataclass(slots=True)
class Line:
    """One booking line. `debit`/`credit` are base-currency (EUR) cents, exactly one is non-zero;
    `amount` is the same value in the line's `currency` (positive), converted at `rate_e4`."""

    account: str
    debit: int
    credit: int
    currency: str = BASE_CURRENCY
    amount: int = 0
    rate_e4: int | None = None  # None for EUR lines
    tax_code: str | None = None

    @property
    def base(self) -> int:
        return self.debit or self.credit


@dataclass(slots=True)
class Intent:
    """A balanced booking (debits == credits in base currency)."""

    intent_id: str
    booking_date: str  # YYYY-MM-DD
    created_at: str
    description: str
    lines: list[Line]
    layer: int
    seq: int
    source: str = "manual"
    external_reference: str | None = None
    document_id: str | None = None
    created_by: str = "buchhaltung@sandbox.test"
    custom_metadata: dict | None = None
    adjustment_period: str | None = None

    @property
    def order(self) -> tuple[str, int, int]:
        """Journal order: booking date, then generated before stored, then creation sequence."""
        return (self.booking_date, self.layer, self.seq)


def debit(account: str, cents: int, tax_code: str | None = None) -> Line:
    return Line(account, cents, 0, BASE_CURRENCY, cents, None, tax_code)


def credit(account: str, cents: int, tax_code: str | None = None) -> Line:
    return Line(account, 0, cents, BASE_CURRENCY, cents, None, tax_code)


def fx_line(
    account: str,
    side: str,
    amount: int,
    currency: str,
    rate_e4: int | None,
    tax_code: str | None = None,
    base: int | None = None,
) -> Line:
    """A line in `currency`; its base value is converted unless given (used to balance an intent)."""
    if currency == BASE_CURRENCY:
        base, rate_e4 = amount, None
    elif base is None:
        base = to_base(amount, rate_e4)
    return Line(
        account, base if side == "D" else 0, base if side == "C" else 0, currency, amount, rate_e4, tax_code
    )


def flip(line: Line) -> Line:
    """The same line on the other side (reversals, credit notes)."""
    return Line(
        line.account, line.credit, line.debit, line.currency, line.amount, line.rate_e4, line.tax_code
    )


def is_balanced(lines: list[Line]) -> bool:
    return sum(ln.debit for ln in lines) == sum(ln.credit for ln in lines)


def gross_split(gross: int, rate_percent: int) -> tuple[int, int]:
    """(net, tax) contained in a gross amount (receipts are priced gross)."""
    tax = div_round(gross * rate_percent, 100 + rate_percent)
    return gross - tax, tax


def tax_lines(tax_code: str, net_base: int, side: str) -> list[Line]:
    """VAT lines for a net base amount booked on `side` ('D' for purchases, 'C' for sales).

    Reverse charge books input VAT (debit) and self-assessed output VAT (credit) of equal size.
    """
    tc = TAX[tax_code]
    tax = percent_of(net_base, tc.rate)
    if tc.vat_account is None or tax == 0:
        return []
    if tc.self_assess_account is not None:
        return [debit(tc.vat_account, tax, tax_code), credit(tc.self_assess_account, tax, tax_code)]
    return [debit(tc.vat_account, tax, tax_code) if side == "D" else credit(tc.vat_account, tax, tax_code)]
