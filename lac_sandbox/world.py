"""The non-ledger world: companies, keys, invoices, parties, templates, messages, uploads, outputs,
imports, payroll, connections — all deterministic from the seed — plus `advance()`."""

from __future__ import annotations

import hashlib
import json
import random
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal

from . import calendar as cal
from . import files, reports
from .ledger import Ledger, round_bp

_NAMES = [
    ("Aurora Design Oy", "cust_aurora_oy", 7, 1),
    ("Borealis Trading Oy", "cust_borealis_oy", 1, 3),
    ("Cirrus Analytics Oy", "cust_cirrus_oy", 1, 1),
    ("Delta Rakennus Oy", "cust_delta_oy", 5, 1),
    ("Eira Foods Oy", "cust_eira_oy", 1, 3),
]
_PARTY_NAMES = [
    ("Kuusi Consulting Oy", "Helsinki", "00100", "FI"),
    ("Lumi Media Oy", "Espoo", "02100", "FI"),
    ("Saimaa Logistics Oy", "Lappeenranta", "53100", "FI"),
    ("Tampere Print Oy", "Tampere", "33100", "FI"),
    ("Nordic Parts GmbH", "Hamburg", "20095", "DE"),
    ("Baltic Supply OÜ", "Tallinn", "10111", "EE"),
    ("Oulu Systems Oy", "Oulu", "90100", "FI"),
    ("Verkkokauppa Oy", "Helsinki", "00180", "FI"),
]
_QTYS = ["1", "2", "2.5", "0.75", "3", "10", "1.5"]
_LINE_TEXTS = ["Suunnittelutyö", "Konsultointi", "Lisenssi", "Koulutus", "Ylläpito", "Tarvikkeet"]
_MSG_CUSTOMER = [
    "Moi Björn, onko lokakuun kirjanpito valmis?",
    "Lisäsin kuitit, voitko tarkistaa?",
    "Miten EU-ostot käsitellään?",
    "Kiitos!",
    "Milloin ALV-ilmoitus lähtee?",
]
_MSG_AGENT = [
    "Hei! Täsmäytys on käynnissä, valmista huomenna.",
    "Kuitit on kirjattu, 2 vaatii tarkistusta.",
    "EU-ostoista lasketaan käännetty ALV 25,5 %.",
    "Ole hyvä!",
    "ALV-ilmoitus lähtee 12. päivä.",
]
ROLES = ("excel", "pdf", "json", "instructions")
PROVIDERS = ("bank", "stripe", "procountor", "fennoa", "inbox", "gsheet")


def ytunnus(base7: int) -> str:
    """A Finnish business ID with a valid check digit (base numbers giving remainder 1 are bumped)."""
    while True:
        digits = f"{base7 % 10_000_000:07d}"
        r = sum(int(d) * w for d, w in zip(digits, (7, 9, 10, 5, 8, 4, 2), strict=True)) % 11
        if r != 1:
            return f"{digits}-{0 if r == 0 else 11 - r}"
        base7 += 1


def _h(*parts: object) -> int:
    return int.from_bytes(
        hashlib.blake2b("|".join(map(str, parts)).encode(), digest_size=8).digest(), "little"
    )


def _iso(d: date, minute: int = 0) -> str:
    return (datetime(d.year, d.month, d.day, 8, 0) + timedelta(minutes=minute)).strftime("%Y-%m-%dT%H:%M:%SZ")


