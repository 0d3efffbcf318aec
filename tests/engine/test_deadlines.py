"""Last days to pay, with weekends and public holidays; each case names its rule."""

from datetime import date

import pytest
from tests.conftest import JURISDICTIONS

from dossier.engine import compute_deadline
from dossier.rules import load_rules


def last_day(code: str, kind: str, debtor: str, sent: date, channel: str) -> date:
    return compute_deadline(load_rules(code, JURISDICTIONS), kind, debtor, sent, channel).last_day


def test_belgian_civil_code_1_7_example() -> None:
    # Civil Code art. 1.7: a period ending Saturday 15 June 2024 ends Monday 17 June 2024.
    # A 15-day formal notice sent Friday 31 May 2024 runs from 1 June; day 15 is Saturday 15 June.
    deadline = compute_deadline(load_rules("BE", JURISDICTIONS), "formal_notice", "business", date(2024, 5, 31), "post")
    assert deadline.unrolled_last_day == date(2024, 6, 15)
    assert deadline.last_day == date(2024, 6, 17)
    assert [why for _, why in deadline.skipped] == ["sat", "sun"]
    assert deadline.trail[-1] == "moved to the next working day: 2024-06-17"


def test_book_xix_paper_reminder_starts_on_the_third_working_day() -> None:
    # Book XIX (SPF Economie): sent by post Friday 28 Nov 2025 -> working days Mon 1, Tue 2, Wed 3 Dec;
    # the 14 days run from Wednesday 3 December to Tuesday 16 December.
    deadline = compute_deadline(load_rules("BE", JURISDICTIONS), "reminder", "consumer", date(2025, 11, 28), "post")
    assert (deadline.first_day, deadline.last_day) == (date(2025, 12, 3), date(2025, 12, 16))


def test_book_xix_electronic_reminder_starts_the_next_calendar_day() -> None:
    # Sent by e-mail Friday 28 Nov 2025: day 1 is Saturday 29 Nov, day 14 is Friday 12 Dec.
    assert last_day("BE", "reminder", "consumer", date(2025, 11, 28), "email") == date(2025, 12, 12)


def test_book_xix_working_days_skip_a_public_holiday() -> None:
    # Posted Thursday 30 Oct 2025: Fri 31 Oct (1), Mon 3 Nov (2; 1 Nov is All Saints' Day and a Saturday),
    # Tue 4 Nov (3) -> day 14 is Monday 17 Nov.
    assert last_day("BE", "reminder", "consumer", date(2025, 10, 30), "post") == date(2025, 11, 17)


def test_belgian_deadline_on_a_public_holiday_moves_to_the_next_working_day() -> None:
    # 15 days from Monday 27 Oct 2025 end Tuesday 11 Nov 2025, Armistice Day -> Wednesday 12 Nov.
    deadline = compute_deadline(
        load_rules("BE", JURISDICTIONS), "formal_notice", "business", date(2025, 10, 27), "email"
    )
    assert deadline.unrolled_last_day == date(2025, 11, 11)
    assert deadline.last_day == date(2025, 11, 12)
    assert deadline.skipped[0][1] == "Armistice Day"


def test_dutch_fourteen_day_letter_counts_from_the_day_after_receipt() -> None:
    # Art. 6:96 lid 6 BW and HR 25-11-2016 (ECLI:NL:HR:2016:2704): posted Monday 7 Oct 2024, received on the
    # second delivery day (Tue 8, Wed 9), 14 days from Thursday 10 Oct: last day Wednesday 23 Oct.
    assert last_day("NL", "formal_notice", "consumer", date(2024, 10, 7), "post") == date(2024, 10, 23)


def test_dutch_delivery_days_skip_sunday_monday_and_holidays() -> None:
    # Posted Saturday 19 April 2025: Sun 20 (Easter), Mon 21 (Easter Monday) do not count; Tue 22 (1), Wed 23 (2)
    # -> received Wednesday 23 April; day 14 is Wednesday 7 May.
    assert last_day("NL", "formal_notice", "consumer", date(2025, 4, 19), "post") == date(2025, 5, 7)


def test_english_letter_of_claim_gives_thirty_days_and_skips_a_bank_holiday() -> None:
    # Pre-Action Protocol for Debt Claims: 30 days from the date of the letter. Letter of 26 Nov 2025:
    # day 30 is Friday 26 Dec 2025 (Boxing Day) -> Monday 29 Dec 2025.
    assert last_day("GB-EAW", "formal_notice", "consumer", date(2025, 11, 26), "post") == date(2025, 12, 29)


def test_unknown_channel_is_refused() -> None:
    from dossier.errors import ComputationError

    with pytest.raises(ComputationError, match="'fax' is not a sending channel"):
        compute_deadline(load_rules("BE", JURISDICTIONS), "formal_notice", "business", date(2025, 1, 6), "fax")
