"""The engine's notes read as English and carry a key and values for other languages (issue 15 item 10)."""

from __future__ import annotations

import pickle
from datetime import date
from decimal import Decimal

from dossier.cli.table import note_text
from dossier.engine.notes import Note


def test_a_note_reads_as_its_english_sentence() -> None:
    note = Note("clause_within", base=Decimal("800"), agreed=Decimal("80"), legal=Decimal("80"))
    assert note == "penalty clause on 800.00 (80.00), within the legal maximum 80.00"
    why = Note("no_clause")
    assert Note("no_damages", invoices=("A", "B"), why=why) == "A, B: no damages: no penalty clause in the contract"
    after = Note("payments_after", day=date(2025, 12, 1))
    assert after == "payments after 2025-12-01 are not counted in this statement"
    assert Note("no_costs_before_notice", debt="F-1", notice="formal_notice") == (
        "F-1: no damages or collection costs before a formal notice has been sent"
    )


def test_a_note_is_worded_in_french_and_dutch_by_its_key() -> None:
    def money(value: Decimal) -> str:
        return f"{value:.2f}".replace(".", ",")

    note = Note("with_vat", why=Note("legal_scale", base=Decimal("2156.31")), vat="21")
    assert note_text(note, "nl", money) == (
        "wettelijke staffel toegepast op 2156,31, plus btw van 21 % (de schuldeiser kan de btw niet verrekenen)"
    )
    assert note_text(Note("no_costs_before_notice", debt="F-1", notice="formal_notice"), "fr", money) == (
        "F-1 : ni indemnité ni frais de recouvrement avant l'envoi d'un(e) mise en demeure"
    )
    assert note_text(note, "en", money) == str(note)


def test_a_note_survives_a_trip_between_processes() -> None:
    note = Note("no_damages", invoices=("A",), why=Note("clause", base=Decimal("10")))
    back = pickle.loads(pickle.dumps(note))
    assert back == note and back.key == "no_damages" and back.values["why"].key == "clause"
