"""The benchmark's pure parts: LedgerLou's minimal request list and the transforms row of the table."""

from benchmarks.minimal import ledgerlou_minimal_requests
from benchmarks.report import Measurement, find, table


def journal(start: str, end: str) -> list:
    return ["GET", "/v1/journal", {"startDate": start, "endDate": end, "limit": "1000"}]


def test_ledgerlou_minimal_drops_split_windows_and_repeats() -> None:
    log = [
        journal("2026-01-01", "2026-01-31"),  # came back full: ours split it
        journal("2026-01-01", "2026-01-15"),
        journal("2026-01-16", "2026-01-31"),
        journal("2026-02-01", "2026-02-28"),
        ["GET", "/v1/accounts/1200/entries", {"endDate": "2026-02-28", "limit": "1"}],
        ["GET", "/v1/accounts/1200/entries", {"endDate": "2026-02-28", "limit": "1"}],
        ["GET", "/v1/journal/0190c1", {}],
    ]
    kept = ledgerlou_minimal_requests(log)
    assert [(p, q.get("startDate")) for p, q in kept] == [
        ("/v1/journal", "2026-01-01"),
        ("/v1/journal", "2026-01-16"),
        ("/v1/journal", "2026-02-01"),
        ("/v1/accounts/1200/entries", None),
        ("/v1/journal/0190c1", None),
    ]
    assert kept[0][1]["endDate"] == "2026-01-15"


def test_transforms_row_is_apart_from_the_sync_and_its_ratios() -> None:
    sync = Measurement("L1", "ours", "duckdb", seconds=10.0, requests=300, rows=1000, peak_rss_mb=300)
    dbt = Measurement(
        "L1", "ours", "duckdb", seconds=20.0, requests=0, rows=50, peak_rss_mb=200, step="transforms"
    )
    lower = Measurement("L1", "lower", "-", seconds=4.0, requests=300, rows=900, peak_rss_mb=40)
    results = [sync, dbt, lower]
    assert find(results, "L1", "ours") is sync
    assert find(results, "L1", "ours", step="transforms") is dbt
    lines = table(results).splitlines()
    assert lines[2].startswith("| L1 | flat | ours | duckdb | 10.0 |") and "| 2.50 |" in lines[2]
    assert lines[3].startswith("| L1 | flat | ours: transforms | duckdb | 20.0 |")
    assert lines[3].endswith("|  |  |  |  |")
