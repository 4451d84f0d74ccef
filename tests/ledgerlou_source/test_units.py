"""Unit tests with httpx's MockTransport: paging styles, window splitting, exact decimals, money,
keys; and the small pure helpers."""

import json
from datetime import date, timedelta
from decimal import Decimal

import httpx
import pytest

from lac_connector.kit.details import Details
from lac_connector.kit.errors import ConfigError
from lac_connector.kit.http import ApiClient, ApiHints
from lac_connector.kit.keys import KeyResolver
from lac_connector.kit.report import RunReport
from ledgerlou_source.documents import header_filename
from ledgerlou_source.fields import FieldSettings
from ledgerlou_source.keys import CUSTOMERS, REVIEW_CASES, SECTION
from ledgerlou_source.money import MoneyColumns, to_minor
from ledgerlou_source.paging import read_counted, read_until_short, read_windows
from ledgerlou_source.planner import Window

HINTS = ApiHints(api_name="LedgerLou", credential="api_key", base_url="base_url")


def client(handler, **kwargs) -> tuple[ApiClient, list[httpx.Request]]:
    seen: list[httpx.Request] = []

    def record(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return handler(request)

    return ApiClient("http://ll.test", "key", HINTS, transport=httpx.MockTransport(record), **kwargs), seen


def json_response(payload) -> httpx.Response:
    return httpx.Response(
        200, content=json.dumps(payload).encode(), headers={"Content-Type": "application/json"}
    )


def raw_json(text: str) -> httpx.Response:
    return httpx.Response(200, content=text.encode(), headers={"Content-Type": "application/json"})


# -- exact decimals ---------------------------------------------------------------------------------


def test_json_numbers_decode_as_exact_decimals_when_asked():
    body = '{"amount": 0.07, "gross": 1234.5, "count": 119, "huge": 123456789012345678901234, "e": 1e-2}'
    exact, _ = client(lambda r: raw_json(body), exact_decimals=True)
    got = exact.get_json("/v1/x")
    assert got == {
        "amount": Decimal("0.07"),
        "gross": Decimal("1234.5"),
        "count": 119,
        "huge": Decimal("123456789012345678901234"),
        "e": Decimal("0.01"),
    }
    assert isinstance(got["amount"], Decimal) and str(got["amount"]) == "0.07"
    assert type(got["count"]) is int
    default, _ = client(lambda r: raw_json(body))
    assert default.get_json("/v1/x")["amount"] == 0.07  # a float by default (other sources)


# -- money ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("amount", "currency", "minor", "exact"),
    [
        ("12.34", "EUR", 1234, True),
        ("-15", "EUR", -1500, True),
        ("1234", "JPY", 1234, True),
        ("1.234", "KWD", 1234, True),
        ("0.125", "EUR", 13, False),
        ("-0.125", "EUR", -13, False),
        ("0.07", "XYZ", 7, True),  # unknown codes have two decimals
    ],
)
def test_minor_units_use_the_currency_exponent_and_round_half_away_from_zero(amount, currency, minor, exact):
    assert to_minor(Decimal(amount), currency) == (minor, exact)


def test_money_fields_become_decimals_with_minor_units_in_their_currency():
    rows = [
        {
            "debit": 119,
            "credit": 0,
            "currency": "JPY",
            "amount": 13000,
            "fx_rate": Decimal("160.12"),
            "line_no": 1,
            "posting": {"base_amount": Decimal("81.19")},
            "payments": [{"paid": {"amount": Decimal("5.5"), "currency": "USD"}}],
            "zebra": 7,
        },
        {
            "debit": Decimal("0.5"),
            "credit": 1,
            "currency": "EUR",
            "line_no": 2,
            "fx_rate": 1,
            "zebra": Decimal("1.5"),
        },
    ]
    columns = MoneyColumns("t", [("zebra",)], lambda: "EUR")
    columns.apply(rows)
    first, second = rows
    assert first["debit"] == Decimal(119) and isinstance(first["debit"], Decimal)
    assert first["debit_minor"] == 11900  # debit and credit are in the base currency (EUR)
    assert first["amount_minor"] == 13000  # the line's own currency: JPY has no minor unit
    assert first["posting"]["base_amount_minor"] == 8119
    assert first["payments"][0]["paid"]["amount_minor"] == 550
    assert (first["zebra_minor"], second["zebra_minor"]) == (7, 150)  # listed in money_fields; JPY, EUR
    assert "fx_rate_minor" not in first and "line_no_minor" not in first
    # a non-money field that carries fractions elsewhere is a decimal in every row
    assert isinstance(second["fx_rate"], Decimal) and type(first["line_no"]) is int
    assert second["debit_minor"] == 50 and columns.found_money