@dataclass
class Company:
    """One customer company and everything it owns."""

    index: int
    cid: str
    name: str
    business_id: str
    fy_start_month: int
    vat_period_months: int
    ledger: Ledger
    read_key: str
    write_key: str
    parties: list[dict] = field(default_factory=list)
    invoices: list[dict] = field(default_factory=list)
    templates: list[dict] = field(default_factory=list)
    messages: list[dict] = field(default_factory=list)
    uploads: list[dict] = field(default_factory=list)
    upload_bytes: dict[str, bytes] = field(default_factory=dict)
    outputs: list[dict] = field(default_factory=list)
    imports: list[dict] = field(default_factory=list)
    import_bytes: dict[str, bytes] = field(default_factory=dict)
    employees: list[dict] = field(default_factory=list)
    connections: dict[str, list[dict]] = field(default_factory=dict)
    api_keys: list[dict] = field(default_factory=list)
    output_files: dict[tuple[str, str], bytes] = field(default_factory=dict)

    @property
    def vat_number(self) -> str:
        return "FI" + self.business_id.replace("-", "")

    def profile(self, editable: bool) -> dict:
        return {
            "customer_id": self.cid,
            "legal_name": self.name,
            "business_id": self.business_id,
            "vat_number": self.vat_number,
            "country_code": "FI",
            "currency": "EUR",
            "fiscal_year_start_month": self.fy_start_month,
            "vat_period_months": self.vat_period_months,
            "vat_period_source": "dated" if self.index == 1 else "default",
            "company_form": "oy",
            "statement_format": "pma_kaava_1",
            "editable": editable,
        }


