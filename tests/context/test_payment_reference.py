"""The reference a letter prints is the jurisdiction's kind (data: jurisdiction.yaml payment_reference): the
Belgian structured communication, an ISO 11649 RF reference elsewhere, in the payment box and the EPC QR code."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from tests.conftest import JURISDICTIONS
from tests.payments.conftest import claim, fr_claim

from dossier.context import build
from dossier.model import claim_from_data
from dossier.output.produce import Producer
from dossier.rules import load_rules


def _payment(data: dict[str, Any], monkeypatch: pytest.MonkeyPatch) -> tuple[dict[str, Any], dict[str, Any]]:
    seen: dict[str, Any] = {}
    original = build.epc_qr

    def spy(*args: Any, **kwargs: Any) -> Any:
        seen.update(text=args[3], reference=kwargs.get("reference"))
        return original(*args, **kwargs)

    monkeypatch.setattr(build, "epc_qr", spy)
    parsed = claim_from_data(data)
    rules = load_rules(parsed.jurisdiction, JURISDICTIONS)
    rendered = Producer().render(parsed, rules, "reminder", date(2025, 6, 30), formats=("docx",), force=True)
    return rendered.context["payment"], seen


def test_belgian_letters_print_the_structured_communication(monkeypatch: pytest.MonkeyPatch) -> None:
    payment, qr = _payment(claim("ACME-2025-0042"), monkeypatch)
    assert payment["communication"] == "+++974/9960/57546+++" and payment["structured"] is True
    assert qr == {"text": "+++974/9960/57546+++", "reference": None}


def test_french_letters_print_an_rf_reference_also_in_the_qr_code(monkeypatch: pytest.MonkeyPatch) -> None:
    payment, qr = _payment(fr_claim("FR-2025-7"), monkeypatch)
    # ISO 11649: "FR20257" + "RF00" as digits (F=15, R=27) is 152720257271500; 152720257271500 mod 97 = 22,
    # 98 - 22 = 76
    assert payment["communication"] == "RF76 FR20 257" and payment["structured"] is False
    assert qr["reference"] == "RF76FR20257"


def test_letters_print_the_claims_own_reference(monkeypatch: pytest.MonkeyPatch) -> None:
    payment, _ = _payment(claim("A-1", payment_reference="+++090/9337/55493+++"), monkeypatch)
    assert payment["communication"] == "+++090/9337/55493+++"
