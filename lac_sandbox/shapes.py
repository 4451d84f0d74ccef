"""Render canonical data into the two interior variants: `flat` and `nested`."""

from __future__ import annotations

from .ledger import ACCOUNTS

_CARD_LABELS = {
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
                    "label": _CARD_LABELS[key],
                    **({"value": val} if key == "rows" else {"value_cents": val}),
                }
            )
        else:
            out.append(
                {
                    "title": _CARD_LABELS[key],
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
