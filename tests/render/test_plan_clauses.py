"""A payment plan's interest and missed-instalment clauses follow the law and the file (issue 15, second pass,
items 2 and 3): literal wording checked by hand in the PDF and the DOCX.

- Interest: a plan says the creditor waives interest only when some would run and the plan waives it; where none
  applies at all (an English consumer debt without a contract rate: the Late Payment of Commercial Debts (Interest)
  Act 1998 covers business debts only) it says that the sums bear none.
- Missed instalment, Belgian consumer: Book XIX (CDE art. XIX.2) voids a clause that dispenses with the reminder
  and the 14 days before damages or interest; the clause says so (jurisdictions/be/jurisdiction.yaml
  ``plan_default``). A business plan keeps "de plein droit et sans mise en demeure".
"""

from __future__ import annotations

import re

import pytest
from tests.render.test_customs import SENT, _producer, person, sample

from dossier.engine.letters import PlanRequest
from dossier.model import Claim
from dossier.output.template_check import docx_text, pdf_text
from dossier.rules import load_rules


def plan_texts(claim: Claim, *, waive: bool = False) -> tuple[str, str]:
    """(PDF text, DOCX text) of a four-instalment plan, each on one line."""
    result = _producer().render(
        claim,
        load_rules(claim.jurisdiction),
        "payment-plan",
        SENT,
        plan=PlanRequest(count=4, waive_interest=waive),
        formats=("pdf", "docx"),
        force=True,
    )
    one_line = re.compile(r"\s+")
    return one_line.sub(" ", pdf_text(result.outputs["pdf"])), one_line.sub(" ", docx_text(result.outputs["docx"]))


NO_INTEREST = "3. Interest during the plan The sums due bear no interest while the plan runs."
WAIVED = "The Creditor waives the interest that would run while the plan runs, provided the plan is kept."


def test_a_plan_without_any_interest_waives_nothing() -> None:
    for text in plan_texts(person(sample("gb-eaw-b2b-en"), "Jane Smith", "ms")):
        assert NO_INTEREST in text
        assert "waive" not in text


def test_a_plan_waives_the_interest_that_would_run() -> None:
    for text in plan_texts(sample("gb-eaw-b2b-en"), waive=True):
        assert WAIVED in text


BE_CONSUMER = {
    "nl": (
        "Artikel 4 – Niet-betaling Wordt een termijn niet binnen 10 dagen na de vervaldag betaald, dan stuurt de "
        "schuldeiser de schuldenaar een herinnering. Het volledige openstaande saldo wordt pas opeisbaar, met de "
        "wettelijke en contractuele interesten en vergoedingen, als die termijn nog niet betaald is binnen veertien "
        "kalenderdagen, te rekenen vanaf de derde werkdag na de verzending van de herinnering op papier, of vanaf de "
        "eerste kalenderdag na de elektronische verzending ervan."
    ),
    "fr": (
        "Article 4 – Défaut de paiement À défaut de paiement d'un versement dans les 10 jours de son échéance, le "
        "créancier adresse un rappel au débiteur. Le solde restant dû ne devient exigible, avec les intérêts et "
        "indemnités prévus par la loi et le contrat, que si ce versement n'est toujours pas payé à l'expiration "
        "d'un délai de quatorze jours calendrier, qui prend cours le troisième jour ouvrable suivant l'envoi du "
        "rappel sur papier, ou le premier jour calendrier suivant son envoi par voie électronique."
    ),
    "en": (
        "4. Missed instalments If an instalment is not paid within 10 days of its due date, the Creditor will send "
        "the Debtor a reminder. Only if that instalment is still unpaid fourteen calendar days after the reminder's "
        "period starts (the third working day after a paper reminder is sent, or the first calendar day after an "
        "electronic one) does the whole balance then outstanding become due, with interest and compensation under "
        "the law and the contract."
    ),
}


@pytest.mark.parametrize("language", ["nl", "fr", "en"])
def test_a_belgian_consumer_plan_falls_due_only_after_a_reminder_and_fourteen_days(language: str) -> None:
    claim = sample("be-consumer-nl").model_copy(update={"language": language})
    for text in plan_texts(claim):
        assert BE_CONSUMER[language] in text
        assert "sans mise en demeure" not in text and "zonder ingebrekestelling" not in text


def test_a_belgian_business_plan_falls_due_without_notice() -> None:
    for text in plan_texts(sample("be-b2b-fr")):
        assert "le solde restant dû devient immédiatement et entièrement exigible, de plein droit et sans " in text
