"""Every SQL query the dashboard runs, over the marts' documented columns (docs/transforms.md, "Marts").

Portable across DuckDB and PostgreSQL: `%(name)s` placeholders (translated for DuckDB by
`Warehouse.frame`), quoted schema-qualified names, no dialect-only functions. Amounts are the marts'
DECIMAL euro columns and come back as `decimal.Decimal`.
"""

from __future__ import annotations

import pandas as pd

from lac_connector.dashboard.warehouse import Warehouse


def relations(wh: Warehouse) -> pd.DataFrame:
    """Tables and views of the dataset with their columns (`relation`, `column_name`)."""
    return wh.frame(
        "SELECT table_name AS relation, column_name FROM information_schema.columns"
        " WHERE table_schema = %(schema)s ORDER BY table_name, ordinal_position",
        {"schema": wh.dataset},
    )


def source_systems(wh: Warehouse) -> pd.DataFrame:
    return wh.frame(
        f"SELECT DISTINCT source_system AS source_system FROM {wh.relation('mart_monthly_trend')} ORDER BY 1"
    )


def companies(wh: Warehouse, source_system: str) -> pd.DataFrame:
    return wh.frame(
        f"SELECT DISTINCT customer_id FROM {wh.relation('mart_monthly_trend')}"
        f" WHERE source_system = %(source_system)s ORDER BY customer_id",
        {"source_system": source_system},
    )


def monthly_trend(wh: Warehouse, source_system: str, customer_id: str) -> pd.DataFrame:
    """Every month of a company: fiscal year and period, revenue, expenses, result, closing cash."""
    return wh.frame(
        "SELECT period, fiscal_year, fiscal_period, row_count, revenue, expenses, result, closing_cash"
        f" FROM {wh.relation('mart_monthly_trend')}"
        f" WHERE source_system = %(source_system)s AND customer_id = %(customer_id)s ORDER BY period",
        {"source_system": source_system, "customer_id": customer_id},
    )


def profit_and_loss(wh: Warehouse, source_system: str, customer_id: str, fiscal_year: int) -> pd.DataFrame:
    """P&L accounts by fiscal period of one fiscal year."""
    return wh.frame(
        "SELECT fiscal_period, period, account_code, account_name, account_section, row_count, net"
        f" FROM {wh.relation('mart_profit_and_loss')}"
        f" WHERE source_system = %(source_system)s AND customer_id = %(customer_id)s"
        " AND fiscal_year = %(fiscal_year)s ORDER BY account_code, fiscal_period",
        {"source_system": source_system, "customer_id": customer_id, "fiscal_year": fiscal_year},
    )


def balance_sheet(wh: Warehouse, source_system: str, customer_id: str, period: str) -> pd.DataFrame:
    """Balance sheet lines at the end of one month."""
    return wh.frame(
        "SELECT line_order, section, account_code, account_name, amount"
        f" FROM {wh.relation('mart_balance_sheet')}"
        f" WHERE source_system = %(source_system)s AND customer_id = %(customer_id)s AND period = %(period)s"
        " ORDER BY line_order",
        {"source_system": source_system, "customer_id": customer_id, "period": period},
    )


def vat_return(wh: Warehouse, source_system: str, customer_id: str) -> pd.DataFrame:
    """Every VAT return box of every VAT period of a company."""
    return wh.frame(
        f"SELECT vat_period, box, label, amount FROM {wh.relation('mart_vat_return')}"
        " WHERE source_system = %(source_system)s AND customer_id = %(customer_id)s"
        " ORDER BY vat_period, box",
        {"source_system": source_system, "customer_id": customer_id},
    )


def vat_by_rate(wh: Warehouse, source_system: str, customer_id: str, vat_period: str) -> pd.DataFrame:
    return wh.frame(
        "SELECT vat_code, treatment, vat_rate_percent, row_count, base, output_vat, input_vat"
        f" FROM {wh.relation('mart_vat_by_rate')}"
        " WHERE source_system = %(source_system)s AND customer_id = %(customer_id)s"
        " AND vat_period = %(vat_period)s"
        " ORDER BY treatment, vat_code, vat_rate_percent",
        {"source_system": source_system, "customer_id": customer_id, "vat_period": vat_period},
    )


def receivables_summary(wh: Warehouse, source_system: str, customer_id: str) -> pd.DataFrame:
    return wh.frame(
        "SELECT as_of_date, aging_bucket, bucket_order, invoice_count, gross"
        f" FROM {wh.relation('mart_receivables_summary')}"
        f" WHERE source_system = %(source_system)s AND customer_id = %(customer_id)s ORDER BY bucket_order",
        {"source_system": source_system, "customer_id": customer_id},
    )


def overdue_invoices(wh: Warehouse, source_system: str, customer_id: str) -> pd.DataFrame:
    """Open invoices past their due date, most overdue first."""
    return wh.frame(
        "SELECT invoice_number, party_name, status, issue_date, due_date, days_overdue, aging_bucket, gross"
        f" FROM {wh.relation('mart_receivables_aging')}"
        f" WHERE source_system = %(source_system)s AND customer_id = %(customer_id)s AND days_overdue > 0"
        " ORDER BY days_overdue DESC, invoice_number",
        {"source_system": source_system, "customer_id": customer_id},
    )


def sync_runs(wh: Warehouse) -> pd.DataFrame:
    """The ten latest runs."""
    return wh.frame(
        "SELECT started_at, finished_at, status, pipeline_name, customer_ids, requests, error"
        f" FROM {wh.relation('sync_runs')} ORDER BY started_at DESC LIMIT 10"
    )


def coverage(wh: Warehouse) -> pd.DataFrame:
    """Per resource: the latest outcome, and when it last completed successfully."""
    table = wh.relation("sync_coverage")
    return wh.frame(
        "WITH latest AS (SELECT c.*,"
        " ROW_NUMBER() OVER (PARTITION BY resource ORDER BY finished_at DESC) AS rn"
        f" FROM {table} AS c)"
        " SELECT resource, outcome AS latest_outcome, finished_at AS latest_run_at, rows_loaded,"
        f" (SELECT MAX(o.finished_at) FROM {table} AS o"
        "   WHERE o.resource = latest.resource AND o.outcome = 'ok') AS complete_as_of"
        " FROM latest WHERE rn = 1 ORDER BY resource"
    )


def transform_params(wh: Warehouse) -> pd.DataFrame:
    return wh.frame(f"SELECT * FROM {wh.relation('transform_params')}")


def reconciliation(wh: Warehouse) -> pd.DataFrame:
    """Every column of the `reconciliation` table as it is (its columns may change)."""
    return wh.frame(f"SELECT * FROM {wh.relation('reconciliation')}")
