"""Payment instructions: the reference a letter prints (a Belgian structured communication, or an ISO 11649 RF
creditor reference elsewhere: which one is the jurisdiction's ``payment_reference``, data) and the EPC (SEPA credit
transfer) QR code."""

from __future__ import annotations

import base64
import hashlib
import io
from decimal import Decimal

import segno
from segno import helpers

from dossier.model import Claim
from dossier.model.references import ogm_check, parse_reference, rf_check, shown_reference

#: the longest reference an RF creditor reference carries after its four leading characters (ISO 11649)
RF_MAX = 21


def _hashed(reference: str, attempt: int, digits: int) -> str:
    seed = reference if attempt == 0 else f"{reference}#{attempt}"
    base = int(hashlib.sha256(seed.encode("utf-8")).hexdigest(), 16) % 10**digits
    return f"{base:0{digits}d}"


def derived_reference(reference: str, kind: str, attempt: int = 0) -> str:
    """The compact structured reference derived from a claim reference (same reference, same result).

    ``ogm``: ten digits hashed from the reference plus their check digits (unique only with luck: two claims of a
    large portfolio may share one, which ``dossier payments`` detects and resolves by assigning another, its
    ``attempt``). ``rf``: the reference itself (letters and digits, upper case) when it fits ISO 11649's 21
    characters, so unique when the claim references are; else hashed digits."""
    if kind == "ogm":
        digits = _hashed(reference, attempt, 10)
        return digits + ogm_check(digits)
    body = "".join(ch for ch in reference.upper() if ch.isascii() and ch.isalnum())
    if attempt or not 0 < len(body) <= RF_MAX:
        body = _hashed(reference, attempt, 18)
    return "RF" + rf_check(body) + body


def letter_reference(claim: Claim, kind: str) -> tuple[str, str]:
    """``(kind, compact)`` of the reference the claim's letters print: the claim's own ``payment_reference`` (given
    in claim.yaml or assigned and journaled), else the one derived from its reference."""
    return reference_for(claim.reference, claim.payment_reference, kind)


def reference_for(reference: str, own: str | None, kind: str) -> tuple[str, str]:
    """``letter_reference`` from the claim reference and the claim's own payment reference, if any."""
    if own:
        return parse_reference(own)
    return kind, derived_reference(reference, kind)


def structured_communication(reference: str) -> str:
    """A valid ``+++ddd/dddd/dddcc+++`` derived from the claim reference (same reference, same number)."""
    return shown_reference("ogm", derived_reference(reference, "ogm"))


#: EPC069-12 caps a transfer's amount at 999,999,999.99 EUR: a larger sum cannot be put in the QR code
EPC_MAX_AMOUNT = Decimal("999999999.99")


def epc_qr(
    name: str, iban: str, amount: Decimal, text: str, bic: str | None = None, *, reference: str | None = None
) -> segno.QRCode | None:
    """The EPC069-12 QR code a banking app scans to prefill a SEPA transfer; None when the standard cannot carry
    the transfer (an amount above ``EPC_MAX_AMOUNT``): the letter then has the transfer details without a code.
    ``reference``: an ISO 11649 RF reference, carried as the structured remittance (then ``text`` is not)."""
    if not Decimal("0.01") <= amount <= EPC_MAX_AMOUNT:
        return None
    if reference:
        return helpers.make_epc_qr(name=name[:70], iban=iban, amount=amount, reference=reference, bic=bic)
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
