"""What each run covered: the `sync_runs` and `sync_coverage` tables.

One `sync_runs` row per run and one `sync_coverage` row per selected resource with rows loaded,
API requests made, months synced and skipped, and an outcome: `ok`, `skipped: <reason>`,
`partial: <reason>` or `failed: <reason>`. Both tables are appended, so the history answers
"is my warehouse complete, and as of when?".
"""

from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime
from typing import Any

from lac_source.session import LacSession
from lac_source.settings import PACKAGE_VERSION

# Which resource made each request (labels as counted by LacClient).
RESOURCE_ENDPOINTS: dict[str, tuple[str, ...]] = {
    "company": ("/company",),
    "identity": ("/me", "/customers"),
    "overview_snapshots": ("/overview",),
    "agent_status_snapshots": ("/status",),
    "ingest_status": ("/ingest-status",),
    "books_rows": ("/sheet?tab=books",),
    "vat_rows": ("/sheet?tab=vat",),
    "statement_lines": ("/statements",),
    "statement_drill": ("/statements/drill",),
    "analytics": ("/analytics",),
    "filings": ("/filings",),
    "invoices": ("/invoices", "/invoices/{invoice_id}"),
    "invoice_customers": ("/invoice-customers",),
    "recurring_templates": ("/invoice-recurring",),
    "messages": ("/messages",),
    "connections": tuple(
        f"/{p}-connections" for p in ("bank", "stripe", "procountor", "fennoa", "inbox", "gsheet")
    ),
    "payroll_workspace": ("/payroll",),
    "payslips": ("/payroll/payslip",),
    "api_keys": ("/api-keys",),
    "uploads": ("/uploads", "/uploads/{filename}"),
    "output_packages": ("/outputs", "/outputs/{output_id}", "/outputs/{output_id}/files/{role}"),
    "import_runs": ("/imports", "/imports/{run_id}", "/import-runs/{run_id}/raw-package"),
    "invoice_files": ("/invoices/{invoice_id}/pdf", "/invoices/{invoice_id}/finvoice"),
    "uploads_export": ("/uploads/export",),
}


RUN_COLUMNS = {
    "started_at": {"data_type": "timestamp"},
    "finished_at": {"data_type": "timestamp"},
    "status": {"data_type": "text"},
    "error": {"data_type": "text"},
    "load_id": {"data_type": "text"},
    "customer_ids": {"data_type": "text"},
    "requests": {"data_type": "bigint"},
}
COVERAGE_COLUMNS = {
    "finished_at": {"data_type": "timestamp"},
    "outcome": {"data_type": "text"},
    "rows_loaded": {"data_type": "bigint"},
    "requests": {"data_type": "bigint"},
    "periods_synced": {"data_type": "bigint"},
    "periods_skipped": {"data_type": "bigint"},
}


def run_row(
    run_id: str,
    pipeline_name: str,
    started_at: datetime,
    finished_at: datetime,
    session: LacSession,
    error: str | None,
    load_id: str | None,
) -> dict[str, Any]:
    return {
        "run_id": run_id,
        "pipeline_name": pipeline_name,
        "started_at": started_at,
        "finished_at": finished_at,
        "status": "failed" if error else "ok",
        "error": error,
        "load_id": load_id,
        "customer_ids": ",".join(session.customer_ids) if error is None else None,
        "requests": sum(session.client.request_counts.values()),
        "connector_version": PACKAGE_VERSION,
    }


def coverage_rows(
    run_id: str,
    finished_at: datetime,
    resources: Sequence[str],
    session: LacSession,
    rows_loaded: Mapping[str, int],
    error: str | None,
) -> Iterable[dict[str, Any]]:
    """One row per selected resource; a failed run marks every resource failed with its error."""
    counts = session.client.request_counts
    for resource in resources:
        note = session.notes.get(resource)
        if error:
            outcome = f"failed: {error}"
        else:
            outcome = note or "ok"
        fetched, skipped = session.period_counts.get(resource, (None, None))
        yield {
            "run_id": run_id,
            "resource": resource,
            "finished_at": finished_at,
            "outcome": outcome,
            "rows_loaded": None if error else rows_loaded.get(resource, 0),
            "requests": sum(counts.get(label, 0) for label in RESOURCE_ENDPOINTS.get(resource, ())),
            "periods_synced": fetched,
            "periods_skipped": skipped,
        }
