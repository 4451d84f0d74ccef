"""Real file bytes: minimal PDFs, xlsx workbooks, zip archives, a tiny JPEG, CSV, Finvoice XML."""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterable
from datetime import datetime
from xml.sax.saxutils import escape

FIXED_ZIP_TIME = (2026, 1, 1, 0, 0, 0)

CONTENT_TYPES = {
    "pdf": "application/pdf",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "json": "application/json",
    "md": "text/markdown; charset=utf-8",
    "csv": "text/csv; charset=utf-8",
    "jpg": "image/jpeg",
    "zip": "application/zip",
    "xml": "application/xml",
}


def _pdf_escape(text: str) -> str:
    text = text.encode("latin-1", "replace").decode("latin-1")
    return text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")


def pdf_bytes(lines: Iterable[str], title: str = "LAC") -> bytes:
    """A small but structurally valid one-page PDF with the given text lines."""
    body = ["BT", "/F1 11 Tf", "50 800 Td", "14 TL"]
    for line in [title, *lines]:
        body.append(f"({_pdf_escape(line)}) '")
    body.append("ET")
    stream = "\n".join(body).encode("latin-1")
    objs = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length " + str(len(stream)).encode() + b" >>\nstream\n" + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for i, obj in enumerate(objs, start=1):
        offsets.append(out.tell())
        out.write(f"{i} 0 obj\n".encode() + obj + b"\nendobj\n")
    xref = out.tell()
    out.write(f"xref\n0 {len(objs) + 1}\n0000000000 65535 f \n".encode())
    for off in offsets:
        out.write(f"{off:010d} 00000 n \n".encode())
    out.write(f"trailer\n<< /Size {len(objs) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode())
    return out.getvalue()


def zip_bytes(members: Iterable[tuple[str, bytes]]) -> bytes:
    """A deterministic zip archive (fixed timestamps)."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in members:
            info = zipfile.ZipInfo(name, date_time=FIXED_ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            zf.writestr(info, data)
    return out.getvalue()


_XLSX_CACHE: dict[str, bytes] = {}


def xlsx_bytes(sheets: dict[str, list[list]], created: datetime) -> bytes:
    """A real .xlsx (openpyxl), normalised so identical content gives identical bytes (memoised)."""
    key = repr((sorted(sheets.items()), created))
    if key not in _XLSX_CACHE:
        _XLSX_CACHE[key] = _build_xlsx(sheets, created)
    return _XLSX_CACHE[key]


def _build_xlsx(sheets: dict[str, list[list]], created: datetime) -> bytes:
    from openpyxl import Workbook

    wb = Workbook()
    wb.remove(wb.active)
    for name, rows in sheets.items():
        ws = wb.create_sheet(title=name[:31])
        for r in rows:
            ws.append(r)
    wb.properties.creator = "LAC sandbox"
    wb.properties.created = created
    raw = io.BytesIO()
    wb.save(raw)
    stamp = created.strftime("%Y-%m-%dT%H:%M:%SZ")
    members = []
    with zipfile.ZipFile(io.BytesIO(raw.getvalue())) as zf:
        for name in zf.namelist():
            data = zf.read(name)
            if name == "docProps/core.xml":
                data = re.sub(
                    rb"(<dcterms:modified[^>]*>)[^<]*(<)", rb"\g<1>" + stamp.encode() + rb"\2", data
                )
            members.append((name, data))
    return zip_bytes(members)


# A tiny JFIF/JPEG (1x1, arithmetic-coded baseline) — enough for magic-byte sniffing.
JPEG_BYTES = bytes.fromhex(
    "ffd8ffe000104a46494600010101004800480000"
    "ffdb004300030202020202030202020303030304060404040404080606050609080a0a090809090a0c0f0c0a0b0e0b09090d"
    "110d0e0f101011100a0c12131210130f101010"
    "ffc9000b080001000101011100ffcc000600101005ffda0008010100003f00d2cf20ffd9"
)


def csv_bytes(rows: Iterable[Iterable]) -> bytes:
    lines = [";".join(str(c) for c in r) for r in rows]
    return ("\n".join(lines) + "\n").encode("utf-8")


def finvoice_xml(inv: dict, seller: dict) -> bytes:
    """Finvoice 3.0-style XML rendering of an invoice."""

    def money(c: int) -> str:
        return f"{c / 100:.2f}".replace(".", ",")

    buyer = inv["customer"]
    rows = []
    for line in inv["lines"]:
        rate = line["vat_rate_basis_points"]
        rate_s = "0" if rate is None else f"{rate / 100:g}".replace(".", ",")
        rows.append(
            "  <InvoiceRow>\n"
            f"    <ArticleName>{escape(line['description'])}</ArticleName>\n"
            f'    <DeliveredQuantity QuantityUnitCode="kpl">{line["quantity"]}</DeliveredQuantity>\n'
            f'    <UnitPriceAmount AmountCurrencyIdentifier="EUR">{money(line["unit_price_cents"])}'
            "</UnitPriceAmount>\n"
            f"    <RowVatRatePercent>{rate_s}</RowVatRatePercent>\n"
            f"    <RowVatCode>{escape(line['vat_code'])}</RowVatCode>\n"
            f'    <RowVatAmount AmountCurrencyIdentifier="EUR">{money(line["vat_cents"])}</RowVatAmount>\n'
            f'    <RowVatExcludedAmount AmountCurrencyIdentifier="EUR">{money(line["net_cents"])}'
            "</RowVatExcludedAmount>\n"
            f'    <RowAmount AmountCurrencyIdentifier="EUR">{money(line["gross_cents"])}</RowAmount>\n'
            "  </InvoiceRow>\n"
        )
    xml = (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<Finvoice Version="3.0" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
        'xsi:noNamespaceSchemaLocation="Finvoice3.0.xsd">\n'
        "  <SellerPartyDetails>\n"
        f"    <SellerPartyIdentifier>{escape(seller['business_id'])}</SellerPartyIdentifier>\n"
        f"    <SellerOrganisationName>{escape(seller['legal_name'])}</SellerOrganisationName>\n"
        "  </SellerPartyDetails>\n"
        "  <BuyerPartyDetails>\n"
        f"    <BuyerPartyIdentifier>{escape(buyer.get('business_id', ''))}</BuyerPartyIdentifier>\n"
        f"    <BuyerOrganisationName>{escape(buyer['name'])}</BuyerOrganisationName>\n"
        "  </BuyerPartyDetails>\n"
        "  <InvoiceDetails>\n"
        "    <InvoiceTypeCode>INV01</InvoiceTypeCode>\n"
        f"    <InvoiceNumber>{escape(inv.get('number') or inv['id'])}</InvoiceNumber>\n"
        f'    <InvoiceDate Format="CCYYMMDD">{inv["issue_date"].replace("-", "")}</InvoiceDate>\n'
        f'    <InvoiceTotalVatExcludedAmount AmountCurrencyIdentifier="EUR">{money(inv["net_cents"])}'
        "</InvoiceTotalVatExcludedAmount>\n"
        f'    <InvoiceTotalVatAmount AmountCurrencyIdentifier="EUR">{money(inv["vat_cents"])}'
        "</InvoiceTotalVatAmount>\n"
        f'    <InvoiceTotalVatIncludedAmount AmountCurrencyIdentifier="EUR">{money(inv["gross_cents"])}'
        "</InvoiceTotalVatIncludedAmount>\n"
        f'    <PaymentTermsDetails><InvoiceDueDate Format="CCYYMMDD">{inv["due_date"].replace("-", "")}'
        "</InvoiceDueDate></PaymentTermsDetails>\n"
        "  </InvoiceDetails>\n" + "".join(rows) + "</Finvoice>\n"
    )
    return xml.encode("utf-8")
