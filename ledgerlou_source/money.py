"""Money as exact decimals plus integer minor units, for objects whose layout the API leaves open.

LedgerLou sends amounts as JSON numbers in currency units (`119`, `1234.5`, `0.07`); the client
decodes them as `Decimal` (never float). In every row this module

- makes each money field a `Decimal` (so its column is DECIMAL even when the first value is `119`)
  and adds `<field>_minor`: the amount in integer minor units of its currency (BIGINT);
- turns the integers of any other field that also carries fractions into `Decimal`, so one column
  never splits into an integer and a decimal variant.

A money field is a number whose name holds a money word (`amount`, `debit`, `total_gross`,
`remaining`, `base`, `currentBalance`, ...; see `MONEY_WORDS`) and no word of an id, rate, count
or code (`NOT_MONEY_WORDS`), or a path the user lists in `money_fields`. Its currency is the books'
base currency for base amounts (`base`, `debit`/`credit`, running/opening/closing balances and
result figures: postings balance in one currency) and for objects without a currency, else the
object's currency (a field named with `currency`, or a three-letter code; or an ancestor's).
Minor units use the currency's ISO 4217 exponent (2 unless listed in `EXPONENTS`); an amount with
more decimals than that is rounded half away from zero for `_minor` (the DECIMAL column keeps it
exactly) and logged once per field.
"""

import logging
import re
from collections.abc import Callable, Iterable
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from ledgerlou_source.fields import Path

logger = logging.getLogger("lac")

MINOR_SUFFIX = "_minor"
EXPONENTS = {
    **dict.fromkeys("BIF CLP DJF GNF ISK JPY KMF KRW PYG RWF UGX UYI VND VUV XAF XOF XPF".split(), 0),
    **dict.fromkeys("BHD IQD JOD KWD LYD OMR TND".split(), 3),
    **dict.fromkeys("CLF UYW".split(), 4),
}
# Words that make a numeric field money (its name split at `_` and camelCase humps).
MONEY_WORDS = frozenset(
    """amount debit credit balance net tax vat gross total remaining open price revenue revenues expense
    expenses result opening closing current base value sum fee cost""".split()
)
# Words that make a numeric field something else: ids, rates, counts, positions, codes, flags.
NOT_MONEY_WORDS = frozenset(
    """id key ref uuid rate count number num no quantity qty score confidence days day position index
    version year month code status state active""".split()
)
# Amounts in the books' base currency whatever currency their object carries: postings balance
# in one currency (debit/credit), and figures computed from postings.
BASE_WORDS = frozenset(
    "base debit credit running opening closing revenue revenues expense expenses result".split()
)
_CAMEL = re.compile(r"(?<=[a-z0-9])([A-Z])")
_CURRENCY_CODE = re.compile(r"^[A-Z]{3}$")


def words(key: str) -> set[str]:
    """The words of a field name: `totalGross` and `total_gross` give {"total", "gross"}."""
    return set(_CAMEL.sub(r"_\1", key).lower().split("_"))


def is_money_name(key: str) -> bool:
    found = words(key)
    return bool(found & MONEY_WORDS) and not found & NOT_MONEY_WORDS


def is_base_name(key: str) -> bool:
    return bool(words(key) & BASE_WORDS)


def exponent(currency: str | None) -> int:
    return EXPONENTS.get((currency or "").upper(), 2)


def to_minor(amount: Decimal, currency: str | None) -> tuple[int, bool]:
    """(amount in integer minor units, whether that was exact), rounding half away from zero."""
    scaled = amount.scaleb(exponent(currency))
    rounded = scaled.to_integral_value(rounding=ROUND_HALF_UP)
    return int(rounded), rounded == scaled


def _currency_of(obj: dict[str, Any]) -> str | None:
    """The object's currency: a field named with the word `currency`, else a three-letter code."""
    for key, value in obj.items():
        if isinstance(value, str) and value and "currency" in words(key):
            return value
    for value in obj.values():
        if isinstance(value, str) and _CURRENCY_CODE.match(value):
            return value
    return None


def _is_number(value: Any) -> bool:
    return isinstance(value, int | Decimal) and not isinstance(value, bool)


class MoneyColumns:
    """Normalizes the rows of one table (see the module docstring); one instance per table and run.

    `found_money` tells whether any money field was seen, so a table that should carry amounts
    but shows none can be reported with the `money_fields` setting to fill in.
    """

    def __init__(self, table: str, extra_paths: Iterable[Path], base_currency: Callable[[], str]) -> None:
        self.table = table
        self._extra = {tuple(p) for p in extra_paths}
        self._base_currency = base_currency
        self._decimal_paths: set[Path] = set()
        self._rounded_logged: set[Path] = set()
        self.found_money = False
        self.numbers_seen = False
        self.noted = False  # the run report already says no money field was recognised

    def apply(self, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """Normalize `rows` in place (nested objects and lists of objects included); returns them."""
        for row in rows:
            self._find_decimals(row, ())
        for row in rows:
            self._walk(row, (), None)
        return rows

    def _is_money(self, key: str, path: Path) -> bool:
        return path in self._extra or is_money_name(key)

    def _find_decimals(self, obj: dict[str, Any], path: Path) -> None:
        for key, value in obj.items():
            here = (*path, key)
            if isinstance(value, dict):
                self._find_decimals(value, here)
            elif isinstance(value, list):
                for element in value:
                    if isinstance(element, dict):
                        self._find_decimals(element, here)
            elif isinstance(value, Decimal):
                self._decimal_paths.add(here)

    def _walk(self, obj: dict[str, Any], path: Path, currency: str | None) -> None:
        currency = _currency_of(obj) or currency
        minors: dict[str, int] = {}
        for key, value in obj.items():
            here = (*path, key)
            if isinstance(value, dict):
                self._walk(value, here, currency)
                continue
            if isinstance(value, list):
                for element in value:
                    if isinstance(element, dict):
                        self._walk(element, here, currency)
                continue
            if isinstance(value, float):  # only if a caller decoded JSON without exact decimals
                value = obj[key] = Decimal(repr(value))
            if not _is_number(value):
                continue
            self.numbers_seen = True
            if self._is_money(key, here) and f"{key}{MINOR_SUFFIX}" not in obj:
                amount = obj[key] = Decimal(value)
                unit = self._base_currency() if is_base_name(key) or currency is None else currency
                minors[f"{key}{MINOR_SUFFIX}"], exact = to_minor(amount, unit)
                self.found_money = True
                if not exact and here not in self._rounded_logged:
                    self._rounded_logged.add(here)
                    logger.warning(
                        "%s: %s = %s has more decimals than %s minor units; %s%s is rounded "
                        "half away from zero (the DECIMAL column keeps it exactly)",
                        self.table,
                        ".".join(here),
                        amount,
                        unit,
                        key,
                        MINOR_SUFFIX,
                    )
            elif isinstance(value, int) and here in self._decimal_paths:
                obj[key] = Decimal(value)
        obj.update(minors)
