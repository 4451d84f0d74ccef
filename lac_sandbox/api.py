"""Request dispatch: authentication, customer selection, validation, and every GET endpoint."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from urllib.parse import unquote

import yaml

from lac_connector.sandbox import ApiError, Response, json_response

from . import calendar as cal
from . import files, reports
from .company import Company
from .documents import ROLES
from .random_shape import RandomShape
from .shapes import FixedShape
from .workspace import PROVIDERS
from .world import World

SPEC_PATH = Path(__file__).parent / "spec" / "lac-openapi.yaml"
BASE_PATH = "/portal"
SHEET_SORTS = ("", "newest", "oldest", "amount", "category", "status")
SESSION_ONLY = ("/payroll", "/payroll/payslip", "/api-keys")


def error_response(err: ApiError) -> Response:
    """The spec's error envelope `{error, detail}`."""
    return json_response({"error": err.code, "detail": err.detail}, err.status)


@lru_cache(maxsize=1)
def spec_routes() -> list[tuple[re.Pattern, str, frozenset[str]]]:
    """(regex, template, methods) for every path in the spec."""
    spec = yaml.safe_load(SPEC_PATH.read_text(encoding="utf-8"))
    out = []
    for tmpl, item in spec["paths"].items():
        rx = "^" + re.sub(r"\\{(\w+)\\}", r"(?P<\1>[^/]+)", re.escape(tmpl)) + "$"
        methods = frozenset(m.upper() for m in item if m in ("get", "post", "put", "patch", "delete"))
        out.append((re.compile(rx), tmpl, methods))
    return out


def match_route(path: str) -> tuple[str, dict[str, str], frozenset[str]] | None:
    for rx, tmpl, methods in spec_routes():
        m = rx.match(path)
        if m:
            return tmpl, {k: unquote(v) for k, v in m.groupdict().items()}, methods
    return None


@dataclass
class Principal:
    kind: str  # "api_key" | "session"
    cid: str | None
    scope: str  # read | write | admin
    token: str


def _int(
    q: dict[str, str], name: str, default: int | None, lo: int | None = None, hi: int | None = None
) -> int | None:
    raw = q.get(name)
    if raw is None or raw == "":
        return default
    try:
        val = int(raw)
    except ValueError:
        raise ApiError(422, "validation_error", f"{name} must be an integer, got {raw!r}") from None
    if (lo is not None and val < lo) or (hi is not None and val > hi):
        raise ApiError(
            422, "validation_error", f"{name} must be within {lo}..{hi if hi is not None else '∞'}"
        )
    return val


