"""Arbitrary claims, as YAML and as JSON, through ``validate``, ``statement`` and ``render``: the answer is a
result or a clear error (exit code 1 with ``Error: file: field: ...``), never a traceback.

The claims are mostly well formed with hostile values (any Unicode text up to and past the limits, amounts from
a cent to past the maximum, dates from 1900 to 2099, numbers YAML 1.1 would change, odd shapes where a value is
expected), so that many get past validation into the engine and the templates. ``render`` runs the whole path
of a letter (facts, context, texts, the HTML the PDF is printed from) and writes a DOCX; a PDF costs half a
second, so PDFs are printed for a handful of explicit hostile claims only.
"""

from __future__ import annotations

import json
import tempfile
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner, Result
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from tests.conftest import BASE_CLAIM

from dossier import api
from dossier.cli.main import main
from dossier.engine.letters import KINDS
from dossier.engine.settlement import OFFER_KINDS, OfferRequest
from dossier.errors import DossierError
from dossier.model import limits
from dossier.output.produce import Producer

# --- values ------------------------------------------------------------------------------------------------


class Raw:
    """A scalar written unquoted into the file, as a user would type it (``0100``, ``20:10``, ``1e400``)."""

    def __init__(self, text: str, tag: str) -> None:
        self.text, self.tag = text, tag


class _Dumper(yaml.SafeDumper):
    pass


_Dumper.add_representer(Raw, lambda dumper, raw: dumper.represent_scalar(raw.tag, raw.text))
_Dumper.add_representer(Decimal, lambda dumper, value: dumper.represent_scalar("tag:yaml.org,2002:str", str(value)))
_Dumper.add_representer(date, lambda dumper, value: dumper.represent_scalar("tag:yaml.org,2002:str", str(value)))

INT, FLOAT = "tag:yaml.org,2002:int", "tag:yaml.org,2002:float"
RAW_NUMBERS = st.sampled_from(
    [
        Raw("0100", INT),
        Raw("20:10", INT),
        Raw("0x4BA", INT),
        Raw("0b101", INT),
        Raw(".inf", FLOAT),
        Raw("-.inf", FLOAT),
        Raw(".nan", FLOAT),
        Raw("20:10.5", FLOAT),
        Raw("1e400", "tag:yaml.org,2002:str"),
        Raw("1" + "0" * 30, INT),
        Raw("9" * 5000, INT),
        Raw("1210.00", FLOAT),
        Raw("1210", INT),
    ]
)
JUNK = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**40), max_value=10**40),
    st.floats(allow_nan=True, allow_infinity=True).map(lambda f: Raw(repr(f), FLOAT) if f == f else Raw(".nan", FLOAT)),
    st.text(max_size=20),
    st.lists(st.integers(), max_size=3),
    st.dictionaries(st.text(max_size=5), st.integers(), max_size=2),
    RAW_NUMBERS,
)
RATES = st.one_of(
    st.decimals(min_value=Decimal(0), max_value=Decimal("0.999999"), places=6).map(str),
    st.sampled_from(["0.08", "1", "-0.1", "0.1234567"]),
    RAW_NUMBERS,
)


PRINTABLE = st.characters(exclude_categories=("Cc", "Cs", "Zl", "Zp"), exclude_characters="\ufffe\uffff")


def words(max_size: int) -> st.SearchStrategy[str]:
    """Printable Unicode of any script (RTL marks, CJK, emoji), within the limit."""
    return st.text(alphabet=PRINTABLE, min_size=1, max_size=min(max_size, 30)).filter(lambda t: t.strip() != "")


def hostile_text(max_size: int) -> st.SearchStrategy[str]:
    """Any Unicode, control characters included, mostly short, sometimes at or just past the limit."""
    return st.one_of(
        st.text(min_size=1, max_size=20),
        st.text(alphabet=PRINTABLE, min_size=max_size - 1, max_size=max_size + 1),
    )


