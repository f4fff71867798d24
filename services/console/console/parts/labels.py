"""Lot labels (批次标签): the lot code as a Code 128 barcode and a QR code, drawn as SVG
here and embedded in the label page, so a label prints with no network and no font."""

from __future__ import annotations

import base64
import io
from dataclasses import dataclass

import segno
from barcode import Code128
from barcode.writer import SVGWriter


@dataclass(frozen=True)
class Label:
    lot: str
    part_number: str
    name_zh: str | None
    name_en: str | None
    location: str
    bin: str | None
    quantity: str
    inspection: str
    supplier: str
    receipt: str
    received_at: str
    barcode: str  # data: URI of an SVG
    qr: str


def for_line(receipt: dict, line: dict) -> Label:
    return Label(
        lot=line["lot"], part_number=line["part_number"], name_zh=line.get("name_zh"), name_en=line.get("name_en"),
        location=line["location"], bin=line.get("bin"),
        quantity=line["quantity"], inspection=line["inspection"],
        supplier=receipt["supplier"], receipt=receipt["number"], received_at=receipt["received_at"],
        barcode=barcode(line["lot"]), qr=qr(line["lot"]),
    )


def barcode(text: str) -> str:
    out = io.BytesIO()
    Code128(text, writer=SVGWriter()).write(out, options={"module_height": 8.0, "font_size": 0, "text_distance": 1.0,
                                                          "quiet_zone": 2.0})
    return "data:image/svg+xml;base64," + base64.b64encode(out.getvalue()).decode("ascii")


def qr(text: str) -> str:
    return segno.make(text, error="m").svg_data_uri(scale=4, border=1)