class Api:
    """Pure request handling over a World; a `lac_connector.sandbox.SimulatedApi` for the server."""

    base_path = BASE_PATH

    def __init__(self, world: World, shape: FixedShape | RandomShape):
        self.world, self.shape = world, shape

    def render_error(self, err: ApiError) -> Response:
        return error_response(err)

    # ---- auth ------------------------------------------------------------------------------
    def authenticate(self, authorization: str | None) -> Principal:
        if (
            not authorization
            or not authorization.lower().startswith("bearer ")
            or not authorization[7:].strip()
        ):
            raise ApiError(401, "missing_token", "Authorization: Bearer <token> header is required")
        token = authorization[7:].strip()
        if token == self.world.session_token:
            return Principal("session", None, "admin", token)
        hit = self.world.keys.get(token)
        if hit is None:
            raise ApiError(401, "invalid_token", "The bearer token is not a known API key or session token")
        return Principal("api_key", hit[0], hit[1], token)

    def company(self, p: Principal, q: dict[str, str]) -> Company:
        cid = q.get("customer_id") or None
        if p.kind == "api_key":
            if cid is not None and cid != p.cid:
                raise ApiError(403, "forbidden_customer", "This API key is pinned to another company")
            return self.world.by_id[p.cid]
        if cid is None:
            return self.world.companies[0]
        if cid not in self.world.by_id:
            raise ApiError(403, "forbidden_customer", f"No access to customer {cid!r}")
        return self.world.by_id[cid]

    # ---- dispatch --------------------------------------------------------------------------
    def handle(self, method: str, path: str, q: dict[str, str], p: Principal) -> Response:
        route = match_route(path)
        if route is None:
            raise ApiError(404, "not_found", f"No such endpoint: {path}")
        tmpl, params, methods = route
        if method != "GET":
            if p.scope == "read":
                raise ApiError(403, "insufficient_scope", "Read-scoped API keys cannot use mutating methods")
            if method not in methods:
                raise ApiError(405, "method_not_allowed", f"{method} is not supported on {tmpl}")
            if p.kind == "api_key" and tmpl.startswith(("/payroll", "/api-keys", "/company/settings")):
                raise ApiError(403, "forbidden_role", "API keys cannot use admin/approver-only endpoints")
            raise ApiError(501, "not_implemented", "The sandbox does not implement write operations")
        if "GET" not in methods:
            raise ApiError(405, "method_not_allowed", f"GET is not supported on {tmpl}")
        if tmpl in SESSION_ONLY and p.kind == "api_key":
            raise ApiError(403, "forbidden_role", "This endpoint requires an interactive admin session")
        if tmpl in ("/me", "/customers"):
            return json_response(self._me(p) if tmpl == "/me" else {"customers": self._customers(p)})
        c = self.company(p, q)
        name = "get_" + tmpl.strip("/").replace("-", "_").replace("/", "__").replace("{", "").replace("}", "")
        handler = getattr(self, name)
        res = handler(c, q, p, **params)
        if not isinstance(res, Response):
            res = json_response(res)
        res.customer_id = c.cid
        return res

    # ---- identity --------------------------------------------------------------------------
    def _customers(self, p: Principal) -> list[dict]:
        cs = self.world.companies if p.kind == "session" else [self.world.by_id[p.cid]]
        return [{"customer_id": c.cid, "name": c.name, "business_id": c.business_id} for c in cs]

    def _me(self, p: Principal) -> dict:
        principal = (
            {"kind": "api_key", "scope": p.scope, "key_id": f"key_{p.token[-8:]}", "role": "operator"}
            if p.kind == "api_key"
            else {"kind": "session", "uid": "sandbox-admin", "role": "admin", "email": "admin@sandbox.test"}
        )
        return {"principal": principal, "customers": self._customers(p)}

    def get_company(self, c: Company, q, p) -> dict:
        return c.profile(editable=p.kind == "session")

    def get_overview(self, c: Company, q, p) -> dict:
        w, led = self.world, c.ledger
        agg = led.aggregates(w.open_period)
        bs = reports.balance_sheet(led, w.open_period, c.fy_start_month)
        inc = reports.income_statement(led, [w.open_period])
        rev = sum(v for k, v in inc.items() if k.startswith("3"))
        return self.shape.overview(
            {
                "customer_id": c.cid,
                "period": {
                    "period": w.open_period,
                    "start": cal.first_day(w.open_period).isoformat(),
                    "end": cal.last_day(w.open_period).isoformat(),
                    "status": "open",
                },
                "metrics": {
                    "revenue_cents": rev,
                    "expenses_cents": sum(inc.values()) - rev,
                    "result_cents": sum(inc.values()),
                    "bank_balance_cents": bs["1910"],
                    "vat_payable_cents": bs["2939"],
                    "row_count": agg.count,
                },
                "attention_items": [{"kind": "needs_review", "count": agg.open_items}]
                if agg.open_items
                else [],
                "readiness": {"vat_return": "draft", "close": "in_progress"},
                "connections": {prov: len(items) for prov, items in c.connections.items()},
                "imports": {
                    "runs": len(c.imports),
                    "latest_status": c.imports[-1]["status"] if c.imports else None,
                },
                "intake": {
                    "uploads": len(c.uploads),
                    "unbooked": sum(1 for u in c.uploads if not u["booked"]),
                },
            }
        )

    def get_status(self, c: Company, q, p) -> dict:
        working = self.world.advances % 2 == 1
        return {
            "customer_id": c.cid,
            "agent": "bjorn",
            "state": "working" if working else "idle",
            "progress": [{"step": "reconciliation", "done": not working}],
        }

    def get_ingest_status(self, c: Company, q, p) -> dict:
        return self.shape.ingest(c.cid, c.uploads)

    # ---- books -----------------------------------------------------------------------------
    def _months(
        self, c: Company, q: dict[str, str], default: str | None, required: bool = False
    ) -> list[str]:
        raw = q.get("range")
        if raw is None or raw == "":
            if required:
                raise ApiError(422, "validation_error", "range is required")
            raw = default
        try:
            wanted = cal.resolve_range(raw, self.world.today)
        except cal.RangeError as e:
            raise ApiError(422, "validation_error", str(e)) from None
        months = _int(q, "months", None, lo=1)
        if months is not None:
            end = (wanted or self.world.periods)[-1]
            wanted = cal.span(cal.shift(end, -(months - 1)), end)
        avail = c.ledger.periods_with_rows()
        if wanted is None:
            return avail
        s = set(avail)
        return [m for m in wanted if m in s]

    def get_sheet(self, c: Company, q, p) -> dict:
        tab = q.get("tab")
        if tab not in ("books", "vat"):
            raise ApiError(422, "validation_error", "tab must be one of books, vat")
        months = self._months(c, q, None, required=True)
        limit = _int(q, "limit", 0, 0, 200)
        offset = _int(q, "offset", 0, 0)
        sort = q.get("sort", "")
        if sort not in SHEET_SORTS:
            raise ApiError(422, "validation_error", f"sort must be one of {SHEET_SORTS}")
        led = c.ledger
        aggs = {m: led.aggregates(m) for m in months}
        counts = [(m, aggs[m].count if tab == "books" else aggs[m].vat_count) for m in months]
        total = sum(n for _, n in counts)
        stop = total if limit == 0 else min(total, offset + limit)
        rows = [self.shape.row(tab, c.cid, m, r) for m, r in self._page(c, tab, counts, offset, stop, sort)]
        if tab == "books":
            card_vals = {
                "rows": total,
                "net": sum(a.net for a in aggs.values()),
                "vat": sum(a.vat for a in aggs.values()),
                "gross": sum(a.gross for a in aggs.values()),
            }
        else:
            tots = [a.vat_totals() for a in aggs.values()]
            out, inp = sum(t[1] for t in tots), sum(t[2] for t in tots)
            card_vals = {
                "rows": total,
                "base": sum(t[0] for t in tots),
                "output_vat": out,
                "input_vat": inp,
                "payable": out - inp,
            }
        payload = {
            "customer": {"customer_id": c.cid, "name": c.name},
            "active_tab": tab,
            "sheet_status": {
                "state": "open" if self.world.open_period in months else "closed",
                "row_count": total,
                "months": len(months),
            },
            "selected_range": q["range"],
            "available_ranges": self.shape.ranges(list(reversed(led.periods_with_rows()))),
            "summary_cards": self.shape.cards(card_vals),
        }
        columns = self.shape.columns(tab)
        if columns is not None:
            payload["columns"] = columns
        payload["rows"] = rows
        payload["sort"] = sort
        if limit:
            payload["row_window"] = self.shape.window(offset, limit, total)
        return payload

    def _page(self, c: Company, tab: str, counts: list[tuple[str, int]], start: int, stop: int, sort: str):
        """Yield (period, canonical row) for the ordinal window [start, stop)."""
        led = c.ledger
        if start >= stop:
            return
        if sort in ("amount", "category", "status"):  # needs the whole selection materialised
            items = []
            for m, _ in counts:
                it = led.all_rows(m) if tab == "books" else led.iter_vat_rows(m)
                items.extend((m, r) for r in it)
            if sort == "amount":
                amt = "gross_cents" if tab == "books" else "base_cents"
                items.sort(key=lambda x: (-abs(x[1][amt]), x[0], x[1]["seq"]))
            else:
                fld = sort if tab == "books" else "vat_code"
                items.sort(key=lambda x: (x[1][fld], x[0], x[1]["seq"]))
            yield from items[start:stop]
            return
        reverse = sort == "newest"
        seq_counts = list(reversed(counts)) if reverse else counts
        pos = 0
        for m, n in seq_counts:
            lo, hi = max(start - pos, 0), min(stop - pos, n)
            if lo < hi:
                it = (
                    led.iter_rows(m, lo, hi, reverse)
                    if tab == "books"
                    else led.iter_vat_rows(m, lo, hi, reverse)
                )
                for r in it:
                    yield m, r
            pos += n
            if pos >= stop:
                break

    def _meta(self, q, months: list[str]) -> dict:
        return {
            "range": q.get("range") or "this_month",
            "period_start": months[0],
            "period_end": months[-1],
            "months": months,
        }

    def get_statements(self, c: Company, q, p):
        months = self._months(c, q, "this_month")
        kind = q.get("statement") or ""
        if kind not in ("", "income_statement", "balance_sheet", "cashflow"):
            raise ApiError(
                422, "validation_error", "statement must be income_statement, balance_sheet or cashflow"
            )
        if not months:
            return None
        meta = self._meta(q, months)
        led = c.ledger
        if kind == "cashflow":
            cf = reports.cashflow(led, months, self.world.open_period)
            return None if cf is None else self.shape.cashflow(cf, meta)
        inc = reports.income_statement(led, months) if kind in ("", "income_statement") else None
        bal = (
            reports.balance_sheet(led, months[-1], c.fy_start_month)
            if kind in ("", "balance_sheet")
            else None
        )
        return self.shape.statements(inc, bal, meta)

    def get_statements__drill(self, c: Company, q, p):
        codes = [x.strip() for x in (q.get("account_codes") or "").split(",") if x.strip()]
        if not codes:
            raise ApiError(
                422, "validation_error", "account_codes is required (comma-joined, e.g. 3000,3010)"
            )
        months = self._months(c, q, "this_month")
        accounts = reports.drill(c.ledger, months, codes) if months else []
        if not accounts:
            return None
        return self.shape.drill(c.cid, accounts, self._meta(q, months))

    def get_analytics(self, c: Company, q, p) -> dict:
        months = self._months(c, q, "last_6_months")
        meta = {"range": q.get("range") or "last_6_months", "months": months}
        return self.shape.analytics(reports.analytics(c.ledger, months), meta)

    def get_filings(self, c: Company, q, p) -> dict:
        state = filing_state(self.world, c, q.get("range") or "this_month", self._months(c, q, "this_month"))
        return self.shape.filings(state)

    # ---- messages, outputs -----------------------------------------------------------------
    def get_messages(self, c: Company, q, p) -> dict:
        return {"messages": [self.shape.message(m) for m in c.messages]}

    def get_outputs(self, c: Company, q, p) -> dict:
        return {"outputs": [self.shape.output(o) for o in c.outputs]}

    def _output(self, c: Company, output_id: str) -> dict:
        for o in c.outputs:
            if o["output_id"] == output_id:
                return o
        raise ApiError(404, "not_found", f"Unknown output {output_id!r}")

    def get_outputs__output_id(self, c: Company, q, p, output_id: str) -> dict:
        return self.shape.output(self._output(c, output_id))

    def get_outputs__output_id__files__role(self, c: Company, q, p, output_id: str, role: str) -> Response:
        o = self._output(c, output_id)
        if role not in ROLES:
            raise ApiError(404, "not_found", f"Unknown role {role!r}")
        meta = next(f for f in o["files"] if f["role"] == role)
        return Response(
            200,
            c.output_files[(output_id, role)],
            meta["content_type"],
            {"Content-Disposition": f'attachment; filename="{meta["filename"]}"'},
        )

    # ---- invoicing -------------------------------------------------------------------------
    def get_invoices(self, c: Company, q, p) -> dict:
        return {
            "customer_id": c.cid,
            "invoices": [self.shape.invoice(i, listed=True) for i in c.invoices],
        }

    def _invoice(self, c: Company, invoice_id: str) -> dict:
        for i in c.invoices:
            if i["id"] == invoice_id:
                return i
        raise ApiError(404, "not_found", f"Unknown invoice {invoice_id!r}")

    def get_invoices__invoice_id(self, c: Company, q, p, invoice_id: str) -> dict:
        return self.shape.invoice(self._invoice(c, invoice_id), listed=False)

    def get_invoices__invoice_id__finvoice(self, c: Company, q, p, invoice_id: str) -> Response:
        inv = self._invoice(c, invoice_id)
        return Response(200, files.finvoice_xml(inv, c.profile(False)), "application/xml")

    def get_invoices__invoice_id__pdf(self, c: Company, q, p, invoice_id: str) -> Response:
        inv = self._invoice(c, invoice_id)
        lines = [
            f"{ln['description']} {ln['quantity']} x {ln['unit_price_cents'] / 100:.2f}"
            for ln in inv["lines"]
        ]
        body = files.pdf_bytes(
            [c.name, inv["customer"]["name"], *lines, f"Total {inv['gross_cents'] / 100:.2f} EUR"],
            title=f"Lasku {inv.get('number') or inv['id']}",
        )
        return Response(200, body, "application/pdf")

    def get_invoice_customers(self, c: Company, q, p) -> dict:
        return {"customer_id": c.cid, "customers": [self.shape.party(x) for x in c.parties]}

    def get_invoice_recurring(self, c: Company, q, p) -> dict:
        return {"customer_id": c.cid, "templates": [self.shape.template(t) for t in c.templates]}

    # ---- payroll ---------------------------------------------------------------------------
    def _period(self, q, name: str = "period") -> str:
        period = q.get(name) or self.world.open_period
        try:
            cal.to_index(period)
        except cal.RangeError:
            raise ApiError(422, "validation_error", f"{name} must be YYYY-MM") from None
        return period

    def get_payroll(self, c: Company, q, p) -> dict:
        return self.shape.payroll(self.world.payroll(c, self._period(q)))

    def get_payroll__payslip(self, c: Company, q, p) -> dict:
        emp_id = q.get("employee_id")
        if not emp_id:
            raise ApiError(422, "validation_error", "employee_id is required")
        period = self._period(q)
        emp = next((e for e in c.employees if e["employee_id"] == emp_id), None)
        if emp is None or period not in self.world.periods:
            raise ApiError(404, "not_found", "No payslip for that employee/period")
        slip = self.world.payslip(c, emp, period)
        if q.get("run_id") and q["run_id"] != slip["run_id"]:
            raise ApiError(404, "not_found", f"Unknown payroll run {q['run_id']!r}")
        return {"payslip": self.shape.payslip(slip)}

    # ---- documents -------------------------------------------------------------------------
    def get_uploads(self, c: Company, q, p) -> dict:
        kind = q.get("kind")
        items = [u for u in c.uploads if not kind or u["kind"] == kind]
        return {"customer_id": c.cid, "files": [self.shape.upload(u) for u in items]}

    def get_uploads__export(self, c: Company, q, p) -> Response:
        data = files.zip_bytes((u["filename"], c.upload_bytes[u["filename"]]) for u in c.uploads)
        return Response(
            200,
            data,
            "application/zip",
            {"Content-Disposition": f'attachment; filename="{c.cid}_uploads.zip"'},
        )

    def get_uploads__filename(self, c: Company, q, p, filename: str) -> Response:
        u = next((u for u in c.uploads if u["filename"] == filename), None)
        if u is None:
            raise ApiError(404, "not_found", f"Unknown upload {filename!r}")
        return Response(200, c.upload_bytes[filename], u["content_type"])

    # ---- connections, imports, keys --------------------------------------------------------
    def _conn(self, c: Company, provider: str) -> dict:
        return self.shape.connections(c.cid, provider, c.connections[provider])

    def get_imports(self, c: Company, q, p) -> dict:
        return {"customer_id": c.cid, "runs": [self.shape.import_run(r) for r in c.imports]}

    def _run(self, c: Company, run_id: str) -> dict:
        for r in c.imports:
            if r["run_id"] == run_id:
                return r
        raise ApiError(404, "not_found", f"Unknown import run {run_id!r}")

    def get_imports__run_id(self, c: Company, q, p, run_id: str) -> dict:
        r = self._run(c, run_id)
        return {"run": self.shape.import_run(r), "artifacts": self.shape.artifacts(r)}

    def get_import_runs__run_id__raw_package(self, c: Company, q, p, run_id: str) -> Response:
        self._run(c, run_id)
        return Response(
            200,
            c.import_bytes[run_id],
            "application/zip",
            {"Content-Disposition": f'attachment; filename="{run_id}.zip"'},
        )

    def get_api_keys(self, c: Company, q, p) -> dict:
        return {"api_keys": [dict(k) for k in c.api_keys]}


