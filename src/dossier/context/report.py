"""The portfolio report's context: the figures formatted for one language and locale, with their charts."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from dossier.context.charts import bar_chart, column_chart
from dossier.context.formatting import Formatter
from dossier.engine.portfolio import BUCKETS, TOTAL_KEYS, PortfolioFigures

LOCALES = {"fr": "fr_BE", "nl": "nl_BE", "en": "en_GB"}
ZERO = Decimal("0.00")


def months_back(day: date, count: int = 12) -> list[str]:
    """``count`` months (YYYY-MM) ending with ``day``'s month, oldest first."""
    year, month = day.year, day.month
    out = []
    for _ in range(count):
        out.append(f"{year:04d}-{month:02d}")
        year, month = (year - 1, 12) if month == 1 else (year, month - 1)
    return out[::-1]


def report_context(
    figures: PortfolioFigures, labels: dict[str, Any], language: str, *, locale: str | None = None
) -> dict[str, Any]:
    """``labels``: the report section of the language's texts.yaml (bucket, status and step names)."""
    locale = locale or LOCALES[language]
    currencies = sorted(figures.totals) or ["EUR"]
    fmt = {c: Formatter(locale, c) for c in currencies}
    day_fmt = fmt[currencies[0]]

    def amounts(values: dict[str, Decimal]) -> str:
        shown = [fmt[c].money(values[c]) for c in currencies if values.get(c, ZERO) != ZERO]
        return " · ".join(shown) or fmt[currencies[0]].money(ZERO)

    def named(kind: str, key: str) -> str:
        return str(labels.get(kind, {}).get(key) or figures_step_label(figures, key, language) or key)

    per_currency = []
    for currency in currencies:
        f = fmt[currency]
        totals = figures.totals.get(currency) or dict.fromkeys(TOTAL_KEYS, ZERO)
        ageing = [(labels["buckets"][name], figures.ageing[name].amounts.get(currency, ZERO)) for name, _, _ in BUCKETS]
        months = months_back(figures.day)
        collected = [figures.collected.get(m, {}).get(currency, ZERO) for m in months]
        per_currency.append(
            {
                "currency": currency,
                "totals": {k: f.money(v) for k, v in totals.items()},
                "recovery": f.share(figures.recovery.get(currency, ZERO)),
                "ageing_rows": [
                    {"bucket": label, "count": figures.ageing[name].count, "amount": f.money(amount)}
                    for (name, _, _), (label, amount) in zip(BUCKETS, ageing, strict=True)
                ],
                "ageing_chart": column_chart(
                    [a[0] for a in ageing],
                    [a[1] for a in ageing],
                    [f.money(a[1]) for a in ageing],
                    title=f"{labels['ageing']} ({currency})",
                ),
                "collected_rows": [
                    {"month": m, "amount": f.money(v)} for m, v in zip(months, collected, strict=True) if v
                ],
                "collected_chart": column_chart(
                    [m[2:].replace("-", "/") for m in months],
                    collected,
                    [_short(v) for v in collected],
                    title=f"{labels['collected']} ({currency})",
                ),
            }
        )
    steps = sorted(figures.by_step.items(), key=lambda kv: -kv[1].count)
    statuses = sorted(figures.by_status.items(), key=lambda kv: -kv[1].count)
    return {
        "lang": language,
        "date": day_fmt.date(figures.day),
        "claim_count": len(figures.claims),
        "failed": figures.failed,
        "currencies": per_currency,
        "by_step": [{"name": named("positions", k), "count": v.count, "amount": amounts(v.amounts)} for k, v in steps],
        "step_chart": bar_chart(
            [named("positions", k) for k, _ in steps],
            [Decimal(v.count) for _, v in steps],
            [str(v.count) for _, v in steps],
            title=labels["by_step"],
        ),
        "by_status": [
            {"name": named("statuses", k), "count": v.count, "amount": amounts(v.amounts)} for k, v in statuses
        ],
        "by_jurisdiction": [
            {"name": k, "count": v.count, "amount": amounts(v.amounts)}
            for k, v in sorted(figures.by_jurisdiction.items())
        ],
        "decisions": [
            {
                "reference": d["reference"],
                "debtor": d["debtor"],
                "due": fmt[str(d["currency"])].money(Decimal(str(d["due"]))) if d["currency"] in fmt else d["due"],
                "since": day_fmt.short_date(date.fromisoformat(str(d["since"]))) if d["since"] else "",
                "decision": (
                    named("pauses", str(d["paused"]))
                    if d.get("paused")
                    else named("positions", str(d["decision"]))
                    if d["decision"]
                    else ""
                ),
                "refund": fmt[str(d["currency"])].money(Decimal(str(d["refund"]))) if d.get("refund") else "",
                "reasons": d["reasons"],
            }
            for d in figures.decisions
        ],
        "claims": [
            {
                "reference": c.reference,
                "debtor": c.debtor,
                "jurisdiction": c.jurisdiction,
                "due": fmt[c.currency].money(c.totals["due"]),
                "status": named("statuses", c.status),
                "next": c.label(c.next, language),
                "earliest": day_fmt.short_date(c.earliest) if c.earliest else "",
            }
            for c in figures.claims
        ],
    }


def figures_step_label(figures: PortfolioFigures, name: str, language: str) -> str | None:
    """A ladder step's name in ``language``, from the ladders the claims use."""
    for claim in figures.claims:
        if claim.label(name, language):
            return claim.label(name, language)
    return None


def _short(value: Decimal) -> str:
    """Compact bar labels: 12.3k, 950."""
    if value >= 1000:
        return f"{value / 1000:.1f}k"
    return f"{value:.0f}" if value else ""
