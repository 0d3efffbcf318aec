"""Jurisdiction rules: dated, sourced legal data from ``jurisdictions/``, looked up by date."""

from dossier.rules.calendar import WorkingCalendar
from dossier.rules.jurisdiction import Jurisdiction
from dossier.rules.load import available_jurisdictions, data_root, load_rules
from dossier.rules.parameter import DatedValue, Parameter
from dossier.rules.schema import DeadlineRule, Regime, Scale, Source

__all__ = [
    "DatedValue",
    "DeadlineRule",
    "Jurisdiction",
    "Parameter",
    "Regime",
    "Scale",
    "Source",
    "WorkingCalendar",
    "available_jurisdictions",
    "data_root",
    "load_rules",
]