class World:
    """All companies; generation and deterministic mutation (`advance`)."""

    def __init__(self, cfg) -> None:
        self.cfg = cfg
        self.today: date = cfg.today
        self.open_period = cal.period_of(cfg.today)
        self.periods = cal.span(cal.shift(self.open_period, -(cfg.months - 1)), self.open_period)
        self.advances = 0
        self.session_token = (
            "eyJhbGciOiJSUzI1NiJ9.sandbox." + hashlib.sha256(f"session|{cfg.seed}".encode()).hexdigest()[:32]
        )
        self.companies: list[Company] = [self._company(i) for i in range(cfg.companies)]
        self.by_id = {c.cid: c for c in self.companies}
        self.keys: dict[str, tuple[str, str]] = {}  # key -> (cid, scope)
        for c in self.companies:
            self.keys[c.read_key] = (c.cid, "read")
            self.keys[c.write_key] = (c.cid, "write")

    # ---- generation ------------------------------------------------------------------------
    def _company(self, i: int) -> Company:
        cfg = self.cfg
        if i < len(_NAMES):
            name, cid, fy, vm = _NAMES[i]
        else:
            name, cid, fy, vm = f"Sandbox Company {i} Oy", f"cust_company_{i}_oy", 1 + i % 12, 1
        key = hashlib.sha256(f"{cfg.seed}|{cid}".encode()).hexdigest()
        c = Company(
            i,
            cid,
            name,
            ytunnus(_h(cfg.seed, cid, "ytunnus")),
            fy,
            vm,
            Ledger(cfg.seed, cid, self.periods, cfg.rows_per_month, self.today),
            read_key=f"lac_sk_read_{key[:24]}",
            write_key=f"lac_sk_write_{key[24:48]}",
        )
        rng = random.Random(f"{cfg.seed}|{cid}|world")
        c.parties = [self._party(c, j, rng) for j in range(len(_PARTY_NAMES))]
        for j in range(cfg.invoices):
            c.invoices.append(
                self._invoice(c, j + 1, rng, age_days=(cfg.invoices - j) * 4 + 2, draft=j >= cfg.invoices - 3)
            )
        c.templates = [self._template(c, j, rng) for j in range(3)]
        start = self.today - timedelta(days=cfg.messages * 2 + 2)
        for j in range(cfg.messages):
            c.messages.append(self._message(c, j, start + timedelta(days=j * 2), rng))
        for j in range(cfg.uploads):
            self._add_upload(c, j, self.today - timedelta(days=cfg.uploads - j + 1))
        for j in range(cfg.outputs):
            self._add_output(c, j, self.today - timedelta(days=cfg.outputs - j + 1))
        for j in range(cfg.imports):
            self._add_import(c, j, self.today - timedelta(days=300 - j * 30))
        c.employees = [self._employee(c, j, rng) for j in range(cfg.employees)]
        c.connections = self._connections(c)
        c.api_keys = [
            {
                "id": f"key_{c.read_key[-8:]}",
                "name": "Read access (sandbox)",
                "scope": "read",
                "created_by": "admin@sandbox.test",
                "created_at": _iso(self.today - timedelta(days=90)),
                "last_used_at": _iso(self.today),
                "revoked_at": None,
            },
            {
                "id": f"key_{c.write_key[-8:]}",
                "name": "Write access (sandbox)",
                "scope": "write",
                "created_by": "admin@sandbox.test",
                "created_at": _iso(self.today - timedelta(days=60)),
                "last_used_at": None,
                "revoked_at": None,
            },
            {
                "id": f"key_old{i:03d}",
                "name": "Old integration",
                "scope": "read",
                "created_by": "admin@sandbox.test",
                "created_at": _iso(self.today - timedelta(days=400)),
                "last_used_at": _iso(self.today - timedelta(days=200)),
                "revoked_at": _iso(self.today - timedelta(days=190)),
            },
        ]
        return c

    def _party(self, c: Company, j: int, rng: random.Random) -> dict:
        name, city, postal, country = _PARTY_NAMES[j]
        bid = ytunnus(_h(self.cfg.seed, c.cid, "party", j))
        p = {
            "id": f"party_{j + 1:03d}",
            "name": name,
            "address_line1": f"Katu {j + 1}",
            "postal_code": postal,
            "city": city,
            "country_code": country,
            "email": f"laskut{j + 1}@example.test",
            "default_payment_terms_days": rng.choice([14, 21, 30]),
            "default_invoice_language": "fi",
        }
        if country == "FI":
            p.update(
                business_id=bid,
                vat_number="FI" + bid.replace("-", ""),
                einvoice_address=f"0037{bid.replace('-', '')}",
                einvoice_operator="003721291126",
                default_vat_code="S255",
                default_vat_rate_basis_points=2550,
            )
        else:
            p.update(
                vat_number=f"{country}{_h(c.cid, j) % 10**9:09d}",
                default_vat_code="EU_SALE",
                default_vat_rate_basis_points=0,
            )
        return p

    def _lines(self, party: dict, rng: random.Random, n: int) -> list[dict]:
        lines = []
        for k in range(n):
            if party["country_code"] != "FI":
                code, bp = "EU_SALE", (None if k % 2 == 0 else 0)
            else:
                code, bp = rng.choices(
                    [("S255", 2550), ("S14", 1400), ("S10", 1000), ("S0", 0)], weights=[70, 10, 10, 10]
                )[0]
            qty = rng.choice(_QTYS)
            unit = rng.randrange(1000, 200000)
            net = int((Decimal(qty) * unit).quantize(Decimal(1), rounding=ROUND_HALF_UP))
            vat = round_bp(net, bp or 0)
            lines.append(
                {
                    "description": rng.choice(_LINE_TEXTS),
                    "quantity": qty,
                    "unit_price_cents": unit,
                    "vat_rate_basis_points": bp,
                    "vat_code": code,
                    "net_cents": net,
                    "vat_cents": vat,
                    "gross_cents": net + vat,
                }
            )
        return lines

    def _invoice(
        self, c: Company, n: int, rng: random.Random, age_days: int, draft: bool, status: str | None = None
    ) -> dict:
        party = rng.choice(c.parties)
        lines = self._lines(party, rng, rng.randint(1, 4))
        issue = self.today - timedelta(days=age_days)
        due = issue + timedelta(days=party["default_payment_terms_days"])
        if status is None:
            r = rng.random()
            status = "draft" if draft else ("paid" if r < 0.45 else "credited" if r < 0.5 else "sent")
        if status == "sent" and due < self.today:
            status = "overdue"
        return {
            "id": f"inv_{n:05d}",
            "number": None if status == "draft" else f"{issue.year}-{n:04d}",
            "status": status,
            "customer": dict(party),
            "issue_date": issue.isoformat(),
            "due_date": due.isoformat(),
            "delivery_channel": "maventa_einvoice"
            if "einvoice_address" in party
            else rng.choice(["email_pdf", "pdf_download"]),
            "net_cents": sum(x["net_cents"] for x in lines),
            "vat_cents": sum(x["vat_cents"] for x in lines),
            "gross_cents": sum(x["gross_cents"] for x in lines),
            "currency": "EUR",
            "updated_at": _iso(issue, n % 600),
            "lines": lines,
        }

    def _template(self, c: Company, j: int, rng: random.Random) -> dict:
        party = c.parties[j]
        lines = self._lines(party, rng, 1 + j % 2)
        cadence = (1, 3, 12)[j]
        return {
            "template_id": f"tmpl_{j + 1:03d}",
            "name": f"Kuukausilaskutus {party['name']}",
            "cadence_months": cadence,
            "next_issue_date": cal.first_day(cal.shift(self.open_period, 1)).isoformat(),
            "status": "paused" if j == 2 else "active",
            "draft": {
                "customer_party_id": party["id"],
                "lines": lines,
                "net_cents": sum(x["net_cents"] for x in lines),
                "vat_cents": sum(x["vat_cents"] for x in lines),
                "gross_cents": sum(x["gross_cents"] for x in lines),
            },
        }

    def _message(self, c: Company, j: int, d: date, rng: random.Random) -> dict:
        agent = j % 2 == 1
        texts = _MSG_AGENT if agent else _MSG_CUSTOMER
        return {
            "id": f"msg_{j + 1:04d}",
            "sender": "bjorn" if agent else "customer",
            "body": texts[(j // 2) % len(texts)],
            "sent_at": _iso(d, j),
        }

    def _add_upload(self, c: Company, j: int, d: date) -> dict:
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
                [f"{c.name}", f"Document {name}", f"Amount {(_h(c.cid, j) % 90000) / 100:.2f}"], title=kind
            )
        elif ext == "jpg":
            data = files.JPEG_BYTES
        else:
            data = files.csv_bytes(
                [
                    ["date", "amount_cents", "text"],
                    *[[d.isoformat(), _h(c.cid, j, k) % 50000 - 25000, f"tx {k}"] for k in range(5)],
                ]
            )
        c.upload_bytes[name] = data
        item = {
            "filename": name,
            "display_name": name.rsplit(".", 1)[0].replace("_", " "),
            "kind": kind,
            "size_bytes": len(data),
            "content_type": files.CONTENT_TYPES[ext],
            "uploaded_at": _iso(d, j),
            "sha256": hashlib.sha256(data).hexdigest(),
            "parsed": j % 4 != 3,
            "booked": j % 4 in (0, 1),
        }
        c.uploads.append(item)
        return item

    def _add_output(self, c: Company, j: int, d: date) -> dict:
        kind = "vat_return_draft" if j % 2 == 0 else "monthly_close"
        months = c.vat_period_months if kind == "vat_return_draft" else 1
        last = cal.shift(self.open_period, -1 - (j % 3))
        if last not in self.periods:
            last = self.periods[0]
        start = cal.vat_period_start(last, months) if kind == "vat_return_draft" else last
        periods = [p for p in cal.span(start, last) if p in self.periods]
        oid = f"out_{j + 1:04d}"
        preview = reports.vat_preview(c.ledger, periods)
        out = {
            "output_id": oid,
            "kind": kind,
            "period_start": start,
            "period_end": last,
            "created_at": _iso(d, j),
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

    def _add_import(self, c: Company, j: int, d: date) -> dict:
        rid = f"imp_{j + 1:04d}"
        source = ("procountor", "fennoa", "netvisor")[j % 3]
        csv = files.csv_bytes(
            [
                ["date", "account", "amount_cents"],
                *[[d.isoformat(), 3000 + k * 10, _h(rid, k) % 100000] for k in range(8)],
            ]
        )
        manifest = json.dumps({"run_id": rid, "source_system": source, "files": ["ledger.csv"]}).encode()
        raw = files.zip_bytes([("manifest.json", manifest), ("ledger.csv", csv)])
        c.import_bytes[rid] = raw
        run = {
            "run_id": rid,
            "source_system": source,
            "status": "failed" if j % 5 == 4 else "completed",
            "started_at": _iso(d, j),
            "finished_at": _iso(d, j + 5),
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

    def _employee(self, c: Company, j: int, rng: random.Random) -> dict:
        first = ["Aino", "Eero", "Helmi", "Onni", "Venla", "Leevi"][j % 6]
        return {
            "employee_id": f"emp_{j + 1:03d}",
            "name": f"{first} Virtanen",
            "employment_type": "monthly",
            "start_date": cal.first_day(self.periods[0]).isoformat(),
            "monthly_salary_cents": 280000 + rng.randrange(0, 300000, 100),
            "withholding_basis_points": 1500 + rng.randrange(0, 1500, 50),
            "pension_basis_points": 715,
            "iban": f"FI21 1234 5600 000{j:03d}",
        }

    def _connections(self, c: Company) -> dict[str, list[dict]]:
        ts = _iso(self.today)
        return {
            "bank": [
                {
                    "connection_id": f"bank_{c.index}_1",
                    "provider": "yapily",
                    "bank_name": "OP",
                    "iban_masked": "FI** **** **** 1234",
                    "status": "active",
                    "last_synced_at": ts,
                },
                {
                    "connection_id": f"bank_{c.index}_2",
                    "provider": "yapily",
                    "bank_name": "Nordea",
                    "iban_masked": "FI** **** **** 9876",
                    "status": "expired",
                    "last_synced_at": None,
                },
            ],
            "stripe": [
                {
                    "connection_id": f"stripe_{c.index}_1",
                    "account_name": c.name,
                    "status": "active",
                    "last_synced_at": ts,
                }
            ],
            "procountor": [
                {
                    "connection_id": f"proc_{c.index}_1",
                    "environment": "production",
                    "status": "active",
                    "last_synced_at": ts,
                }
            ],
            "fennoa": [
                {"connection_id": f"fennoa_{c.index}_1", "status": "disconnected", "last_synced_at": None}
            ],
            "inbox": [
                {
                    "connection_id": f"inbox_{c.index}_1",
                    "email": f"kuitit+{c.index}@lac.test",
                    "provider": "gmail",
                    "status": "active",
                }
            ],
            "gsheet": [],
        }

    # ---- queries ---------------------------------------------------------------------------
    def payroll(self, c: Company, period: str) -> dict:
        runs = []
        if period in self.periods:
            slips = [self.payslip(c, e, period) for e in c.employees]
            runs.append(
                {
                    "run_id": f"prun_{period.replace('-', '_')}",
                    "period": period,
                    "status": "draft" if period == self.open_period else "approved",
                    "gross_cents": sum(s["gross_cents"] for s in slips),
                    "net_cents": sum(s["net_pay_cents"] for s in slips),
                    "payslip_count": len(slips),
                }
            )
        return {
            "customer_id": c.cid,
            "period": period,
            "employees": [dict(e) for e in c.employees],
            "employer_settings": {
                "employer_pension_basis_points": 1734,
                "unemployment_insurance_basis_points": 52,
                "health_insurance_basis_points": 187,
                "accident_insurance_basis_points": 70,
            },
            "runs": runs,
        }

    def payslip(self, c: Company, emp: dict, period: str) -> dict:
        gross = emp["monthly_salary_cents"]
        wh = round_bp(gross, emp["withholding_basis_points"])
        pen = round_bp(gross, emp["pension_basis_points"])
        return {
            "employee_id": emp["employee_id"],
            "name": emp["name"],
            "period": period,
            "run_id": f"prun_{period.replace('-', '_')}",
            "gross_cents": gross,
            "withholding_cents": wh,
            "pension_cents": pen,
            "net_pay_cents": gross - wh - pen,
            "withholding_basis_points": emp["withholding_basis_points"],
            "pension_basis_points": emp["pension_basis_points"],
        }

    # ---- advance ---------------------------------------------------------------------------
    def advance(self) -> dict:
        """One deterministic upstream change round (see README); returns exactly what changed."""
        self.advances += 1
        k = self.advances
        per = {c.cid: self._advance_company(c, k) for c in self.companies}
        first = per[self.companies[0].cid]
        return {"advance": k, **first, "customers": per}

    def _advance_company(self, c: Company, k: int) -> dict:
        led, rng = c.ledger, random.Random(f"{self.cfg.seed}|{c.cid}|advance|{k}")
        stamp = _iso(self.today, 600 + k)
        ch: dict = {"rows_added": [], "rows_edited": [], "rows_deleted": []}
        openp = self.open_period
        for n in range(2 + k % 3):
            acc = rng.choice(["3000", "3010", "3050", "4000", "6800", "4050"])
            net = rng.randrange(5000, 200000) * (1 if acc.startswith("3") else -1)
            r = led.append_row(openp, acc, net, f"Uusi tapahtuma {k}/{n + 1}", "Kuusi Consulting Oy")
            ch["rows_added"].append({"period": openp, "seq": r["seq"]})

        def edit(period: str, count: int, salt: int) -> None:
            if period not in self.periods:
                return
            for seq in led.live_seqs_sample(period, count, salt):
                old = led.row(period, seq)
                new_net = old["net_cents"] + (1 if old["net_cents"] >= 0 else -1) * (
                    1000 + rng.randrange(9000)
                )
                led.edit_row(period, seq, new_net)
                ch["rows_edited"].append(
                    {
                        "period": period,
                        "seq": seq,
                        "old_net_cents": old["net_cents"],
                        "new_net_cents": new_net,
                    }
                )

        edit(cal.shift(openp, -1), 2, k * 10 + 1)
        two_back = cal.shift(openp, -2)
        if two_back in self.periods:
            for seq in led.live_seqs_sample(two_back, 1, k * 10 + 2):
                led.delete_row(two_back, seq)
                ch["rows_deleted"].append({"period": two_back, "seq": seq})
        old_period = cal.shift(openp, -8 - (k % 3))
        if old_period not in self.periods:
            old_period = self.periods[0]
        edit(old_period, 1, k * 10 + 3)
        ch["periods_touched"] = sorted(
            {x["period"] for key in ("rows_added", "rows_edited", "rows_deleted") for x in ch[key]}
        )
        # invoices
        paid = [i for i in c.invoices if i["status"] == "sent"][:2]
        if len(paid) < 2:
            paid += [i for i in c.invoices if i["status"] == "overdue"][: 2 - len(paid)]
        for inv in paid:
            inv["status"] = "paid"
            inv["updated_at"] = stamp
        ch["invoices_paid"] = [i["id"] for i in paid]
        paid_ids = set(ch["invoices_paid"])
        victims = [i for i in c.invoices if i["status"] == "draft"] or [
            i for i in c.invoices if i["id"] not in paid_ids
        ]
        ch["invoices_removed"] = []
        if victims:
            c.invoices.remove(victims[0])
            ch["invoices_removed"].append(victims[0]["id"])
        next_n = max([int(i["id"][4:]) for i in c.invoices] + [self.cfg.invoices + 3 * (k - 1)]) + 1
        new = [self._invoice(c, next_n + j, rng, age_days=0, draft=False, status="sent") for j in range(3)]
        for inv in new:
            inv["updated_at"] = stamp
        c.invoices.extend(new)
        ch["invoices_new"] = [i["id"] for i in new]
        # messages, uploads, outputs, imports
        base = len(c.messages)
        msgs = [self._message(c, base + j, self.today, rng) for j in range(2)]
        for m in msgs:
            m["sent_at"] = stamp
        c.messages.extend(msgs)
        ch["messages_new"] = [m["id"] for m in msgs]
        ch["uploads_new"] = [self._add_upload(c, len(c.uploads), self.today)["filename"]]
        ch["outputs_new"] = [self._add_output(c, len(c.outputs), self.today)["output_id"]]
        ch["imports_new"] = [self._add_import(c, len(c.imports), self.today)["run_id"]]
        return ch
