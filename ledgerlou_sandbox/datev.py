"""DATEV EXTF "Buchungsstapel" export (CSV, `;`-separated, Windows-1252, CRLF, decimal commas).

Each intent becomes one row per (debit account, credit account) pair: its debit and credit lines are
matched greedily in line order, amounts in base currency (EUR).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from .entries import Intent

COLUMNS = (
    "Umsatz (ohne Soll/Haben-Kz)",
    "Soll/Haben-Kennzeichen",
    "WKZ Umsatz",
    "Kurs",
    "Basis-Umsatz",
    "WKZ Basis-Umsatz",
    "Konto",
    "Gegenkonto (ohne BU-Schlüssel)",
    "BU-Schlüssel",
    "Belegdatum",
    "Belegfeld 1",
    "Belegfeld 2",
    "Skonto",
    "Buchungstext",
)


def filename(start: date, end: date) -> str:
    return f"EXTF_Buchungsstapel_{start:%Y%m%d}_{end:%Y%m%d}.csv"


def _text(s: str | None) -> str:
    return '"' + (s or "").replace('"', '""') + '"'


def _cents(c: int) -> str:
    return f"{c // 100},{c % 100:02d}"


def pairs(intent: Intent) -> list[tuple[str, str, int]]:
    """(debit account, credit account, base cents) covering the intent."""
    debits = [[ln.account, ln.debit] for ln in intent.lines if ln.debit]
    credits = [[ln.account, ln.credit] for ln in intent.lines if ln.credit]
    out, i, k = [], 0, 0
    while i < len(debits) and k < len(credits):
        value = min(debits[i][1], credits[k][1])
        out.append((debits[i][0], credits[k][0], value))
        debits[i][1] -= value
        credits[k][1] -= value
        i += debits[i][1] == 0
        k += credits[k][1] == 0
    return out


def export(intents: Iterable[Intent], start: date, end: date, created: date, client: int) -> bytes:
    header = [
        '"EXTF"',
        "700",
        "21",
        '"Buchungsstapel"',
        "13",
        f"{created:%Y%m%d}080000000",
        "",
        '"LL"',
        '"ledgerlou"',
        '""',
        "1001",
        str(client),
        f"{start.year}0101",
        "4",
        f"{start:%Y%m%d}",
        f"{end:%Y%m%d}",
        '"Buchungsstapel"',
        '""',
        "1",
        "0",
        "0",
        '"EUR"',
        "",
        '""',
        "",
        "",
        '"03"',
        "",
        "",
        '""',
        '""',
    ]
    rows = [";".join(header), ";".join(COLUMNS)]
    for it in intents:
        day = date.fromisoformat(it.booking_date)
        for debit_acc, credit_acc, value in pairs(it):
            rows.append(
                ";".join(
                    (
                        _cents(value),
                        '"S"',
                        '"EUR"',
                        "",
                        "",
                        '""',
                        debit_acc,
                        credit_acc,
                        '""',
                        f"{day:%d%m}",
                        _text((it.external_reference or "")[:36]),
                        '""',
                        "",
                        _text(it.description[:60]),
                    )
                )
            )
    return ("\r\n".join(rows) + "\r\n").encode("cp1252", errors="replace")
