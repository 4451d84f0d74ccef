"""Static reference data: an SKR03-like chart of accounts and German tax codes."""

from __future__ import annotations

from dataclasses import dataclass

TYPES = ("asset", "liability", "equity", "revenue", "expense")
BALANCE_TYPES = ("asset", "liability", "equity")


@dataclass(frozen=True)
class Account:
    number: str
    name: str
    type: str
    category: str
    report_group: str
    is_system: bool = False
    is_active: bool = True
    default_tax_code: str | None = None


def _a(number, name, type_, category, group, system=False, active=True, tax=None) -> Account:
    return Account(number, name, type_, category, group, system, active, tax)


ACCOUNTS: tuple[Account, ...] = (
    _a("0420", "Büroeinrichtung", "asset", "fixed_assets", "bs.assets.fixed.equipment"),
    _a("0480", "Geringwertige Wirtschaftsgüter", "asset", "fixed_assets", "bs.assets.fixed.equipment"),
    _a("0800", "Gezeichnetes Kapital", "equity", "capital", "bs.equity.subscribed_capital", True),
    _a("0860", "Gewinnvortrag vor Verwendung", "equity", "retained_earnings", "bs.equity.retained", True),
    _a("0970", "Sonstige Rückstellungen", "liability", "provisions", "bs.liabilities.provisions"),
    _a("1000", "Kasse", "asset", "cash", "bs.assets.current.cash", True),
    _a("1200", "Bank Geschäftskonto", "asset", "bank", "bs.assets.current.bank", True),
    _a("1210", "Tagesgeldkonto", "asset", "bank", "bs.assets.current.bank"),
    _a("1220", "Bank USD-Konto", "asset", "bank", "bs.assets.current.bank"),
    _a("1360", "Geldtransit", "asset", "clearing", "bs.assets.current.other"),
    _a(
        "1400",
        "Forderungen aus Lieferungen und Leistungen",
        "asset",
        "receivables",
        "bs.assets.current.receivables",
        True,
    ),
    _a("1571", "Abziehbare Vorsteuer 7 %", "asset", "input_vat", "bs.assets.current.tax", True),
    _a("1575", "Abziehbare Vorsteuer 16 %", "asset", "input_vat", "bs.assets.current.tax", True, False),
    _a("1576", "Abziehbare Vorsteuer 19 %", "asset", "input_vat", "bs.assets.current.tax", True),
    _a(
        "1577",
        "Abziehbare Vorsteuer nach § 13b UStG 19 %",
        "asset",
        "input_vat",
        "bs.assets.current.tax",
        True,
    ),
    _a("1590", "Durchlaufende Posten", "asset", "clearing", "bs.assets.current.other", False, False),
    _a(
        "1600",
        "Verbindlichkeiten aus Lieferungen und Leistungen",
        "liability",
        "payables",
        "bs.liabilities.payables",
        True,
    ),
    _a("1730", "Kreditkartenabrechnung", "liability", "clearing", "bs.liabilities.other"),
    _a("1771", "Umsatzsteuer 7 %", "liability", "output_vat", "bs.liabilities.tax", True),
    _a("1775", "Umsatzsteuer 16 %", "liability", "output_vat", "bs.liabilities.tax", True, False),
    _a("1776", "Umsatzsteuer 19 %", "liability", "output_vat", "bs.liabilities.tax", True),
    _a("1780", "Umsatzsteuer-Vorauszahlungen", "liability", "vat_settlement", "bs.liabilities.tax", True),
    _a("1787", "Umsatzsteuer nach § 13b UStG 19 %", "liability", "output_vat", "bs.liabilities.tax", True),
    _a("2150", "Aufwendungen aus Kursdifferenzen", "expense", "fx", "pl.financial.fx_losses", True),
    _a("2650", "Sonstige Zinsen und ähnliche Erträge", "revenue", "interest", "pl.financial.interest"),
    _a("2660", "Erträge aus Kursdifferenzen", "revenue", "fx", "pl.financial.fx_gains", True),
    _a(
        "3123",
        "Sonstige Leistungen eines im anderen EU-Land ansässigen Unternehmers 19 % VSt/USt",
        "expense",
        "cost_of_goods",
        "pl.material",
        False,
        True,
        "RC19",
    ),
    _a(
        "3400", "Wareneingang 19 % Vorsteuer", "expense", "cost_of_goods", "pl.material", False, True, "VSt19"
    ),
    _a("4120", "Gehälter", "expense", "personnel", "pl.personnel.wages"),
    _a("4130", "Gesetzliche soziale Aufwendungen", "expense", "personnel", "pl.personnel.social"),
    _a("4210", "Miete", "expense", "premises", "pl.other_operating.premises", False, True, "VSt19"),
    _a(
        "4240",
        "Gas, Strom, Wasser",
        "expense",
        "premises",
        "pl.other_operating.premises",
        False,
        True,
        "VSt19",
    ),
    _a("4360", "Versicherungen", "expense", "insurance", "pl.other_operating.insurance"),
    _a("4600", "Werbekosten", "expense", "marketing", "pl.other_operating.marketing", False, True, "VSt19"),
    _a("4650", "Bewirtungskosten", "expense", "travel", "pl.other_operating.travel", False, True, "VSt19"),
    _a(
        "4660",
        "Reisekosten Arbeitnehmer",
        "expense",
        "travel",
        "pl.other_operating.travel",
        False,
        True,
        "VSt7",
    ),
    _a("4830", "Abschreibungen auf Sachanlagen", "expense", "depreciation", "pl.depreciation"),
    _a("4900", "Sonstige betriebliche Aufwendungen", "expense", "other", "pl.other_operating.other"),
    _a("4910", "Porto", "expense", "office", "pl.other_operating.office"),
    _a("4920", "Telefon", "expense", "office", "pl.other_operating.office", False, True, "VSt19"),
    _a("4930", "Bürobedarf", "expense", "office", "pl.other_operating.office", False, True, "VSt19"),
    _a(
        "4940",
        "Zeitschriften, Bücher",
        "expense",
        "office",
        "pl.other_operating.office",
        False,
        False,
        "VSt7",
    ),
    _a(
        "4950",
        "Rechts- und Beratungskosten",
        "expense",
        "professional_fees",
        "pl.other_operating.fees",
        False,
        True,
        "VSt19",
    ),
    _a(
        "4964",
        "Aufwendungen für Lizenzen und Software",
        "expense",
        "software",
        "pl.other_operating.it",
        False,
        True,
        "RC19",
    ),
    _a("4970", "Nebenkosten des Geldverkehrs", "expense", "bank_fees", "pl.other_operating.bank_fees"),
    _a(
        "8125",
        "Steuerfreie innergemeinschaftliche Lieferungen § 4 Nr. 1b UStG",
        "revenue",
        "revenue_eu",
        "pl.revenue",
        False,
        True,
        "EU0",
    ),
    _a("8200", "Erlöse", "revenue", "revenue_domestic", "pl.revenue", False, False),
    _a("8300", "Erlöse 7 % USt", "revenue", "revenue_domestic", "pl.revenue", False, True, "USt7"),
    _a(
        "8338",
        "Erlöse aus im Drittland steuerbaren Leistungen",
        "revenue",
        "revenue_export",
        "pl.revenue",
        False,
        True,
        "EX0",
    ),
    _a("8400", "Erlöse 19 % USt", "revenue", "revenue_domestic", "pl.revenue", True, True, "USt19"),
    _a("9000", "Saldenvorträge Sachkonten", "equity", "opening", "bs.equity.opening", True),
)
ACCOUNT = {a.number: a for a in ACCOUNTS}


