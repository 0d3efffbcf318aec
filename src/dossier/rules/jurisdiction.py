"""A loaded jurisdiction: its parameters, calendar and structural rules, queried by date."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from dossier.errors import RulesError
from dossier.rules.calendar import WorkingCalendar
from dossier.rules.parameter import DatedValue, Parameter
from dossier.rules.schema import JurisdictionFile, applies_to


@dataclass(frozen=True)
class Jurisdiction:
    code: str
    folder: str
    meta: JurisdictionFile
    parameters: dict[str, Parameter]
    calendar: WorkingCalendar
    version: str

    @property
    def currency(self) -> str:
        return self.meta.currency

    def parameter(self, parameter_id: str) -> Parameter:
        try:
            return self.parameters[parameter_id]
        except KeyError:
            raise RulesError(
                f"unknown parameter {parameter_id!r}",
                file=self.folder,
                hint=f"known: {', '.join(sorted(self.parameters))}",
            ) from None

    def at(self, parameter_id: str, day: date) -> DatedValue:
        """The value of ``parameter_id`` in force on ``day``."""
        return self.parameter(parameter_id).at(day)

    def regime(self, debtor_type: str, day: date) -> DatedValue:
        """The regime (interest and compensation rules) for a debtor type, as the law stood on ``day``."""
        return self.at(self.meta.regimes[debtor_type], day)  # type: ignore[index]

    def deadline_rule(self, kind: str, debtor_type: str, day: date) -> DatedValue:
        """The period a letter of ``kind`` gives a debtor of ``debtor_type``, as the law stood on ``day``."""
        try:
            parameter_id = self.meta.deadlines[kind][debtor_type]  # type: ignore[index]
        except KeyError:
            raise RulesError(
                f"no deadline rule for letters of kind {kind!r}",
                file=f"{self.folder}/jurisdiction.yaml",
                path="deadlines",
                hint=f"known: {', '.join(sorted(self.meta.deadlines))}",
            ) from None
        return self.at(parameter_id, day)

    def sending(self, kind: str, day: date) -> DatedValue | None:
        """How a letter of ``kind`` is sent (customary channel, channels allowed, wording), as it stood on ``day``;
        None for a document that is not a letter to the debtor (a statement)."""
        parameter_id = self.meta.sending.get(kind)  # type: ignore[call-overload]
        return None if parameter_id is None else self.at(parameter_id, day)

    def plan_default(self, debtor_type: str, day: date) -> DatedValue | None:
        """The period (a deadline rule) a reminder of a missed payment-plan instalment must leave a debtor of
        ``debtor_type`` before the whole balance falls due, as the law stood on ``day``; None where the law
        sets none (the plan's own grace applies)."""
        parameter_id = self.meta.plan_default.get(debtor_type)  # type: ignore[call-overload]
        return None if parameter_id is None else self.at(parameter_id, day)

    def ladder(self, debtor_type: str, day: date) -> DatedValue:
        """The collection ladder (steps in order) for a debtor type, as it stood on ``day``."""
        return self.at(self.meta.ladders[debtor_type], day)  # type: ignore[index]

    def mentions(
        self,
        document: str,
        debtor_type: str,
        sender: str,
        day: date,
        level: int | None = None,
        costs: str = "announced",
    ) -> list[DatedValue]:
        """Wording in force on ``day`` that a ``document`` to this debtor from this sender must carry; ``costs``
        is the state of the costs a notice opens (``announced`` or ``due``)."""
        found = []
        for parameter in sorted(self.parameters.values(), key=lambda p: p.id):
            if parameter.unit != "text":
                continue
            dated = next((v for v in parameter.values if v.covers(day)), None)
            if dated is None:
                continue
            if applies_to(dated.value.applies, document, debtor_type, sender, level, costs):
                found.append(dated)
        return found

    def coverage(self) -> tuple[date, date | None]:
        """The span in which every interest rate has a value (what ``dossier jurisdictions`` shows)."""
        rates = [p for p in self.parameters.values() if p.unit == "percent_per_year"]
        starts = [p.first_day for p in rates]
        ends = [p.last_day for p in rates if p.last_day is not None]
        return max(starts), (min(ends) if ends else None)
