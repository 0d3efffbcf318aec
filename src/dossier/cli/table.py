"""A statement as a readable text table for the terminal, in the claim's language and locale."""

from __future__ import annotations

from decimal import Decimal

from babel.numbers import format_decimal

from dossier.engine import Statement

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
    },
}


_PARTS = {
    "en": {"costs": "compensation", "interest": "interest", "principal": "principal"},
    "fr": {"costs": "indemnités", "interest": "intérêts", "principal": "principal"},
    "nl": {"costs": "vergoeding", "interest": "interest", "principal": "hoofdsom"},
}


def render_table(statement: Statement, locale: str) -> str:
    claim = statement.claim
    t = _LABELS[claim.language]

    def money(value: Decimal) -> str:
        return format_decimal(value, format="#,##0.00", locale=locale)

    def rate(value: Decimal) -> str:
        return format_decimal(value, format="0.00##", locale=locale) + " %"

    def part(name: str) -> str:
        return _PARTS[claim.language][name]

    lines = [
        f"{claim.reference} - {claim.creditor.name} / {claim.debtor.name}",
        f"{t['as_of']} {statement.as_of.isoformat()} ({statement.jurisdiction}, {statement.currency}, "
        f"rules {statement.rules_version})",
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
            lines.append(f"{t['comp']} ({', '.join(item.invoices)}): {money(item.amount)} - {item.explanation}")
    totals = statement.totals
    lines += [
        "",
        f"{t['total']:<28}{money(totals['principal']):>13}{money(totals['interest']):>12}"
        f"{money(totals['compensation']):>14}{money(totals['paid']):>13}{money(totals['due']):>14}",
        f"{t['daily']}: {money(statement.daily_interest)} {statement.currency}",
    ]
    if statement.payments:
        lines += ["", f"{t['payments']}:"]
        for applied in statement.payments:
            parts = ", ".join(f"{a.debt} {part(a.part)} {money(a.amount)}" for a in applied.applications)
            lines.append(
                f"  {applied.payment.date.isoformat()}  {money(applied.payment.amount):>12}  {t['applied']}: {parts}"
            )
    if statement.notes:
        lines += ["", f"{t['notes']}:"] + [f"  - {n}" for n in statement.notes]
    if statement.warnings:
        lines += ["", f"{t['warnings']}:"] + [f"  ! {w}" for w in statement.warnings]
    return "\n".join(lines)