COMBOS = [("BE", "fr", "EUR"), ("BE", "nl", "EUR"), ("FR", "fr", "EUR"), ("NL", "nl", "EUR"), ("GB-EAW", "en", "GBP")]
COVERED = st.dates(date(2020, 1, 1), date(2026, 6, 30))


@st.composite
def benign(draw: st.DrawFn) -> dict[str, Any]:
    """A valid claim with varied values: any script in its text, amounts from a cent to the maximum, dates the
    rules cover, payments, history, terms and sometimes an agreed plan."""
    data: dict[str, Any] = json.loads(json.dumps(BASE_CLAIM))
    data["jurisdiction"], data["language"], data["currency"] = draw(st.sampled_from(COMBOS))
    data["reference"] = draw(words(limits.MAX_REFERENCE))
    data["debtor"]["name"] = draw(words(limits.MAX_NAME))
    data["debtor"]["type"] = draw(st.sampled_from(["business", "consumer", "public_body"]))
    data["debtor"]["address"]["city"] = draw(words(limits.MAX_LINE))
    invoices = []
    for n in range(draw(st.integers(1, 4))):
        issued = draw(COVERED)
        invoice = {
            "number": f"F{n}-{draw(words(8))}",
            "date": issued.isoformat(),
            "due_date": (issued + timedelta(days=draw(st.integers(0, 90)))).isoformat(),
            "amount": draw(
                st.one_of(
                    st.decimals(Decimal("0.01"), Decimal("20000"), places=2),
                    st.decimals(Decimal("0.01"), limits.MAX_AMOUNT, places=2),
                )
            ),
        }
        if draw(st.booleans()):
            invoice["description"] = draw(words(limits.MAX_DESCRIPTION))
        invoices.append(invoice)
    data["invoices"] = invoices
    first = min(date.fromisoformat(i["date"]) for i in invoices)
    after_first = st.dates(first, date(2026, 12, 31))
    data["payments"] = [
        {
            "date": draw(after_first).isoformat(),
            "amount": draw(st.decimals(Decimal("0.01"), Decimal("30000"), places=2)),
        }
        | ({"invoice": draw(st.sampled_from([i["number"] for i in invoices]))} if draw(st.booleans()) else {})
        for _ in range(draw(st.integers(0, 3)))
    ]
    data["history"] = [
        {
            "date": draw(after_first).isoformat(),
            "type": draw(st.sampled_from(["reminder", "formal_notice", "payment_plan", "phone_call", "other"])),
        }
        | ({"channel": draw(st.sampled_from(["post", "registered", "email"]))} if draw(st.booleans()) else {})
        for _ in range(draw(st.integers(0, 3)))
    ]
    terms: dict[str, Any] = {}
    if draw(st.booleans()):
        terms["interest_rate"] = str(draw(st.decimals(Decimal(0), Decimal("0.25"), places=4)))
    if draw(st.booleans()):
        terms["penalty"] = draw(
            st.sampled_from([{"statutory_scale": True}, {"rate": "0.10", "minimum": "50.00"}, {"minimum": "40.00"}])
        )
    if terms:
        data["terms"] = terms
    if draw(st.booleans()):
        agreed = draw(after_first)
        data["payment_plan"] = {
            "agreed": agreed.isoformat(),
            "instalments": [
                {"due_date": (agreed + timedelta(days=30 * (k + 1))).isoformat(), "amount": "100.00"}
                for k in range(draw(st.integers(1, 4)))
            ],
        }
    return data


HOSTILE_AMOUNTS = st.one_of(
    st.sampled_from(["0.00", "-1.00", "1.001", "1e400", "1000000000000.00", "NaN", "Infinity", "0100"]),
    RAW_NUMBERS,
)
HOSTILE_DATES = st.one_of(
    st.sampled_from(["9999-12-31", "0001-01-01", "2025-02-30", "20250101", "", "1899-12-31", "2100-01-01"]),
    st.dates(limits.EARLIEST_DATE, limits.LATEST_DATE).map(date.isoformat),
)


