"""Pure request handling: authentication, tenant selection, scopes, validation and every GET endpoint.

`Api.authenticate(authorization_header)` and `Api.handle(method, path, query, principal)` are all the
HTTP layer needs; errors are raised as `ApiError` and answered as `{"error": code, "detail": text}`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from urllib.parse import quote

from lac_connector.sandbox.responses import ApiError as SharedApiError
from lac_connector.sandbox.responses import Response

from . import bank, canon, datev, reports, routes
from .chart import ACCOUNT, ACCOUNTS, TAX_CODES, TYPES
from .entries import Intent
from .model import (
    INBOX_STATUSES,
    INVOICE_STATUSES,
    INVOICE_TYPES,
    OUTCOMES,
    PURCHASE_STATUSES,
    QUEUE_STATES,
    RUN_STATUSES,
    TX_STATUSES,
)
from .money import amount, dumps
from .shapes import Shape
from .world import SCOPES, Tenant, World

PAGE_DEFAULT, PAGE_MAX = 50, 200  # limit/offset endpoints
ACCOUNTS_DEFAULT, ACCOUNTS_MAX = 100, 500
JOURNAL_DEFAULT, JOURNAL_MAX = 100, 1000  # /v1/journal and /v1/accounts/{number}/entries
HISTORY_DEFAULT, HISTORY_MAX = 30, 366
TENANT_PARAM = "tenant_id"
SCOPE_OF = {
    "accounts": "journal",
    "journal": "journal",
    "tax-codes": "journal",
    "bookings": "journal",
    "documents": "documents",
    "bank-accounts": "bank",
    "bank-transactions": "bank",
    "bank-match-groups": "bank",
    "customers": "receivables",
    "outgoing-invoices": "receivables",
    "vendors": "payables",
    "invoices": "payables",
    "payment-runs": "payables",
    "payables": "payables",
    "invoice-review-cases": "payables",
    "ocr": "payables",
    "inbox": "inbox",
    "periods": "periods",
    "reports": "reports",
}


class ApiError(SharedApiError):
    """An error answered with the JSON envelope {"error": code, "detail": detail} (plus headers)."""

    def __init__(self, status: int, code: str, detail: str, headers: dict[str, str] | None = None):
        super().__init__(status, code, detail)
        self.headers = headers or {}


def json_response(payload: object, status: int = 200, tenant_id: str | None = None) -> Response:
    return Response(status, dumps(payload), customer_id=tenant_id)


def error_response(err: SharedApiError) -> Response:
    res = json_response({"error": err.code, "detail": err.detail}, err.status)
    res.headers.update(getattr(err, "headers", {}))  # the shared server raises plain ApiErrors
    return res


@dataclass(frozen=True)
class Principal:
    kind: str  # api_key | session
    tenant_id: str | None  # pinned tenant of an API key
    scopes: frozenset[str]
    token: str


# ---- query validation ----------------------------------------------------------------------------
def _bad(name: str, why: str) -> ApiError:
    return ApiError(400, "validation_error", f"{name}: {why}")


def _int(q: dict[str, str], name: str, default: int, lo: int, hi: int | None) -> int:
    raw = q.get(name)
    if raw is None or raw == "":
        return default
    try:
        val = int(raw)
    except ValueError:
        raise _bad(name, f"must be an integer, got {raw!r}") from None
    if val < lo or (hi is not None and val > hi):
        raise _bad(name, f"must be within {lo}..{hi if hi is not None else 'inf'}, got {val}")
    return val


def _date(q: dict[str, str], name: str) -> date | None:
    raw = q.get(name)
    if raw is None or raw == "":
        return None
    try:
        if len(raw) != 10:
            raise ValueError
        return date.fromisoformat(raw)
    except ValueError:
        raise _bad(name, f"must be a date YYYY-MM-DD, got {raw!r}") from None


def _window(q: dict[str, str], start: str, end: str) -> tuple[date | None, date | None]:
    lo, hi = _date(q, start), _date(q, end)
    if lo and hi and lo > hi:
        raise _bad(start, f"must not be after {end}")
    return lo, hi


def _enum(q: dict[str, str], name: str, allowed: tuple[str, ...]) -> str | None:
    raw = q.get(name)
    if raw is None or raw == "":
        return None
    if raw not in allowed:
        raise _bad(name, f"must be one of {', '.join(allowed)}, got {raw!r}")
    return raw


def _bool(q: dict[str, str], name: str) -> bool | None:
    raw = q.get(name)
    if raw is None or raw == "":
        return None
    if raw.lower() not in ("true", "false", "1", "0"):
        raise _bad(name, f"must be true or false, got {raw!r}")
    return raw.lower() in ("true", "1")


def _page(
    q: dict[str, str], items: list, default: int = PAGE_DEFAULT, hi: int = PAGE_MAX
) -> tuple[list, int, int]:
    limit = _int(q, "limit", default, 1, hi)
    offset = _int(q, "offset", 0, 0, None)
    return items[offset : offset + limit], offset, limit


def content_disposition(kind: str, name: str) -> str:
    """`attachment; filename="x.pdf"`, with an RFC 5987 `filename*` when the name is not ASCII."""
    ascii_name = name.encode("ascii", "replace").decode("ascii").replace('"', "'")
    value = f'{kind}; filename="{ascii_name}"'
    if ascii_name != name:
        value += f"; filename*=UTF-8''{quote(name, safe='')}"
    return value


class Api:
    """Pure request handling over a World (the HTTP layer lives in the shared server)."""

    base_path = ""  # LedgerLou serves `/v1/...` at the root

    def __init__(self, world: World, shape: Shape):
        self.world, self.shape = world, shape

    def render_error(self, err: ApiError) -> Response:
        """The error body of every error answer: {"error": code, "detail": text}."""
        return error_response(err)

    # ---- auth ------------------------------------------------------------------------------
    def authenticate(self, authorization: str | None) -> Principal:
        if (
            not authorization
            or not authorization.lower().startswith("bearer ")
            or not authorization[7:].strip()
        ):
            raise ApiError(
                401, "not_authenticated", "Authorization: Bearer <API key or session token> is required"
            )
        token = authorization[7:].strip()
        if token == self.world.session_token:
            return Principal("session", None, frozenset(SCOPES), token)
        key = self.world.keys.get(token)
        if key is None:
            raise ApiError(
                401, "not_authenticated", "The bearer token is not a known API key or session token"
            )
        return Principal("api_key", key.tenant_id, key.scopes, token)

    def tenant(self, p: Principal, q: dict[str, str]) -> Tenant:
        wanted = q.get(TENANT_PARAM) or None
        if p.kind == "api_key":
            if wanted is not None and wanted != p.tenant_id:
                raise ApiError(403, "forbidden_tenant", "This API key is pinned to another tenant")
            return self.world.by_id[p.tenant_id]
        if wanted is None:
            return self.world.tenants[0]
        if wanted not in self.world.by_id:
            raise ApiError(403, "forbidden_tenant", f"No access to tenant {wanted!r}")
        return self.world.by_id[wanted]

    # ---- dispatch --------------------------------------------------------------------------
    def handle(self, method: str, path: str, q: dict[str, str], p: Principal) -> Response:
        """Answer one request; error answers are logged under the principal's tenant too."""
        try:
            return self._dispatch(method, path, q, p)
        except ApiError as err:
            res = self.render_error(err)
            res.customer_id = p.tenant_id
            return res

    def _dispatch(self, method: str, path: str, q: dict[str, str], p: Principal) -> Response:
        route = routes.match(path)
        if route is None:
            raise ApiError(404, "not_found", f"No such endpoint: {path}")
        tmpl, params, methods = route
        if method not in methods:
            raise ApiError(
                405,
                "method_not_allowed",
                f"{method} is not supported on {tmpl}",
                {"Allow": ", ".join(sorted(methods))},
            )
        t = self.tenant(p, q)
        scope = SCOPE_OF.get(tmpl.split("/")[2])
        if scope is not None and scope not in p.scopes:
            raise ApiError(403, "scope_missing", f"This key lacks the {scope!r} scope needed for {tmpl}")
        if method != "GET":
            raise ApiError(
                501, "not_implemented", "The sandbox is read-only; write operations are not implemented"
            )
        name = "get" + tmpl[3:].replace("-", "_").replace("/", "__").replace("{", "").replace("}", "")
        res = getattr(self, name)(t, q, **params)
        if not isinstance(res, Response):
            res = json_response(self.shape.render(res))
        res.customer_id = t.tenant_id  # the request log's tenant field
        return res

    # ---- journal ---------------------------------------------------------------------------
    def get__accounts(self, t: Tenant, q) -> dict:
        page, offset, limit = _page(q, list(ACCOUNTS), ACCOUNTS_DEFAULT, ACCOUNTS_MAX)
        return {
            "accounts": [canon.account(a) for a in page],
            "total": len(ACCOUNTS),
            "offset": offset,
            "limit": limit,
        }

    def get__accounts__search(self, t: Tenant, q) -> dict:
        needle = (q.get("q") or "").casefold()
        kind = _enum(q, "type", TYPES)
        hits = [
            a
            for a in ACCOUNTS
            if (kind is None or a.type == kind)
            and (not needle or a.number.startswith(needle) or needle in a.name.casefold())
        ]
        return {"accounts": [canon.account(a) for a in hits]}

    def get__accounts__number__entries(self, t: Tenant, q, number: str) -> dict:
        if number not in ACCOUNT:
            raise ApiError(404, "not_found", f"Unknown account {number!r}")
        start, end = _window(q, "startDate", "endDate")
        limit = _int(q, "limit", JOURNAL_DEFAULT, 1, JOURNAL_MAX)
        j = t.journal
        before = j.window_agg(None, start - timedelta(days=1)) if start else {}
        running = sum(d - c for (acc, _), (d, c) in before.items() if acc == number)
        entries = []
        for it in j.window(start, end):
            for n, ln in enumerate(it.lines):
                if ln.account == number:
                    running += ln.debit - ln.credit
                    entries.append(canon.journal_line(it, n, ln, running))
            if len(entries) >= limit:
                break
        balance = sum(d - c for (acc, _), (d, c) in j.window_agg(None, end).items() if acc == number)
        return {"entries": entries[:limit], "balance": amount(balance)}

    def get__journal(self, t: Tenant, q) -> dict:
        start, end = _window(q, "startDate", "endDate")
        limit = _int(q, "limit", JOURNAL_DEFAULT, 1, JOURNAL_MAX)
        account = q.get("account") or None
        if account is not None and not account.isdigit():
            raise _bad("account", f"must be an account number, got {account!r}")
        needle = (q.get("search") or "").casefold()
        ext = q.get("externalReference") or None
        entries = []
        for it in t.journal.window(start, end):
            if ext is not None and it.external_reference != ext:
                continue
            if (
                needle
                and needle not in it.description.casefold()
                and needle not in (it.external_reference or "").casefold()
            ):
                continue
            for n, ln in enumerate(it.lines):
                if account is None or ln.account == account:
                    entries.append(canon.journal_line(it, n, ln))
            if len(entries) >= limit:
                break
        return {"entries": entries[:limit]}

    def _intent(self, t: Tenant, intent_id: str) -> Intent:
        it = t.journal.get(intent_id)
        if it is None:
            raise ApiError(404, "not_found", f"Unknown intent {intent_id!r}")
        return it

    def get__journal__intent_id(self, t: Tenant, q, intent_id: str) -> dict:
        return canon.journal_detail(t, self._intent(t, intent_id))

    def get__tax_codes(self, t: Tenant, q) -> dict:
        inactive = _bool(q, "include_inactive")
        return {"tax_codes": [canon.tax_code(tc) for tc in TAX_CODES if inactive or tc.is_active]}

    # ---- documents -------------------------------------------------------------------------
    def _file(self, t: Tenant, document_id: str, disposition: str) -> Response:
        doc = t.document(document_id)
        if doc is None:
            raise ApiError(404, "not_found", f"Unknown document {document_id!r}")
        return Response(
            200,
            doc.content(),
            doc.mime_type,
            {"Content-Disposition": content_disposition(disposition, doc.original_name)},
        )

    def get__documents__document_id__file(self, t: Tenant, q, document_id: str) -> Response:
        return self._file(t, document_id, "attachment")

    def get__documents__document_id__preview(self, t: Tenant, q, document_id: str) -> Response:
        return self._file(t, document_id, "inline")

    # ---- bank ------------------------------------------------------------------------------
    def _bank_account(self, t: Tenant, bank_account_id: str):
        b = t.bank_account(bank_account_id)
        if b is None:
            raise ApiError(404, "not_found", f"Unknown bank account {bank_account_id!r}")
        return b

    def get__bank_accounts(self, t: Tenant, q) -> list:
        return [canon.bank_account(t, b, detail=False) for b in t.bank_accounts]

    def get__bank_accounts__bank_account_id(self, t: Tenant, q, bank_account_id: str):
        return canon.bank_account(t, self._bank_account(t, bank_account_id), detail=True)

    def get__bank_accounts__bank_account_id__reconciliation(self, t: Tenant, q, bank_account_id: str):
        return bank.reconciliation(t, self._bank_account(t, bank_account_id), self.world.today)

    def get__bank_accounts__balance_history(self, t: Tenant, q) -> dict:
        days = _int(q, "days", HISTORY_DEFAULT, 1, HISTORY_MAX)
        points, current, start = bank.history(t, self.world.today, days)
        return {"history": points, "currentBalance": amount(current), "startBalance": amount(start)}

    def get__bank_transactions(self, t: Tenant, q) -> dict:
        start, end = _window(q, "start_date", "end_date")
        status = _enum(q, "status", TX_STATUSES)
        hits = bank.filtered(
            t,
            q.get("bank_account_id") or None,
            start and start.isoformat(),
            end and end.isoformat(),
            q.get("search"),
            status,
        )
        page, _, _ = _page(q, hits)
        return {"transactions": [canon.transaction(x) for x in page], "total": len(hits)}

    def _tx(self, t: Tenant, transaction_id: str):
        tx = t.transaction(transaction_id)
        if tx is None:
            raise ApiError(404, "not_found", f"Unknown bank transaction {transaction_id!r}")
        return tx

    def get__bank_transactions__transaction_id(self, t: Tenant, q, transaction_id: str) -> dict:
        return {"transaction": canon.transaction(self._tx(t, transaction_id))}

    def get__bank_transactions__transaction_id__evidence(self, t: Tenant, q, transaction_id: str) -> dict:
        return {"evidence": canon.evidence(self._tx(t, transaction_id))}

    def get__bank_transactions__suggestions(self, t: Tenant, q) -> list:
        return bank.suggestions(t, q.get("bank_account_id") or None)

    def get__bank_transactions__unreconciled_count(self, t: Tenant, q) -> dict:
        return {"count": sum(1 for x in t.transactions if x.status == "open")}

    # ---- receivables / payables --------------------------------------------------------------
    def _parties(self, t: Tenant, q, role: str) -> list:
        parties = t.customers if role == "customer" else t.vendors
        active = _bool(q, "is_active")
        needle = (q.get("search") or "").casefold()
        hits = [
            p
            for p in parties
            if (active is None or p.is_active == active)
            and (
                not needle
                or needle in p.name.casefold()
                or needle in p.number.casefold()
                or needle in p.email.casefold()
            )
        ]
        page, _, _ = _page(q, hits)
        return [canon.party(t, p, role, detail=False) for p in page]

    def _party(self, t: Tenant, party_id: str, role: str):
        parties = t.customers if role == "customer" else t.vendors
        p = next((x for x in parties if x.party_id == party_id), None)
        if p is None:
            raise ApiError(404, "not_found", f"Unknown {role} {party_id!r}")
        return canon.party(t, p, role, detail=True)

    def get__customers(self, t: Tenant, q) -> list:
        return self._parties(t, q, "customer")

    def get__customers__customer_id(self, t: Tenant, q, customer_id: str):
        return self._party(t, customer_id, "customer")

    def get__vendors(self, t: Tenant, q) -> list:
        return self._parties(t, q, "vendor")

    def get__vendors__vendor_id(self, t: Tenant, q, vendor_id: str):
        return self._party(t, vendor_id, "vendor")

    def _invoices(self, t: Tenant, q, direction: str) -> list:
        party_param = "customer_id" if direction == "out" else "vendor_id"
        status = _enum(q, "status", INVOICE_STATUSES if direction == "out" else PURCHASE_STATUSES)
        kind = _enum(q, "type", INVOICE_TYPES) if direction == "out" else None
        start, end = _window(q, "start_date", "end_date")
        party = q.get(party_param) or None
        hits = [
            i
            for i in t.invoices_of(direction)
            if (party is None or i.party_id == party)
            and (status is None or i.status == status)
            and (kind is None or i.type == kind)
            and (start is None or i.invoice_date >= start.isoformat())
            and (end is None or i.invoice_date <= end.isoformat())
        ]
        hits.sort(key=lambda i: (i.invoice_date, i.created_at, i.invoice_id), reverse=True)
        page, _, _ = _page(q, hits)
        return [canon.invoice(i, detail=False) for i in page]

    def _invoice(self, t: Tenant, invoice_id: str, direction: str):
        inv = t.invoice(invoice_id, direction)
        if inv is None:
            raise ApiError(404, "not_found", f"Unknown invoice {invoice_id!r}")
        return canon.invoice(inv, detail=True)

    def _open_items(self, t: Tenant, direction: str) -> list:
        items = [i for i in t.invoices_of(direction) if i.status in ("open", "partially_paid")]
        items.sort(key=lambda i: (i.due_date, i.invoice_id))
        return [canon.open_item(t, i, self.world.today) for i in items]

    def get__outgoing_invoices(self, t: Tenant, q) -> list:
        return self._invoices(t, q, "out")

    def get__outgoing_invoices__invoice_id(self, t: Tenant, q, invoice_id: str):
        return self._invoice(t, invoice_id, "out")

    def get__outgoing_invoices__open_items(self, t: Tenant, q) -> list:
        return self._open_items(t, "out")

    def get__invoices(self, t: Tenant, q) -> list:
        return self._invoices(t, q, "in")

    def get__invoices__invoice_id(self, t: Tenant, q, invoice_id: str):
        return self._invoice(t, invoice_id, "in")

    def get__invoices__open_items(self, t: Tenant, q) -> list:
        return self._open_items(t, "in")

    def get__payment_runs(self, t: Tenant, q) -> list:
        status = _enum(q, "status", RUN_STATUSES)
        hits = sorted(
            (r for r in t.runs if status is None or r.status == status),
            key=lambda r: (r.execution_date, r.created_at),
            reverse=True,
        )
        page, _, _ = _page(q, hits)
        return [canon.payment_run(r, detail=False) for r in page]

    def get__payment_runs__run_id(self, t: Tenant, q, run_id: str):
        run = t.run(run_id)
        if run is None:
            raise ApiError(404, "not_found", f"Unknown payment run {run_id!r}")
        return canon.payment_run(run, detail=True)

    def get__payment_runs__eligible_invoices(self, t: Tenant, q) -> list:
        return [canon.invoice(i, detail=False) for i in t.eligible_invoices()]

    def get__payables__ingestion_log(self, t: Tenant, q) -> list:
        outcome = _enum(q, "outcome", OUTCOMES)
        page, _, _ = _page(q, [e for e in t.ingestion if outcome is None or e["outcome"] == outcome])
        return [canon.ingestion_entry(e) for e in page]

    def get__invoice_review_cases(self, t: Tenant, q) -> list:
        state = _enum(q, "queue_state", QUEUE_STATES)
        hits = sorted(
            (c for c in t.review_cases if state is None or c["queue_state"] == state),
            key=lambda c: c["created_at"],
            reverse=True,
        )
        page, _, _ = _page(q, hits)
        return [canon.review_case(c) for c in page]

    def get__invoice_review_cases__case_id(self, t: Tenant, q, case_id: str):
        case = next((c for c in t.review_cases if c["id"] == case_id), None)
        if case is None:
            raise ApiError(404, "not_found", f"Unknown review case {case_id!r}")
        return canon.review_case(case)

    # ---- inbox -----------------------------------------------------------------------------
    def get__inbox(self, t: Tenant, q) -> list:
        status = _enum(q, "status", INBOX_STATUSES)
        hits = sorted(
            (i for i in t.inbox if status is None or i["status"] == status),
            key=lambda i: i["created_at"],
            reverse=True,
        )
        page, _, _ = _page(q, hits)
        return [canon.inbox_item(i) for i in page]

    def get__inbox__inbox_id(self, t: Tenant, q, inbox_id: str):
        item = next((i for i in t.inbox if i["id"] == inbox_id), None)
        if item is None:
            raise ApiError(404, "not_found", f"Unknown inbox item {inbox_id!r}")
        return canon.inbox_item(item)

    def get__inbox__address(self, t: Tenant, q) -> dict:
        return {"inbox_address": t.inbox_address}

    # ---- periods ---------------------------------------------------------------------------
    def get__periods(self, t: Tenant, q) -> list:
        return [canon.period(t.period_view(p)) for p in t.periods]

    def get__periods__period__lock__status(self, t: Tenant, q, period: str):
        if period not in t.periods:
            raise ApiError(404, "not_found", f"Unknown period {period!r}")
        return canon.lock_status(t.periods[period])

    # ---- reports ---------------------------------------------------------------------------
    def get__reports(self, t: Tenant, q) -> list:
        kind = q.get("type")
        if not kind:
            raise _bad("type", f"is required: one of {', '.join(reports.REPORT_TYPES)}")
        _enum(q, "type", reports.REPORT_TYPES)
        start, end = _window(q, "startDate", "endDate")
        if kind == "trial_balance":
            return reports.trial_balance(t.journal, start, end)
        if kind == "profit_and_loss":
            return reports.profit_and_loss(t.journal, start, end)
        if kind == "balance_sheet":
            return reports.balance_sheet(t.journal, end)
        return reports.vat(t.journal, start, end)

    def get__reports__monthly_revenue_expenses(self, t: Tenant, q) -> list:
        return reports.monthly(t.journal)

    def get__reports__datev_export(self, t: Tenant, q) -> Response:
        start, end = _window(q, "startDate", "endDate")
        end = end or self.world.today
        start = start or date(end.year, 1, 1)
        if start > end:
            raise _bad("startDate", "must not be after endDate")
        if start.year != end.year:
            raise _bad("endDate", "a DATEV export must stay within one fiscal year")
        body = datev.export(t.journal.window(start, end), start, end, self.world.today, 10001 + t.index)
        return Response(
            200,
            body,
            "text/csv; charset=windows-1252",
            {"Content-Disposition": content_disposition("attachment", datev.filename(start, end))},
        )
