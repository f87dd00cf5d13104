"""The QR code for the product's label: served as SVG and PNG, and it encodes the certificate's registry address."""
from __future__ import annotations

import re
import struct

import pytest
import segno

from ..factories import dossier_in_state
from .builders import SOON, code_of

BASE_URL = "https://ocop.example.vn"


@pytest.fixture()
def code(app, world):
    app.config.update(TODAY=SOON, BASE_URL=BASE_URL + "/")
    return code_of(dossier_in_state(world, "certified"))


def svg_modules(svg: str) -> set[tuple[int, int]]:
    """The dark modules drawn by segno's SVG path (rows of horizontal runs), without the 4-module quiet zone."""
    path = re.search(r'class="qrline"[^>]*\sd="([^"]+)"', svg).group(1)
    x = y = 0.0
    dark = set()
    for op, dx, dy in re.findall(r"([Mmh])(-?[\d.]+)(?: (-?[\d.]+))?", path):
        if op == "h":
            dark |= {(int(x) + i - 4, int(y) - 4) for i in range(int(dx))}
            x += int(dx)
        else:
            x, y = (float(dx), float(dy)) if op == "M" else (x + float(dx), y + float(dy))
    return dark


def encodes(dark: set[tuple[int, int]], url: str) -> bool:
    """Whether these modules are the QR symbol of `url` at some error correction level."""
    for level in "lmqh":
        matrix = segno.make(url, error=level).matrix
        if dark == {(x, y) for y, row in enumerate(matrix) for x, bit in enumerate(row) if bit}:
            return True
    return False


def test_qr_svg_encodes_the_certificates_registry_address(client, code):
    response = client.get(f"/registry/{code}/qr.svg")
    svg = response.get_data(as_text=True)
    assert response.status_code == 200 and response.mimetype == "image/svg+xml"
    assert "style=" not in svg  # the strict CSP allows no inline style
    assert encodes(svg_modules(svg), f"{BASE_URL}/registry/{code}")
    assert not encodes(svg_modules(svg), f"{BASE_URL}/registry/{code}X")


def test_qr_png_is_a_png_of_the_same_symbol(client, code):
    modules = len(segno.make(f"{BASE_URL}/registry/{code}", error="m").matrix) + 8  # with the quiet zone
    response = client.get(f"/registry/{code}/qr.png")
    data = response.data
    assert response.status_code == 200 and response.mimetype == "image/png"
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and data[12:16] == b"IHDR"
    width, height = struct.unpack(">II", data[16:24])
    assert width == height and width % modules == 0 and width // modules >= 8  # printable: ≥ 8 px a module
    assert code in response.headers["Content-Disposition"]


def test_certificate_page_shows_the_qr_and_its_address(client, code):
    html = client.get(f"/registry/{code}").get_data(as_text=True)
    assert f'<img src="/registry/{code}/qr.svg"' in html and f"{BASE_URL}/registry/{code}" in html
    assert f'href="/registry/{code}/qr.png"' in html and f'href="/registry/{code}/qr.svg"' in html
    assert " style=" not in html


def test_qr_of_an_unknown_code_is_a_404(client, world):
    assert client.get("/registry/OCOP-NOPE/qr.png").status_code == 404
