"""QR codes for check-in at dialogue sessions: inline SVG for pages, PNG for e-mails.

Built with segno (pure Python; its PNG writer needs no Pillow). Always a full QR code, never a
Micro QR (which segno would choose for short data and which phone cameras do not read), with
error correction level M (15 % of the code may be damaged: a creased printout still scans) and
the 4-module quiet zone that ISO/IEC 18004 asks for around the code.

Pure: no Django.
"""

import io

import segno

ERROR_CORRECTION = "m"
QUIET_ZONE = 4  # modules, ISO/IEC 18004


def _code(data: str) -> segno.QRCode:
    if not data:
        raise ValueError("a QR code needs something to encode")
    return segno.make_qr(data, error=ERROR_CORRECTION)


def qr_svg(data: str, *, scale: int = 4, title: str = "") -> str:
    """The code as an inline <svg> element (no XML declaration), ``scale`` pixels a module.

    ``title`` is what a screen reader announces (a translated "QR code for check-in"); without
    one, the encoded text itself is the image's text alternative.
    """
    out = io.BytesIO()
    _code(data).save(out, kind="svg", scale=scale, border=QUIET_ZONE, xmldecl=False,
                     svgns=True, title=title or data, svgclass="qr", lineclass=None, nl=False)
    svg = out.getvalue().decode("utf-8")
    return svg.replace("<svg ", '<svg role="img" ', 1)


def qr_png(data: str, *, scale: int = 6) -> bytes:
    """The code as PNG bytes, ``scale`` pixels a module, black on white."""
    out = io.BytesIO()
    _code(data).save(out, kind="png", scale=scale, border=QUIET_ZONE)
    return out.getvalue()
