"""Fixed compensation and lump-sum damages: the amount the law allows for a base, given the contract."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

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
    explanation: str

    def as_dict(self) -> dict[str, object]:
        return {
            "invoices": list(self.invoices),
            "method": self.method,
            "base": f"{self.base:.2f}",
            "amount": f"{self.amount:.2f}",
            "due_from": self.due_from.isoformat(),
            "rules": [r.parameter for r in self.rules],
            "explanation": self.explanation,
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
) -> tuple[Decimal, list[DatedValue], str]:
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
            return ZERO, used, "no penalty clause in the contract"
        amount = clause_amount(penalty, base, scale)
        why = f"penalty clause on {base:.2f}"
    elif rule.requires_clause:
        if penalty is None:
            return ZERO, used, "the law allows damages only if the contract provides them; it does not"
        agreed = clause_amount(penalty, base, scale)
        if agreed <= legal:
            amount, why = agreed, f"penalty clause on {base:.2f} ({agreed:.2f}), within the legal maximum {legal:.2f}"
        elif rule.clause_excess == "void":
            return (
                ZERO,
                used,
                (
                    f"the penalty clause ({agreed:.2f}) exceeds the legal maximum ({legal:.2f}) "
                    "and is therefore deemed unwritten"
                ),
            )
        else:
            amount, why = legal, f"penalty clause ({agreed:.2f}) reduced to the legal maximum {legal:.2f}"
    elif scale is not None and len(scale.brackets) == 1 and scale.brackets[0].rate is None:
        amount, why = legal, "fixed sum set by law"
    else:
        amount, why = legal, f"legal scale applied to {base:.2f}"

    if rule.vat_uplift is not None and not creditor.vat_recoverable and amount > 0:
        vat = rules.at(rule.vat_uplift, day)
        used.append(vat)
        amount = cents(amount * (HUNDRED + vat.value) / HUNDRED)
        why += f", plus VAT at {vat.value} % (the creditor cannot reclaim VAT)"
    return amount, used, why
