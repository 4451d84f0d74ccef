"""Which companies the orchestration syncs: names and credentials from dlt's providers (env here)."""

import pytest

from lac_connector.kit.errors import ConfigError
from lac_connector.orchestration.companies import company_names, orchestration_config, source_settings


@pytest.fixture(autouse=True)
def clean_env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCES__LAC__BASE_URL", "http://127.0.0.1:9/portal")
    monkeypatch.setenv("SOURCES__LAC__CUSTOMER_IDS", '["shared"]')  # never a company's


def test_names_from_a_json_list_or_object(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ORCHESTRATION__COMPANIES", '["globex", "acme"]')
    assert company_names() == ["acme", "globex"]
    monkeypatch.setenv("ORCHESTRATION__COMPANIES", '{"initech": {}, "acme": {}}')
    assert company_names() == ["acme", "initech"]


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("[]", "no companies to orchestrate"),
        ("acme, globex", "must be a JSON list of company names"),
        ('["acme", "Big-Co"]', "company name(s) 'Big-Co' in [orchestration.companies]"),
    ],
)
def test_bad_company_lists_name_what_to_fix(
    monkeypatch: pytest.MonkeyPatch, value: str, message: str
) -> None:
    monkeypatch.setenv("ORCHESTRATION__COMPANIES", value)
    with pytest.raises(ConfigError) as error:
        company_names()
    assert message in str(error.value)


def test_each_company_gets_its_own_credential_over_the_shared_source_settings(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("SOURCES__LAC__API_KEY", "lac_sk_shared")
    monkeypatch.setenv("ORCHESTRATION__COMPANIES__ACME__API_KEY", "lac_sk_acme")
    monkeypatch.setenv("ORCHESTRATION__COMPANIES__GLOBEX__ACCESS_TOKEN", "tok_globex")
    monkeypatch.setenv("ORCHESTRATION__COMPANIES__GLOBEX__CUSTOMER_IDS", '["C-2"]')
    acme, globex = source_settings("acme"), source_settings("globex")
    assert (acme["api_key"], acme["access_token"], acme["customer_ids"]) == ("lac_sk_acme", None, None)
    assert (globex["api_key"], globex["access_token"], globex["customer_ids"]) == (
        None,
        "tok_globex",
        ["C-2"],
    )
    assert acme["base_url"] == globex["base_url"] == "http://127.0.0.1:9/portal"


def test_a_company_needs_exactly_one_credential(monkeypatch: pytest.MonkeyPatch) -> None:
    with pytest.raises(ConfigError, match="ORCHESTRATION__COMPANIES__ACME__API_KEY"):
        source_settings("acme")
    monkeypatch.setenv("ORCHESTRATION__COMPANIES__ACME__API_KEY", "lac_sk_secret_acme")
    monkeypatch.setenv("ORCHESTRATION__COMPANIES__ACME__ACCESS_TOKEN", "tok_secret_acme")
    with pytest.raises(ConfigError, match=r"both api_key and access_token") as error:
        source_settings("acme")
    assert "secret" not in str(error.value)


def test_schedule_and_retry_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    config = orchestration_config()
    assert (config.cron_schedule, config.timezone, config.max_retries, config.retry_delay_seconds) == (
        "0 5 * * *",
        "Europe/Helsinki",
        2,
        300,
    )
    monkeypatch.setenv("ORCHESTRATION__CRON_SCHEDULE", "30 2 * * 1-5")
    monkeypatch.setenv("ORCHESTRATION__MAX_RETRIES", "4")
    config = orchestration_config()
    assert (config.cron_schedule, config.max_retries) == ("30 2 * * 1-5", 4)
