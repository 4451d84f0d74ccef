"""Documents: uploads, output packages and import runs, with the real bytes of their files."""

from __future__ import annotations

import hashlib
import json
from datetime import date, datetime
from typing import TYPE_CHECKING

from . import calendar as cal
from . import files, reports
from .company import Company
from .derive import digest, stamp

if TYPE_CHECKING:
    from .world import World

ROLES = ("excel", "pdf", "json", "instructions")


def add_upload(c: Company, j: int, d: date) -> dict:
    """Upload `j` of `c` (its bytes to `c.upload_bytes`), uploaded on `d`."""
    kinds = [
        ("kuitti_äö 1.pdf", "receipt", "pdf"),
        ("lasku 2026-10.pdf", "invoice", "pdf"),
        ("receipt_{n}.jpg", "receipt", "jpg"),
        ("pankki_{n}.csv", "bank_statement", "csv"),
        ("sopimus_{n}.pdf", "contract", "pdf"),
        ("kuitti {n}.pdf", "receipt", "pdf"),
    ]
    tmpl, kind, ext = kinds[j % len(kinds)]
    name = tmpl.format(n=f"{j + 1:03d}") if j >= len(kinds) or "{n}" in tmpl else tmpl
    if j >= len(kinds):
        name = f"{name.rsplit('.', 1)[0]}_{j + 1}.{ext}"
    if ext == "pdf":
        data = files.pdf_bytes(
            [f"{c.name}", f"Document {name}", f"Amount {(digest(c.cid, j) % 90000) / 100:.2f}"], title=kind
        )
    elif ext == "jpg":
        data = files.JPEG_BYTES
    else:
        data = files.csv_bytes(
            [
                ["date", "amount_cents", "text"],
                *[[d.isoformat(), digest(c.cid, j, k) % 50000 - 25000, f"tx {k}"] for k in range(5)],
            ]
        )
    c.upload_bytes[name] = data
    item = {
        "filename": name,
        "display_name": name.rsplit(".", 1)[0].replace("_", " "),
        "kind": kind,
        "size_bytes": len(data),
        "content_type": files.CONTENT_TYPES[ext],
        "uploaded_at": stamp(d, j),
        "sha256": hashlib.sha256(data).hexdigest(),
        "parsed": j % 4 != 3,
        "booked": j % 4 in (0, 1),
    }
    c.uploads.append(item)
    return item


def add_output(w: World, c: Company, j: int, d: date) -> dict:
    """Output package `j` of `c` with its four role files (bytes to `c.output_files`)."""
    kind = "vat_return_draft" if j % 2 == 0 else "monthly_close"
    months = c.vat_period_months if kind == "vat_return_draft" else 1
    last = cal.shift(w.open_period, -1 - (j % 3))
    if last not in w.periods:
        last = w.periods[0]
    start = cal.vat_period_start(last, months) if kind == "vat_return_draft" else last
    periods = [p for p in cal.span(start, last) if p in w.periods]
    oid = f"out_{j + 1:04d}"
    preview = reports.vat_preview(c.ledger, periods)
    out = {
        "output_id": oid,
        "kind": kind,
        "period_start": start,
        "period_end": last,
        "created_at": stamp(d, j),
        "status": "ready",
        "vat_preview": preview,
    }
    payload = {
        "output_id": oid,
        "customer_id": c.cid,
        "kind": kind,
        "period_start": start,
        "period_end": last,
        **preview,
    }
    created = datetime(d.year, d.month, d.day, 8, 0)
    xlsx = files.xlsx_bytes(
        {
            "Summary": [
                ["key", "value_cents"],
                *[[k, v] for k, v in preview.items() if isinstance(v, int)],
            ],
            "By rate": [
                ["vat_code", "vat_rate_basis_points", "base_cents", "vat_cents"],
                *[
                    [r["vat_code"], r["vat_rate_basis_points"], r["base_cents"], r["vat_cents"]]
                    for r in preview["output_vat_by_rate"]
                ],
            ],
        },
        created,
    )
    blobs = {
        "excel": (xlsx, files.CONTENT_TYPES["xlsx"], f"{oid}.xlsx"),
        "pdf": (
            files.pdf_bytes(
                [f"{c.name} {kind} {start}..{last}", f"Payable {preview['payable_cents'] / 100:.2f} EUR"],
                title=oid,
            ),
            files.CONTENT_TYPES["pdf"],
            f"{oid}.pdf",
        ),
        "json": (
            json.dumps(payload, indent=2, sort_keys=True).encode(),
            files.CONTENT_TYPES["json"],
            f"{oid}.json",
        ),
        "instructions": (
            f"# {kind} {start}..{last}\n\n1. Review the figures.\n2. File in OmaVero.\n".encode(),
            files.CONTENT_TYPES["md"],
            f"{oid}.md",
        ),
    }
    out["files"] = []
    for role in ROLES:
        data, ctype, fname = blobs[role]
        c.output_files[(oid, role)] = data
        out["files"].append(
            {
                "role": role,
                "filename": fname,
                "content_type": ctype,
                "size_bytes": len(data),
                "sha256": hashlib.sha256(data).hexdigest(),
            }
        )
    c.outputs.append(out)
    return out


def add_import(c: Company, j: int, d: date) -> dict:
    """Import run `j` of `c` with its raw package zip (bytes to `c.import_bytes`)."""
    rid = f"imp_{j + 1:04d}"
    source = ("procountor", "fennoa", "netvisor")[j % 3]
    csv = files.csv_bytes(
        [
            ["date", "account", "amount_cents"],
            *[[d.isoformat(), 3000 + k * 10, digest(rid, k) % 100000] for k in range(8)],
        ]
    )
    manifest = json.dumps({"run_id": rid, "source_system": source, "files": ["ledger.csv"]}).encode()
    raw = files.zip_bytes([("manifest.json", manifest), ("ledger.csv", csv)])
    c.import_bytes[rid] = raw
    run = {
        "run_id": rid,
        "source_system": source,
        "status": "failed" if j % 5 == 4 else "completed",
        "started_at": stamp(d, j),
        "finished_at": stamp(d, j + 5),
        "row_count": 8,
        "raw_package_sha256": hashlib.sha256(raw).hexdigest(),
        "raw_package_size_bytes": len(raw),
        "artifacts": [
            {
                "artifact_id": f"{rid}_ledger",
                "kind": "ledger_csv",
                "filename": "ledger.csv",
                "size_bytes": len(csv),
                "sha256": hashlib.sha256(csv).hexdigest(),
            },
            {
                "artifact_id": f"{rid}_manifest",
                "kind": "manifest",
                "filename": "manifest.json",
                "size_bytes": len(manifest),
                "sha256": hashlib.sha256(manifest).hexdigest(),
            },
        ],
    }
    c.imports.append(run)
    return run
