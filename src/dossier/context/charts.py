"""Small SVG bar charts for the portfolio report: inline, deterministic, and legible in black and white (dark
bars, every value written beside its bar, no colour needed to read them)."""

from __future__ import annotations

from decimal import Decimal
from html import escape

from markupsafe import Markup

INK = "#0f2a4a"
GRID = "#9ca3af"
FONT = 'font-family="Dossier Sans, Carlito, Calibri, sans-serif"'


def column_chart(
    labels: list[str], values: list[Decimal], shown: list[str], *, title: str, width: int = 520, height: int = 210
) -> Markup:
    """Vertical bars, one per label, with the formatted value above each bar."""
    top, bottom, left, right = 28, 34, 8, 8
    plot_h = height - top - bottom
    count = max(len(values), 1)
    slot = (width - left - right) / count
    peak = max([v for v in values if v > 0], default=Decimal(1))
    parts = [_open(width, height, title), _text(left, 16, title, size=11, bold=True)]
    base_y = top + plot_h
    parts.append(f'<line x1="{left}" y1="{base_y}" x2="{width - right}" y2="{base_y}" stroke="{GRID}"/>')
    for i, (label, value, text) in enumerate(zip(labels, values, shown, strict=True)):
        bar_h = float(value / peak) * plot_h if value > 0 else 0.0
        x = left + i * slot + slot * 0.15
        w = slot * 0.7
        y = base_y - bar_h
        parts.append(f'<rect x="{x:.1f}" y="{y:.1f}" width="{w:.1f}" height="{bar_h:.1f}" fill="{INK}"/>')
        parts.append(_text(x + w / 2, y - 3, text, size=7.5, anchor="middle"))
        parts.append(_text(x + w / 2, base_y + 12, label, size=8, anchor="middle"))
    parts.append("</svg>")
    return Markup("".join(parts))


def bar_chart(labels: list[str], values: list[Decimal], shown: list[str], *, title: str, width: int = 520) -> Markup:
    """Horizontal bars, one row per label, with the formatted value after each bar."""
    row, top, label_w, value_w = 18, 26, 190, 110
    height = top + row * max(len(values), 1) + 6
    plot_w = width - label_w - value_w
    peak = max([v for v in values if v > 0], default=Decimal(1))
    parts = [_open(width, height, title), _text(0, 16, title, size=11, bold=True)]
    for i, (label, value, text) in enumerate(zip(labels, values, shown, strict=True)):
        y = top + i * row
        bar_w = float(value / peak) * plot_w if value > 0 else 0.0
        parts.append(_text(label_w - 6, y + 11, label, size=8.5, anchor="end"))
        parts.append(f'<rect x="{label_w}" y="{y + 2}" width="{bar_w:.1f}" height="{row - 6}" fill="{INK}"/>')
        parts.append(_text(label_w + bar_w + 4, y + 11, text, size=8))
    parts.append("</svg>")
    return Markup("".join(parts))


def _open(width: int, height: int, title: str) -> str:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" role="img" aria-label="{escape(title)}">'
    )


def _text(x: float, y: float, text: str, *, size: float, anchor: str = "start", bold: bool = False) -> str:
    weight = ' font-weight="bold"' if bold else ""
    return (
        f'<text x="{x:.1f}" y="{y:.1f}" font-size="{size}" text-anchor="{anchor}" fill="#111827" {FONT}{weight}>'
        f"{escape(text)}</text>"
    )
