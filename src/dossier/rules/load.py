"""Loading ``jurisdictions/<code>/``: every file validated strictly, every reference checked.

A parameter's dated values must be sorted, contiguous (no gap, no overlap) and
sourced; a semiannual or annual rate has one entry per half-year or year, so a
missing notice cannot hide behind an open-ended value.
"""

from __future__ import annotations

import hashlib
import os
from datetime import date, timedelta
from functools import lru_cache
from pathlib import Path

from pydantic import TypeAdapter, ValidationError

from dossier.errors import Problem, RulesError
from dossier.rules.calendar import WorkingCalendar
from dossier.rules.jurisdiction import Jurisdiction
from dossier.rules.parameter import DatedValue, Parameter
from dossier.rules.schema import (
    CITED_UNITS,
    VALUE_KINDS,
    DeadlineRule,
    JurisdictionFile,
    Mention,
    ParameterFile,
    Regime,
    Sending,
)
from dossier.strictyaml import load_file
from dossier.validation import problems_from

META_FILE = "jurisdiction.yaml"
_ADAPTERS = {unit: TypeAdapter(kind) for unit, kind in VALUE_KINDS.items()}


def data_root() -> Path:
    """The ``jurisdictions/`` folder: ``$DOSSIER_JURISDICTIONS``, the source checkout, or the installed copy."""
    override = os.environ.get("DOSSIER_JURISDICTIONS")
    if override:
        return Path(override)
    checkout = Path(__file__).resolve().parents[3] / "jurisdictions"
    if checkout.is_dir():
        return checkout
    return Path(__file__).resolve().parents[1] / "_data" / "jurisdictions"


def available_jurisdictions(root: Path | None = None) -> list[str]:
    """Codes of the jurisdictions present, e.g. ``['BE', 'FR', 'GB-EAW', 'NL']``."""
    base = root or data_root()
    return sorted(p.name.upper() for p in base.iterdir() if (p / META_FILE).is_file())


def load_rules(code: str, root: Path | None = None) -> Jurisdiction:
    """Load and check the data of one jurisdiction (cached per folder)."""
    base = (root or data_root()).resolve()
    folder = base / code.lower()
    if not (folder / META_FILE).is_file():
        known = ", ".join(available_jurisdictions(base)) or "none"
        raise RulesError(f"unknown jurisdiction {code!r} (known: {known})", path="jurisdiction")
    return _load(str(folder))


@lru_cache(maxsize=16)
def _load(folder_text: str) -> Jurisdiction:
    folder = Path(folder_text)
    label = f"jurisdictions/{folder.name}"
    problems: list[Problem] = []

    meta_raw = load_file(folder / META_FILE, numbers="refuse", error=RulesError, label=f"{label}/{META_FILE}")
    try:
        meta = JurisdictionFile.model_validate(meta_raw)
    except ValidationError as exc:
        raise RulesError("invalid jurisdiction file", problems=problems_from(exc, f"{label}/{META_FILE}")) from None

    parameters: dict[str, Parameter] = {}
    digest = hashlib.sha256()
    for path in sorted(folder.rglob("*.yaml")):
        rel = path.relative_to(folder).as_posix()
        digest.update(rel.encode() + b"\0" + path.read_bytes() + b"\0")
        if rel == META_FILE:
            continue
        parameter_id = rel.removesuffix(".yaml")
        file = f"{label}/{rel}"
        try:
            parameters[parameter_id] = _parameter(parameter_id, path, file, meta)
        except RulesError as exc:
            problems += exc.problems

    calendar = WorkingCalendar(meta.calendar)
    if not problems:
        problems += _reference_problems(meta, parameters, f"{label}/{META_FILE}")
    if problems:
        raise RulesError("invalid jurisdiction data", problems=problems)
    return Jurisdiction(
        code=meta.code,
        folder=label,
        meta=meta,
        parameters=parameters,
        calendar=calendar,
        version=f"{meta.code}-{digest.hexdigest()[:12]}",
    )


