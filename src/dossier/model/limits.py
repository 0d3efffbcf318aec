"""The largest claim dossier accepts, and why each bound is where it is.

Every bound is far beyond a real claim (a paralegal never meets one) and close enough to keep hostile or
mistyped input from becoming a 700-page letter, a file name the system refuses, a Word property Word refuses,
or a date the calendar cannot hold. docs/claim-format.md lists them for users.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

#: One euro short of a trillion: no debt-collection claim comes near, and with two decimals the figures keep
#: over ten digits of headroom in Decimal's 28-digit arithmetic when interest multiplies them by rates and days.
MAX_AMOUNT = Decimal("999999999999.99")
#: Contract rates are agreed to a few decimals ("0.0875"); six decimals of a fraction is 1/10,000 of a percent.
MAX_RATE_DECIMALS = 6
#: Text longer than this cannot be a number; refused before it is parsed.
MAX_NUMBER_TEXT = 40

#: The dates a claim, and a date asked of dossier, may hold. The engine adds days, months and years to them
#: (periods, anniversaries, instalments); far from 9999-12-31, no sum overflows the calendar. The rules data
#: covers a much narrower span: a date outside it is refused by the rules, naming what they cover.
EARLIEST_DATE = date(1900, 1, 1)
LATEST_DATE = date(2099, 12, 31)

#: Identifiers that become part of file names (``2026-12-01_reminder-1_<reference>_v1.pdf``) and document
#: titles: short enough for every file system (255 bytes a name) and for Word's 255-character properties.
MAX_REFERENCE = 64
#: A person's or firm's name: the longest registered company names run to about 160 characters.
MAX_NAME = 200
#: One line of an address, a city, a registration, a piece's title.
MAX_LINE = 200
MAX_POSTAL_CODE = 20
#: Company and VAT numbers, phone numbers, IBAN (34 at most by ISO 13616) and BIC (11).
MAX_CODE = 40
#: RFC 5321 bounds a mail path at 254 characters.
MAX_EMAIL = 254
#: SEPA remittance information (a payment's reference) is at most 140 characters.
MAX_PAYMENT_REFERENCE = 140
#: known IBANs of one party (a debtor paying from a few accounts; more is a data error)
MAX_IBANS = 20
#: What an invoice was for, as it appears in a letter's table: a line or two, not a contract.
MAX_DESCRIPTION = 500
#: A note on one event of the history (a call, a letter received).
MAX_SUMMARY = 2000
#: A file path inside the claim folder (the longest name most file systems allow).
MAX_PATH = 255

#: Per claim. A claim is one debtor's unpaid invoices: 500 is more than a year of daily deliveries; every
#: invoice is a row of every letter, so the bound also bounds a letter's length.
MAX_INVOICES = 500
MAX_PAYMENTS = 1000
MAX_HISTORY = 1000
MAX_PIECES = 300
#: Ten years of monthly instalments.
MAX_INSTALMENTS = 120
