"""A customer company: identity, keys and everything it owns, plus its company profile."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from .derive import stamp
from .ledger import Ledger

COMPANY_NAMES = [  # (name, customer_id, fiscal year start month, VAT period months)
    ("Aurora Design Oy", "cust_aurora_oy", 7, 1),
    ("Borealis Trading Oy", "cust_borealis_oy", 1, 3),
    ("Cirrus Analytics Oy", "cust_cirrus_oy", 1, 1),
    ("Delta Rakennus Oy", "cust_delta_oy", 5, 1),
    ("Eira Foods Oy", "cust_eira_oy", 1, 3),
]


def ytunnus(base7: int) -> str:
    """A Finnish business ID with a valid check digit (base numbers giving remainder 1 are bumped)."""
    while True:
        digits = f"{base7 % 10_000_000:07d}"
        r = sum(int(d) * w for d, w in zip(digits, (7, 9, 10, 5, 8, 4, 2), strict=True)) % 11
        if r != 1:
            return f"{digits}-{0 if r == 0 else 11 - r}"
        base7 += 1


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


def api_keys(c: Company, today: date) -> list[dict]:
    """The company's API key metadata: its read and write keys and one revoked old key."""
    return [
        {
            "id": f"key_{c.read_key[-8:]}",
            "name": "Read access (sandbox)",
            "scope": "read",
            "created_by": "admin@sandbox.test",
            "created_at": stamp(today - timedelta(days=90)),
            "last_used_at": stamp(today),
            "revoked_at": None,
        },
        {
            "id": f"key_{c.write_key[-8:]}",
            "name": "Write access (sandbox)",
            "scope": "write",
            "created_by": "admin@sandbox.test",
            "created_at": stamp(today - timedelta(days=60)),
            "last_used_at": None,
            "revoked_at": None,
        },
        {
            "id": f"key_old{c.index:03d}",
            "name": "Old integration",
            "scope": "read",
            "created_by": "admin@sandbox.test",
            "created_at": stamp(today - timedelta(days=400)),
            "last_used_at": stamp(today - timedelta(days=200)),
            "revoked_at": stamp(today - timedelta(days=190)),
        },
    ]
