"""Fixed compensation and lump-sum damages: the amount the law allows for a base, given the contract."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from dossier.engine.notes import Note
from dossier.model import Party, Penalty
from dossier.money import ZERO, cents
from dossier.rules import DatedValue, Jurisdiction
from dossier.rules.schema import CompensationRule, Scale

HUNDRED = Decimal(100)


@dataclass(frozen=True)
class CompensationItem:
    """One amount of compensation: per invoice (``invoice`` set) or for a group of invoices."""

    invoices: tuple[str, ...]
    method: str
    base: Decimal
    amount: Decimal
    due_from: date
    rules: tuple[DatedValue, ...]
    explanation: Note

    def as_dict(self) -> dict[str, object]:
        return {
            "invoices": list(self.invoices),
            "method": self.method,
            "base": f"{self.base:.2f}",
            "amount": f"{self.amount:.2f}",
            "due_from": self.due_from.isoformat(),
            "rules": [r.parameter for r in self.rules],
            "explanation": str(self.explanation),
        }


def clause_amount(penalty: Penalty, base: Decimal, scale: Scale | None) -> Decimal:
    """What a penalty clause itself grants on ``base`` (before any legal cap)."""
    if penalty.statutory_scale:
        return scale.apply(base) if scale is not None else ZERO
    amount = (penalty.rate or ZERO) * base
    if penalty.minimum is not None:
        amount = max(amount, penalty.minimum)
    if penalty.maximum is not None:
        amount = min(amount, penalty.maximum)
    return cents(amount)


def allowed_amount(
    rule: CompensationRule,
    rules: Jurisdiction,
    base: Decimal,
    day: date,
    penalty: Penalty | None,
    creditor: Party,
) -> tuple[Decimal, list[DatedValue], Note]:
    """The compensation the law allows on ``base`` at ``day``, the rules it used, and why."""
    used: list[DatedValue] = []
    scale: Scale | None = None
    legal = ZERO
    if rule.scale is not None:
        scale_value = rules.at(rule.scale, day)
        used.append(scale_value)
        scale = scale_value.value
        legal = scale.apply(base)

    if rule.method == "contract_clause":
        if penalty is None:
            return ZERO, used, Note("no_clause")
        amount = clause_amount(penalty, base, scale)
        why = Note("clause", base=base)
    elif rule.requires_clause:
        if penalty is None:
            return ZERO, used, Note("clause_required")
        agreed = clause_amount(penalty, base, scale)
        if agreed <= legal:
            amount, why = agreed, Note("clause_within", base=base, agreed=agreed, legal=legal)
        elif rule.clause_excess == "void":
            return ZERO, used, Note("clause_void", agreed=agreed, legal=legal)
        else:
            amount, why = legal, Note("clause_reduced", agreed=agreed, legal=legal)
    elif scale is not None and len(scale.brackets) == 1 and scale.brackets[0].rate is None:
        amount, why = legal, Note("fixed_sum")
    else:
        amount, why = legal, Note("legal_scale", base=base)

    if rule.vat_uplift is not None and not creditor.vat_recoverable and amount > 0:
        vat = rules.at(rule.vat_uplift, day)
        used.append(vat)
        amount = cents(amount * (HUNDRED + vat.value) / HUNDRED)
        why = Note("with_vat", why=why, vat=str(vat.value))
    return amount, used, why
