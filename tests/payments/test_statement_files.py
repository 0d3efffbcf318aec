"""``dossier payments import`` end to end, through the CLI, on statement files written by hand to the specs
(tests/bank/data: CODA 2.6, camt.053.001.08 and .02, MT940 as ING sends it) and on the bundled samples: each
claim's paid total (``dossier statement --json``) and the review queue (``dossier payments review --json``) after
an import, and again after the same files a second time."""

from __future__ import annotations

import json
import shutil
from decimal import Decimal
from pathlib import Path
from typing import Any

from click.testing import CliRunner
from tests.conftest import SAMPLES, copy_sample
from tests.payments.conftest import claim

from dossier.cli.main import main

DATA = Path(__file__).resolve().parents[1] / "bank" / "data"
CODA = DATA / "coda-be-2025-12-03.cod"
CAMT = DATA / "camt053-v08-be-2025-12-03.xml"
USD = DATA / "camt053-v02-usd-2025-11-28.xml"
MT940 = (DATA / "mt940-ing-2025-12-01_02.sta", DATA / "mt940-ing-2025-12-02_03.sta")
AS_OF = "2025-12-31"
PEETERS_IBAN = "BE15001765432130"


def _invoice(data: dict[str, Any], number: str, amount: str, payment_reference: str | None = None) -> dict[str, Any]:
    data["invoices"][0].update(number=number, amount=amount)
    if payment_reference:
        data["invoices"][0]["payment_reference"] = payment_reference
    return data


def _peeters(reference: str) -> dict[str, Any]:
    data = _invoice(claim(reference), f"P-{reference}", "100.00")
    data["invoices"][0].update(date="2025-12-01", due_date="2025-12-31")  # not yet due: owes 100.00, no more
    data["debtor"]["iban"] = PEETERS_IBAN
    return data


#: the claims the hand-written files pay, as claim folders (``folder name: claim.json``)
CLAIMS: dict[str, dict[str, Any]] = {
    # CODA / camt of 3 December 2025 (the same day in both formats)
    "acme": _invoice(claim("ACME-2025-0042"), "F-2025-042", "1210.00"),  # OGM +++974/9960/57546+++, 1210.00
    "martin": _invoice(claim("MARTIN-1"), "M-2025-7", "500.00", "RF18 5390 0754 7034"),  # RF 250.00, reversed
    "dubois14": _invoice(claim("DUBOIS-14"), "F-2025-014", "99.50"),  # "Facture F-2025-014 Dubois", 99.50
    "dubois9": _invoice(claim("DUBOIS-9"), "F-2025-009", "100.00", "+++090/9337/55493+++"),  # 200.00: too much
    "peeters1": _peeters("PEETERS-1"),  # 100.00 from Jan Peeters' IBAN, an OGM no claim prints: the amount
    "peeters2": _peeters("PEETERS-2"),  # equals an invoice of each of his two claims
    # MT940 of 1 to 3 December 2025 (ING, two overlapping files)
    "vries": _invoice(claim("VRIES-1"), "V-2025-1", "900.00", "8234567890123456"),  # betalingskenmerk, 450.00, storno
    "bakker": _invoice(claim("BAKKER-1"), "ZPD-24-1610", "180.00"),  # "Factuur ZPD-24-1610 P. Bakker", 180.00
    # camt.053.001.02 in USD of 28 November 2025
    "harbour": _invoice(claim("HARB-1"), "H-2025-1", "2000.00", "RF40 TVJ2 0250 093"),
}


def _portfolio(tmp_path: Path) -> Path:
    book = tmp_path / "book"
    for name, data in CLAIMS.items():
        (book / name).mkdir(parents=True)
        (book / name / "claim.json").write_text(json.dumps(data), encoding="utf-8")
    return book


def _cli(*args: str | Path) -> Any:
    return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)


def _import(book: Path, *files: Path) -> dict[str, Any]:
    result = _cli("payments", "import", *files, "--portfolio", book, "--json")
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def _paid(folder: Path) -> dict[str, Decimal]:
    """Each claim's paid total, as ``dossier statement --json`` shows it (claim file plus journal)."""
    totals = {}
    for claim_folder in sorted(p for p in folder.iterdir() if p.is_dir() and not p.name.startswith("_")):
        result = _cli("statement", claim_folder, "--as-of", AS_OF, "--json")
        assert result.exit_code == 0, result.output
        totals[claim_folder.name] = Decimal(json.loads(result.output)["totals"]["paid"])
    return totals


def _queue(book: Path) -> list[dict[str, Any]]:
    result = _cli("payments", "review", book, "--json")
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def _expect(paid: dict[str, str]) -> dict[str, Decimal]:
    return {name: Decimal(paid.get(name, "0.00")) for name in CLAIMS}


def _by_claims(queue: list[dict[str, Any]]) -> dict[tuple[str, ...], dict[str, Any]]:
    return {tuple(sorted(c["claim"] for c in e["candidates"])): e for e in queue}


