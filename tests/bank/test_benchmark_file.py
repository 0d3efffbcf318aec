"""benchmarks/bank_files.py writes a camt.053 the reader takes whole: the payments benchmark relies on it."""

from __future__ import annotations

import importlib.util
from decimal import Decimal
from pathlib import Path

from tests.conftest import ROOT

from dossier.bank import read_statement
from dossier.bank.references import ogm


def load_generator():
    spec = importlib.util.spec_from_file_location("bank_files", ROOT / "benchmarks" / "bank_files.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_generated_statement_is_read_whole(tmp_path: Path) -> None:
    generator = load_generator()
    path = generator.write_camt053(tmp_path / "bench.xml", 25, amount=lambda i: Decimal(i) + Decimal("0.50"))
    found = read_statement(path).transactions
    assert len(found) == 25
    assert len({t.key for t in found}) == 25
    assert all(ogm(t.structured) for t in found)
    assert found[3].amount == Decimal("3.50")


def test_references_can_point_at_a_portfolio(tmp_path: Path) -> None:
    generator = load_generator()
    given = ["RF18 5390 0754 7034", "+++974/9960/57546+++", "090933755493"]
    path = generator.write_camt053(tmp_path / "bench.xml", 3, reference=given.__getitem__)
    found = [t.structured for t in read_statement(path).transactions]
    assert found == ["RF18539007547034", "974996057546", "090933755493"]


def test_free_text_and_debits_for_the_payments_benchmark(tmp_path: Path) -> None:
    generator = load_generator()
    given = ["facture bench 000042 merci", "090933755493"]
    amounts = [Decimal("100.00"), Decimal("-40.00")]
    path = generator.write_camt053(tmp_path / "bench.xml", 2, reference=given.__getitem__, amount=amounts.__getitem__)
    first, second = read_statement(path).transactions
    assert (first.free_text, first.structured, first.credit) == ("facture bench 000042 merci", None, True)
    assert (second.structured, second.credit, second.amount) == ("090933755493", False, Decimal("40.00"))
