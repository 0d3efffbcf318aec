"""Working days per jurisdiction: weekends and public holidays from the ``holidays`` package.

The package is the source of holiday dates; the jurisdiction data says which
categories count, which names the law leaves out (the Dutch Algemene
termijnenwet does not count Good Friday) and which fixed days it adds.
"""

from __future__ import annotations

from datetime import date, timedelta
from functools import lru_cache

from dossier.rules.schema import CalendarSpec, DayUnit

_WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


class WorkingCalendar:
    def __init__(self, spec: CalendarSpec) -> None:
        self.spec = spec
        self._holidays = lru_cache(maxsize=64)(self._holidays_of_year)

    def _holidays_of_year(self, year: int) -> dict[date, str]:
        import holidays  # 60 ms to import: only when a period in working days is computed

        h = self.spec.holidays
        found = holidays.country_holidays(
            h.country, subdiv=h.subdivision, years=year, categories=tuple(h.categories), language="en_US"
        )
        days = {d: name for d, name in found.items() if name not in h.exclude}
        for mmdd in h.add:
            month, day = (int(x) for x in mmdd.split("-"))
            days.setdefault(date(year, month, day), f"legal holiday {mmdd}")
        return days

    def holiday(self, day: date) -> str | None:
        """The holiday's name when ``day`` is a holiday the law counts, else None."""
        return self._holidays(day.year).get(day)

    def skips(self, day: date, unit: DayUnit) -> str | None:
        """Why ``day`` does not count in ``unit`` (weekday name or holiday name), or None if it counts."""
        weekday = _WEEKDAYS[day.weekday()]
        if weekday in unit.skip_weekdays:
            return weekday
        if unit.skip_holidays:
            return self.holiday(day)
        return None

    def is_working_day(self, day: date) -> bool:
        return self.skips(day, self.spec.working_days) is None

    def unit(self, name: str) -> DayUnit:
        if name == "calendar_days":
            return DayUnit()
        if name == "working_days":
            return self.spec.working_days
        return self.spec.day_units[name]

    def add(self, start: date, count: int, unit_name: str) -> date:
        """The ``count``-th counting day after ``start`` in the named unit."""
        unit = self.unit(unit_name)
        day = start
        for _ in range(count):
            day += timedelta(days=1)
            while self.skips(day, unit) is not None:
                day += timedelta(days=1)
        return day

    def next_working_day(self, day: date) -> tuple[date, list[tuple[date, str]]]:
        """``day`` itself if it is a working day, else the next one, with the days skipped and why."""
        skipped: list[tuple[date, str]] = []
        while (why := self.skips(day, self.spec.working_days)) is not None:
            skipped.append((day, why))
            day += timedelta(days=1)
        return day, skipped