def test_a_table_without_recognised_money_says_so():
    columns = MoneyColumns("t", [], lambda: "EUR")
    columns.apply([{"emerald": Decimal("1.5"), "finch": 3}])
    assert columns.numbers_seen and not columns.found_money


# -- paging -----------------------------------------------------------------------------------------


def test_bare_arrays_are_paged_until_a_short_page():
    entries = [{"n": i} for i in range(400)]

    def handler(request):
        offset, limit = int(request.url.params["offset"]), int(request.url.params["limit"])
        return json_response(entries[offset : offset + limit])

    api, seen = client(handler)
    assert read_until_short(api, "/v1/customers", 200, {"is_active": "true"}) == entries
    assert [r.url.params["offset"] for r in seen] == ["0", "200", "400"]  # 400 = 2 full pages: one more
    assert all(r.url.params["is_active"] == "true" for r in seen)


def test_counted_lists_drop_repeats_and_read_again_when_the_total_does_not_add_up():
    state = {"calls": 0, "entries": [{"id": i} for i in range(5)]}

    def handler(request):
        state["calls"] += 1
        if state["calls"] == 2:  # a new transaction arrives at the top while page 2 is read
            state["entries"].insert(0, {"id": "new"})
        offset, limit = int(request.url.params["offset"]), int(request.url.params["limit"])
        page = state["entries"][offset : offset + limit]
        return json_response({"transactions": page, "total": len(state["entries"])})

    api, seen = client(handler)
    counted = read_counted(api, "/v1/bank-transactions", "transactions", 2)
    assert counted.complete and counted.total == 6
    assert sorted(e["id"] for e in counted.entries if e["id"] != "new") == [0, 1, 2, 3, 4]
    assert {"id": "new"} in counted.entries
    assert len(seen) > 3  # the first pass did not add up (id 1 seen twice, 5 distinct of 6): read again


def _journal(lines_per_day: dict[date, int]):
    lines = [
        {"booking_date": day.isoformat(), "n": n}
        for day in sorted(lines_per_day)
        for n in range(lines_per_day[day])
    ]

    def handler(request):
        start = date.fromisoformat(request.url.params["startDate"])
        end = date.fromisoformat(request.url.params["endDate"])
        limit = int(request.url.params["limit"])
        hits = [ln for ln in lines if start <= date.fromisoformat(ln["booking_date"]) <= end]
        return json_response({"entries": hits[:limit]})

    return lines, handler


def test_a_full_date_window_is_split_until_every_window_fits():
    first = date(2026, 10, 1)
    lines, handler = _journal({first + timedelta(days=d): 30 for d in range(31)})  # 930 lines
    api, seen = client(handler)
    result = read_windows(api, "/v1/journal", first, date(2026, 10, 31), 400)
    assert result.lines == lines and result.complete
    windows = [(r.url.params["startDate"], r.url.params["endDate"]) for r in seen]
    assert windows[0] == ("2026-10-01", "2026-10-31")
    assert all(int(r.url.params["limit"]) == 400 for r in seen)
    assert len(windows) == result.requests == 7  # 31 days -> halves -> quarters (each < 400 lines)


def test_a_single_day_that_fills_the_limit_is_reported_not_silently_cut():
    day = date(2026, 10, 15)
    lines, handler = _journal({day: 50, day + timedelta(days=1): 3})
    api, _ = client(handler)
    result = read_windows(api, "/v1/journal", day, day + timedelta(days=1), 50)
    assert result.truncated_days == [day] and not result.complete
    assert result.lines == lines  # the 50 that came, then the next day


def test_a_refused_limit_names_the_setting():
    api, _ = client(
        lambda r: httpx.Response(400, json={"error": "validation_error", "detail": "limit: too big"})
    )
    with pytest.raises(ConfigError, match="journal_page_limit"):
        read_windows(api, "/v1/journal", date(2026, 1, 1), date(2026, 1, 31), 5000)