for _prov in PROVIDERS:
    setattr(Api, f"get_{_prov}_connections", lambda self, c, q, p, _prov=_prov: self._conn(c, _prov))


def filing_state(world: World, c: Company, rng: str, months: list[str]) -> dict:
    """The canonical /filings payload (the shape renders its interiors)."""
    led = c.ledger
    preview = reports.vat_preview(led, months)
    try:
        wanted = cal.resolve_range(rng, world.today) or world.periods
    except cal.RangeError:
        wanted = months
    vm = c.vat_period_months
    open_vat_start = cal.vat_period_start(world.open_period, vm)
    filings, starts = [], sorted({cal.vat_period_start(m, vm) for m in led.periods_with_rows()})
    for s in starts:
        if cal.to_index(s) >= cal.to_index(open_vat_start):
            continue
        ms = [m for m in cal.span(s, cal.shift(s, vm - 1)) if m in led.periods]
        pv = reports.vat_preview(led, ms)
        end = cal.shift(s, vm - 1)
        filings.append(
            {
                "filing_id": f"vat_{c.cid}_{s}",
                "kind": "vat_return",
                "period_start": s,
                "period_end": end,
                "status": "filed",
                "payable_cents": pv["payable_cents"],
                "filed_at": f"{cal.shift(end, 1)}-12T09:00:00Z",
            }
        )
    cur_months = [m for m in cal.span(open_vat_start, world.open_period) if m in led.periods]
    draft_pv = reports.vat_preview(led, cur_months)
    return {
        "customer_id": c.cid,
        "period": {
            "range": rng,
            "start": cal.first_day(wanted[0]).isoformat(),
            "end": cal.last_day(wanted[-1]).isoformat(),
            "months": months,
            "vat_period_months": vm,
        },
        "row_count": sum(led.count(m) for m in months),
        "open_items": sum(led.aggregates(m).open_items for m in months),
        "vat_preview": preview,
        "review_system": {"name": "lac_review", "enabled": True},
        "drafts": [
            {
                "draft_id": f"vatdraft_{c.cid}_{open_vat_start}",
                "kind": "vat_return",
                "period_start": open_vat_start,
                "period_end": cal.shift(open_vat_start, vm - 1),
                "status": "draft",
                "payable_cents": draft_pv["payable_cents"],
            }
        ],
        "filings": filings,
        "outputs": [
            {
                "output_id": o["output_id"],
                "kind": o["kind"],
                "period_start": o["period_start"],
                "period_end": o["period_end"],
            }
            for o in c.outputs
        ],
        "latest_request": {
            "request_id": f"req_{c.cid}_{world.advances}",
            "status": "resolved",
            "created_at": f"{world.today.isoformat()}T07:00:00Z",
        },
        "authorization": {
            "status": "authorized",
            "authorized_by": "admin@sandbox.test",
            "valid_until": f"{world.today.year + 1}-12-31",
        },
    }
