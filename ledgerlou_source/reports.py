"""Reports, fed by the journal driver so that they are read again only when the books changed.

- `ll_report_lines`: `/v1/reports?type=<t>&startDate&endDate` per month and report type
  (`report_types`), replaced per (`tenant_id`, `report_type`, `period`). A month's report is read
  again when its lines changed; a cumulative type (`cumulative_report_types`: balances carry history)
  when any month up to it changed.
- `ll_monthly_revenue_expenses`: `/v1/reports/monthly-revenue-expenses`, replaced per tenant when
  any month of the window changed.
- `ll_datev_exports`: `/v1/reports/datev-export?startDate&endDate` of each month whose lines
  changed, landed as a file (`ledgerlou/<tenant>/datev/<YYYY-MM>.csv`), one row per month.
"""

import logging
from collections.abc import Iterator, Sequence
from datetime import UTC, datetime
from typing import Any

import dlt
from dlt.sources import DltResource

from lac_connector.kit.errors import ApiError
from ledgerlou_source.documents import FILE_TABLES, LANDED_FILES, DocumentLander
from ledgerlou_source.paging import as_objects
from ledgerlou_source.planner import JournalDone, PeriodTask
from ledgerlou_source.rows import TENANT, check_money, gone, keyed, normalized, replaced, route, tenant_state
from ledgerlou_source.session import LedgerLouSession

logger = logging.getLogger("lac")

REPORT_LINES = "ll_report_lines"
MONTHLY = "ll_monthly_revenue_expenses"
DATEV = "ll_datev_exports"
DATEV_ENDPOINT = "/v1/reports/datev-export"


def report_resources(
    session: LedgerLouSession,
    driver: DltResource,
    lander: DocumentLander,
    *,
    report_types: Sequence[str],
    cumulative_types: Sequence[str],
) -> list[DltResource]:
    claim = session.report.claim
    claim(REPORT_LINES, "/v1/reports")
    claim(MONTHLY, "/v1/reports/monthly-revenue-expenses")
    tenant = {TENANT: session.tenant}
    refused: set[str] = set()

    @dlt.transformer(name=REPORT_LINES, **replaced(TENANT, "report_type", "period"))
    def ll_report_lines(task: PeriodTask | JournalDone) -> Iterator[Any]:
        """The lines of every report type per month, as the API computes them."""
        if isinstance(task, JournalDone):
            return
        done = tenant_state(session).setdefault("reports", {})
        with session.scope(REPORT_LINES):
            for report_type in report_types:
                identity = task.prefix if report_type in cumulative_types else task.content
                key = f"{report_type}|{task.period}"
                if report_type in refused or (done.get(key) == identity and not task.force):
                    continue
                query = {
                    "type": report_type,
                    "startDate": task.first.isoformat(),
                    "endDate": task.last.isoformat(),
                }
                try:
                    payload = session.client.get_json("/v1/reports", query)
                except ApiError as exc:
                    if exc.status != 400:
                        raise
                    refused.add(report_type)
                    logger.warning("%s: report type %r refused: %s", REPORT_LINES, report_type, exc)
                    session.report.note_partial(
                        REPORT_LINES,
                        f"report type {report_type!r} refused ({exc.status}): "
                        "fix [sources.ledgerlou] report_types",
                    )
                    continue
                scope = {**tenant, "report_type": report_type, "period": task.period}
                rows = [keyed(line, **scope, line_index=i) for i, line in enumerate(as_objects(payload))]
                yield [gone(**scope), *normalized(session, REPORT_LINES, rows)]
                done[key] = identity
            check_money(session, REPORT_LINES)

    @dlt.transformer(name=MONTHLY, **replaced(TENANT))
    def ll_monthly_revenue_expenses(task: PeriodTask | JournalDone) -> Iterator[Any]:
        """Revenue, expenses and result per month as the API reports them."""
        if not isinstance(task, JournalDone):
            return
        state = tenant_state(session)
        if state.get("prefix") == task.prefix and not task.force:
            return
        with session.scope(MONTHLY):
            payload = session.client.get_json("/v1/reports/monthly-revenue-expenses")
            rows = [keyed(line, **tenant, position=i) for i, line in enumerate(as_objects(payload))]
            yield [gone(**tenant), *normalized(session, MONTHLY, rows)]
            check_money(session, MONTHLY)
            state["prefix"] = task.prefix

    resources = [driver | ll_report_lines, driver | ll_monthly_revenue_expenses]
    if lander.datev:
        resources.append(_datev_resource(session, driver, lander))
    return resources


def _datev_resource(session: LedgerLouSession, driver: DltResource, lander: DocumentLander) -> DltResource:
    session.report.claim(DATEV, DATEV_ENDPOINT)

    @dlt.transformer(name=DATEV, **replaced(TENANT, "period"))
    def ll_datev_exports(task: PeriodTask | JournalDone) -> Iterator[Any]:
        """The month's DATEV export (`Buchungsstapel` CSV), landed; one row per month."""
        if isinstance(task, JournalDone):
            return
        done = tenant_state(session).setdefault("periods", {})
        if done.get(task.period) == task.content and not task.force:
            return
        with session.scope(DATEV):
            params = {"startDate": task.first.isoformat(), "endDate": task.last.isoformat()}
            try:
                landed, landed_item = lander.land_export(DATEV_ENDPOINT, params, task.period)
            except ApiError as exc:
                if exc.status != 400:
                    raise
                session.report.note_partial(DATEV, f"{task.period}: export refused ({exc})")
                return
            key = {TENANT: session.tenant, "period": task.period}
            row = {
                **key,
                "storage_path": landed.storage_path,
                "bytes": landed.bytes,
                "sha256": landed.sha256,
                "content_type": landed.content_type,
                "landed_at": datetime.now(UTC),
            }
            yield [gone(**key), row]
            yield landed_item
            done[task.period] = task.content

    return route(driver | ll_datev_exports, [(LANDED_FILES, FILE_TABLES[LANDED_FILES])])
