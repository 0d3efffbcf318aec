"""A statement as a readable text table for the terminal, in the claim's language and locale."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

from babel.numbers import format_decimal

from dossier.engine import Statement
from dossier.engine.imputation import Application
from dossier.engine.notes import Note, english

_LABELS = {
    "en": {
        "invoice": "Invoice",
        "due": "Due",
        "amount": "Amount",
        "interest": "Interest",
        "comp": "Compensation",
        "paid": "Paid",
        "open": "Outstanding",
        "total": "Total",
        "period": "Period",
        "days": "Days",
        "rate": "Rate",
        "base": "Base",
        "payments": "Payments",
        "applied": "applied to",
        "as_of": "Statement as of",
        "daily": "Interest per day from tomorrow",
        "notes": "Notes",
        "warnings": "WARNINGS",
        "rules": "Rules",
        "rules_version": "rules",
        "notice_costs": "costs after the letter of",
    },
    "fr": {
        "invoice": "Facture",
        "due": "Échéance",
        "amount": "Montant",
        "interest": "Intérêts",
        "comp": "Indemnités",
        "paid": "Payé",
        "open": "Solde",
        "total": "Total",
        "period": "Période",
        "days": "Jours",
        "rate": "Taux",
        "base": "Base",
        "payments": "Paiements",
        "applied": "imputé sur",
        "as_of": "Décompte au",
        "daily": "Intérêts par jour à partir de demain",
        "notes": "Remarques",
        "warnings": "AVERTISSEMENTS",
        "rules": "Règles",
        "rules_version": "règles",
        "notice_costs": "indemnités suivant le courrier du",
        "colon": "\u00a0:",  # French puts a non-breaking space before a colon
    },
    "nl": {
        "invoice": "Factuur",
        "due": "Vervaldag",
        "amount": "Bedrag",
        "interest": "Interest",
        "comp": "Vergoeding",
        "paid": "Betaald",
        "open": "Openstaand",
        "total": "Totaal",
        "period": "Periode",
        "days": "Dagen",
        "rate": "Rente",
        "base": "Basis",
        "payments": "Betalingen",
        "applied": "toegerekend aan",
        "as_of": "Afrekening op",
        "daily": "Interest per dag vanaf morgen",
        "notes": "Opmerkingen",
        "warnings": "WAARSCHUWINGEN",
        "rules": "Regels",
        "rules_version": "regels",
        "notice_costs": "kosten na de brief van",
    },
}
# Dutch of the Netherlands (art. 6:119 BW "wettelijke rente", art. 6:96 BW "incassokosten") where Belgian Dutch
# says "interest" and "vergoeding": the variant follows the claim's jurisdiction, as the letters' texts do
_LABELS["nl-NL"] = _LABELS["nl"] | {
    "interest": "Rente",
    "comp": "Incassokosten",
    "rate": "Percentage",
    "daily": "Rente per dag vanaf morgen",
}


# the engine's notes (dossier.engine.notes) in French and Dutch; English is the notes' own text
_NOTES = {
    "fr": {
        "no_clause": "pas de clause pénale dans le contrat",
        "clause_required": "la loi n'accorde une indemnité que si le contrat la prévoit ; il ne la prévoit pas",
        "clause": "clause pénale sur {base}",
        "clause_within": "clause pénale sur {base} ({agreed}), dans le maximum légal de {legal}",
        "clause_void": "la clause pénale ({agreed}) dépasse le maximum légal ({legal}) et est réputée non écrite",
        "clause_reduced": "clause pénale ({agreed}) réduite au maximum légal de {legal}",
        "fixed_sum": "montant forfaitaire fixé par la loi",
        "legal_scale": "barème légal appliqué à {base}",
        "with_vat": "{why}, TVA de {vat} % en plus (le créancier ne récupère pas la TVA)",
        "no_costs_before_notice": "{debt} : ni indemnité ni frais de recouvrement avant l'envoi d'un(e) {notice}",
        "payments_after": "les paiements après le {day} ne sont pas comptés dans ce décompte",
        "paid_within_period": "payé dans le délai du courrier du {day} : aucune indemnité due",
        "no_damages": "{invoices} : aucune indemnité : {why}",
        "no_notice_no_interest": (
            "{invoice} : aucun(e) {notice} envoyé(e) après l'échéance ; sous ce régime, les intérêts ne courent "
            "qu'après"
        ),
        "channel_assumed": "{invoice} : le mode d'envoi du {notice} du {day} est inconnu ; compté comme envoi postal",
        "rate_void": (
            "{invoice} : le taux convenu de {percent} % dépasse le plafond de {cap} % ({cap_rule}) : la clause est "
            "réputée non écrite et le taux {fallback} s'applique"
        ),
        "no_interest": "{invoice} : pas d'intérêts légaux pour ce débiteur et pas de taux convenu",
    },
    "nl": {
        "no_clause": "geen schadebeding in de overeenkomst",
        "clause_required": "de wet staat een vergoeding alleen toe als de overeenkomst erin voorziet; dat doet ze niet",
        "clause": "schadebeding op {base}",
        "clause_within": "schadebeding op {base} ({agreed}), binnen het wettelijke maximum van {legal}",
        "clause_void": (
            "het schadebeding ({agreed}) overschrijdt het wettelijke maximum ({legal}) en geldt als niet geschreven"
        ),
        "clause_reduced": "schadebeding ({agreed}) verminderd tot het wettelijke maximum van {legal}",
        "fixed_sum": "forfaitair bedrag bepaald door de wet",
        "legal_scale": "wettelijke staffel toegepast op {base}",
        "with_vat": "{why}, plus btw van {vat} % (de schuldeiser kan de btw niet verrekenen)",
        "no_costs_before_notice": "{debt}: geen vergoeding of incassokosten voordat een {notice} is verzonden",
        "payments_after": "betalingen na {day} zijn niet in dit overzicht opgenomen",
        "paid_within_period": "betaald binnen de termijn van de brief van {day}: geen vergoeding verschuldigd",
        "no_damages": "{invoices}: geen vergoeding: {why}",
        "no_notice_no_interest": (
            "{invoice}: geen {notice} verzonden na de vervaldag; onder deze regeling loopt de interest pas daarna"
        ),
        "channel_assumed": "{invoice}: de {notice} van {day} heeft geen verzendwijze; geteld als per post verzonden",
        "rate_void": (
            "{invoice}: de overeengekomen rentevoet van {percent} % overschrijdt het maximum van {cap} % "
            "({cap_rule}): het beding geldt als niet geschreven en de rentevoet {fallback} is van toepassing"
        ),
        "no_interest": "{invoice}: geen wettelijke interest voor deze schuldenaar en geen overeengekomen rentevoet",
    },
}
_NOTICES = {
    "fr": {"formal_notice": "mise en demeure", "reminder": "rappel"},
    "nl": {"formal_notice": "ingebrekestelling", "reminder": "herinnering"},
}
_NOTES["nl-NL"] = _NOTES["nl"] | {
    "no_damages": "{invoices}: geen incassokosten: {why}",
    "paid_within_period": "betaald binnen de termijn van de brief van {day}: geen incassokosten verschuldigd",
    "no_notice_no_interest": (
        "{invoice}: geen {notice} verzonden na de vervaldag; onder deze regeling loopt de rente pas daarna"
    ),
    "no_interest": "{invoice}: geen wettelijke rente voor deze schuldenaar en geen overeengekomen rentepercentage",
}
_NOTICES["nl-NL"] = _NOTICES["nl"]


def note_text(note: str, language: str, money: Callable[[Decimal], str]) -> str:
    """A note of the engine in ``language``: its English text, or its key's wording in French or Dutch."""
    wording = _NOTES.get(language, {}).get(getattr(note, "key", ""))
    if wording is None:
        return str(note)
    values = {name: _note_value(name, value, language, money) for name, value in note.values.items()}  # type: ignore[attr-defined]
    return wording.format(**values)


