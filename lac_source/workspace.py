"""Messages, connections, payroll, API keys (issue 4: not yet implemented)."""

from dlt.sources import DltResource

from lac_source.session import LacSession


def workspace_resources(
    session: LacSession, *, payroll_months: int = 12, end_period: str | None = None
) -> list[DltResource]:
    return []
