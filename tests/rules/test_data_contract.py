"""The contract every jurisdiction's data must meet (holidays-style ``CommonCountryTests``).

Read from the raw YAML as well as through the loader, so that a loader bug cannot hide a data gap.
"""

from __future__ import annotations

from datetime import date, timedelta
from itertools import pairwise
from pathlib import Path
from typing import Any

import pytest
import yaml
from tests.conftest import JURISDICTIONS

from dossier.rules import available_jurisdictions, load_rules

CODES = available_jurisdictions(JURISDICTIONS)
PARAMETER_FILES = sorted(p for p in JURISDICTIONS.rglob("*.yaml") if p.name != "jurisdiction.yaml")
RATES_FROM, RATES_UNTIL = date(2020, 1, 1), date(2026, 6, 30)
MAX_AGE = timedelta(days=366)


def raw(path: Path) -> dict[str, Any]:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def test_the_four_jurisdictions_are_there() -> None:
    assert CODES == ["BE", "FR", "GB-EAW", "NL"]


@pytest.mark.parametrize("code", CODES)
def test_jurisdiction_loads_strictly(code: str) -> None:
    rules = load_rules(code, JURISDICTIONS)
    assert rules.parameters


@pytest.mark.parametrize("path", PARAMETER_FILES, ids=lambda p: str(p.relative_to(JURISDICTIONS)))
def test_every_value_has_a_source_and_a_status(path: Path) -> None:
    data = raw(path)
    assert data["legal_basis"], "the parameter needs its legal basis"
    for entry in data["values"]:
        assert entry["sources"], f"{entry['from']}: no source"
        assert all(s.get("title") for s in entry["sources"])
        assert entry["status"] in {"official", "secondary", "derived", "unconfirmed"}


@pytest.mark.parametrize("path", PARAMETER_FILES, ids=lambda p: str(p.relative_to(JURISDICTIONS)))
def test_dated_values_have_no_gap_and_no_overlap(path: Path) -> None:
    entries = raw(path)["values"]
    for this, nxt in pairwise(entries):
        until = date.fromisoformat(str(this["until"]))
        assert date.fromisoformat(str(nxt["from"])) == until + timedelta(days=1), f"after {until}"
    assert all(e["until"] is not None for e in entries[:-1])


@pytest.mark.parametrize("path", PARAMETER_FILES, ids=lambda p: str(p.relative_to(JURISDICTIONS)))
def test_data_was_checked_recently(path: Path) -> None:
    checked = date.fromisoformat(str(raw(path)["checked_on"]))
    assert date.today() - checked <= MAX_AGE, "re-check this parameter against its sources"


def rate_files() -> list[Path]:
    return [p for p in PARAMETER_FILES if raw(p)["unit"] == "percent_per_year"]


@pytest.mark.parametrize("path", rate_files(), ids=lambda p: str(p.relative_to(JURISDICTIONS)))
def test_rates_cover_2020_to_2026_h1(path: Path) -> None:
    entries = raw(path)["values"]
    assert date.fromisoformat(str(entries[0]["from"])) <= RATES_FROM
    last = entries[-1]["until"]
    assert last is None or date.fromisoformat(str(last)) >= RATES_UNTIL


@pytest.mark.parametrize("path", rate_files(), ids=lambda p: str(p.relative_to(JURISDICTIONS)))
def test_periodic_rates_have_one_entry_per_period(path: Path) -> None:
    data = raw(path)
    if data["cadence"] == "irregular":
        pytest.skip("irregular cadence")
    for entry in data["values"]:
        start, until = date.fromisoformat(str(entry["from"])), date.fromisoformat(str(entry["until"]))
        if data["cadence"] == "semiannual":
            assert (start.month, start.day) in {(1, 1), (7, 1)}
            assert until == (date(start.year, 6, 30) if start.month == 1 else date(start.year, 12, 31))
        else:
            assert (start, until) == (date(start.year, 1, 1), date(start.year, 12, 31))


@pytest.mark.parametrize("code", CODES)
def test_every_debtor_type_has_a_regime_and_deadlines(code: str) -> None:
    rules = load_rules(code, JURISDICTIONS)
    for debtor in ("business", "consumer", "public_body"):
        assert rules.regime(debtor, date(2025, 6, 1)).sources
        for kind in ("reminder", "reminder_followup", "formal_notice"):
            assert rules.deadline_rule(kind, debtor, date(2025, 6, 1)).value.length >= 1
