"""The loader refuses ambiguous or incomplete legal data, naming the file and the field."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from tests.conftest import JURISDICTIONS

from dossier.errors import RulesError
from dossier.rules import load_rules

RATE = "be/interest/commercial_late_payment.yaml"
RATE_FILE = f"jurisdictions/{RATE}"


@pytest.fixture
def data(tmp_path: Path) -> Path:
    """A private copy of the BE data to break."""
    shutil.copytree(JURISDICTIONS / "be", tmp_path / "be")
    return tmp_path


def edit(root: Path, rel: str, change: Callable[[str], str]) -> None:
    path = root / rel
    path.write_text(change(path.read_text(encoding="utf-8")), encoding="utf-8")


def messages(root: Path) -> list[str]:
    with pytest.raises(RulesError) as info:
        load_rules("BE", root)
    return [str(p) for p in info.value.problems]


def test_untouched_copy_loads(data: Path) -> None:
    assert load_rules("BE", data).code == "BE"


def test_float_value_is_refused(data: Path) -> None:
    edit(data, RATE, lambda t: t.replace('value: "11.5"', "value: 11.5", 1))
    (found,) = messages(data)
    assert found.startswith("jurisdictions/be/interest/commercial_late_payment.yaml: number 11.5 at line")


def test_duplicate_key_is_refused(data: Path) -> None:
    edit(data, RATE, lambda t: t.replace("unit: percent_per_year", "unit: percent_per_year\nunit: percent_per_year"))
    (found,) = messages(data)
    assert "duplicate key 'unit'" in found


def test_unknown_key_is_refused(data: Path) -> None:
    edit(data, RATE, lambda t: t.replace("cadence: semiannual", "cadence: semiannual\nrounding: up"))
    assert messages(data) == [f"{RATE_FILE}: rounding: unknown field 'rounding' (check the spelling)"]


def test_missing_sources_are_refused(data: Path) -> None:
    edit(data, "be/compensation/fixed_b2b.yaml", lambda t: t.split("  sources:")[0] + "  sources: []\n")
    (found,) = messages(data)
    assert found.startswith("jurisdictions/be/compensation/fixed_b2b.yaml: values[0].sources:")


def test_gap_is_refused(data: Path) -> None:
    edit(
        data,
        RATE,
        lambda t: t.replace(
            "- from: '2025-07-01'\n  until: '2025-12-31'", "- from: '2025-07-02'\n  until: '2025-12-31'"
        ),
    )
    found = messages(data)
    assert f"{RATE_FILE}: values[10].until: gap: nothing in force from 2025-07-01 to 2025-07-01" in found


def test_overlap_is_refused(data: Path) -> None:
    edit(
        data,
        RATE,
        lambda t: t.replace(
            "- from: '2025-01-01'\n  until: '2025-06-30'", "- from: '2025-01-01'\n  until: '2025-07-31'"
        ),
    )
    found = messages(data)
    assert any("values[10].until: overlaps the next value, which starts 2025-07-01" in f for f in found)


def test_semiannual_value_spanning_a_year_is_refused(data: Path) -> None:
    edit(data, RATE, lambda t: t.replace("until: '2026-12-31'", "until: null"))
    found = messages(data)
    assert any("a semiannual value covers exactly one half-year" in f for f in found)


def test_reference_to_an_unknown_parameter_is_refused(data: Path) -> None:
    edit(
        data,
        "be/regimes/business.yaml",
        lambda t: t.replace("rate: interest/commercial_late_payment", "rate: interest/comercial"),
    )
    assert messages(data) == [
        "jurisdictions/be/regimes/business.yaml: values[0].value.interest.rate: "
        "names unknown parameter 'interest/comercial'"
    ]


def test_unknown_jurisdiction(data: Path) -> None:
    with pytest.raises(RulesError, match=r"unknown jurisdiction 'DE' \(known: BE\)"):
        load_rules("DE", data)


def test_a_creditor_rate_must_name_a_rate(data: Path) -> None:
    edit(
        data,
        "be/regimes/business.yaml",
        lambda t: t.replace(
            "      rate: interest/commercial_late_payment\n",
            "      rate: interest/commercial_late_payment\n"
            "      rate_by_creditor:\n        consumer: ladders/business\n",
        ),
    )
    (found,) = messages(data)
    assert found == (
        "jurisdictions/be/regimes/business.yaml: values[0].value.interest.rate_by_creditor.consumer: "
        "'ladders/business' has unit ladder, expected percent_per_year"
    )


def test_a_figure_without_a_citation_is_refused(data: Path) -> None:
    edit(data, RATE, lambda t: t.split("citation:")[0] + "values:" + t.split("\nvalues:", 1)[1])
    assert messages(data) == [
        f"{RATE_FILE}: citation: needs a citation: per language, the primary source (statute and article, decree "
        "or official publication) a document's legal basis prints"
    ]


@pytest.mark.parametrize(
    ("text", "why"),
    [
        ("metaalunie.nl: per 1 juli 2024 7 %", "not a web site"),
        ("Rate of https://example.org", "not a web site"),
        ("No decree was found; the 6 % is assumed to continue", "never a doubt about it"),
    ],
)
def test_a_citation_names_a_primary_source(data: Path, text: str, why: str) -> None:
    edit(
        data,
        RATE,
        lambda t: t.replace('  - "Loi du 2 août 2002 concernant', f'  - "{text}"\n  - "Loi du 2 août 2002', 1),
    )
    (found,) = messages(data)
    assert found.startswith(f"{RATE_FILE}: citation.fr[0]: ") and why in found


def test_a_citation_speaks_every_language_of_the_jurisdiction(data: Path) -> None:
    def without_dutch(text: str) -> str:
        start = text.index("\n  nl:\n")  # the parameter's citation, in French, Dutch and English
        return text[:start] + text[text.index("\n  en:\n", start) :]

    edit(data, RATE, without_dutch)
    assert messages(data) == [f"{RATE_FILE}: citation: lacks nl (the jurisdiction's languages)"]
