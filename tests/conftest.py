"""Shared fixtures: the bundled samples, the real jurisdiction data, and a small valid claim to vary."""

from __future__ import annotations

import copy
import shutil
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "samples"
JURISDICTIONS = ROOT / "jurisdictions"

BASE_CLAIM: dict[str, Any] = {
    "reference": "T-1",
    "jurisdiction": "BE",
    "language": "fr",
    "currency": "EUR",
    "creditor": {
        "name": "ACME SRL",
        "type": "business",
        "address": {"street": "Rue de la Loi 16", "postal_code": "1000", "city": "Bruxelles", "country": "BE"},
        "company_number": "BE0403170701",
        "iban": "BE71096123456769",
    },
    "debtor": {
        "name": "Dubois SRL",
        "type": "business",
        "address": {"street": "Rue de Fer 42", "postal_code": "5000", "city": "Namur", "country": "BE"},
    },
    "invoices": [{"number": "F1", "date": "2025-01-10", "due_date": "2025-02-09", "amount": "1000.00"}],
}


@pytest.fixture
def claim_data() -> dict[str, Any]:
    """A fresh deep copy of a minimal valid BE B2B claim, to change in one place per test."""
    return copy.deepcopy(BASE_CLAIM)


def sample_dirs() -> list[Path]:
    return sorted(p for p in SAMPLES.iterdir() if (p / "claim.yaml").is_file())


def copy_sample(name: str, target: Path) -> Path:
    """A private copy of a bundled sample, without the ``out/`` and journal a user's own runs may have left in it."""
    shutil.copytree(SAMPLES / name, target, ignore=shutil.ignore_patterns("out", "journal.jsonl", "journal.damaged-*"))
    return target


def send_drafts(folder: Path, *, day: str | None = None, channel: str | None = None, recipient: str = "debtor") -> None:
    """Record every draft of the claim folder's journal not yet sent as sent (``dossier.output.history.mark_sent``),
    on its own date (or ``day``), on its own channel (or ``channel``, post when it has none): what a user does with
    ``dossier send`` once the letter went out."""
    from datetime import date

    from dossier.output.history import mark_sent
    from dossier.output.journal import Journal, read

    journal = Journal.of_folder(folder)
    records = read(journal).records
    sent = {r.data.get("document") for r in records if r.event == "document-sent"}
    for r in records:
        if r.legacy or r.event != "document-rendered" or r.data["n"] in sent or r.data.get("kind") == "bundle":
            continue
        mark_sent(
            journal,
            r.data["n"],
            channel=channel or r.data.get("channel") or "post",
            day=date.fromisoformat(day or r.data["date"]),
            recipient=recipient,
        )


def unconfirmed_rules(target: Path) -> Path:
    """A private copy of the rules data in which the Dutch statutory rate of 2026 H1 is marked ``unconfirmed``: what
    the user is warned about (CLI, API), and what no document may mention."""
    data = target / "jurisdictions"
    shutil.copytree(JURISDICTIONS, data)
    path = data / "nl" / "interest" / "statutory.yaml"
    text = path.read_text(encoding="utf-8")
    start = text.index("- from: '2026-01-01'")
    path.write_text(
        text[:start] + text[start:].replace("status: secondary", "status: unconfirmed", 1), encoding="utf-8"
    )
    return data
