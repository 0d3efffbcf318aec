"""Payment instructions: the Belgian structured communication and the EPC (SEPA credit transfer) QR code."""

from __future__ import annotations

import base64
import hashlib
import io
from decimal import Decimal

import segno
from segno import helpers
from stdnum.be import ogm_vcs


def structured_communication(reference: str) -> str:
    """A valid ``+++ddd/dddd/dddcc+++`` derived from the claim reference (same reference, same number)."""
    base = int(hashlib.sha256(reference.encode("utf-8")).hexdigest(), 16) % 10**10
    digits = f"{base:010d}"
    number = digits + ogm_vcs.calc_check_digits(digits)
    ogm_vcs.validate(number)
    return f"+++{number[:3]}/{number[3:7]}/{number[7:]}+++"


#: EPC069-12 caps a transfer's amount at 999,999,999.99 EUR: a larger sum cannot be put in the QR code
EPC_MAX_AMOUNT = Decimal("999999999.99")


def epc_qr(name: str, iban: str, amount: Decimal, text: str, bic: str | None = None) -> segno.QRCode | None:
    """The EPC069-12 QR code a banking app scans to prefill a SEPA transfer; None when the standard cannot carry
    the transfer (an amount above ``EPC_MAX_AMOUNT``): the letter then has the transfer details without a code."""
    if not Decimal("0.01") <= amount <= EPC_MAX_AMOUNT:
        return None
    return helpers.make_epc_qr(name=name[:70], iban=iban, amount=amount, text=text[:140], bic=bic)


def qr_data_uri(code: segno.QRCode) -> str:
    """The QR code for HTML: a PNG with one pixel per module, to be drawn without smoothing
    (``image-rendering: pixelated``), so it prints as sharp as a vector and costs WeasyPrint a fraction of an
    SVG path of several hundred segments."""
    out = io.BytesIO()
    code.save(out, kind="png", scale=1, border=2)
    return "data:image/png;base64," + base64.b64encode(out.getvalue()).decode("ascii")


def qr_png(code: segno.QRCode) -> bytes:
    """The QR code as PNG bytes (for DOCX)."""
    out = io.BytesIO()
    code.save(out, kind="png", scale=6, border=2)
    return out.getvalue()
