"""Benchmark: importing a day's bank statement of 100,000 transactions into a 100,000-claim portfolio.

    python benchmarks/payments_import.py [--claims 100000] [--transactions 100000] [--camt]

The portfolio is a JSON Lines file of Belgian B2B claims (one invoice each). The transactions pay them: 60 % by
the structured communication the letters print, 20 % by the claim reference typed in the free text, 10 % with
nothing to match (the review queue), 10 % debits.

- import: ``dossier.workflow.payments.import_payments`` (load and index the claims once, match, journal each
  payment, write the ledger), in a process of its own so that its peak memory is its own;
- baseline, in the same run: loading the same portfolio (every claim validated and completed from its journal,
  what ``dossier next`` does before any step) in a process of its own; with ``--camt`` also parsing the camt.053
  file (``dossier.bank.read_statement``, written by ``benchmarks/bank_files.py``).

Without ``--camt`` the transactions are generated in memory (``BankTransaction`` objects): the statement parsers
are measured by the bank benchmark. Prints seconds, peak memory (resource maxrss) and time per transaction, and
the ratio of the import to the baseline, and the CPU time of each (on a machine shared with other work the
wall-clock time of the file system's work, one journal per claim, varies most). Goal (issue 14): under 60 s and
500 MB on 2 cores.
"""

from __future__ import annotations

import argparse
import copy
import json
import resource
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
DAY = date(2025, 6, 2)
ACCOUNT = "BE71096123456769"
CLAIM = {
    "jurisdiction": "BE",
    "language": "fr",
    "currency": "EUR",
    "creditor": {
        "name": "ACME SRL",
        "type": "business",
        "address": {"street": "Rue de la Loi 16", "postal_code": "1000", "city": "Bruxelles", "country": "BE"},
        "company_number": "BE0403170701",
        "iban": ACCOUNT,
    },
    "debtor": {
        "name": "Dubois SRL",
        "type": "business",
        "address": {"street": "Rue de Fer 42", "postal_code": "5000", "city": "Namur", "country": "BE"},
    },
}


def reference(n: int) -> str:
    return f"BENCH-{n:06d}"


def make_portfolio(path: Path, count: int) -> None:
    with path.open("w", encoding="utf-8") as out:
        for n in range(count):
            claim = copy.deepcopy(CLAIM) | {"reference": reference(n)}
            issued = date(2025, 1, 1) + timedelta(days=n % 120)
            claim["invoices"] = [
                {
                    "number": f"F{n:06d}",
                    "date": issued.isoformat(),
                    "due_date": (issued + timedelta(days=30)).isoformat(),
                    "amount": f"{150 + n % 4000}.50",
                }
            ]
            out.write(json.dumps(claim) + "\n")


def transactions(claims: int, count: int) -> list:
    """The day's transactions, generated in memory (see the module docstring)."""
    from dossier.bank import BankTransaction
    from dossier.context.payment import derived_reference

    out = []
    for n in range(count):
        target = n % claims
        kind = n % 10
        tx = {
            "account": ACCOUNT, "booking_date": DAY, "value_date": DAY, "amount": Decimal("100.00"), "currency": "EUR",
            "credit": kind != 9, "bank_reference": f"REF{n:08d}", "source": "benchmark", "where": f"Ntry[{n + 1}]",
            "counterparty_iban": None,
        }
        if kind < 6:
            tx["structured"] = derived_reference(reference(target), "ogm")
        elif kind < 8:
            tx["free_text"] = f"facture {reference(target).lower().replace('-', ' ')} merci"
        else:
            tx["free_text"] = f"virement {n}"
        out.append(BankTransaction(**tx))
    return out


def camt_statement(claims: int, count: int, folder: Path):
    """A camt.053 file of the same transactions, parsed (needs the bank helper's parser and writer)."""
    sys.path.insert(0, str(ROOT / "benchmarks"))
    from bank_files import write_camt053  # type: ignore[import-not-found]

    from dossier.bank import read_statement  # type: ignore[attr-defined]

    path = folder / "day.camt.053.xml"
    write_camt053(path, transactions(claims, count))
    return read_statement(path)


def child(args: argparse.Namespace) -> None:
    """One measured step, in this process: prints seconds and peak memory as JSON."""
    from dossier.bank import Statement

    book = Path(args.book)
    before = resource.getrusage(resource.RUSAGE_SELF)
    cpu_before = before.ru_utime + before.ru_stime
    started = time.perf_counter()
    if args.step == "load":
        from dossier.workflow.payments import load_accounts

        accounts, failed = load_accounts(book)
        assert len(accounts) == args.claims and not failed
        result: dict = {}
    elif args.step == "parse":
        camt_statement(args.claims, args.transactions, book.parent)
        result = {}
    else:
        from dossier.workflow.payments import import_payments

        if args.camt:
            statements = [camt_statement(args.claims, args.transactions, book.parent)]
        else:
            statements = [Statement("day.xml", "camt.053", "0" * 64, tuple(transactions(args.claims,
                                                                                           args.transactions)))]
        result = import_payments(book, statements)
        result = {k: result[k] for k in ("imported", "matched", "queued", "duplicates", "debits")}
    seconds = time.perf_counter() - started
    usage = resource.getrusage(resource.RUSAGE_SELF)
    cpu = usage.ru_utime + usage.ru_stime - cpu_before
    print(json.dumps({"seconds": seconds, "cpu": cpu, "peak_mb": usage.ru_maxrss / 1024, "result": result}))


def measure(step: str, book: Path, args: argparse.Namespace) -> dict:
    command = [sys.executable, __file__, "--child", step, "--book", str(book), "--claims", str(args.claims),
               "--transactions", str(args.transactions)] + (["--camt"] if args.camt else [])
    done = subprocess.run(command, check=True, capture_output=True, text=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--claims", type=int, default=100_000)
    parser.add_argument("--transactions", type=int, default=100_000)
    parser.add_argument("--camt", action="store_true", help="write and parse a real camt.053 file")
    parser.add_argument("--child", dest="step", default=None, help=argparse.SUPPRESS)
    parser.add_argument("--book", default=None, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.step:
        child(args)
        return
    with tempfile.TemporaryDirectory(prefix="dossier-pay-bench-") as tmp:
        book = Path(tmp) / "book.jsonl"
        make_portfolio(book, args.claims)
        baseline = measure("load", book, args)
        parse = measure("parse", book, args) if args.camt else None
        run = measure("import", book, args)
        report(args, baseline, parse, run)  # before the 100,000 journal folders are removed


def report(args: argparse.Namespace, baseline: dict, parse: dict | None, run: dict) -> None:
    per_tx = run["seconds"] / args.transactions * 1000
    print(f"portfolio: {args.claims} claims (JSON Lines); statement: {args.transactions} transactions "
          f"({'camt.053 file' if args.camt else 'generated in memory'})")
    for name, step in (("baseline, loading the portfolio", baseline), ("baseline, parsing the camt.053", parse),
                       ("import", run)):
        if step:
            print(f"{name}: {step['seconds']:.1f} s ({step['cpu']:.1f} s of CPU), peak {step['peak_mb']:.0f} MB")
    print(f"import: {per_tx:.3f} ms per transaction; {run['result']}")
    print(f"ratio import / loading the portfolio: {run['seconds'] / baseline['seconds']:.2f}")
    print(f"goal: under 60 s and 500 MB: {'met' if run['seconds'] < 60 and run['peak_mb'] < 500 else 'NOT met'}",
          flush=True)


if __name__ == "__main__":
    main()