def test_one_belgian_day_as_coda_then_as_camt(tmp_path: Path) -> None:
    book = _portfolio(tmp_path)
    coda = _import(book, CODA)
    assert coda["matched"] == {"ogm": 1, "rf": 1, "text": 1} and coda["imported"] == 3
    assert (coda["queued"], coda["debits"], coda["reversals"], coda["duplicates"]) == (2, 1, 1, 0)
    expected = _expect({"acme": "1210.00", "dubois14": "99.50"})  # martin's 250.00 came and was reversed
    assert _paid(book) == expected
    queue = _queue(book)
    assert len(queue) == 2
    both = _by_claims(queue)
    overpaid = both[("dubois9",)]
    assert overpaid["refund"] is True and overpaid["tx"]["amount"] == "200.00"
    assert overpaid["reasons"][0].startswith("overpayment: 200.00 is")
    ambiguous = both[("peeters1", "peeters2")]
    assert ambiguous["match"]["rule"] == "iban" and ambiguous["tx"]["amount"] == "100.00"
    equal = ["invoice P-PEETERS-{}", "the total due"]
    assert [c["amount_equals"] for c in ambiguous["candidates"]] == [[e.format(n) for e in equal] for n in (1, 2)]
    assert coda["refunds"] == [{"claim": "dubois9", "key": overpaid["key"], "amount": "200.00"}]

    camt = _import(book, CAMT)  # the same day from the same bank as camt.053: every transaction seen already
    assert camt["imported"] == 0 and camt["queued"] == 0 and camt["duplicates"] == 7
    again = _import(book, CODA, CAMT)
    assert again["imported"] == 0 and again["duplicates"] == 14 and again["reversals"] == 0
    assert _paid(book) == expected and _queue(book) == queue


def test_the_camt_day_first_then_the_coda(tmp_path: Path) -> None:
    book = _portfolio(tmp_path)
    camt = _import(book, CAMT)
    assert camt["matched"] == {"ogm": 1, "rf": 1, "text": 1} and camt["queued"] == 2 and camt["reversals"] == 1
    expected = _expect({"acme": "1210.00", "dubois14": "99.50"})
    queue = _queue(book)
    coda = _import(book, CODA)
    assert coda["imported"] == 0 and coda["duplicates"] == 7
    assert _paid(book) == expected and _queue(book) == queue


def test_dutch_mt940_overlapping_statements(tmp_path: Path) -> None:
    book = _portfolio(tmp_path)
    first = _import(book, *MT940)
    assert first["matched"] == {"kenmerk": 1, "rf": 1, "text": 1}
    assert (first["duplicates"], first["debits"], first["reversals"], first["queued"]) == (2, 1, 1, 0)
    expected = _expect({"bakker": "180.00", "martin": "120.00"})  # the storno of 3 December undoes de Vries' 450.00
    assert _paid(book) == expected and _queue(book) == []
    (vries,) = [line for line in (book / "vries" / "journal.jsonl").read_text().splitlines()
                if '"payment-reversed"' in line]
    assert json.loads(vries)["payment"] == 1
    second = _import(book, *reversed(MT940))
    assert second["imported"] == 0 and second["duplicates"] == 7
    assert _paid(book) == expected and _queue(book) == []


def test_a_foreign_currency_goes_to_review(tmp_path: Path) -> None:
    book = _portfolio(tmp_path)
    first = _import(book, USD)
    assert first["imported"] == 0
    queue = _queue(book)
    harbour = _by_claims(queue)[("harbour",)]
    assert harbour["tx"]["currency"] == "USD" and harbour["tx"]["amount"] == "1000.00"
    assert harbour["reasons"] == ["currency USD is not the claim's (EUR)"]
    second = _import(book, USD)
    assert second["imported"] == 0 and second["queued"] == 0
    assert _paid(book) == _expect({}) and _queue(book) == queue


def test_a_damaged_file_imports_nothing_of_any_file(tmp_path: Path) -> None:
    book = _portfolio(tmp_path)
    damaged = tmp_path / "damaged.xml"
    text = CAMT.read_text(encoding="utf-8")
    damaged.write_text(text.replace("<Amt Ccy=\"EUR\">99.50</Amt>", "<Amt Ccy=\"EUR\">99,50</Amt>", 1),
                       encoding="utf-8")
    result = _cli("payments", "import", CODA, damaged, "--portfolio", book)
    assert result.exit_code != 0
    assert "damaged.xml" in result.output and "Ntry[3]/Amt" in result.output
    assert "Traceback" not in result.output and str(tmp_path) not in result.output.replace(str(damaged), "")
    assert _paid(book) == _expect({}) and _queue(book) == []
    assert not (book / "acme" / "journal.jsonl").exists()


def test_the_bundled_samples_are_paid_as_readme_shows(tmp_path: Path) -> None:
    book = tmp_path / "book"
    names = ("be-b2b-fr", "be-consumer-nl", "nl-consumer-nl")
    for name in names:
        copy_sample(name, book / name)
    before = _paid(book)
    files = sorted(p for p in (SAMPLES / "payments").iterdir() if p.suffix in {".cod", ".xml", ".sta"})
    for path in files:
        shutil.copy(path, tmp_path / path.name)
    first = _import(book, *(tmp_path / p.name for p in files))
    assert first["imported"] == 6 and first["queued"] == 0 and first["debits"] == 1
    assert first["matched"] == {"ogm": 2, "text": 4}
    added = {"be-b2b-fr": "1605.00", "be-consumer-nl": "770.00", "nl-consumer-nl": "680.00"}
    expected = {name: before[name] + Decimal(added[name]) for name in names}
    assert _paid(book) == expected and _queue(book) == []
    second = _import(book, *(tmp_path / p.name for p in files))
    assert second["imported"] == 0 and second["duplicates"] == 7
    assert _paid(book) == expected
