"""Documents: metadata plus real file bytes (PDF, PNG, XRechnung-style XML), rendered on demand."""

from __future__ import annotations

import hashlib
import io
import struct
import zlib
from dataclasses import dataclass
from xml.sax.saxutils import escape

MIME = {"pdf": "application/pdf", "png": "image/png", "xml": "application/xml"}


@dataclass(frozen=True)
class Document:
    document_id: str
    original_name: str
    kind: str  # pdf | png | xml
    created_at: str
    title: str
    lines: tuple[str, ...]

    @property
    def mime_type(self) -> str:
        return MIME[self.kind]

    def content(self) -> bytes:
        if self.kind == "pdf":
            return pdf_bytes(self.title, self.lines)
        if self.kind == "png":
            return png_bytes(self.document_id)
        return xml_bytes(self.title, self.lines)

    def sha256(self) -> str:
        return hashlib.sha256(self.content()).hexdigest()


def _pdf_text(text: str) -> str:
    text = text.encode("latin-1", "replace").decode("latin-1")
    return text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")


def pdf_bytes(title: str, lines: tuple[str, ...]) -> bytes:
    """A small, structurally valid one-page PDF showing the text lines."""
    body = (
        ["BT", "/F1 11 Tf", "50 800 Td", "14 TL"] + [f"({_pdf_text(s)}) '" for s in (title, *lines)] + ["ET"]
    )
    stream = "\n".join(body).encode("latin-1")
    objs = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length " + str(len(stream)).encode() + b" >>\nstream\n" + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
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


def png_bytes(key: str, width: int = 24, height: int = 32) -> bytes:
    """A small greyscale PNG (a 'scanned receipt') whose pixels derive from `key`."""
    noise = hashlib.shake_256(key.encode()).digest(width * height)
    raw = b"".join(b"\x00" + noise[y * width : (y + 1) * width] for y in range(height))

    def chunk(tag: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + tag + data + struct.pack(">I", zlib.crc32(tag + data))

    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(raw, 9))
        + chunk(b"IEND", b"")
    )


def xml_bytes(title: str, lines: tuple[str, ...]) -> bytes:
    """An XRechnung-flavoured invoice XML carrying the text lines as notes."""
    notes = "".join(f"  <cbc:Note>{escape(s)}</cbc:Note>\n" for s in lines)
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<ubl:Invoice xmlns:ubl="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2" '
        'xmlns:cbc="urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2">\n'
        "  <cbc:CustomizationID>urn:cen.eu:en16931:2017#compliant#urn:xeinkauf.de:kosit:xrechnung_3.0"
        "</cbc:CustomizationID>\n"
        f"  <cbc:ID>{escape(title)}</cbc:ID>\n{notes}</ubl:Invoice>\n"
    ).encode()
