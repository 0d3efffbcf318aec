"""Templates cannot execute claim text, reach outside their folders, or produce different bytes twice."""

from __future__ import annotations

import copy
import io
from datetime import date
from pathlib import Path

import pytest
from pypdf import PdfReader
from tests.conftest import BASE_CLAIM, SAMPLES
from tests.render.conftest import flat

from dossier.errors import DossierError
from dossier.model import claim_from_data, load_claim
from dossier.output.produce import Producer
from dossier.output.template_check import docx_text, pdf_text
from dossier.render.pdf import harfbuzz_subsetting_available
from dossier.render.templates import TemplateProblem
from dossier.rules import load_rules


def test_harfbuzz_subsetting_is_available() -> None:
    # Without libharfbuzz-subset0 WeasyPrint falls back to fontTools: every PDF about 4x slower.
    assert harfbuzz_subsetting_available(), "apt-get install libharfbuzz-subset0"


def test_same_input_same_bytes(producer: Producer) -> None:
    claim = load_claim(SAMPLES / "fr-b2b-fr")
    rules = load_rules("FR")
    first = producer.render(claim, rules, "formal-notice", date(2025, 11, 3), formats=("pdf", "docx"))
    second = Producer().render(claim, rules, "formal-notice", date(2025, 11, 3), formats=("pdf", "docx"))
    assert first.outputs == second.outputs


def test_a_letter_does_not_carry_anything_of_the_one_rendered_before() -> None:
    # the DOCX renderer copies a template parsed once; a copy shared by two letters would mix them
    producer = Producer()
    rules = load_rules("BE")
    first = load_claim(SAMPLES / "be-b2b-fr")
    other = first.model_copy(update={"debtor": first.debtor.model_copy(update={"name": "Autre Débiteur SA"})})
    day = date(2025, 12, 1)
    before = producer.render(first, rules, "formal-notice", day, formats=("pdf", "docx")).outputs
    between = producer.render(other, rules, "formal-notice", day, formats=("pdf", "docx")).outputs
    again = producer.render(first, rules, "formal-notice", day, formats=("pdf", "docx")).outputs
    assert again == before
    text = docx_text(between["docx"])
    assert other.debtor.name in text and first.debtor.name not in text


def test_claim_text_is_printed_literally_never_executed(producer: Producer) -> None:
    data = copy.deepcopy(BASE_CLAIM)
    data["debtor"]["name"] = "<b>Evil</b> {{ 7*7 }} {% raw %}"
    data["invoices"][0]["description"] = "a & b < c"
    claim = claim_from_data(data)
    result = producer.render(claim, load_rules("BE"), "reminder", date(2025, 3, 1), formats=("pdf", "docx"))
    text = flat(pdf_text(result.outputs["pdf"]))
    assert "<b>Evil</b> {{ 7*7 }} {% raw %}" in text and " 49 " not in text
    assert "a & b < c" in text
    assert "<b>Evil</b> {{ 7*7 }}" in docx_text(result.outputs["docx"])


def write_firm(tmp_path: Path, name: str, content: str, language: str = "fr") -> Path:
    folder = tmp_path / "firm" / language
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_text(content, encoding="utf-8")
    return tmp_path / "firm"


def render_with(firm: Path, kind: str = "reminder"):
    claim = load_claim(SAMPLES / "be-b2b-fr")
    return Producer(firm).render(claim, load_rules("BE"), kind, date(2025, 12, 1))


def test_a_firm_overrides_one_sentence_and_keeps_the_rest(tmp_path: Path) -> None:
    firm = write_firm(tmp_path, "texts.yaml", "common:\n  closing: Veuillez agréer nos salutations confraternelles.\n")
    text = flat(pdf_text(render_with(firm).outputs["pdf"]))
    assert "Veuillez agréer nos salutations confraternelles." in text
    assert "Rappel de paiement" in text


def test_a_firm_template_cannot_read_files_outside(tmp_path: Path) -> None:
    firm = write_firm(
        tmp_path,
        "reminder.html",
        '{% extends "_base/reminder.html" %}{% block body %}<img src="file:///etc/hostname">{% endblock %}',
    )
    with pytest.raises(TemplateProblem, match="templates may not read /etc/hostname"):
        render_with(firm)


def test_a_firm_template_cannot_fetch_from_the_network(tmp_path: Path) -> None:
    firm = write_firm(
        tmp_path,
        "reminder.html",
        '{% extends "_base/reminder.html" %}{% block body %}<img src="http://127.0.0.1:9/x.png">{% endblock %}',
    )
    with pytest.raises(TemplateProblem, match=r"templates may not fetch http://127\.0\.0\.1:9/x\.png"):
        render_with(firm)


def test_a_firm_template_cannot_reach_python_internals(tmp_path: Path) -> None:
    firm = write_firm(tmp_path, "reminder.html", "{{ ''.__class__.__mro__[1].__subclasses__() }}")
    with pytest.raises(DossierError, match=r"access to attribute '__class__'|unsafe"):
        render_with(firm)


def test_a_misspelt_variable_names_the_template_and_line(tmp_path: Path) -> None:
    firm = write_firm(
        tmp_path,
        "reminder.html",
        '{% extends "_base/reminder.html" %}\n{% block body %}\n<p>{{ debtor.nmae }}</p>{% endblock %}',
    )
    with pytest.raises(TemplateProblem) as info:
        render_with(firm)
    assert info.value.file == "fr/reminder.html" and info.value.path == "line 3"
    assert "nmae" in info.value.message


def test_pdfa_output(producer: Producer) -> None:
    claim = load_claim(SAMPLES / "be-b2b-fr")
    result = producer.render(claim, load_rules("BE"), "statement", date(2025, 12, 1), pdfa=True)
    reader = PdfReader(io.BytesIO(result.outputs["pdf"]))
    xmp = reader.trailer["/Root"]["/Metadata"].get_object().get_data()
    assert b"pdfaid:part" in xmp