@st.composite
def claims(draw: st.DrawFn) -> dict[str, Any]:
    """A valid claim with none, one or two hostile changes: a number YAML 1.1 would change, an amount or a date
    out of range, text with control characters or past its limit, junk where a value is expected, a field
    deleted or unknown."""
    data = draw(benign())
    for _ in range(draw(st.sampled_from([0, 0, 1, 1, 2]))):
        change = draw(st.sampled_from(["amount", "date", "text", "junk", "delete", "unknown", "rate"]))
        invoice = draw(st.sampled_from(data["invoices"])) if data.get("invoices") else {}
        if change == "amount":
            invoice["amount"] = draw(HOSTILE_AMOUNTS)
        elif change == "date":
            invoice[draw(st.sampled_from(["date", "due_date"]))] = draw(HOSTILE_DATES)
        elif change == "rate":
            data.setdefault("terms", {})["interest_rate"] = draw(st.one_of(RATES, RAW_NUMBERS))
        elif change == "text":
            field = draw(st.sampled_from(["reference", "name", "description"]))
            bound = {"reference": limits.MAX_REFERENCE, "name": limits.MAX_NAME}.get(field, limits.MAX_DESCRIPTION)
            owner = data if field == "reference" else data["debtor"] if field == "name" else invoice
            owner[field] = draw(hostile_text(bound))
        else:
            target, key = _pick(data, draw)
            if change == "junk":
                target[key] = draw(JUNK)
            elif change == "delete" and isinstance(target, dict):
                del target[key]
            elif isinstance(target, dict):
                target[draw(st.text(max_size=8))] = draw(JUNK)
    return data


def _pick(data: Any, draw: st.DrawFn) -> tuple[Any, Any]:
    """A random place (container, key) in ``data``."""
    target: Any = data
    key: Any = draw(st.sampled_from(sorted(data)))
    while isinstance(target[key], dict | list) and target[key] and draw(st.booleans()):
        target = target[key]
        key = draw(st.sampled_from(sorted(target) if isinstance(target, dict) else range(len(target))))
    return target, key


def as_yaml(data: Any) -> str:
    return yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=10_000)


def as_json(data: Any) -> str:
    """JSON, with each ``Raw`` written as its bare text (1e400, NaN, 5,000 digits): what a hand-written file holds."""
    raws: list[str] = []

    def default(value: Any) -> str:
        if isinstance(value, Raw):
            raws.append(value.text)
            return f"\x00raw{len(raws) - 1}\x00"
        return str(value)

    text = json.dumps(data, default=default, ensure_ascii=False)
    for i, raw in enumerate(raws):
        bare = raw if raw[:1].isdigit() or raw[:1] == "-" else {".inf": "Infinity", ".nan": "NaN"}.get(raw, raw)
        text = text.replace(f'"\\u0000raw{i}\\u0000"', bare)
    return text


# --- the commands --------------------------------------------------------------------------------------------

RUNNER = CliRunner()
PRODUCER = Producer()


def clean(result: Result, args: list[str]) -> None:
    """A result, or a DossierError shown as ``Error: ...`` with exit code 1: never an escaped exception."""
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise AssertionError(f"{args} raised {result.exception!r}") from result.exception
    assert result.exit_code in (0, 1), (args, result.output)
    if result.exit_code == 1:
        assert result.stderr.startswith("Error: "), (args, result.output)
    assert "Traceback" not in result.output


def offer_options(kind: str, day: date) -> list[str]:
    """What a settlement offer (1.00 EUR) or an extension needs: the day after the letter (on the last day a claim
    may hold, the day of the letter: refused with a clear error)."""
    until = ["--until", min(day + timedelta(days=1), limits.LATEST_DATE).isoformat()]
    return {"settlement-offer": ["--offer", "1.00", *until], "deadline-extension": until}.get(kind, [])


