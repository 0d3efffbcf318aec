"""samples/payments: one statement per format, paying the bundled sample claims with the references their
letters print today (dossier.context.payment), for the README's ``dossier payments import`` example."""

from __future__ import annotations

from decimal import Decimal

from tests.conftest import SAMPLES

from dossier.bank import read_statement
from dossier.context.payment import structured_communication
from dossier.model import load_claim

PAYMENTS = SAMPLES / "payments"


def test_each_sample_statement_is_read_and_each_format_is_there() -> None:
    formats = {read_statement(path).format for path in PAYMENTS.iterdir() if path.suffix in {".cod", ".xml", ".sta"}}
    assert formats == {"coda", "camt.053", "mt940"}


def test_the_belgian_samples_are_paid_with_their_claims_structured_communication() -> None:
    for claim_folder, statement in (("be-b2b-fr", "be-b2b-fr-2025-12-10.cod"),
                                    ("be-consumer-nl", "be-consumer-nl-2025-12-10.camt053.xml")):
        claim = load_claim(SAMPLES / claim_folder)
        digits = structured_communication(claim.reference).strip("+").replace("/", "")
        found = read_statement(PAYMENTS / statement).transactions
        assert digits in {t.structured for t in found}, claim_folder
        assert {t.account for t in found} == {claim.creditor.iban}


def test_the_dutch_sample_names_the_claim_and_an_invoice_in_the_text() -> None:
    claim = load_claim(SAMPLES / "nl-consumer-nl")
    found = read_statement(PAYMENTS / "nl-consumer-nl-2025-12-10.sta").transactions
    assert claim.reference in found[0].free_text
    assert claim.invoices[1].number in found[1].free_text
    assert sum(t.amount for t in found) == Decimal("680.00")
    assert {t.account for t in found} == {claim.creditor.iban}
