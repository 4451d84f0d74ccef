"""The world: every company with everything it owns, generated deterministically from the seed.

Generation lives in one module per area (`company`, `invoicing`, `documents`, `workspace`);
`advance` holds the deterministic change rounds.
"""

from __future__ import annotations

import hashlib
import random
from datetime import date, timedelta

from . import advance as change
from . import calendar as cal
from . import documents, invoicing, workspace
from .company import COMPANY_NAMES, Company, api_keys, ytunnus
from .derive import digest
from .ledger import Ledger


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

    def _company(self, i: int) -> Company:
        cfg = self.cfg
        if i < len(COMPANY_NAMES):
            name, cid, fy, vm = COMPANY_NAMES[i]
        else:
            name, cid, fy, vm = f"Sandbox Company {i} Oy", f"cust_company_{i}_oy", 1 + i % 12, 1
        key = hashlib.sha256(f"{cfg.seed}|{cid}".encode()).hexdigest()
        c = Company(
            i,
            cid,
            name,
            ytunnus(digest(cfg.seed, cid, "ytunnus")),
            fy,
            vm,
            Ledger(cfg.seed, cid, self.periods, cfg.rows_per_month, self.today),
            read_key=f"lac_sk_read_{key[:24]}",
            write_key=f"lac_sk_write_{key[24:48]}",
        )
        rng = random.Random(f"{cfg.seed}|{cid}|world")
        c.parties = invoicing.parties(self, c, rng)
        for j in range(cfg.invoices):
            c.invoices.append(
                invoicing.invoice(
                    self, c, j + 1, rng, age_days=(cfg.invoices - j) * 4 + 2, draft=j >= cfg.invoices - 3
                )
            )
        c.templates = [invoicing.template(self, c, j, rng) for j in range(3)]
        start = self.today - timedelta(days=cfg.messages * 2 + 2)
        for j in range(cfg.messages):
            c.messages.append(workspace.message(j, start + timedelta(days=j * 2)))
        for j in range(cfg.uploads):
            documents.add_upload(c, j, self.today - timedelta(days=cfg.uploads - j + 1))
        for j in range(cfg.outputs):
            documents.add_output(self, c, j, self.today - timedelta(days=cfg.outputs - j + 1))
        for j in range(cfg.imports):
            documents.add_import(c, j, self.today - timedelta(days=300 - j * 30))
        c.employees = [workspace.employee(self, j, rng) for j in range(cfg.employees)]
        c.connections = workspace.connections(self, c)
        c.api_keys = api_keys(c, self.today)
        return c

    # ---- queries ---------------------------------------------------------------------------
    def payroll(self, c: Company, period: str) -> dict:
        """The canonical payroll workspace of `c` for `period`."""
        return workspace.payroll(self, c, period)

    def payslip(self, c: Company, emp: dict, period: str) -> dict:
        """The canonical payslip of employee `emp` for `period`."""
        return workspace.payslip(emp, period)

    # ---- advance ---------------------------------------------------------------------------
    def advance(self) -> dict:
        """One deterministic upstream change round (see docs/sandbox.md); returns exactly what changed."""
        return change.advance(self)
