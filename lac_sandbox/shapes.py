"""Render canonical data into the two fixed interior variants: `flat` and `nested`."""

from __future__ import annotations

from .ledger import ACCOUNTS
from .shape_info import ShapeInfo

CARD_LABELS = {
    "rows": "Rows",
    "net": "Net",
    "vat": "VAT",
    "gross": "Gross",
    "base": "Base",
    "output_vat": "Output VAT",
    "input_vat": "Input VAT",
    "payable": "Payable",
}
BOOKS_COLUMNS = [
    "date",
    "account_code",
    "account_name",
    "description",
    "counterparty",
    "vat_code",
    "vat_rate_basis_points",
    "net_cents",
    "vat_cents",
    "gross_cents",
    "category",
    "status",
]
VAT_COLUMNS = [
    "date",
    "account_code",
    "vat_code",
    "vat_rate_basis_points",
    "base_cents",
    "output_vat_cents",
    "input_vat_cents",
]


def row(shape: str, tab: str, cid: str, period: str, r: dict) -> dict:
    """One sheet row."""
    if shape == "flat":
        return {"id": f"{cid}:{period}:{r['seq']}", **r}
    if tab == "books":
        return {
            "cells": {
                "date": {"value": r["date"]},
                "account": {"code": r["account_code"], "name": r["account_name"]},
                "text": {"value": r["description"], "counterparty": r["counterparty"]},
                "vat": {"code": r["vat_code"], "rate_basis_points": r["vat_rate_basis_points"]},
                "amounts": {
                    "net_cents": r["net_cents"],
                    "vat_cents": r["vat_cents"],
                    "gross_cents": r["gross_cents"],
                },
            },
            "meta": {"period": period, "seq": r["seq"], "category": r["category"], "status": r["status"]},
        }
    return {
        "cells": {
            "date": {"value": r["date"]},
            "account": {"code": r["account_code"], "name": ACCOUNTS[r["account_code"]][0]},
            "vat": {"code": r["vat_code"], "rate_basis_points": r["vat_rate_basis_points"]},
            "amounts": {
                "base_cents": r["base_cents"],
                "output_vat_cents": r["output_vat_cents"],
                "input_vat_cents": r["input_vat_cents"],
            },
        },
        "meta": {"period": period, "seq": r["seq"]},
    }


def cards(shape: str, values: dict[str, int]) -> list[dict]:
    """Summary cards; `rows` is a count, everything else cents."""
    out = []
    for key, val in values.items():
        if shape == "flat":
            out.append(
                {
                    "key": key,
                    "label": CARD_LABELS[key],
                    **({"value": val} if key == "rows" else {"value_cents": val}),
                }
            )
        else:
            out.append(
                {
                    "title": CARD_LABELS[key],
                    "metric": {"count": val} if key == "rows" else {"amount_cents": val},
                }
            )
    return out


def columns(shape: str, tab: str) -> list[dict]:
    cols = BOOKS_COLUMNS if tab == "books" else VAT_COLUMNS
    if shape == "flat":
        return [{"key": c, "label": c.replace("_", " ").capitalize()} for c in cols]
    return [
        {"id": c, "title": c.replace("_", " ").title(), "numeric": c.endswith(("_cents", "_points"))}
        for c in cols
    ]


def window(shape: str, offset: int, limit: int, total: int) -> dict:
    if shape == "flat":
        return {"offset": offset, "limit": limit, "total": total, "has_more": offset + limit < total}
    return {"start": offset, "size": limit, "total_rows": total}


def ranges(shape: str, periods_newest_first: list[str]) -> list[dict]:
    if shape == "flat":
        return [{"range": p, "label": p} for p in periods_newest_first]
    return [{"value": p, "kind": "month"} for p in periods_newest_first]


def _line(code: str, amount: int) -> dict:
    name, section = ACCOUNTS[code]
    return {"account_code": code, "account_name": name, "section": section, "amount_cents": amount}


def statements(shape: str, income: dict[str, int] | None, balance: dict[str, int] | None, meta: dict) -> dict:
    """Income statement and/or balance sheet."""
    if shape == "flat":
        out = dict(meta)
        if income is not None:
            out["income_statement"] = {
                "lines": [_line(c, a) for c, a in income.items()],
                "total_cents": sum(income.values()),
            }
        if balance is not None:
            out["balance_sheet"] = {
                "as_of": meta.get("period_end"),
                "lines": [_line(c, a) for c, a in balance.items()],
                "total_assets_cents": balance["1910"],
                "total_liabilities_and_equity_cents": balance["2939"] + balance["2251"] + balance["2370"],
            }
        return out
    stmts = []

    def sections(values: dict[str, int], names: list[str]) -> list[dict]:
        secs = []
        for name in names:
            rows = [
                {"account": {"code": c, "name": ACCOUNTS[c][0]}, "value_cents": a}
                for c, a in values.items()
                if ACCOUNTS[c][1] == name
            ]
            secs.append({"name": name, "rows": rows, "subtotal_cents": sum(r["value_cents"] for r in rows)})
        return secs

    if income is not None:
        stmts.append(
            {
                "kind": "income_statement",
                "sections": sections(income, ["revenue", "expenses"]),
                "result_cents": sum(income.values()),
            }
        )
    if balance is not None:
        stmts.append(
            {
                "kind": "balance_sheet",
                "as_of": meta.get("period_end"),
                "sections": sections(balance, ["assets", "liabilities", "equity"]),
            }
        )
    return {"selection": dict(meta), "statements": stmts}


