"""The reconciliation verdict: one line from `reconciliation_checks` after a build or a re-check."""

from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

CHECK_ORDER = {
    "income_statement": 0,
    "balance_sheet": 1,
    "cashflow": 2,
    "vat_base": 3,
    "vat_output": 4,
    "vat_input": 5,
    "rows_mapped": 6,
    "trial_balance": 7,
    "tax_codes": 8,
    "open_items": 9,
    "account_entries": 10,
}
KEY_LABEL = {
    "income_statement": "account",
    "balance_sheet": "account",
    "cashflow": "line",
    "trial_balance": "account",
    "tax_codes": "tax code",
    "open_items": "invoice",
    "account_entries": "account",
}
ROWS_MAPPED = "rows_mapped"

# (customer_id, period, check_name, line_key, expected_cents, actual_cents, difference_cents)
Difference = tuple[Any, ...]


@dataclass
class Reconciliation:
    """The API-against-ledger comparisons of a run, and the `rows_mapped` coverage apart."""

    passed: int = 0  # ok or within the tolerance
    failed: list[tuple[Difference, str]] = field(default_factory=list)  # (row, severity)
    skipped: Counter[str] = field(default_factory=Counter)  # check_name -> skipped comparisons
    unmapped: list[tuple[Difference, str]] = field(default_factory=list)  # failed `rows_mapped` rows

    @property
    def checks(self) -> int:
        """Comparisons made (skipped ones are not)."""
        return self.passed + len(self.failed)

    @property
    def errors(self) -> list[Difference]:
        """Failed comparisons (`rows_mapped` included) at severity `error`, in report order."""
        return _ordered(row for row, severity in self.failed + self.unmapped if severity == "error")


def read_reconciliation(client: Any) -> Reconciliation:
    table = client.make_qualified_table_name("reconciliation_checks")
    result = Reconciliation()
    sql = (
        "SELECT customer_id, period, check_name, line_key, expected_cents, actual_cents,"
        f" difference_cents, status, severity FROM {table} WHERE status <> 'ok' OR check_name <> %s"
    )
    for *row, status, severity in client.execute_sql(sql, ROWS_MAPPED) or []:
        check = row[2]
        if status in ("ok", "tolerated"):
            result.passed += 1
        elif str(status).startswith("skipped"):
            result.skipped[check] += 1
        elif check == ROWS_MAPPED:
            result.unmapped.append((tuple(row), str(severity or "error")))
        else:
            result.failed.append((tuple(row), str(severity or "error")))
    return result


def verdict(result: Reconciliation) -> str:
    """One line: `ok, N checks`, or counts of passed, failed and skipped checks with the first
    difference (at severity error, else the first warning), and empty or NULL marts."""
    parts = []
    counts = f"{result.passed} passed, {len(result.failed)} failed, {sum(result.skipped.values())} skipped"
    errors = [row for row in result.errors if row[2] != ROWS_MAPPED]
    warnings = _ordered(row for row, severity in result.failed if severity != "error")
    if not result.checks and not result.skipped:
        parts.append(
            "reconciliation: skipped (nothing to compare: needs books_rows with statement_lines or vat_rows)"
        )
    elif not result.failed and not result.skipped and not result.unmapped:
        return f"reconciliation: ok, {result.checks} checks"
    elif errors:
        parts.append(f"reconciliation: {len(errors)} differences, first: {_describe(errors[0])}; {counts}")
    else:
        parts.append(f"reconciliation: {counts}")
    if warnings:
        checks = ", ".join(sorted({row[2] for row in warnings}, key=CHECK_ORDER.get))
        parts.append(f"warnings ({checks}), first: {_describe(warnings[0])}")
    if result.skipped:
        checks = ", ".join(sorted(result.skipped, key=lambda c: CHECK_ORDER.get(c, len(CHECK_ORDER))))
        parts.append(f"skipped {checks}: an input is unresolved or ambiguous (see transform_mapping)")
    if result.unmapped:
        totals: dict[str, list[int]] = {}
        for row, _ in result.unmapped:
            acc = totals.setdefault(row[3], [0, 0])
            acc[0] += int(row[4])
            acc[1] += int(row[5])
        described = ", ".join(
            f"{table} {loaded} rows, {usable} usable" for table, (loaded, usable) in sorted(totals.items())
        )
        parts.append(
            f"marts empty or NULL although the raw tables hold rows: {described} (see transform_mapping)"
        )
    return "; ".join(parts)


def _ordered(rows: Any) -> list[Difference]:
    return sorted(rows, key=lambda r: (r[1], CHECK_ORDER.get(r[2], len(CHECK_ORDER)), r[0], str(r[3])))


def _describe(row: Difference) -> str:
    customer_id, period, check, key, expected, actual, difference = row
    label = KEY_LABEL.get(check, "vat")
    return (
        f"period {period} {label} {key} ({check}, {customer_id}): API {_euros(expected)},"
        f" ledger {_euros(actual)}, difference {_euros(difference)}"
    )


def _euros(cents: Any) -> str:
    return f"{Decimal(int(cents)).scaleb(-2):.2f}"