def _note_value(name: str, value: object, language: str, money: Callable[[Decimal], str]) -> str:
    if name == "notice":
        return _NOTICES[language].get(str(value), str(value))
    if isinstance(value, Note):
        return note_text(value, language, money)
    if isinstance(value, Decimal):
        return money(value)
    return english(name, value)


_PARTS = {
    "en": {"costs": "compensation", "interest": "interest", "principal": "principal"},
    "fr": {"costs": "indemnités", "interest": "intérêts", "principal": "principal"},
    "nl": {"costs": "vergoeding", "interest": "interest", "principal": "hoofdsom"},
}
_PARTS["nl-NL"] = {"costs": "incassokosten", "interest": "rente", "principal": "hoofdsom"}


def render_table(statement: Statement, locale: str) -> str:
    claim = statement.claim
    dialect = f"{claim.language}-{statement.jurisdiction}"
    language = dialect if dialect in _LABELS else claim.language
    t = _LABELS[language]
    colon = t.get("colon", ":")

    def money(value: Decimal) -> str:
        return format_decimal(value, format="#,##0.00", locale=locale)

    def rate(value: Decimal) -> str:
        return format_decimal(value, format="0.00##", locale=locale) + " %"

    def part(name: str) -> str:
        return _PARTS[language][name]

    def debt(application: Application) -> str:
        """An invoice by its number; damages owed on the claim by the letter after which they are due."""
        if application.notice is None:
            return application.debt
        return f"{t['notice_costs']} {application.notice.isoformat()}"

    lines = [
        f"{claim.reference} - {claim.creditor.name} / {claim.debtor.name}",
        f"{t['as_of']} {statement.as_of.isoformat()} ({statement.jurisdiction}, {statement.currency}, "
        f"{t['rules_version']} {statement.rules_version})",
        "",
        f"{t['invoice']:<16}{t['due']:<12}{t['amount']:>13}{t['interest']:>12}{t['comp']:>14}{t['paid']:>13}"
        f"{t['open']:>14}",
    ]
    for line in statement.invoices:
        paid = sum(line.paid.values(), Decimal(0))
        lines.append(
            f"{line.number:<16}{line.due_date.isoformat():<12}{money(line.amount):>13}{money(line.interest):>12}"
            f"{money(line.compensation):>14}{money(paid):>13}{money(line.outstanding['total']):>14}"
        )
        for p in line.periods:
            lines.append(
                f"    {t['period']} {p.first.isoformat()} - {p.last.isoformat()}  {p.days:>4} {t['days'].lower()}"
                f"  {rate(p.percent)}  {t['base'].lower()} {money(p.base)}  = {money(p.amount)}"
            )
    for item in statement.compensation:
        if len(item.invoices) > 1 or item.method != "per_invoice":
            why = note_text(item.explanation, language, money)
            lines.append(f"{t['comp']} ({', '.join(item.invoices)}){colon} {money(item.amount)} - {why}")
    totals = statement.totals
    lines += [
        "",
        f"{t['total']:<28}{money(totals['principal']):>13}{money(totals['interest']):>12}"
        f"{money(totals['compensation']):>14}{money(totals['paid']):>13}{money(totals['due']):>14}",
        f"{t['daily']}{colon} {money(statement.daily_interest)} {statement.currency}",
    ]
    if statement.payments:
        lines += ["", f"{t['payments']}{colon}"]
        for applied in statement.payments:
            parts = ", ".join(f"{debt(a)} {part(a.part)} {money(a.amount)}" for a in applied.applications)
            paid_on, amount = applied.payment.date.isoformat(), money(applied.payment.amount)
            lines.append(f"  {paid_on}  {amount:>12}  {t['applied']}{colon} {parts}")
    if statement.notes:
        lines += ["", f"{t['notes']}{colon}"] + [f"  - {note_text(n, language, money)}" for n in statement.notes]
    if statement.warnings:
        lines += ["", f"{t['warnings']}{colon}"] + [f"  ! {w}" for w in statement.warnings]
    return "\n".join(lines)