@dataclass(frozen=True)
class TaxCode:
    code: str
    label: str
    description: str
    rate: int  # percent
    vat_account: str | None  # output VAT for sales codes, input VAT for purchase codes
    self_assess_account: str | None  # reverse charge: the output VAT the buyer owes
    direction: str  # output | input | reverse_charge | exempt
    is_system: bool = True
    is_active: bool = True


TAX_CODES: tuple[TaxCode, ...] = (
    TaxCode("USt19", "USt 19 %", "Umsatzsteuer 19 % (Regelsteuersatz)", 19, "1776", None, "output"),
    TaxCode("USt7", "USt 7 %", "Umsatzsteuer 7 % (ermäßigt)", 7, "1771", None, "output"),
    TaxCode("VSt19", "VSt 19 %", "Abziehbare Vorsteuer 19 %", 19, "1576", None, "input"),
    TaxCode("VSt7", "VSt 7 %", "Abziehbare Vorsteuer 7 %", 7, "1571", None, "input"),
    TaxCode(
        "RC19",
        "§13b 19 %",
        "Steuerschuldnerschaft des Leistungsempfängers (§ 13b UStG) 19 %",
        19,
        "1577",
        "1787",
        "reverse_charge",
    ),
    TaxCode(
        "EU0", "IG Lieferung 0 %", "Steuerfreie innergemeinschaftliche Lieferung", 0, None, None, "exempt"
    ),
    TaxCode("EX0", "Drittland 0 %", "Leistung im Drittland, nicht steuerbar", 0, None, None, "exempt"),
    TaxCode(
        "KU0",
        "Kleinunternehmer",
        "Eingangsrechnung eines Kleinunternehmers (§ 19 UStG), ohne USt",
        0,
        None,
        None,
        "exempt",
        False,
    ),
    TaxCode(
        "USt16", "USt 16 %", "Umsatzsteuer 16 % (2. Halbjahr 2020)", 16, "1775", None, "output", True, False
    ),
    TaxCode(
        "VSt16",
        "VSt 16 %",
        "Abziehbare Vorsteuer 16 % (2. Halbjahr 2020)",
        16,
        "1575",
        None,
        "input",
        True,
        False,
    ),
)
TAX = {t.code: t for t in TAX_CODES}


def natural_sign(account_type: str) -> int:
    """+1 where the balance is naturally a debit (assets, expenses), -1 otherwise."""
    return 1 if account_type in ("asset", "expense") else -1