def _parameter(parameter_id: str, path: Path, file: str, meta: JurisdictionFile) -> Parameter:
    raw = load_file(path, numbers="refuse", error=RulesError, label=file)
    try:
        spec = ParameterFile.model_validate(raw)
    except ValidationError as exc:
        raise RulesError("invalid parameter file", problems=problems_from(exc, file)) from None

    problems: list[Problem] = _citation_problems(spec, file, meta)
    adapter = _ADAPTERS[spec.unit]
    values: list[DatedValue] = []
    for i, entry in enumerate(spec.values):
        try:
            value = adapter.validate_python(entry.value)
        except ValidationError as exc:
            problems += problems_from(exc, file, prefix=f"values[{i}].value")
            continue
        values.append(
            DatedValue(
                parameter=f"{meta.code}:{parameter_id}",
                value=value,
                start=entry.from_,
                end=entry.until,
                status=entry.status,
                sources=tuple(entry.sources),
                note=entry.note,
                citation=_citation(spec.citation, entry.citation),
            )
        )
    if spec.currency is not None and spec.currency != meta.currency:
        problems.append(Problem(f"{spec.currency} differs from the jurisdiction's {meta.currency}", file, "currency"))
    problems += _timeline_problems(spec, file)
    if problems:
        raise RulesError("invalid parameter file", problems=problems)
    return Parameter(
        id=parameter_id,
        file=file,
        description=spec.description,
        unit=spec.unit,
        cadence=spec.cadence,
        checked_on=spec.checked_on,
        legal_basis=tuple(spec.legal_basis),
        values=tuple(values),
        currency=spec.currency,
    )


def _citation_problems(spec: ParameterFile, file: str, meta: JurisdictionFile) -> list[Problem]:
    """Figures need a citation, and every citation speaks every language the jurisdiction's documents use."""
    problems = []
    if spec.unit in CITED_UNITS and spec.citation is None:
        problems.append(
            Problem(
                "needs a citation: per language, the primary source (statute and article, decree or official "
                "publication) a document's legal basis prints",
                file,
                "citation",
            )
        )
    cited = [("citation", spec.citation)] + [(f"values[{i}].citation", v.citation) for i, v in enumerate(spec.values)]
    for where, citation in cited:
        missing = set(meta.languages) - set(citation or meta.languages)
        if missing:
            problems.append(Problem(f"lacks {', '.join(sorted(missing))} (the jurisdiction's languages)", file, where))
    return problems


def _citation(*parts: dict[str, list[str]] | None) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """The parameter's citation followed by the value's own, per language."""
    languages = dict.fromkeys(lang for part in parts if part for lang in part)
    return tuple((lang, tuple(text for part in parts if part for text in part.get(lang, []))) for lang in languages)


def _period_end(start: date, cadence: str) -> date | None:
    if cadence == "semiannual" and (start.month, start.day) in {(1, 1), (7, 1)}:
        return date(start.year, 6, 30) if start.month == 1 else date(start.year, 12, 31)
    if cadence == "annual" and (start.month, start.day) == (1, 1):
        return date(start.year, 12, 31)
    return None


def _timeline_problems(spec: ParameterFile, file: str) -> list[Problem]:
    problems: list[Problem] = []
    entries = spec.values
    for i, entry in enumerate(entries):
        where = f"values[{i}]"
        if i + 1 < len(entries):
            nxt = entries[i + 1]
            if entry.until is None:
                problems.append(Problem("only the last value may be open-ended (until: null)", file, f"{where}.until"))
            elif nxt.from_ <= entry.until:
                problems.append(Problem(f"overlaps the next value, which starts {nxt.from_}", file, f"{where}.until"))
            elif nxt.from_ != entry.until + timedelta(days=1):
                problems.append(
                    Problem(
                        f"gap: nothing in force from {entry.until + timedelta(days=1)} to "
                        f"{nxt.from_ - timedelta(days=1)}",
                        file,
                        f"{where}.until",
                    )
                )
        if spec.cadence in {"semiannual", "annual"}:
            expected = _period_end(entry.from_, spec.cadence)
            if expected is None or entry.until != expected:
                period = "half-year" if spec.cadence == "semiannual" else "year"
                problems.append(
                    Problem(
                        f"a {spec.cadence} value covers exactly one {period} "
                        f"(from 1 January/1 July to 30 June/31 December); got {entry.from_} to {entry.until}",
                        file,
                        where,
                    )
                )
    return problems


