"""`lac run --source ledgerlou` with bad settings fails in one line naming what to fix; a key without
a scope skips those tables and loads the rest; two tenants share a dataset without touching each other."""

from collections import Counter

import pytest
from llsupport import CLI_ARGS, coverage, end_period, ll_sync, requests_by_endpoint
from support import make_target

from lac_connector.cli import main

BANK_TABLES = {
    "ll_bank_accounts",
    "ll_bank_reconciliations",
    "ll_bank_transactions",
    "ll_bank_suggestions",
    "ll_bank_balance_history",
}


@pytest.fixture
def env(world, tmp_path, monkeypatch):
    """A complete `[sources.ledgerlou]` configuration in the environment; tests break one setting."""
    for name in list(__import__("os").environ):
        if name.startswith(("SOURCES__", "DESTINATION__")):
            monkeypatch.delenv(name)
    values = {
        "SOURCES__LEDGERLOU__API_KEY": world.api_key(world.tenant_ids[0]),
        "SOURCES__LEDGERLOU__BASE_URL": world.server.base_url,
        "SOURCES__LEDGERLOU__TENANT": "lindner",
        "SOURCES__LEDGERLOU__END_PERIOD": end_period(world),
        "SOURCES__LEDGERLOU__LANDING_URL": str(tmp_path / "landing"),
        "DESTINATION__DUCKDB__CREDENTIALS": str(tmp_path / "warehouse.duckdb"),
        "DLT_DATA_DIR": str(tmp_path / "dlt"),
    }
    for name, value in values.items():
        monkeypatch.setenv(name, value)
    return values


@pytest.mark.parametrize(
    ("setting", "value", "message"),
    [
        ("API_KEY", None, "no LedgerLou credential: set [sources.ledgerlou] api_key"),
        ("API_KEY", "ll_live_wrong", "rejected the credential (401"),
        ("TENANT", None, "[sources.ledgerlou] tenant is not set"),
        ("BASE_URL", None, "[sources.ledgerlou] base_url must be the http(s) URL"),
        ("BASE_URL", "http://127.0.0.1:9/", "could not reach the LedgerLou API"),
        ("START_PERIOD", "2026-13", "[sources.ledgerlou] start_period must be a month as YYYY-MM"),
        ("JOURNAL_PAGE_LIMIT", "many", "[sources.ledgerlou] journal_page_limit must be a value of type int"),
        ("MONEY_FIELDS", '{"ll_journal_lines": [1]}', "[sources.ledgerlou] money_fields: ll_journal_lines"),
    ],
)
def test_bad_settings_fail_in_one_line_naming_the_setting(
    env, world, monkeypatch, capsys, setting, value, message
):
    name = f"SOURCES__LEDGERLOU__{setting}"
    if value is None:
        monkeypatch.delenv(name)
    else:
        monkeypatch.setenv(name, value)
    monkeypatch.setenv("SOURCES__LEDGERLOU__MAX_ATTEMPTS", "1")
    assert main(CLI_ARGS) == 2
    err = capsys.readouterr().err.strip().splitlines()
    errors = [line for line in err if line.startswith("lac: error: ")]
    assert errors == [err[-1]] and message in err[-1], err
    assert env["SOURCES__LEDGERLOU__API_KEY"] not in "\n".join(err)
    # a setting is checked before any request; a credential or URL by the preflight's one request
    assert [r.path for r in world.requests] == (["/v1/periods"] if "401" in message else [])


@pytest.mark.world(tenants=2)
def test_a_key_without_bank_scope_skips_bank_tables_and_tenants_share_a_dataset(world, tmp_path):
    target = make_target("duckdb", tmp_path)
    first, second = world.tenant_ids
    ll_sync(world, target, tenant="lindner", pipeline_name="ll_lindner")
    summary = ll_sync(
        world,
        target,
        tenant="nordlicht",
        tenant_index=1,
        api_key=world.api_key(second, bank=False),
        pipeline_name="ll_nordlicht",
    )
    outcomes = coverage(target, summary.run_id)
    assert {t for t, o in outcomes.items() if o.startswith("skipped: 403")} == BANK_TABLES
    assert outcomes["ll_tenant"].startswith(
        "partial: "
    )  # unreconciled count and balances need the bank scope
    assert {o for t, o in outcomes.items() if t not in BANK_TABLES | {"ll_tenant"}} == {"ok"}
    # each tenant's books, complete and apart
    for label, tenant_id in (("lindner", first), ("nordlicht", second)):
        lines = sum(len(i["lines"]) for i in world.truth.intents(tenant_id))
        assert target.query(f"select count(*) from {{ds}}.ll_journal_lines where tenant_id = '{label}'") == [
            (lines,)
        ]
        documents = {
            d
            for (d,) in target.query(
                f"select document_id from {{ds}}.ll_documents where tenant_id = '{label}'"
            )
        }
        assert documents == set(world.truth.document_ids(tenant_id))
    banks = dict(target.query("select tenant_id, count(*) from {ds}.ll_bank_transactions group by 1"))
    assert banks == {"lindner": len(world.truth.bank_transactions(first))}
    # the second tenant's run left the first tenant's registers alone
    assert target.query("select count(*) from {ds}.ll_accounts where tenant_id = 'lindner'") == [
        (len(world.truth.accounts()),)
    ]


def test_windows_are_split_and_a_day_beyond_the_limit_ends_partial_until_the_limit_is_raised(world, tmp_path):
    tid = world.tenant_ids[0]
    per_day = Counter()
    for intent in world.truth.intents(tid):
        per_day[intent["booking_date"]] += len(intent["lines"])
    busiest, most = per_day.most_common(1)[0]
    target = make_target("duckdb", tmp_path)
    first = ll_sync(world, target, journal_page_limit=most - 2)
    outcome = coverage(target, first.run_id)["ll_journal_lines"]
    assert outcome.startswith("partial: ") and busiest in outcome and "journal_page_limit" in outcome
    months = len(world.truth.periods(tid))
    assert requests_by_endpoint(world)["/v1/journal"] > 2 * months  # months were split into windows
    second = ll_sync(world, target, journal_page_limit=most + 1)
    assert coverage(target, second.run_id)["ll_journal_lines"] == "ok"
    lines = sum(len(i["lines"]) for i in world.truth.intents(tid))
    assert target.query("select count(*) from {ds}.ll_journal_lines") == [(lines,)]
    assert target.query(f"select count(*) from {{ds}}.ll_journal_lines where booking_date = '{busiest}'") == [
        (most,)
    ]
