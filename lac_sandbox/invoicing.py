"""Invoicing data: the invoice-customer register (parties), invoices and recurring templates."""

from __future__ import annotations

import random
from datetime import timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING

from . import calendar as cal
from .company import Company, ytunnus
from .derive import digest, stamp
from .ledger import round_bp

if TYPE_CHECKING:
    from .world import World

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


def parties(w: World, c: Company, rng: random.Random) -> list[dict]:
    """The invoice-customer register of `c`."""
    return [party(w, c, j, rng) for j in range(len(_PARTY_NAMES))]


def party(w: World, c: Company, j: int, rng: random.Random) -> dict:
    """Entry `j` of the invoice-customer register (Finnish parties get e-invoice routing)."""
    name, city, postal, country = _PARTY_NAMES[j]
    bid = ytunnus(digest(w.cfg.seed, c.cid, "party", j))
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
            vat_number=f"{country}{digest(c.cid, j) % 10**9:09d}",
            default_vat_code="EU_SALE",
            default_vat_rate_basis_points=0,
        )
    return p


def invoice_lines(party: dict, rng: random.Random, n: int) -> list[dict]:
    """`n` invoice lines for `party` (EU parties get EU_SALE lines)."""
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


def invoice(
    w: World, c: Company, n: int, rng: random.Random, age_days: int, draft: bool, status: str | None = None
) -> dict:
    """Invoice number `n`, issued `age_days` ago; status drawn from `rng` unless given."""
    party = rng.choice(c.parties)
    lines = invoice_lines(party, rng, rng.randint(1, 4))
    issue = w.today - timedelta(days=age_days)
    due = issue + timedelta(days=party["default_payment_terms_days"])
    if status is None:
        r = rng.random()
        status = "draft" if draft else ("paid" if r < 0.45 else "credited" if r < 0.5 else "sent")
    if status == "sent" and due < w.today:
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
        "updated_at": stamp(issue, n % 600),
        "lines": lines,
    }


def template(w: World, c: Company, j: int, rng: random.Random) -> dict:
    """Recurring template `j` (monthly, quarterly, yearly) for party `j`."""
    party = c.parties[j]
    lines = invoice_lines(party, rng, 1 + j % 2)
    cadence = (1, 3, 12)[j]
    return {
        "template_id": f"tmpl_{j + 1:03d}",
        "name": f"Kuukausilaskutus {party['name']}",
        "cadence_months": cadence,
        "next_issue_date": cal.first_day(cal.shift(w.open_period, 1)).isoformat(),
        "status": "paused" if j == 2 else "active",
        "draft": {
            "customer_party_id": party["id"],
            "lines": lines,
            "net_cents": sum(x["net_cents"] for x in lines),
            "vat_cents": sum(x["vat_cents"] for x in lines),
            "gross_cents": sum(x["gross_cents"] for x in lines),
        },
    }