def exercise(folder: Path, day: date, kind: str) -> None:
    result = RUNNER.invoke(main, ["validate", str(folder)])
    clean(result, ["validate"])
    if result.exit_code != 0:
        return
    for args in (
        ["statement", str(folder), "--as-of", day.isoformat(), "--json"],
        ["statement", str(folder), "--as-of", day.isoformat()],
        ["render", str(folder), "--doc", kind, "--date", day.isoformat(), "--format", "docx", "--force"]
        + (["--instalments", "3"] if kind == "payment-plan" else [])
        + offer_options(kind, day),
    ):
        clean(RUNNER.invoke(main, args), args[:1])
    try:  # the HTML the PDF would be printed from: every template and text of the letter, without WeasyPrint
        claim = api.load_claim(folder)
        amount = Decimal("1.00") if kind == "settlement-offer" else None
        offer = OfferRequest(until=min(day + timedelta(days=1), limits.LATEST_DATE), amount=amount)
        rendered = PRODUCER.render(
            claim,
            api.load_rules(claim.jurisdiction),
            kind,
            day,
            formats=(),
            force=True,
            offer=offer if kind in OFFER_KINDS else None,
        )
        PRODUCER.template_set(claim.language).render_html(f"{kind}.html", rendered.context)
    except DossierError:
        pass


@settings(
    max_examples=80,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.large_base_example],
)
@given(
    data=claims(),
    fmt=st.sampled_from(["yaml", "json"]),
    day=st.one_of(st.dates(date(2024, 1, 1), date(2027, 1, 31)), st.dates(limits.EARLIEST_DATE, limits.LATEST_DATE)),
    kind=st.sampled_from(KINDS),
)
def test_arbitrary_claims_get_a_result_or_a_clear_error(data: dict[str, Any], fmt: str, day: date, kind: str) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        text = as_yaml(data) if fmt == "yaml" else as_json(data)
        (folder / f"claim.{fmt}").write_text(text, encoding="utf-8")
        exercise(folder, day, kind)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=st.one_of(st.text(max_size=200), st.binary(max_size=200).map(lambda b: b.decode("latin-1"))))
def test_arbitrary_text_as_a_claim_file_is_a_clear_error(text: str) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        for name in ("claim.yaml", "claim.json"):
            folder = Path(tmp) / name
            folder.mkdir()
            (folder / name).write_text(text, encoding="utf-8", errors="surrogatepass")
            exercise(folder, date(2026, 6, 30), "reminder")


def _longest(data: dict[str, Any]) -> dict[str, Any]:
    """``data`` with every text field at its limit, in scripts that stress layout (Arabic, CJK, emoji)."""
    text = "Ünïcødé بالعربية 漢字 🙂 "

    def fill(n: int) -> str:
        return (text * (n // len(text) + 1))[:n].strip() or "x"

    party = data["debtor"]
    party["name"] = fill(limits.MAX_NAME)
    party["address"] = {
        "street": fill(limits.MAX_LINE),
        "line2": fill(limits.MAX_LINE),
        "postal_code": fill(limits.MAX_POSTAL_CODE),
        "city": fill(limits.MAX_LINE),
        "country": "BE",
    }
    data["reference"] = fill(limits.MAX_REFERENCE)
    data["invoices"] = [
        {**data["invoices"][0], "number": fill(limits.MAX_REFERENCE - 3) + f"-{i}", "description": fill(500)}
        for i in range(20)
    ]
    return data


@pytest.mark.parametrize("kind", ["formal-notice", "statement"])
def test_a_claim_at_every_limit_renders_as_pdf_and_docx(tmp_path: Path, kind: str) -> None:
    """The slow path, printed for real once per kind: every field at its limit still makes a letter."""
    data = _longest(json.loads(json.dumps(BASE_CLAIM)))
    (tmp_path / "claim.json").write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    result = RUNNER.invoke(
        main, ["render", str(tmp_path), "--doc", kind, "--date", "2026-06-30", "--format", "both", "--force"]
    )
    assert result.exit_code == 0, result.output
    assert {p.suffix for p in (tmp_path / "out").iterdir() if p.suffix != ".jsonl"} == {".pdf", ".docx"}
