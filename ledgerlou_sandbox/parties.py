"""Customer and vendor master data templates."""

from __future__ import annotations

from dataclasses import dataclass

# name, country, currency, tax code, revenue account, payment terms (days), address
CUSTOMERS = (
    ("Bauer Logistik GmbH", "DE", "EUR", "USt19", "8400", 14, "Industriestraße 12, 80939 München"),
    ("Schulz & Partner Steuerberatung", "DE", "EUR", "USt19", "8400", 14, "Kaufingerstraße 5, 80331 München"),
    ("Hoffmann Elektrotechnik GmbH", "DE", "EUR", "USt19", "8400", 30, "Am Hafen 3, 20457 Hamburg"),
    ("Weber Maschinenbau AG", "DE", "EUR", "USt19", "8400", 30, "Werkstraße 40, 70565 Stuttgart"),
    ("Café Krause", "DE", "EUR", "USt7", "8300", 14, "Marktplatz 1, 01067 Dresden"),
    ("Becker IT-Service e.K.", "DE", "EUR", "USt19", "8400", 14, "Lindenallee 7, 50668 Köln"),
    ("Alpenblick Consulting GmbH", "AT", "EUR", "EU0", "8125", 30, "Mariahilfer Straße 88, 1070 Wien"),
    ("Acme Robotics Inc.", "US", "USD", "EX0", "8338", 30, "500 Market St, San Francisco, CA 94105"),
    ("Zürcher Präzision AG", "CH", "CHF", "EX0", "8338", 30, "Bahnhofstrasse 10, 8001 Zürich"),
    ("Wagner Holzbau GmbH & Co. KG", "DE", "EUR", "USt19", "8400", 21, "Sägewerkweg 2, 83022 Rosenheim"),
    ("Lumière Design SARL", "FR", "EUR", "EU0", "8125", 30, "12 Rue de Rivoli, 75004 Paris"),
    ("Fischer Medien GmbH", "DE", "EUR", "USt19", "8400", 14, "Medienhafen 9, 40221 Düsseldorf"),
    ("Neumann Gastro GmbH", "DE", "EUR", "USt7", "8300", 14, "Schanzenstraße 21, 20357 Hamburg"),
    ("Kowalski Transporte Sp. z o.o.", "PL", "EUR", "EU0", "8125", 30, "ul. Długa 4, 80-827 Gdańsk"),
    ("Maple Leaf Instruments Ltd.", "CA", "USD", "EX0", "8338", 45, "100 King St W, Toronto, ON M5X 1A9"),
    ("Schröder Immobilien KG", "DE", "EUR", "USt19", "8400", 14, "Jungfernstieg 30, 20354 Hamburg"),
)
# name, country, currency, tax code, expense account, payment terms, address, e-invoice, direct debit
VENDORS = (
    ("Immobilien Vogel KG", "DE", "EUR", "VSt19", "4210", 5, "Leopoldstraße 50, 80802 München", False, False),
    (
        "Telekom Deutschland GmbH",
        "DE",
        "EUR",
        "VSt19",
        "4920",
        10,
        "Landgrabenweg 151, 53227 Bonn",
        True,
        True,
    ),
    (
        "Großhandel Richter GmbH",
        "DE",
        "EUR",
        "VSt19",
        "3400",
        30,
        "Lagerstraße 8, 90451 Nürnberg",
        True,
        False,
    ),
    (
        "Amazon Web Services EMEA SARL",
        "LU",
        "EUR",
        "RC19",
        "3123",
        14,
        "38 Avenue John F. Kennedy, 1855 Luxembourg",
        True,
        False,
    ),
    ("DigitalOcean, LLC", "US", "USD", "RC19", "4964", 10, "101 6th Ave, New York, NY 10013", False, False),
    ("Bäckerei Sonnenschein", "DE", "EUR", "VSt7", "4650", 14, "Brotgasse 3, 80331 München", False, False),
    (
        "Bürobedarf Schneider GmbH",
        "DE",
        "EUR",
        "VSt19",
        "4930",
        14,
        "Papierweg 1, 81379 München",
        False,
        False,
    ),
    (
        "Steuerkanzlei Krüger & Partner",
        "DE",
        "EUR",
        "VSt19",
        "4950",
        14,
        "Sendlinger Str. 22, 80331 München",
        False,
        False,
    ),
    (
        "Präzisionsteile Basel AG",
        "CH",
        "CHF",
        "RC19",
        "3123",
        30,
        "Aeschenvorstadt 4, 4051 Basel",
        False,
        False,
    ),
    (
        "Stadtwerke München GmbH",
        "DE",
        "EUR",
        "VSt19",
        "4240",
        14,
        "Emmy-Noether-Str. 2, 80992 München",
        True,
        True,
    ),
    ("Hausmeisterservice Kaya", "DE", "EUR", "KU0", "4900", 7, "Hofweg 5, 81539 München", False, False),
    (
        "Druckerei Meyer GmbH",
        "DE",
        "EUR",
        "VSt19",
        "4600",
        21,
        "Druckerstraße 14, 86150 Augsburg",
        False,
        False,
    ),
)
RECURRING_VENDORS = 2  # the first two vendors invoice every month (rent, phone)
LINE_TEXTS = {
    "8400": ("Beratung", "Montage vor Ort", "Wartungsvertrag", "Ersatzteile", "Programmierung", "Schulung"),
    "8300": ("Backwaren Lieferung", "Catering", "Lebensmittel"),
    "8125": ("Präzisionsteile", "Baugruppe", "Ersatzteile Lieferung"),
    "8338": ("Engineering services", "Remote support", "Design review"),
}
BANKS = (
    ("DE", "COBADEFFXXX", "Commerzbank"),
    ("DE", "BYLADEM1001", "DKB"),
    ("DE", "GENODEF1M01", "Münchner Bank"),
)


@dataclass
class Party:
    """A customer or vendor (same master data shape)."""

    party_id: str
    number: str
    name: str
    country: str
    currency: str
    tax_code: str
    default_account: str
    payment_terms: int
    address: str
    tax_id: str | None
    vat_id: str | None
    iban: str | None
    bic: str | None
    email: str
    notes: str | None
    is_active: bool
    created_at: str
    updated_at: str
    e_invoice: bool = False
    direct_debit: bool = False
    active_until: str | None = None  # last period it trades in (generation only)


def iban_de(n: int) -> str:
    """A syntactically valid German IBAN built from a number (check digits computed)."""
    bban = f"{n % 10**8:08d}{n // 10**8 % 10**10:010d}"
    digits = int(bban + "131400")  # D=13 E=14, then 00
    check = 98 - digits % 97
    return f"DE{check:02d}{bban}"


def vat_id(country: str, n: int) -> str | None:
    """A VAT id in the country's format (None where the party has no EU VAT id)."""
    if country in ("US", "CA"):
        return None
    if country == "CH":
        return f"CHE-{n % 1000:03d}.{n // 1000 % 1000:03d}.{n // 10**6 % 1000:03d} MWST"
    return f"{country}{n % 10**9:09d}"
