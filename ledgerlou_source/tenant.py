"""`ll_tenant`: one row per tenant with the figures the API gives for the whole books.

`tenant_id` (the `tenant` setting), `base_currency`, and, as returned, `/v1/inbox/address`
(`inbox__inbox_address`), `/v1/bank-transactions/unreconciled-count` (`unreconciled__count`) and
the top-level figures of `/v1/bank-accounts/balance-history` (`balance_history__current_balance`,
`..._start_balance`). A part the key may not read (403) is left empty and noted.
"""

from collections.abc import Callable, Iterator
from typing import Any

import dlt
from dlt.sources import DltResource

from lac_connector.kit.errors import ForbiddenError
from ledgerlou_source.bank import balance_history
from ledgerlou_source.rows import TENANT, gone, normalized, replaced
from ledgerlou_source.session import LedgerLouSession

TABLE = "ll_tenant"


def tenant_resources(session: LedgerLouSession, *, history_days: int) -> list[DltResource]:
    session.report.claim(TABLE, "/v1/inbox/address", "/v1/bank-transactions/unreconciled-count")

    @dlt.resource(name=TABLE, **replaced(TENANT))
    def ll_tenant() -> Iterator[Any]:
        parts: dict[str, Callable[[], Any]] = {
            "inbox": lambda: session.client.get_json("/v1/inbox/address"),
            "unreconciled": lambda: session.client.get_json("/v1/bank-transactions/unreconciled-count"),
            "balance_history": lambda: balance_history(session, history_days),
        }
        row: dict[str, Any] = {TENANT: session.tenant}
        for name, read in parts.items():
            try:
                payload = read()
            except ForbiddenError as exc:
                session.report.note_partial(TABLE, f"{name}: 403 {str(exc).splitlines()[0][:200]}")
                continue
            if isinstance(payload, dict):
                row[name] = {k: v for k, v in payload.items() if not isinstance(v, list)}
        row["base_currency"] = session.base_currency
        row["balance_history_days"] = history_days
        yield [gone(**{TENANT: session.tenant}), *normalized(session, TABLE, [row])]

    return [ll_tenant()]
