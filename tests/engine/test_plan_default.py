"""A missed instalment of a Belgian consumer's payment plan (issue 15, second pass, item 3).

Book XIX of the Code de droit économique (art. XIX.2, Loi du 4 mai 2023, MB 23-05-2023): a consumer's unpaid debt
bears the contract's damages or interest only after a first reminder and at least 14 calendar days, counted from
the third working day after a paper reminder is sent or the calendar day after an electronic one; a clause that
dispenses with these formalities is prohibited and void. A plan's "whole balance due at once, without notice"
therefore cannot bind a consumer: the balance falls due once a reminder's period ran out unpaid. The data says so
(jurisdictions/be/jurisdiction.yaml ``plan_default``); the days below are counted by hand.
"""

from __future__ import annotations

from datetime import date

from dossier.engine.deadlines import missed_instalment
from dossier.rules import load_rules


def test_a_posted_reminder_of_a_missed_instalment_leaves_fourteen_days_from_the_third_working_day() -> None:
    # posted Tuesday 20 January 2026: working days Wed 21, Thu 22, Fri 23 -> day 1 is Friday 23 January;
    # day 14 is Thursday 5 February 2026 (a working day): the balance is due from Friday 6 February
    period = missed_instalment(load_rules("BE"), "consumer", date(2026, 1, 20), "post")
    assert period is not None
    assert (period.first_day, period.last_day) == (date(2026, 1, 23), date(2026, 2, 5))
    assert period.rule.parameter == "BE:deadlines/book_xix_first_reminder"


def test_an_emailed_reminder_counts_from_the_next_calendar_day() -> None:
    # e-mailed Tuesday 20 January 2026: day 1 is Wednesday 21 January, day 14 Tuesday 3 February 2026
    period = missed_instalment(load_rules("BE"), "consumer", date(2026, 1, 20), "email")
    assert period is not None
    assert (period.first_day, period.last_day) == (date(2026, 1, 21), date(2026, 2, 3))


def test_a_period_ending_on_a_saturday_moves_to_the_monday() -> None:
    # posted Wednesday 4 February 2026: Thu 5, Fri 6, Mon 9 -> day 1 is Monday 9 February; day 14 is Sunday
    # 22 February, which moves to Monday 23 February
    # (Code civil art. 1.7)
    period = missed_instalment(load_rules("BE"), "consumer", date(2026, 2, 4), "post")
    assert period is not None
    assert (period.first_day, period.unrolled_last_day, period.last_day) == (
        date(2026, 2, 9),
        date(2026, 2, 22),
        date(2026, 2, 23),
    )


def test_a_business_plan_keeps_its_own_grace() -> None:
    rules = load_rules("BE")
    assert missed_instalment(rules, "business", date(2026, 1, 20), "post") is None
    assert missed_instalment(load_rules("FR"), "consumer", date(2026, 1, 20), "post") is None