def cashflow(shape: str, cf: dict[str, int], meta: dict) -> dict:
    keys = ["opening_cash", "cash_in", "cash_out", "closing_cash"]
    if shape == "flat":
        return {**meta, "cashflow": {"lines": [{"key": k, "amount_cents": cf[f"{k}_cents"]} for k in keys]}}
    return {
        "selection": dict(meta),
        "statements": [
            {
                "kind": "cashflow",
                "sections": [
                    {"name": "cash", "rows": [{"label": k, "value_cents": cf[f"{k}_cents"]} for k in keys]}
                ],
            }
        ],
    }


def drill(shape: str, cid: str, accounts: list[dict], meta: dict) -> dict:
    if shape == "flat":
        return {
            **meta,
            "accounts": [
                {
                    "account_code": a["account_code"],
                    "account_name": a["account_name"],
                    "amount_cents": a["amount_cents"],
                    "row_count": len(a["rows"]),
                    "rows": [row(shape, "books", cid, p, r) for p, r in a["rows"]],
                }
                for a in accounts
            ],
        }
    return {
        "selection": dict(meta),
        "drill": [
            {
                "account": {"code": a["account_code"], "name": a["account_name"]},
                "total": {"value_cents": a["amount_cents"], "count": len(a["rows"])},
                "rows": [row(shape, "books", cid, p, r) for p, r in a["rows"]],
            }
            for a in accounts
        ],
    }


def analytics(shape: str, data: dict, meta: dict) -> dict:
    trend, cats = data["trend"], data["categories"]
    totals = {k: sum(t[k] for t in trend) for k in ("revenue_cents", "expenses_cents", "result_cents")}
    if shape == "flat":
        return {
            **meta,
            "trend": trend,
            "totals": totals,
            "categories": [{"category": k, **v} for k, v in cats.items()],
        }
    return {
        "selection": dict(meta),
        "series": [
            {
                "name": name,
                "points": [{"period": t["period"], "value_cents": t[f"{name}_cents"]} for t in trend],
            }
            for name in ("revenue", "expenses", "result")
        ],
        "breakdown": [
            {"label": k, "value_cents": v["amount_cents"], "count": v["row_count"]} for k, v in cats.items()
        ],
        "totals": totals,
    }


def message(shape: str, m: dict) -> dict:
    if shape == "flat":
        return dict(m)
    return {"sender": m["sender"], "body": m["body"], "sent_at": m["sent_at"]}


def connections(shape: str, cid: str, provider: str, items: list[dict]) -> dict:
    setup = {"provider": provider, "connect_via": "portal_ui", "count": len(items)}
    if shape == "flat":
        return {"customer_id": cid, "connections": [dict(i) for i in items], "setup": setup}
    return {"items": [dict(i) for i in items], "meta": setup}


def upload(shape: str, u: dict) -> dict:
    if shape == "flat":
        return {k: v for k, v in u.items() if k not in ("parsed", "booked")}
    return {
        "file": {
            "filename": u["filename"],
            "display_name": u["display_name"],
            "content_type": u["content_type"],
            "size_bytes": u["size_bytes"],
            "sha256": u["sha256"],
        },
        "kind": u["kind"],
        "uploaded_at": u["uploaded_at"],
    }


def ingest(shape: str, cid: str, uploads: list[dict]) -> dict:
    def state(u: dict) -> str:
        return "booked" if u["booked"] else ("parsed" if u["parsed"] else "queued")

    if shape == "flat":
        return {
            "customer_id": cid,
            "files": {
                u["filename"]: {"parsed": u["parsed"], "booked": u["booked"], "status": state(u)}
                for u in uploads
            },
        }
    return {
        "customer_id": cid,
        "items": [
            {
                "filename": u["filename"],
                "state": {"parsed": u["parsed"], "booked": u["booked"], "label": state(u)},
            }
            for u in uploads
        ],
    }


def output(shape: str, o: dict) -> dict:
    if shape == "flat":
        return {k: v for k, v in o.items()}
    return {
        "package": {"output_id": o["output_id"], "kind": o["kind"], "status": o["status"]},
        "period": {"start": o["period_start"], "end": o["period_end"]},
        "created_at": o["created_at"],
        "roles": [f["role"] for f in o["files"]],
        "files": {f["role"]: dict(f) for f in o["files"]},
        "figures": o["vat_preview"],
    }


