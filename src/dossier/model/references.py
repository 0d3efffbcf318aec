"""Structured payment references, as a debtor's bank carries them: the Belgian structured communication (OGM-VCS,
``+++ddd/dddd/ddddd+++``), the ISO 11649 creditor reference (``RFkk...``) and the Dutch betalingskenmerk (7, 9 to
14 or 16 digits). One function reads any of them into its kind and compact form, so that what an invoice carries,
what a letter prints and what a statement says compare equal however each was written (spaces, slashes, case).
"""

from __future__ import annotations

import re

from stdnum import iso11649

#: the kinds a structured reference can be
KINDS = ("ogm", "rf", "kenmerk")
_SEPARATORS = re.compile(r"[\s+/.\-]")
#: betalingskenmerk check-digit weights, from the rightmost digit (Betaalvereniging Nederland, "Specificaties
#: betalingskenmerk": weighted modulus 11, weights 2, 4, 8, 5, 10, 9, 7, 3, 6, 1 repeated)
_WEIGHTS = (2, 4, 8, 5, 10, 9, 7, 3, 6, 1)
#: a betalingskenmerk of 9 to 14 digits: its second digit says how many follow (Betaalvereniging)
_LENGTH_CODES = {9: 7, 10: 8, 11: 9, 12: 0, 13: 1, 14: 2}


def ogm_check(digits: str) -> str:
    """The two check digits of a structured communication's ten digits: their value modulo 97, 97 for 0
    (Febelfin; the same as python-stdnum's ``be.ogm_vcs``, without its generic clean-up, which dominated an
    import of 100,000 transactions)."""
    return f"{int(digits) % 97 or 97:02d}"


def rf_check(body: str) -> str:
    """The two check digits of an ISO 11649 reference for ``body`` (upper-case letters and digits): 98 minus
    ``body`` + ``RF00`` read as digits (A=10 ... Z=35) modulo 97."""
    number = int("".join(str(int(ch, 36)) for ch in body + "RF00"))
    return f"{98 - number % 97:02d}"


def _kenmerk_check(digits: str) -> int:
    total = sum(int(d) * _WEIGHTS[i % len(_WEIGHTS)] for i, d in enumerate(reversed(digits)))
    check = 11 - total % 11
    return {10: 1, 11: 0}.get(check, check)


def _kenmerk(digits: str) -> bool:
    """Whether ``digits`` is a valid Dutch betalingskenmerk (7 digits: no check; 9-14: check and length code;
    16: check digit first)."""
    if len(digits) == 7:
        return True
    if len(digits) == 16:
        return int(digits[0]) == _kenmerk_check(digits[1:])
    if len(digits) in _LENGTH_CODES:
        return int(digits[1]) == _LENGTH_CODES[len(digits)] and int(digits[0]) == _kenmerk_check(digits[1:])
    return False


def parse_reference(value: str) -> tuple[str, str]:
    """``(kind, compact)`` of a structured reference: ``("ogm", "123456789002")``, ``("rf", "RF18539007547034")``,
    ``("kenmerk", "5000056789012345")``; ``ValueError`` saying why when it is none of them (a wrong check digit
    included)."""
    compact = _SEPARATORS.sub("", value).upper()
    if compact.startswith("RF"):
        body = compact[4:]
        if not (compact[2:4].isdigit() and 0 < len(body) <= 21 and body.isascii() and body.isalnum()):
            raise ValueError(f"{value} is not a valid ISO 11649 RF creditor reference (RF, 2 check digits, then 1 to "
                             "21 letters or digits)")
        if rf_check(body) != compact[2:4]:
            raise ValueError(f"{value} is not a valid ISO 11649 RF creditor reference (its check digits are wrong)")
        return "rf", compact
    if not compact.isascii() or not compact.isdigit():
        raise ValueError(f"{value} is not a structured reference (OGM +++ddd/dddd/ddddd+++, RF.., or digits)")
    if len(compact) == 12:
        if ogm_check(compact[:10]) != compact[10:]:
            raise ValueError(f"{value} is not a valid structured communication (its check digits are wrong)")
        return "ogm", compact
    if _kenmerk(compact):
        return "kenmerk", compact
    raise ValueError(f"{value} is not a valid Dutch betalingskenmerk (wrong length or check digit)")


def shown_reference(kind: str, compact: str) -> str:
    """How a letter prints it: ``+++123/4567/89002+++``, ``RF18 5390 0754 7034``, the kenmerk's digits."""
    if kind == "ogm":
        return f"+++{compact[:3]}/{compact[3:7]}/{compact[7:]}+++"
    if kind == "rf":
        return iso11649.format(compact)
    return compact