def _reference_problems(meta: JurisdictionFile, parameters: dict[str, Parameter], file: str) -> list[Problem]:
    """Every parameter a rule names exists and has the right unit; every day unit is defined."""
    problems: list[Problem] = []

    def expect(parameter_id: str | None, unit: str, where: str, in_file: str) -> None:
        if parameter_id is None:
            return
        found = parameters.get(parameter_id)
        if found is None:
            problems.append(Problem(f"names unknown parameter {parameter_id!r}", in_file, where))
        elif found.unit != unit:
            problems.append(Problem(f"{parameter_id!r} has unit {found.unit}, expected {unit}", in_file, where))

    for debtor, parameter_id in meta.regimes.items():
        expect(parameter_id, "regime", f"regimes.{debtor}", file)
    expect(meta.imputation, "imputation", "imputation", file)
    for debtor, parameter_id in meta.ladders.items():
        expect(parameter_id, "ladder", f"ladders.{debtor}", file)
    for kind, table in meta.deadlines.items():
        for debtor, parameter_id in table.items():
            expect(parameter_id, "deadline", f"deadlines.{kind}.{debtor}", file)
    for kind, parameter_id in meta.sending.items():
        expect(parameter_id, "sending", f"sending.{kind}", file)
    for debtor, parameter_id in meta.plan_default.items():
        expect(parameter_id, "deadline", f"plan_default.{debtor}", file)

    units = {"calendar_days", "working_days", *meta.calendar.day_units}
    for parameter in parameters.values():
        for i, dated in enumerate(parameter.values):
            where = f"values[{i}].value"
            if isinstance(dated.value, Regime):
                interest, comp = dated.value.interest, dated.value.compensation
                expect(interest.rate, "percent_per_year", f"{where}.interest.rate", parameter.file)
                for creditor, rate in interest.rate_by_creditor.items():
                    expect(rate, "percent_per_year", f"{where}.interest.rate_by_creditor.{creditor}", parameter.file)
                expect(interest.cap, "percent_per_year", f"{where}.interest.cap", parameter.file)
                expect(interest.void_fallback, "percent_per_year", f"{where}.interest.void_fallback", parameter.file)
                expect(comp.scale, "scale", f"{where}.compensation.scale", parameter.file)
                expect(comp.vat_uplift, "percent", f"{where}.compensation.vat_uplift", parameter.file)
                for name, notice in (("interest", interest.notice), ("compensation", comp.notice)):
                    if notice is not None:
                        expect(notice.deadline, "deadline", f"{where}.{name}.notice.deadline", parameter.file)
            elif isinstance(dated.value, Mention):
                missing = set(meta.languages) - set(dated.value.text)
                if missing:
                    problems.append(
                        Problem(
                            f"lacks the text in {', '.join(sorted(missing))} (the jurisdiction's languages)",
                            parameter.file,
                            f"{where}.text",
                        )
                    )
            elif isinstance(dated.value, Sending):
                for channel, words in dated.value.wording.items():
                    missing = set(meta.languages) - set(words)
                    if missing:
                        problems.append(
                            Problem(
                                f"lacks the wording in {', '.join(sorted(missing))} (the jurisdiction's languages)",
                                parameter.file,
                                f"{where}.wording.{channel}",
                            )
                        )
            elif isinstance(dated.value, DeadlineRule):
                for channel, steps in dated.value.first_day.items():
                    for j, step in enumerate(steps):
                        if step.unit not in units:
                            problems.append(
                                Problem(
                                    f"unknown day unit {step.unit!r} (known: {', '.join(sorted(units))})",
                                    parameter.file,
                                    f"{where}.first_day.{channel}[{j}].unit",
                                )
                            )
    return problems
