"""Invoices, invoice lines, parties, recurring templates (issue 4: not yet implemented)."""

from dlt.sources import DltResource

from lac_source.session import LacSession


def invoicing_resources(session: LacSession) -> list[DltResource]:
    return []
