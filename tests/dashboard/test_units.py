"""Small pure parts of the dashboard: euro formatting, the source-system fallback, secrets, the launcher."""

from __future__ import annotations

import subprocess
from decimal import Decimal
from pathlib import Path

import pandas as pd
import pytest

from lac_connector.dashboard import launcher
from lac_connector.dashboard.config import ENV_CREDENTIALS, ENV_DATASET, ENV_DESTINATION
from lac_connector.dashboard.health import complete_as_of, not_ok
from lac_connector.dashboard.money import euro_columns, euros, total
from lac_connector.dashboard.warehouse import redact, safe_location

DSN = "postgresql://reader:s3cret-pw@db.example:6543/analytics"


def test_euros_formats_exact_decimals() -> None:
    assert euros(Decimal("12345.67")) == "€ 12,345.67"
    assert euros(Decimal("-0.05")) == "€ -0.05"
    assert euros(Decimal("10000000000.01")) == "€ 10,000,000,000.01"  # beyond float's exact cents
    assert euros(Decimal("0.1") + Decimal("0.2")) == "€ 0.30"
    assert euros(0) == "€ 0.00"
    assert euros(None) == "–"


def test_euros_refuses_floats() -> None:
    with pytest.raises(TypeError, match="float"):
        euros(0.1)  # type: ignore[arg-type]


def test_total_and_columns_stay_decimal() -> None:
    amounts = [Decimal("0.10")] * 3 + [None]
    assert total(amounts) == Decimal("0.30")
    frame = pd.DataFrame({"what": ["a", "b"], "amount": [Decimal("1.10"), None]})
    assert euro_columns(frame, ["amount"])["amount"].tolist() == ["€ 1.10", "–"]
    assert frame["amount"].tolist() == [Decimal("1.10"), None]  # the input is untouched


def test_postgres_location_and_errors_never_show_the_password() -> None:
    assert safe_location(DSN) == "db.example:6543/analytics"
    assert safe_location("host=db port=5433 dbname=books user=u password=pw") == "db:5433/books"
    assert redact("FATAL: login s3cret-pw refused", DSN) == "FATAL: login *** refused"
    assert redact("bad password pw9", "host=db password='pw9'") == "bad password ***"


def test_reconciliation_rows_not_ok() -> None:
    checks = pd.DataFrame(
        {
            "check_name": ["a", "b", "c"],
            "difference_cents": [1, 500, 2],
            "within_tolerance": [True, False, None],
        }
    )
    assert not_ok(checks)["check_name"].tolist() == ["b", "c"]
    by_status = pd.DataFrame({"check_name": ["a", "b"], "status": ["ok", "difference"]})
    assert not_ok(by_status)["check_name"].tolist() == ["b"]
    unknown = pd.DataFrame({"check_name": ["a"]})
    assert len(not_ok(unknown)) == 1  # rows of an unknown shape are differences: shown


def test_complete_as_of_ignores_skipped_tables() -> None:
    t1, t2 = pd.Timestamp("2026-11-01 10:00", tz="UTC"), pd.Timestamp("2026-11-02 10:00", tz="UTC")
    coverage = pd.DataFrame(
        {
            "resource": ["books_rows", "invoices", "payroll"],
            "latest_outcome": ["ok", "partial: invoice vanished", "skipped: API key"],
            "complete_as_of": [t2, t1, None],
        }
    )
    assert complete_as_of(coverage) == "2026-11-01 10:00"
    never = coverage.assign(complete_as_of=[t2, None, None])
    assert complete_as_of(never) == "never"


def test_launch_passes_credentials_in_the_environment_only(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[tuple[list[str], dict[str, str]]] = []

    class FakeServer:
        def __init__(self, command: list[str], env: dict[str, str]) -> None:
            calls.append((command, env))

        def wait(self) -> int:
            return 0

    monkeypatch.setattr(subprocess, "Popen", FakeServer)
    assert launcher.launch("postgres", DSN, "lac_dataset", 8600) == 0
    [(command, env)] = calls
    assert "s3cret-pw" not in " ".join(command)
    assert command[1:5] == ["-m", "streamlit", "run", str(launcher.APP_PATH)]
    assert "--server.port=8600" in command and "--server.address=127.0.0.1" in command
    assert "--browser.gatherUsageStats=false" in command
    assert (env[ENV_DESTINATION], env[ENV_CREDENTIALS], env[ENV_DATASET]) == ("postgres", DSN, "lac_dataset")


@pytest.mark.parametrize(
    ("destination", "credentials", "message"),
    [
        ("duckdb", "missing.duckdb", "DuckDB file missing.duckdb does not exist: run `lac run`"),
        ("bigquery", "x", "the dashboard reads duckdb or postgres warehouses, not 'bigquery'"),
        ("postgres", "", "no PostgreSQL credentials: set DESTINATION__POSTGRES__CREDENTIALS"),
    ],
)
def test_launch_refuses_bad_configuration_in_one_line(
    destination: str, credentials: str, message: str, capsys: pytest.CaptureFixture[str], monkeypatch
) -> None:
    monkeypatch.setattr(subprocess, "Popen", lambda *a, **k: pytest.fail("streamlit must not start"))
    assert launcher.launch(destination, credentials, "lac", None) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"lac: error: {message}") and err.count("\n") == 1
