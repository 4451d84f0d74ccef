"""The `account_entries` check: a LedgerLou company synced with `entry_accounts` (a bank account and
a revenue account) from a `start_period` after its journal's first month, so the ledger's side
needs the accounts' openings. The running balance after each month's last entry (the API's side)
equals the sandbox's truth and the opening plus the journal's cumulative movement (the ledger's
side) for every account and month with entries; a changed journal line fails the check for its
account from its month on. One sync and one dbt build, DuckDB, the sandbox's `random` shape (the
running balance is not named `running_balance` there)."""

import sys
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from support import Target, drop_target, journal_debit_shifted, make_target

from lac_connector.transform import ReconciliationError, run_transforms

sys.path.insert(0, str(Path(__file__).parents[1] / "ledgerlou_source"))
from llsupport import ll_sync  # noqa: E402

AS_OF = date(2026, 11, 21)  # the sandbox's today
LL_WORLD = {"months": 4, "bookings_per_month": 5, "invoices_per_month": 4, "customers": 4, "vendors": 6,
            "tenants": 1, "shape": "random", "shape_seed": 5}  # fmt: skip
SKIPPED_MONTHS = 1  # the journal's months before start_period (the opening-balance posting's)
CHECK = "account_entries"


@dataclass
class Loaded:
    target: Target
    ll: Any  # LedgerLou sandbox
    result: Any  # the transform result
    pipeline: Any  # the LedgerLou pipeline (it ran the transforms)
    accounts: dict[str, str]  # role -> account number, the `entry_accounts`
    periods: list[str]  # the loaded months with bookings

    @property
    def tid(self) -> str:
        return self.ll.tenant_ids[0]

    def rows(self, sql: str) -> list[tuple]:
        return self.target.query(sql)

    def truth_balances(self) -> dict[tuple[str, str], int]:
        """(account, month) -> debit - credit since the first booking, for the accounts' loaded months."""
        return {
            (a, p): v["balance"]
            for (a, p), v in self.ll.truth.account_months(self.tid).items()
            if a in self.accounts.values() and p in self.periods
        }

    def compared(self) -> dict[tuple[str, str], tuple[int, int, str]]:
        """(account, month) -> (API's side, ledger's side, status) of the check's rows."""
        return {
            (a, p): (expected, actual, status)
            for a, p, expected, actual, status in self.rows(
                "select line_key, period, expected_cents, actual_cents, status"
                f" from {{ds}}.reconciliation_checks where check_name = '{CHECK}' and customer_id = 'lindner'"
            )
        }


def _busiest(truth: Any, tid: str, accounts: set[str]) -> str:
    """The account of `accounts` with bookings in the most months."""
    months = [a for a, _ in truth.account_months(tid) if a in accounts]
    return max(sorted(set(months)), key=months.count)


@pytest.fixture(scope="module")
def loaded(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Loaded]:
    from ledgerlou_sandbox import Sandbox, SandboxConfig

    target = make_target("duckdb", tmp_path_factory.mktemp("ll_entries"))
    ll = Sandbox(SandboxConfig(**LL_WORLD))
    truth, tid = ll.truth, ll.tenant_ids[0]
    revenue = {a["number"] for a in truth.accounts() if a["type"] == "revenue"}
    accounts = {
        "bank": _busiest(truth, tid, truth.cash_accounts(tid)),
        "revenue": _busiest(truth, tid, revenue),
    }
    periods = truth.periods_with_bookings(tid)
    try:
        with ll.serve():
            summary = ll_sync(
                ll,
                target,
                land_documents=False,
                land_datev_exports=False,
                start_period=periods[SKIPPED_MONTHS],
                entry_accounts=list(accounts.values()),
            )
        result = run_transforms(summary.pipeline, as_of_date=AS_OF)
        yield Loaded(target, ll, result, summary.pipeline, accounts, periods[SKIPPED_MONTHS:])
    finally:
        drop_target(target)


def test_the_running_balances_equal_truth_and_reconcile_with_the_journal(loaded: Loaded) -> None:
    assert loaded.result.verdict.startswith("reconciliation: ok"), loaded.result.verdict
    assert loaded.rows("select count(*) from {ds}.reconciliation_checks where status <> 'ok'") == [(0,)]
    # the running balance was found by its words (the random shape names it otherwise)
    mapping = loaded.rows(
        "select column_name, method from {ds}.transform_mapping"
        " where view_name = 'll_account_entries' and field = 'running_balance'"
    )
    assert mapping == [("balance_snalri_minor", "convention")]
    # every line of the two accounts in the loaded months was loaded as an entry
    lines = sum(
        1
        for it in loaded.ll.truth.intents(loaded.tid)
        if it["booking_date"][:7] in loaded.periods
        for ln in it["lines"]
        if ln["account"] in loaded.accounts.values()
    )
    assert loaded.rows("select count(*) from {ds}.ll_account_entries") == [(lines,)]
    # every account and month with entries compared (none skipped), the API's side the truth's
    # balance, the ledger's side (opening + the journal's movement) equal to it
    truth = loaded.truth_balances()
    assert {a for a, _ in truth} == set(loaded.accounts.values())
    assert len({p for _, p in truth}) == len(loaded.periods) >= 3
    assert loaded.compared() == {k: (v, v, "ok") for k, v in truth.items()}
    # the skipped month left the bank account an opening: without it the ledger's side would differ
    skipped = {
        a: v["balance"]
        for (a, p), v in loaded.ll.truth.account_months(loaded.tid).items()
        if a in loaded.accounts.values() and p < loaded.periods[0] and v["balance"]
    }
    openings = loaded.rows(
        "select account_code, opening_cents from {ds}.int_ledger_account_anchors"
        f" where account_code in ('{loaded.accounts['bank']}', '{loaded.accounts['revenue']}')"
    )
    assert dict(openings) == skipped and skipped.get(loaded.accounts["bank"])


def test_a_changed_journal_line_fails_the_check_for_its_account_from_its_month_on(loaded: Loaded) -> None:
    """Last in the module: it restores the line. Only the data changes, so no dbt build either time."""
    account_column = loaded.rows(
        "select column_name from {ds}.transform_mapping"
        " where view_name = 'll_journal_lines' and field = 'account_code'"
    )[0][0]
    account = loaded.accounts["bank"]
    truth = loaded.ll.truth.account_months(loaded.tid)
    # a month after the first loaded one (a line of that one would hide in the opening)
    period = next(p for p in loaded.periods[1:-1] if truth.get((account, p), {}).get("debit"))
    with journal_debit_shifted(loaded.pipeline, period, 100, f"{account_column} = '{account}'"):
        with pytest.raises(ReconciliationError, match=r"reconciliation: \d+ differences, first: period "):
            run_transforms(loaded.pipeline, as_of_date=AS_OF)
        failed = loaded.rows(
            "select line_key, period, difference_cents from {ds}.reconciliation_checks"
            f" where check_name = '{CHECK}' and status = 'failed'"
        )
        expected = [(account, p, 100) for a, p in loaded.truth_balances() if a == account and p >= period]
        assert sorted(failed) == sorted(expected) and len(expected) >= 2
    result = run_transforms(loaded.pipeline, as_of_date=AS_OF)
    assert not result.rebuilt and result.verdict.startswith("reconciliation: ok")
    assert set(loaded.compared().values()) == {(v, v, "ok") for v in loaded.truth_balances().values()}
