"""Payment application: which debt and which part a payment pays, as each jurisdiction's imputation data says."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from tests.engine.helpers import D, run
from tests.engine.test_statement_pins import gb_claim

from dossier.engine.accounts import Debt
from dossier.engine.imputation import apply_payment, debt_order, part_order
from dossier.model import Payment
from dossier.rules.schema import Imputation


def _debt(key: str, principal: str, interest: str = "0") -> Debt:
    debt = Debt(key=key, invoice=None, principal=D(principal))
    debt.interest_open = D(interest)
    return debt


def _imputation(designation: str) -> Imputation:
    return Imputation.model_validate(
        {"order": ["costs", "interest", "principal"], "debts": "designated_then_oldest", "designation": designation}
    )


def test_the_named_invoice_first_then_damages_on_the_claim_then_the_others_in_order() -> None:
    old, new, damages = _debt("OLD", "100"), _debt("NEW", "100"), _debt("damages", "0")
    payment = Payment(date=date(2025, 3, 1), amount=Decimal("150.00"), invoice="NEW")
    assert [d.key for d in debt_order(payment, [damages], [old, new])] == ["NEW", "damages", "OLD"]
    unnamed = Payment(date=date(2025, 3, 1), amount=Decimal("150.00"))
    assert [d.key for d in debt_order(unnamed, [damages], [old, new])] == ["damages", "OLD", "NEW"]


def test_designation_principal_first_names_the_principal_of_the_named_debt_only() -> None:
    """Data option: a jurisdiction where a designation may name the principal. 120.00 naming B (principal 100.00,
    interest 30.00): principal 100.00, then B's interest 20.00; A (interest 5.00) untouched. Under ``debt`` the
    same payment pays B's interest 30.00 then 90.00 of its principal."""
    payment = Payment(date=date(2025, 3, 1), amount=Decimal("120.00"), invoice="B")
    a, b = _debt("A", "50", "5"), _debt("B", "100", "30")
    assert part_order(a, payment, _imputation("principal_first")) == ["costs", "interest", "principal"]
    applied = apply_payment(payment, debt_order(payment, [], [a, b]), _imputation("principal_first"))
    assert [(x.debt, x.part, x.amount) for x in applied.applications] == [
        ("B", "principal", D("100")),
        ("B", "interest", D("20.00")),
    ]
    a, b = _debt("A", "50", "5"), _debt("B", "100", "30")
    applied = apply_payment(payment, debt_order(payment, [], [a, b]), _imputation("debt"))
    assert [(x.debt, x.part, x.amount) for x in applied.applications] == [
        ("B", "interest", D("30")),
        ("B", "principal", D("90.00")),
    ]


def test_gb_payment_naming_an_invoice_pays_that_debt_its_fixed_sum_and_interest_first() -> None:
    """GB appropriation (jurisdictions/gb-eaw/imputation.yaml): the debtor appropriates a payment to a debt by
    naming it when paying (Devaynes v Noble, Clayton's case (1816) 1 Mer 572); statutory interest is treated as
    interest under an express contract term (Late Payment Act 1998 s.1(2)), so the payment keeps down that
    debt's interest (and fixed sum) before its principal; the older debt A is left alone.
    B: 2,000.00 due 31 March 2025; interest from 1 April at 12.75 % (Bank Rate 4.75 % on 31 December 2024 + 8);
    1 April-30 June, 91 days: 2,000 x 12.75 % x 91/365 = 63.58; fixed sum (s.5A(2), 1,000 to 9,999.99) 70.00.
    2,000.00 naming B on 30 June: 70.00 fixed sum, 63.58 interest, 1,866.42 principal; B's principal left 133.58."""
    data = gb_claim(
        invoices=[
            {"number": "A", "date": "2024-12-31", "due_date": "2025-01-31", "amount": "1000.00"},
            {"number": "B", "date": "2025-02-28", "due_date": "2025-03-31", "amount": "2000.00"},
        ],
        payments=[{"date": "2025-06-30", "amount": "2000.00", "invoice": "B"}],
    )
    s = run(data, date(2025, 6, 30))
    assert [(a.debt, a.part, a.amount) for a in s.payments[0].applications] == [
        ("B", "costs", D("70.00")),
        ("B", "interest", D("63.58")),
        ("B", "principal", D("1866.42")),
    ]
    a, b = s.invoices
    assert (a.outstanding["principal"], b.outstanding["principal"]) == (D("1000.00"), D("133.58"))


def test_a_payment_naming_an_unknown_invoice_is_a_clear_error() -> None:
    """Claim files are checked on load; a payment from elsewhere (a bank import) naming no invoice of the claim
    is refused with what is wrong, never a traceback or an application to the wrong debt."""
    import pytest

    from dossier.errors import ClaimError

    payment = Payment(date=date(2025, 3, 1), amount=Decimal("10.00"), invoice="NOPE")
    with pytest.raises(ClaimError, match="names NOPE, which is not an invoice of this claim"):
        debt_order(payment, [], [_debt("A", "50")])
