"""The EPC QR code carries at most 999,999,999.99 EUR: a larger claim gets its letter without a code."""

from __future__ import annotations

import copy
from datetime import date

from tests.conftest import BASE_CLAIM, JURISDICTIONS

from dossier.context.payment import EPC_MAX_AMOUNT, epc_qr
from dossier.model import claim_from_data
from dossier.output.produce import Producer
from dossier.rules import load_rules


def test_no_qr_code_above_the_epc_maximum() -> None:
    assert epc_qr("ACME", "BE71096123456769", EPC_MAX_AMOUNT, "x") is not None
    assert epc_qr("ACME", "BE71096123456769", EPC_MAX_AMOUNT + 1, "x") is None


def test_a_claim_above_the_epc_maximum_still_gets_its_letter() -> None:
    data = copy.deepcopy(BASE_CLAIM)
    data["invoices"][0]["amount"] = "2000000000.00"
    claim = claim_from_data(data)
    rendered = Producer().render(
        claim, load_rules("BE", JURISDICTIONS), "reminder", date(2025, 6, 30), formats=("docx",), force=True
    )
    assert rendered.outputs["docx"].startswith(b"PK")
    assert rendered.context["payment"]["qr_png"] == b"" and rendered.context["payment"]["iban"]
