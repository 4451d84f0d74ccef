"""Workspace data: chat messages, source-system connections and payroll."""

from __future__ import annotations

import random
from datetime import date
from typing import TYPE_CHECKING

from . import calendar as cal
from .company import Company
from .derive import stamp
from .ledger import round_bp

if TYPE_CHECKING:
    from .world import World

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
PROVIDERS = ("bank", "stripe", "procountor", "fennoa", "inbox", "gsheet")


def message(j: int, d: date) -> dict:
    """Chat message `j` sent on `d`; customer and agent (Björn) alternate."""
    agent = j % 2 == 1
    texts = _MSG_AGENT if agent else _MSG_CUSTOMER
    return {
        "id": f"msg_{j + 1:04d}",
        "sender": "bjorn" if agent else "customer",
        "body": texts[(j // 2) % len(texts)],
        "sent_at": stamp(d, j),
    }


def employee(w: World, j: int, rng: random.Random) -> dict:
    """Employee `j`, employed since the first generated month."""
    first = ["Aino", "Eero", "Helmi", "Onni", "Venla", "Leevi"][j % 6]
    return {
        "employee_id": f"emp_{j + 1:03d}",
        "name": f"{first} Virtanen",
        "employment_type": "monthly",
        "start_date": cal.first_day(w.periods[0]).isoformat(),
        "monthly_salary_cents": 280000 + rng.randrange(0, 300000, 100),
        "withholding_basis_points": 1500 + rng.randrange(0, 1500, 50),
        "pension_basis_points": 715,
        "iban": f"FI21 1234 5600 000{j:03d}",
    }


def connections(w: World, c: Company) -> dict[str, list[dict]]:
    """The company's source-system connections by provider (Google Sheets: none)."""
    ts = stamp(w.today)
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


def payroll(w: World, c: Company, period: str) -> dict:
    """The payroll workspace for `period`: employees, employer settings and the month's run."""
    runs = []
    if period in w.periods:
        slips = [payslip(e, period) for e in c.employees]
        runs.append(
            {
                "run_id": f"prun_{period.replace('-', '_')}",
                "period": period,
                "status": "draft" if period == w.open_period else "approved",
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


def payslip(emp: dict, period: str) -> dict:
    """One employee's payslip for `period` (withholding and pension rounded half up)."""
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