def import_run(shape: str, r: dict) -> dict:
    base = {k: v for k, v in r.items() if k != "artifacts"}
    if shape == "flat":
        return base
    return {
        "run_id": r["run_id"],
        "source": {"system": r["source_system"]},
        "state": {"status": r["status"], "started_at": r["started_at"], "finished_at": r["finished_at"]},
        "package": {"sha256": r["raw_package_sha256"], "size_bytes": r["raw_package_size_bytes"]},
        "row_count": r["row_count"],
    }


_FIXED_INFO = {
    "flat": ShapeInfo(
        shape="flat",
        keys={
            "uploads": "filename",
            "outputs": "output_id",
            "imports": "run_id",
            "templates": "template_id",
            "messages": "id",
            "parties": "id",
            "connections": "connection_id",
            "employees": "employee_id",
            "payroll_runs": "run_id",
        },
        books_fields={"id": "id", **{f: f for f in ["seq", *BOOKS_COLUMNS]}},
        vat_fields={"id": "id", **{f: f for f in ["seq", *VAT_COLUMNS]}},
        connections_list="connections",
    ),
    "nested": ShapeInfo(
        shape="nested",
        keys={
            "uploads": "file.filename",
            "outputs": "package.output_id",
            "imports": "run_id",
            "templates": "template_id",
            "messages": None,
            "parties": "id",
            "connections": "connection_id",
            "employees": "employee_id",
            "payroll_runs": "run_id",
        },
        books_fields={
            "seq": "meta.seq",
            "period": "meta.period",
            "date": "cells.date.value",
            "account_code": "cells.account.code",
            "account_name": "cells.account.name",
            "description": "cells.text.value",
            "counterparty": "cells.text.counterparty",
            "vat_code": "cells.vat.code",
            "vat_rate_basis_points": "cells.vat.rate_basis_points",
            **{f: f"cells.amounts.{f}" for f in ("net_cents", "vat_cents", "gross_cents")},
            "category": "meta.category",
            "status": "meta.status",
        },
        vat_fields={
            "seq": "meta.seq",
            "period": "meta.period",
            "date": "cells.date.value",
            "account_code": "cells.account.code",
            "account_name": "cells.account.name",
            "vat_code": "cells.vat.code",
            "vat_rate_basis_points": "cells.vat.rate_basis_points",
            **{f: f"cells.amounts.{f}" for f in ("base_cents", "output_vat_cents", "input_vat_cents")},
        },
        connections_list="items",
    ),
}


class FixedShape:
    """The `flat` or `nested` rendering (interiors these two leave alone stay canonical)."""

    def __init__(self, name: str):
        self.name = name
        self.info: ShapeInfo = _FIXED_INFO[name]

    def row(self, tab: str, cid: str, period: str, r: dict) -> dict:
        return row(self.name, tab, cid, period, r)

    def cards(self, values: dict[str, int]) -> list[dict]:
        return cards(self.name, values)

    def columns(self, tab: str) -> list[dict]:
        return columns(self.name, tab)

    def window(self, offset: int, limit: int, total: int) -> dict:
        return window(self.name, offset, limit, total)

    def ranges(self, periods_newest_first: list[str]) -> list[dict]:
        return ranges(self.name, periods_newest_first)

    def statements(self, income: dict[str, int] | None, balance: dict[str, int] | None, meta: dict) -> dict:
        return statements(self.name, income, balance, meta)

    def cashflow(self, cf: dict[str, int], meta: dict) -> dict:
        return cashflow(self.name, cf, meta)

    def drill(self, cid: str, accounts: list[dict], meta: dict) -> dict:
        return drill(self.name, cid, accounts, meta)

    def analytics(self, data: dict, meta: dict) -> dict:
        return analytics(self.name, data, meta)

    def upload(self, u: dict) -> dict:
        return upload(self.name, u)

    def ingest(self, cid: str, uploads: list[dict]) -> dict:
        return ingest(self.name, cid, uploads)

    def output(self, o: dict) -> dict:
        return output(self.name, o)

    def import_run(self, r: dict) -> dict:
        return import_run(self.name, r)

    def artifacts(self, r: dict) -> list[dict]:
        return [dict(a) for a in r["artifacts"]]

    def invoice(self, inv: dict, listed: bool) -> dict:
        if listed:
            return {**{k: v for k, v in inv.items() if k != "lines"}, "line_count": len(inv["lines"])}
        return inv

    def party(self, p: dict) -> dict:
        return p

    def template(self, t: dict) -> dict:
        return t

    def message(self, m: dict) -> dict:
        return message(self.name, m)

    def connections(self, cid: str, provider: str, items: list[dict]) -> dict:
        return connections(self.name, cid, provider, items)

    def payroll(self, ws: dict) -> dict:
        return ws

    def payslip(self, slip: dict) -> dict:
        return slip

    def overview(self, payload: dict) -> dict:
        return payload

    def filings(self, payload: dict) -> dict:
        return payload
