"""`ShapeInfo`: what a shape chose, for tests only (the connector must never read it)."""

from __future__ import annotations

from dataclasses import dataclass, field

# The lists whose entries carry a key, and the path parameter that key feeds (if any).
KEYED_LISTS = {
    "uploads": "filename",  # /uploads files -> /uploads/{filename}
    "outputs": "output_id",  # /outputs outputs -> /outputs/{output_id}
    "imports": "run_id",  # /imports runs -> /imports/{run_id}
    "templates": None,  # /invoice-recurring templates
    "messages": None,  # /messages messages
    "parties": None,  # /invoice-customers customers (and each invoice's customer)
    "connections": "connection_id",  # /<provider>-connections entries
    "employees": "employee_id",  # /payroll employees (payslip query parameter)
    "payroll_runs": "run_id",  # /payroll runs (payslip query parameter)
}


@dataclass(frozen=True)
class ShapeInfo:
    """Dotted paths (`"plimbo.net_cents"`) of what a shape put where; `None` = not rendered."""

    shape: str
    seed: int | None = None
    keys: dict[str, str | None] = field(default_factory=dict)  # KEYED_LISTS name -> key path in an entry
    hidden_keys: tuple[str, ...] = ()  # lists whose key no naming convention finds
    books_fields: dict[str, str] = field(default_factory=dict)  # canonical books field -> path in a row
    vat_fields: dict[str, str] = field(default_factory=dict)  # canonical VAT-sheet field -> path in a row
    row_lists: tuple[str, ...] = ()  # paths of list fields added to sheet rows
    connections_list: str = "connections"  # path of the entry list in a connections payload
    has_columns: bool = True  # whether /sheet answers carry `columns`
