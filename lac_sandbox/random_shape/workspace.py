"""The random shape of the workspace: messages, connection lists, payroll and payslips."""

from __future__ import annotations

from .layout import Layout, keyed, plain, put
from .naming import Draw

MESSAGE_FIELDS = ("id", "sender", "body", "sent_at")
CONNECTION_FIELDS = (
    "connection_id", "provider", "bank_name", "iban_masked", "account_name", "environment", "email",
    "status", "last_synced_at",
)  # fmt: skip
EMPLOYEE_FIELDS = (
    "employee_id", "name", "employment_type", "start_date", "monthly_salary_cents",
    "withholding_basis_points", "pension_basis_points", "iban",
)  # fmt: skip
RUN_FIELDS = ("run_id", "period", "status", "gross_cents", "net_cents", "payslip_count")
SETTINGS_FIELDS = (
    "employer_pension_basis_points", "unemployment_insurance_basis_points",
    "health_insurance_basis_points", "accident_insurance_basis_points",
)  # fmt: skip
PAYSLIP_FIELDS = (
    "employee_id", "name", "period", "run_id", "gross_cents", "withholding_cents", "pension_cents",
    "net_pay_cents", "withholding_basis_points", "pension_basis_points",
)  # fmt: skip


class WorkspaceShape:
    """Seeded layouts of messages, connection lists and the payroll workspace."""

    def __init__(self, seed: int):
        self.message: Layout = keyed(Draw(seed, "messages"), MESSAGE_FIELDS, "id", None)
        self._connections(Draw(seed, "connections"))
        self._payroll(Draw(seed, "payroll"))

    # ---- connections -----------------------------------------------------------------------
    def _connections(self, d: Draw) -> None:
        self.connection = keyed(d, CONNECTION_FIELDS, "connection_id", "connection_id")
        self.connections_path = (d.word(), d.word()) if d.chance(0.4) else (d.word(),)
        self.setup = plain(d, ["provider", "connect_via", "count"])
        self.setup_wrap = d.word() if d.chance(0.6) else None
        self.with_customer_id = d.chance(0.5)

    def connections(self, cid: str, provider: str, items: list[dict]) -> dict:
        out: dict = {"customer_id": cid} if self.with_customer_id else {}
        put(out, self.connections_path, [self.connection.render(i) for i in items])
        setup = self.setup.render({"provider": provider, "connect_via": "portal_ui", "count": len(items)})
        if self.setup_wrap:
            out[self.setup_wrap] = setup
        else:
            out.update(setup)
        return out

    # ---- payroll ---------------------------------------------------------------------------
    def _payroll(self, d: Draw) -> None:
        self.employee = keyed(d, EMPLOYEE_FIELDS, "employee_id", "employee_id")
        self.run = keyed(d, RUN_FIELDS, "run_id", "run_id")
        self.settings = plain(d, SETTINGS_FIELDS)
        self.payslip_layout = plain(d, PAYSLIP_FIELDS)

    def payroll(self, ws: dict) -> dict:
        """The workspace's top level (`employees`, `employer_settings`, `runs`, ...) keeps its names."""
        return {
            **ws,
            "employees": [self.employee.render(e) for e in ws["employees"]],
            "employer_settings": self.settings.render(ws["employer_settings"]),
            "runs": [self.run.render(r) for r in ws["runs"]],
        }

    def payslip(self, slip: dict) -> dict:
        return self.payslip_layout.render(slip)
