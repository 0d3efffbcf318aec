"""Tables that run over a page: a "carried forward" line at the foot of the page, "brought forward" at the top of
the next (issue 15, item 16), with the sums of the rows above, never a total that reads as the grand total.

The templates put, after every row of such a table, the pair of lines hidden (``tr.carry.off``, see
``_base/blocks.html``). The document is laid out; where a table first breaks across pages, the rows' heights on
that layout tell where every page of that table must now end so that its "carried forward" line fits (and the next
page's "brought forward" line), those pairs are shown, the first line of each forcing the page break, and the
document is laid out again. Should a page still break inside a table elsewhere (a row taller than measured), the
pair before that page's last row is shown and the document laid out again. A document whose tables all fit on
their pages is laid out once; one long table costs one more layout.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

#: the most layouts one document may get (each costs as much as the first)
MAX_LAYOUTS = 40
#: room kept on a page beyond the rows measured (CSS px), for borders rounding differently on the next layout
SLACK = 3.0


@dataclass(frozen=True)
class Row:
    table: str
    number: int
    top: float
    bottom: float

    @property
    def key(self) -> tuple[str, int]:
        return self.table, self.number


def carry_forward(layout: Callable[[str], Any], html: str) -> Any:
    """The laid-out document of ``html``, with a carried-forward pair at every page break inside a table."""
    document = layout(html)
    shown: set[tuple[str, int]] = set()
    planned: set[str] = set()
    for _ in range(MAX_LAYOUTS):
        if len(document.pages) < 2 or "carry out off" not in html:
            return document
        where = first_break(document, shown)
        if where is None:
            return document
        pairs = [where] if where[0] in planned else plan(document, where[0])
        planned.add(where[0])
        for key in pairs:
            shown.add(key)
            html = show_pair(html, *key)
        document = layout(html)
    return document


def rows_per_page(document: Any) -> list[list[Row]]:
    """Per page, the table rows on it that may carry a pair (``id="r-TABLE-N"``), in order, with their place."""
    pages = []
    for page in document.pages:
        found: dict[tuple[str, int], Row] = {}
        for box in page._page_box.descendants():  # WeasyPrint's layout tree: the rows each page holds
            element = getattr(box, "element", None)
            if getattr(box, "element_tag", None) != "tr" or element is None:
                continue
            name = element.get("id") or ""
            table, _, number = name[2:].rpartition("-")
            if name.startswith("r-") and table and number.isdigit():
                row = Row(table, int(number), box.position_y, box.position_y + box.margin_height())
                found.setdefault(row.key, row)
        pages.append(list(found.values()))
    return pages


def first_break(document: Any, shown: set[tuple[str, int]]) -> tuple[str, int] | None:
    """The first table row after which a pair should be shown: before the last row a page holds of a table that
    goes on on the next page (that row moves over with the pair), unless a pair already ends the page there."""
    pages = [[row.key for row in rows] for rows in rows_per_page(document)]
    for here, after in itertools.pairwise(pages):
        following = set(after)
        for table, number in here:
            if (table, number + 1) not in following or (table, number) in shown:
                continue
            earlier = (table, number - 1)
            return earlier if earlier in here and earlier not in shown else (table, number)
    return None


def plan(document: Any, table: str) -> list[tuple[str, int]]:
    """Every row of ``table`` after which a page must end, from the heights its rows have on this layout: each page
    gets the rows that fit with a carried-forward line (and, from the second, a brought-forward line before)."""
    pages = rows_per_page(document)
    spans = [(page, [r for r in rows if r.table == table]) for page, rows in zip(document.pages, pages, strict=True)]
    spans = [(page, rows) for page, rows in spans if rows]
    heights = {r.number: r.bottom - r.top for _, rows in spans for r in rows}
    line = min(heights.values())  # a carry line is one line high, like the shortest row
    rooms = [_bottom(page) - rows[0].top - SLACK for page, rows in spans]
    later = max(rooms[1:], default=rooms[0])  # a page the table starts at the top of
    breaks: list[tuple[str, int]] = []
    number, last = 1, max(heights)
    while number <= last:
        room = (rooms[len(breaks)] if len(breaks) < len(rooms) else later) - (line if breaks else 0.0)
        used, first = 0.0, number
        while number <= last and used + heights[number] <= room:
            used, number = used + heights[number], number + 1
        if number > last:
            break
        while number - 1 > first and used + line > room:  # make room for the carried-forward line
            number -= 1
            used -= heights[number]
        end = max(number - 1, first)
        breaks.append((table, end))
        number = end + 1
    return breaks


def _bottom(page: Any) -> float:
    """Where the page's content area ends (CSS px from the page's top)."""
    box = page._page_box
    return float(box.content_box_y() + box.height)


def show_pair(html: str, table: str, number: int) -> str:
    """``html`` with the pair after row ``number`` of ``table`` shown, the first line ending the page."""
    out = f'class="carry out off" id="cout-{table}-{number}"'
    came = f'class="carry in off" id="cin-{table}-{number}"'
    html = html.replace(out, f'class="carry out" id="cout-{table}-{number}" style="break-after: page"', 1)
    return html.replace(came, f'class="carry in" id="cin-{table}-{number}"', 1)