# -- keys -------------------------------------------------------------------------------------------

PARTIES = [
    {
        "olive": f"c0ffee00-0000-4000-8000-00000000000{i}",
        "name": f"P{i}",
        "tax_id": f"T{i}",
        "email": f"p{i}@x.de",
    }
    for i in range(3)
]


def _resolver() -> tuple[KeyResolver, RunReport]:
    report = RunReport()
    return KeyResolver(report, {}, SECTION), report


def test_a_customer_key_is_never_a_field_the_reference_names_for_something_else():
    resolver, report = _resolver()
    keyed = resolver.resolve(CUSTOMERS.rule, PARTIES, resource="ll_customers", scope="t", state={})
    assert keyed.field is None and keyed.unresolved == 3  # not tax_id, not vat_id: hashed
    assert all(k.startswith("sha256:") for k in keyed.keys)
    assert "customer_id_field" in report.notes["ll_customers"]
    named = [{**p, "customer_ref": p["olive"]} for p in PARTIES]
    assert resolver.resolve(CUSTOMERS.rule, named, resource="ll_customers", scope="t", state={}).field == (
        "customer_ref"
    )


def test_candidates_are_told_apart_by_the_detail_endpoint_and_its_answer_is_reused():
    entries = [{"own_ref": f"r{i}", "inbox_ref": f"i{i}", "queue_state": "pending"} for i in range(3)]

    def handler(request):
        key = request.url.path.rsplit("/", 1)[-1]
        if key.startswith("r"):
            return json_response({"own_ref": key, "queue_state": "pending"})
        return httpx.Response(404, json={"error": "not_found"})

    api, seen = client(handler)
    details = Details(lambda key: api.get_json(REVIEW_CASES.detail, path_params={"id": key}))
    resolver, _ = _resolver()
    keyed = resolver.resolve(
        REVIEW_CASES.rule,
        entries,
        resource="ll_invoice_review_cases",
        scope="t",
        state={},
        probe=details.probe,
    )
    assert keyed.field == "own_ref"
    asked = [r.url.path for r in seen]
    assert details.get("r0") == {"own_ref": "r0", "queue_state": "pending"}
    assert [r.url.path for r in seen] == asked  # the probe's answer, not a second request
    assert details.get("r1")["own_ref"] == "r1" and len(seen) == len(asked) + 1


# -- small helpers ----------------------------------------------------------------------------------


def test_field_settings_are_checked():
    settings = FieldSettings({"customer_id_field": "olive"}, {"intent": "a.b"}, {"t": ["x.y"]})
    assert settings.key_fields == {"customer_id_field": "olive"}
    assert settings.line_field("intent") == ("a", "b") and settings.line_field("account") is None
    assert settings.money_paths("t") == [("x", "y")]
    assert settings.fingerprint != FieldSettings().fingerprint
    with pytest.raises(ConfigError, match="line_intent_field"):
        FieldSettings(None, {"intent": 7})
    with pytest.raises(ConfigError, match="money_fields"):
        FieldSettings(None, None, {"t": [1]})


def test_document_file_names_prefer_the_rfc_5987_form():
    headers = {
        "Content-Disposition": "attachment; filename=\"Beleg_M?rz.pdf\"; filename*=UTF-8''Beleg_M%C3%A4rz.pdf"
    }
    assert header_filename(headers) == "Beleg_März.pdf"
    assert header_filename({"Content-Disposition": 'inline; filename="a.png"'}) == "a.png"
    assert header_filename({}) is None


def test_the_window_defaults_to_the_listed_periods_and_the_lookback_counts_back_from_the_end():
    window = Window(lookback_months=3)
    listed = {"2026-07": {}, "2026-08": {}}
    assert (
        window.months(
            listed,
        )[0]
        == "2026-07"
    )
    bounded = Window(start_period="2026-01", end_period="2026-04", lookback_months=2)
    assert bounded.months({}) == ["2026-01", "2026-02", "2026-03", "2026-04"]
    assert [p for p in bounded.months({}) if bounded.in_lookback(p, "2026-04")] == ["2026-03", "2026-04"]
    with pytest.raises(ConfigError, match="after end_period"):
        Window(start_period="2026-05", end_period="2026-04").months({})
