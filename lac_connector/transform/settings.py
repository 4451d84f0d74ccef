"""The `[transforms]` settings, resolved by dlt (`.dlt/config.toml` or `TRANSFORMS__*` variables).

```toml
[transforms]
reconcile_tolerance_cents = 0      # largest difference per check that still passes
as_of_date = "2026-11-01"          # receivables aging date (default: today)

[transforms.severity]              # per reconciliation check: "error" (exit 3) or "warn"
balance_sheet = "error"

[transforms.mapping.books_rows]    # per loaded table: field = "loaded column"
net_cents = "amounts__net_cents"
```
"""

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from dlt.common.configuration import configspec, resolve_configuration
from dlt.common.configuration.specs import BaseConfiguration

from lac_connector.kit.errors import ConfigError

# Checks that follow from the definitions fail the run by default; those resting on our modelling
# assumptions (a balance sheet and cash flow built from single-sided books rows) warn.
DEFAULT_SEVERITY = {
    "income_statement": "error",
    "balance_sheet": "warn",
    "cashflow": "warn",
    "vat_base": "error",
    "vat_output": "error",
    "vat_input": "error",
    "rows_mapped": "error",
    # double-entry ledgers (LedgerLou): exact by definition
    "trial_balance": "error",
    "tax_codes": "error",
    "open_items": "error",
    "account_entries": "error",
}
SEVERITIES = ("error", "warn")


@configspec
class TransformConfig(BaseConfiguration):
    reconcile_tolerance_cents: int | None = None
    as_of_date: str | None = None
    severity: dict[str, str] | None = None
    mapping: dict[str, dict[str, str]] | None = None


@dataclass(frozen=True)
class TransformSettings:
    tolerance_cents: int = 0
    as_of_date: date | None = None  # None: today
    severity: Mapping[str, str] = field(default_factory=lambda: dict(DEFAULT_SEVERITY))
    mapping: Mapping[str, Mapping[str, str]] = field(default_factory=dict)


def resolve_transform_settings(
    *, tolerance_cents: int | None = None, as_of_date: date | None = None
) -> TransformSettings:
    """The configured settings; explicit arguments (command-line flags) win."""
    try:
        config = resolve_configuration(TransformConfig(), sections=("transforms",))
    except Exception as exc:  # dlt's type coercion errors name the value, not always the setting
        raise ConfigError(f"invalid [transforms] setting: {exc}") from None
    if tolerance_cents is None:
        tolerance_cents = config.reconcile_tolerance_cents or 0
    if tolerance_cents < 0:
        raise ConfigError(f"[transforms] reconcile_tolerance_cents must be >= 0, got {tolerance_cents}")
    return TransformSettings(
        tolerance_cents=tolerance_cents,
        as_of_date=as_of_date or _date(config.as_of_date),
        severity=_severity(config.severity or {}),
        mapping=_mapping(config.mapping or {}),
    )


def _date(value: Any) -> date | None:
    if value is None or isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        raise ConfigError(f"[transforms] as_of_date must be a date YYYY-MM-DD, got {value!r}") from None


def _severity(configured: Mapping[str, Any]) -> dict[str, str]:
    unknown = sorted(set(configured) - set(DEFAULT_SEVERITY))
    if unknown:
        raise ConfigError(
            f"[transforms.severity] has unknown check(s) {', '.join(unknown)}; "
            f"choose from {', '.join(DEFAULT_SEVERITY)}"
        )
    severity = dict(DEFAULT_SEVERITY)
    for check, level in configured.items():
        if str(level).lower() not in SEVERITIES:
            raise ConfigError(f"[transforms.severity] {check} must be 'error' or 'warn', got {level!r}")
        severity[check] = str(level).lower()
    return severity


def _mapping(configured: Mapping[str, Any]) -> dict[str, dict[str, str]]:
    mapping: dict[str, dict[str, str]] = {}
    for table, fields in configured.items():
        if not isinstance(fields, Mapping):
            raise ConfigError(
                f'[transforms.mapping.{table}] must be a table of field = "loaded column", got {fields!r}'
            )
        mapping[table] = {}
        for name, column in fields.items():
            if not isinstance(column, str) or not column.strip():
                raise ConfigError(
                    f"[transforms.mapping.{table}] {name} must be a loaded column name, got {column!r}"
                )
            mapping[table][name] = column.strip()
    return mapping
