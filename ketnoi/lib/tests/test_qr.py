import io
import xml.etree.ElementTree as ElementTree

import pytest
import zxingcpp
from PIL import Image

from ketnoi.lib.qr import qr_png, qr_svg

CHECK_IN = "https://ketnoi.haiquan.example/doi-thoai/diem-danh/7f3c9a2e41b8?phien=12"


def decode(png: bytes) -> list:
    return zxingcpp.read_barcodes(Image.open(io.BytesIO(png)))


def test_the_png_is_a_png_that_reads_back_as_the_check_in_link():
    png = qr_png(CHECK_IN)
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    [code] = decode(png)
    assert code.text == CHECK_IN
    assert code.format == zxingcpp.BarcodeFormat.QRCode


def test_it_carries_vietnamese_text_intact():
    text = "Nguyễn Thị Hường – Công ty TNHH Điện tử Quang Vinh Sài Gòn"
    [code] = decode(qr_png(text))
    assert code.text == text


def test_short_data_still_gives_a_full_qr_code_that_phones_read():
    # segno would pick a Micro QR for a few characters; phone cameras do not read those.
    [code] = decode(qr_png("12"))
    assert code.format == zxingcpp.BarcodeFormat.QRCode and code.text == "12"


def test_the_scale_sets_the_pixels_per_module():
    small, large = (Image.open(io.BytesIO(qr_png(CHECK_IN, scale=scale))) for scale in (2, 6))
    assert large.width == 3 * small.width and large.width == large.height


def test_the_svg_is_an_inline_element_with_a_title_for_screen_readers():
    svg = qr_svg(CHECK_IN, title="Mã QR để điểm danh")
    assert svg.startswith("<svg") and "<?xml" not in svg
    root = ElementTree.fromstring(svg)
    assert root.get("role") == "img"
    title = root.find("{http://www.w3.org/2000/svg}title")
    assert title is not None and title.text == "Mã QR để điểm danh"


def test_the_svg_title_is_escaped_and_defaults_to_the_data():
    svg = qr_svg("https://a.example/?a=1&b=<2>")
    root = ElementTree.fromstring(svg)  # would fail on a raw & or <
    assert root.find("{http://www.w3.org/2000/svg}title").text == "https://a.example/?a=1&b=<2>"


def test_it_refuses_empty_data():
    with pytest.raises(ValueError):
        qr_png("")
