"""Benchmark input: a camt.053.001.08 statement with N credit transfers, and how long reading it takes.

    python benchmarks/bank_files.py [--transactions 100000] [--out FILE] [--pycamt]

``write_camt053(path, count, ...)`` is what the payments benchmark imports to make its statement: by default
transaction ``i`` pays 100.00 EUR with the Belgian structured communication whose first ten digits are ``i``
(``structured_reference(i)``); pass ``reference`` and ``amount`` to point transactions at a portfolio's claims.
Run as a script it writes the file, reads it with ``dossier.bank.read_statement`` and prints the time, the time
per transaction and the peak memory (``--pycamt`` also times pycamt's ``get_transactions`` on the same file, the
reader the issue proposed, for comparison).
"""

from __future__ import annotations

import argparse
import resource
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date
from decimal import Decimal
from pathlib import Path
from xml.sax.saxutils import escape

from stdnum.be import ogm_vcs

ROOT = Path(__file__).resolve().parents[1]
ACCOUNT = "BE71096123456769"
DAY = date(2025, 12, 3)


def structured_reference(index: int) -> str:
    """The 12 digits of a valid Belgian structured communication built from ``index``."""
    digits = f"{index % 10**10:010d}"
    return digits + ogm_vcs.calc_check_digits(digits)


def _remittance(reference: str) -> str:
    """A structured reference (an OGM, 12 digits with or without ``+++/``, or ``RF..``) as ``Strd``, anything
    else as free text (``Ustrd``)."""
    digits = "".join(ch for ch in reference if ch.isdigit())
    ogm = len(digits) == 12 and not reference.strip("+*/ 0123456789")
    if not (reference.upper().startswith("RF") or ogm):
        return f"<RmtInf><Ustrd>{escape(reference)}</Ustrd></RmtInf>"
    scheme = "ISO" if reference.upper().startswith("RF") else "BBA"
    return (
        "<RmtInf><Strd><CdtrRefInf><Tp><CdOrPrtry><Cd>SCOR</Cd></CdOrPrtry>"
        f"<Issr>{scheme}</Issr></Tp><Ref>{escape(reference)}</Ref></CdtrRefInf></Strd></RmtInf>"
    )


def _entry(index: int, reference: str, amount: Decimal, day: date) -> str:
    """One booked entry; a negative ``amount`` is a debit of its absolute value."""
    side = "DBIT" if amount < 0 else "CRDT"
    party = "Cdtr" if amount < 0 else "Dbtr"
    return (
        f'<Ntry><Amt Ccy="EUR">{abs(amount):.2f}</Amt><CdtDbtInd>{side}</CdtDbtInd><Sts><Cd>BOOK</Cd></Sts>'
        f"<BookgDt><Dt>{day}</Dt></BookgDt><ValDt><Dt>{day}</Dt></ValDt>"
        f"<AcctSvcrRef>BENCH-{day:%Y%m%d}-{index:09d}</AcctSvcrRef>"
        "<BkTxCd><Domn><Cd>PMNT</Cd><Fmly><Cd>RCDT</Cd><SubFmlyCd>ESCT</SubFmlyCd></Fmly></Domn></BkTxCd>"
        f"<NtryDtls><TxDtls><Refs><EndToEndId>E2E-{index:09d}</EndToEndId></Refs>"
        f'<Amt Ccy="EUR">{abs(amount):.2f}</Amt><CdtDbtInd>{side}</CdtDbtInd>'
        f"<RltdPties><{party}><Pty><Nm>Party {index}</Nm></Pty></{party}></RltdPties>"
        f"{_remittance(reference)}</TxDtls></NtryDtls></Ntry>\n"
    )


def write_camt053(
    path: Path,
    count: int,
    *,
    reference: Callable[[int], str] = structured_reference,
    amount: Callable[[int], Decimal] = lambda _: Decimal("100.00"),
    account: str = ACCOUNT,
    day: date = DAY,
) -> Path:
    """A valid camt.053.001.08 file at ``path`` with ``count`` booked entries (balances and totals consistent),
    written as it goes (no tree in memory): credits, and debits where ``amount`` is negative; ``reference`` gives
    a structured reference (12 OGM digits or ``RF..``) or else free text."""
    amounts = [amount(i) for i in range(count)]
    total = sum(amounts, Decimal("0.00"))
    credits = [a for a in amounts if a >= 0]
    debits = [-a for a in amounts if a < 0]
    with open(path, "w", encoding="utf-8") as out:
        out.write(
            '<?xml version="1.0" encoding="UTF-8"?>\n'
            '<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.08"><BkToCstmrStmt>'
            f"<GrpHdr><MsgId>BENCH-{count}</MsgId><CreDtTm>{day}T18:00:00</CreDtTm></GrpHdr>"
            f"<Stmt><Id>BENCH-{count}</Id><CreDtTm>{day}T18:00:00</CreDtTm>"
            f"<Acct><Id><IBAN>{account}</IBAN></Id><Ccy>EUR</Ccy></Acct>"
            '<Bal><Tp><CdOrPrtry><Cd>OPBD</Cd></CdOrPrtry></Tp><Amt Ccy="EUR">0.00</Amt>'
            f"<CdtDbtInd>CRDT</CdtDbtInd><Dt><Dt>{day}</Dt></Dt></Bal>"
            f'<Bal><Tp><CdOrPrtry><Cd>CLBD</Cd></CdOrPrtry></Tp><Amt Ccy="EUR">{abs(total):.2f}</Amt>'
            f"<CdtDbtInd>{'DBIT' if total < 0 else 'CRDT'}</CdtDbtInd><Dt><Dt>{day}</Dt></Dt></Bal>"
            f"<TxsSummry><TtlNtries><NbOfNtries>{count}</NbOfNtries></TtlNtries>"
            f"<TtlCdtNtries><NbOfNtries>{len(credits)}</NbOfNtries><Sum>{sum(credits, Decimal(0)):.2f}</Sum>"
            f"</TtlCdtNtries><TtlDbtNtries><NbOfNtries>{len(debits)}</NbOfNtries>"
            f"<Sum>{sum(debits, Decimal(0)):.2f}</Sum></TtlDbtNtries></TxsSummry>\n"
        )
        for index, value in enumerate(amounts):
            out.write(_entry(index, reference(index), value, day))
        out.write("</Stmt></BkToCstmrStmt></Document>\n")
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--transactions", type=int, default=100_000)
    parser.add_argument("--out", type=Path)
    parser.add_argument("--pycamt", action="store_true", help="also time pycamt on the same file")
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT / "src"))
    from dossier.bank import read_statement

    with tempfile.TemporaryDirectory() as folder:
        path = args.out or Path(folder) / "bench.camt053.xml"
        started = time.perf_counter()
        write_camt053(path, args.transactions)
        written = time.perf_counter() - started
        size = path.stat().st_size / 2**20
        started = time.perf_counter()
        statement = read_statement(path)
        took = time.perf_counter() - started
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        count = len(statement.transactions)
        print(f"wrote {count} transactions ({size:.0f} MB) in {written:.1f} s")
        print(f"read_statement: {took:.2f} s, {took / count * 1e6:.1f} µs per transaction, peak RSS {peak:.0f} MB")
        if args.pycamt:
            from pycamt import Camt053Parser

            started = time.perf_counter()
            found = Camt053Parser.from_file(path).get_transactions()
            took = time.perf_counter() - started
            peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
            print(f"pycamt get_transactions: {len(found)} in {took:.2f} s, peak RSS so far {peak:.0f} MB")


if __name__ == "__main__":
    main()
