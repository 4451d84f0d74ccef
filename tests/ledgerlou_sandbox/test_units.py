"""Money formatting, id encoding, the reference parser and the DATEV pairing."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest

from ledgerlou_sandbox import ids, money
from ledgerlou_sandbox.datev import pairs
from ledgerlou_sandbox.entries import Intent, credit, debit


@pytest.mark.parametrize(
    "cents,text",
    [
        (11900, "119"),
        (123450, "1234.5"),
        (7, "0.07"),
        (-500, "-5"),
        (0, "0"),
        (100000000, "1000000"),
        (-1, "-0.01"),
    ],
)
def test_amounts_are_shortest_exact_json_numbers(cents, text):
    raw = money.dumps({"a": money.amount(cents), "r": money.rate(10842), "s": "x\u0000y"})
    assert raw == ('{"a":' + text + ',"r":1.0842,"s":"x\\u0000y"}').encode()
    assert money.cents(json.loads(raw, parse_float=Decimal)["a"]) == cents


def test_rounding_is_commercial():
    assert [money.div_round(n, 2) for n in (1, 3, -1, -3, 4)] == [1, 2, -1, -2, 2]
    assert money.percent_of(1005, 19) == 191  # 190.95 -> 191
    assert money.to_base(10000, 10842) == 9223  # 100 USD at 1.0842 -> 92.23 EUR
    with pytest.raises(ValueError):
        money.cents("1.005")


def test_ids_round_trip_and_reject_foreign_values():
    i = ids.encode(7, ids.KIND_INTENT, 1, ids.LAYER_BULK, 24310, 1999, 1_780_000_000_000)
    assert ids.decode(7, i) == (ids.KIND_INTENT, 1, ids.LAYER_BULK, 24310, 1999)
    assert ids.decode(8, i) is None  # another seed's id
    assert ids.decode(7, i.upper()) is None and ids.decode(7, "nope") is None
    assert ids.decode(7, ids.uuid4("x")) is None
    assert i[14] == "7"  # looks like a UUIDv7


def test_datev_pairs_cover_each_intent():
    it = Intent(
        "i", "2026-01-02", "", "x", [debit("1400", 11900), credit("8400", 10000), credit("1776", 1900)], 0, 0
    )
    assert pairs(it) == [("1400", "8400", 10000), ("1400", "1776", 1900)]
