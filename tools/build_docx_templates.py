"""Build the DOCX templates (templates/<lang>/<kind>.docx) that docxtpl fills.

They carry the same structure as the HTML templates and take every word from texts.yaml through the same
context (``t``, ``s``), so the PDF and the DOCX of a letter say the same thing. Run after changing the
structure: ``python tools/build_docx_templates.py``. A firm may instead edit the .docx in Word, keeping the tags.
"""

from __future__ import annotations

import sys
from pathlib import Path

from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor

from dossier.render.docx import package_bytes

ROOT = Path(__file__).resolve().parents[1] / "templates"
NAVY = RGBColor(0x0F, 0x2A, 0x4A)
GREY = RGBColor(0x4B, 0x55, 0x63)


class Builder:
    def __init__(self) -> None:
        self.doc = Document()
        section = self.doc.sections[0]
        section.page_width, section.page_height = Mm(210), Mm(297)
        section.left_margin, section.right_margin = Mm(22), Mm(18)
        section.top_margin, section.bottom_margin = Mm(16), Mm(18)
        normal = self.doc.styles["Normal"]
        normal.font.name = "Carlito"
        normal.font.size = Pt(10)
        normal.paragraph_format.space_after = Pt(4)
        # the first page has the letterhead and no running header; later pages repeat sender, file and date
        section.different_first_page_header_footer = True
        for footer in (section.footer, section.first_page_footer):
            self._footer(footer)
        running = section.header.paragraphs[0]
        self._run(
            running, "{{ sender.name }} · {{ t.labels.reference }} {{ doc.reference }} · {{ date }}", size=8, color=GREY
        )
        _bottom_rule(running)
        section.first_page_header.paragraphs[0].text = ""

    def _footer(self, footer):
        """The creditor's details, and the page number as Word fields: "Page 2 / 3" (PAGE / NUMPAGES)."""
        self._run(
            footer.paragraphs[0],
            # a representative's letter carries the firm's details, not the client's bank account and number
            "{% if flags.represented %}{{ sender.name }} · {{ sender.lines | join(', ') }}"
            "{% if sender.registration %} · {{ sender.registration }}{% endif %}"
            "{% if sender.email %} · {{ sender.email }}{% endif %}{% if sender.phone %} · {{ sender.phone }}{% endif %}"
            "{% else %}{{ creditor.name }}{% if creditor.company_number %} · {{ t.labels.company_number }} "
            "{{ creditor.company_number }}{% endif %}{% if payment.iban %} · IBAN {{ payment.iban }}{% endif %}"
            "{% endif %}",
            size=7.5,
            color=GREY,
        )
        numbers = footer.add_paragraph()
        numbers.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        self._run(numbers, "{{ t.labels.page }} ", size=8, color=GREY)
        _field(numbers, "PAGE")
        self._run(numbers, " / ", size=8, color=GREY)
        _field(numbers, "NUMPAGES")

    # --- primitives -------------------------------------------------------------------------------------
    def _run(self, paragraph, text, *, bold=False, size=None, color=None, italic=False):
        run = paragraph.add_run(text)
        run.bold, run.italic = bold, italic
        if size:
            run.font.size = Pt(size)
        if color is not None:
            run.font.color.rgb = color
        return run

    def p(self, text="", *, bold=False, size=None, color=None, align=None, italic=False, space_after=None):
        paragraph = self.doc.add_paragraph()
        if text:
            self._run(paragraph, text, bold=bold, size=size, color=color, italic=italic)
        if align == "right":
            paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        elif align == "center":
            paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        elif align == "justify":
            paragraph.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
        if space_after is not None:
            paragraph.paragraph_format.space_after = Pt(space_after)
        return paragraph

    def tag(self, text):
        """A paragraph that holds only a docxtpl paragraph tag ({%p ... %}); docxtpl removes it."""
        return self.p(text)

    def heading(self, text, size=12.5):
        return self.p(text, bold=True, size=size, color=NAVY, space_after=6)

    def page_break(self):
        from docx.enum.text import WD_BREAK

        self.doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)

    def table(self, headers, cells, loop, *, widths, numeric=(), foot=None):
        """A table of figures: a header row, one row per item of ``loop`` ("i in invoices"), an optional foot."""
        table = self.doc.add_table(rows=0, cols=len(headers))
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        row = table.add_row()
        for j, text in enumerate(headers):
            para = row.cells[j].paragraphs[0]
            self._run(para, text, bold=True, size=8.5, color=NAVY)
            if j in numeric:
                para.alignment = WD_ALIGN_PARAGRAPH.RIGHT
            _bottom_border(row.cells[j], "8")
        _repeat_header(row)
        self._run(table.add_row().cells[0].paragraphs[0], "{%tr for " + loop + " %}")
        row = table.add_row()
        for j, text in enumerate(cells):
            para = row.cells[j].paragraphs[0]
            self._run(para, text, size=8.5)
            if j in numeric:
                para.alignment = WD_ALIGN_PARAGRAPH.RIGHT
            _bottom_border(row.cells[j], "2")
        self._run(table.add_row().cells[0].paragraphs[0], "{%tr endfor %}")
        if foot:
            row = table.add_row()
            for j, text in enumerate(foot):
                para = row.cells[j].paragraphs[0]
                self._run(para, text, bold=True, size=8.5)
                if j in numeric:
                    para.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        for row in table.rows:
            for j, width in enumerate(widths):
                row.cells[j].width = Mm(width)
        self.p(space_after=2)
        return table

    def pairs(self, rows, *, widths=(60, 40), bold_last=False, indent=True):
        """A two-column label/value table; a row may be wrapped in a docxtpl {%tr if %}."""
        table = self.doc.add_table(rows=0, cols=2)
        table.alignment = WD_TABLE_ALIGNMENT.RIGHT if indent else WD_TABLE_ALIGNMENT.LEFT
        for k, (label, value, condition) in enumerate(rows):
            if condition:
                self._run(table.add_row().cells[0].paragraphs[0], "{%tr if " + condition + " %}")
            row = table.add_row()
            bold = bold_last and k == len(rows) - 1
            self._run(row.cells[0].paragraphs[0], label, bold=bold)
            para = row.cells[1].paragraphs[0]
            self._run(para, value, bold=bold)
            para.alignment = WD_ALIGN_PARAGRAPH.RIGHT
            if condition:
                self._run(table.add_row().cells[0].paragraphs[0], "{%tr endif %}")
        for row in table.rows:
            row.cells[0].width, row.cells[1].width = Mm(widths[0]), Mm(widths[1])
        self.p(space_after=2)

    # --- blocks shared by the documents (mirror templates/_base/blocks.html) ---------------------------
    def letterhead(self, *, address=True):
        self.p("{{ sender.name }}", bold=True, size=16, color=NAVY, space_after=0)
        self.tag("{%p if flags.represented %}")
        self.p(
            "{{ t.labels.roles[sender.role] | capitalize }}{% if sender.registration %} · "
            "{{ t.labels.registration }}{% endif %}",
            size=9,
            space_after=0,
        )
        self.tag("{%p endif %}")
        self.p(
            "{{ sender.lines | join(' · ') }}{% if sender.phone %} · {{ sender.phone }}{% endif %}"
            "{% if sender.email %} · {{ sender.email }}{% endif %}",
            size=8,
            color=GREY,
            space_after=0,
        )
        self.p(
            "{% if sender.company_number %}{{ t.labels.company_number }} {{ sender.company_number }}{% endif %}",
            size=8,
            color=GREY,
            space_after=10,
        )
        if not address:
            return
        # the address in a frame at the envelope window: left (DIN 5008) or right, as the context says
        self.tag("{%p if flags.window_left %}")
        self.address_frame(WINDOW_LEFT_X)
        self.tag("{%p else %}")
        self.address_frame(WINDOW_RIGHT_X)
        self.tag("{%p endif %}")
        self.p(space_after=8)
        self.p("{{ t.labels.place_date }}", align="right", space_after=0)
        self.p("{{ t.labels.channel[doc.channel] }}", align="right", size=9, color=GREY, space_after=6)
        self.p(
            # label and value as in the PDF's table (no colon: French would want a space before it)
            "{{ t.labels.our_reference }} {{ sender.our_reference }}{% if sender.our_reference != doc.reference %}"
            "    {{ t.labels.reference }} {{ doc.reference }}{% endif %}",
            size=9,
            color=GREY,
            space_after=8,
        )
        self.heading("{{ s.subject }}")

    def address_frame(self, x_mm):
        """Return line and recipient as paragraphs of one Word frame anchored to the page at the window."""
        para = self.p("{{ sender.name }} · {{ sender.lines | join(' · ') }}", size=6.5, color=GREY, space_after=2)
        _frame(para, x_mm)
        para = self.p(
            "{% if doc.channel == 'registered' %}{{ t.labels.channel.registered | upper }}{% endif %}",
            bold=True,
            size=8.5,
            space_after=0,
        )
        _frame(para, x_mm)
        _frame(self.p("{{ debtor.name }}", bold=True, space_after=0), x_mm)
        self.tag("{%p for line in debtor.lines %}")
        _frame(self.p("{{ line }}", space_after=0), x_mm)
        self.tag("{%p endfor %}")

    def salutation(self):
        self.p("{{ t.common.salutation }}")
        self.tag("{%p if flags.represented %}")
        self.p("{{ t.common.represented }}", align="justify")
        self.tag("{%p endif %}")

    def invoices(self):
        self.table(
            [
                "{{ t.labels.invoice }}",
                "{{ t.labels.invoice_date }}",
                "{{ t.labels.due_date }}",
                "{{ t.labels.description }}",
                "{{ t.labels.amount }}",
                "{{ t.labels.outstanding }}",
            ],
            [
                "{{ i.number }}",
                "{{ i.date }}",
                "{{ i.due_date }}",
                "{{ i.description }}",
                "{{ i.amount }}",
                "{{ i.outstanding }}",
            ],
            "i in invoices",
            widths=(28, 20, 20, 50, 26, 26),
            numeric=(4, 5),
        )

    def totals(self):
        self.pairs(
            [
                ("{{ t.labels.principal }}", "{{ totals.principal }}", None),
                ("{{ t.labels.interest }}", "{{ totals.interest }}", "has_interest"),
                ("{{ t.labels.compensation }}", "{{ totals.compensation }}", "has_compensation"),
                ("{{ t.labels.paid }}", "− {{ totals.paid }}", None),
                ("{{ t.document_labels.written_off }}", "− {{ totals.written_off }}", "totals.written_off is defined"),
                ("{{ t.labels.total_due }}", "{{ due }}", None),
            ],
            bold_last=True,
        )

    def periods(self):
        self.table(
            [
                "{{ t.labels.invoice }}",
                "{{ t.labels.period }}",
                "",
                "{{ t.labels.days }}",
                "{{ t.labels.rate }}",
                "{{ t.labels.base }}",
                "{{ t.labels.interest }}",
            ],
            [
                "{{ p.invoice }}",
                "{{ p.from }}",
                "{{ p.to }}",
                "{{ p.days }}",
                "{{ p.rate }}",
                "{{ p.base }}",
                "{{ p.amount }}",
            ],
            "p in periods",
            widths=(26, 20, 20, 14, 18, 36, 36),
            numeric=(3, 4, 5, 6),
            foot=["{{ t.labels.total }}", "", "", "", "", "", "{{ totals.interest }}"],
        )

    def payments(self):
        self.table(
            [
                "{{ t.labels.invoice_date }}",
                "{{ t.labels.amount }}",
                "{{ t.labels.payment_reference }}",
                "{{ t.labels.applied }}",
            ],
            [
                "{{ p.date }}",
                "{{ p.amount }}",
                "{{ p.reference }}",
                "{% for a in p.applied %}{% if a.notice %}{{ t.labels.notice_costs }} {{ a.notice }}{% else %}"
                "{{ a.debt }}{% endif %} ({{ t.labels.parts[a.part] }}) {{ a.amount }}"
                "{% if not loop.last %}{{ t.labels.list_separator }} {% endif %}{% endfor %}",
            ],
            "p in payments",
            widths=(22, 26, 40, 82),
            numeric=(1,),
        )

    def mentions(self):
        self.tag("{%p for m in mentions if not m.annex %}")
        self.p("{{ m.text }}", align="justify")
        self.tag("{%p endfor %}")

    def payment_box(self):
        _keep(self.p("{{ t.labels.payment_instructions }}", bold=True, color=NAVY, space_after=2))
        table = self.doc.add_table(rows=0, cols=3)
        rows = [
            (
                "{{ t.document_labels.first_instalment if doc.kind == 'payment-plan' else t.labels.amount_to_pay }}",
                "{{ payment.amount }}{% if payment.by %} ({{ t.document_labels.pay_by }}){% endif %}",
            ),
            ("{{ t.labels.beneficiary }}", "{{ payment.beneficiary }}"),
            # a UK account: sort code and account number (docxtpl drops the {%tr %} rows themselves)
            ("{%tr if payment.sort_code %}", ""),
            ("{{ t.labels.sort_code }}", "{{ payment.sort_code }}"),
            ("{{ t.labels.account_number }}", "{{ payment.account_number }}"),
            ("{%tr endif %}", ""),
            ("IBAN", "{{ payment.iban }}"),
            ("BIC", "{{ payment.bic }}"),
            ("{{ t.labels.communication }}", "{{ payment.communication }}"),
        ]
        for k, (label, value) in enumerate(rows):
            row = table.add_row()
            self._run(row.cells[0].paragraphs[0], label, color=GREY)
            self._run(row.cells[1].paragraphs[0], value, bold=True)
            if k == 0:
                self._run(row.cells[2].paragraphs[0], "{{ qr }}")
                caption = row.cells[2].add_paragraph()
                caption.alignment = WD_ALIGN_PARAGRAPH.CENTER
                self._run(caption, "{% if qr %}{{ t.labels.scan }}{% endif %}", size=7, color=GREY)
        first, last = table.rows[0].cells[2], table.rows[-1].cells[2]
        first.merge(last)
        _together(table)
        for row in table.rows:
            row.cells[0].width, row.cells[1].width, row.cells[2].width = Mm(45), Mm(85), Mm(35)
        self.p(space_after=2)

    def signature(self, last=None):
        """The closing formula and signature (the signing lawyer above the firm's name, when given), kept on one
        page with ``last``, the paragraph before them."""
        if last is not None:
            _keep(self.p(last, align="justify"))
        _keep(self.p("{{ t.common.closing }}", space_after=24))
        self.tag("{%p if sender.signatory %}")
        _keep(self.p("{{ sender.signatory }}", bold=True, space_after=0))
        _keep(self.p("{{ sender.name }}", space_after=0))
        self.tag("{%p else %}")
        _keep(self.p("{{ sender.name }}", bold=True, space_after=0))
        self.tag("{%p endif %}")
        self.tag("{%p if flags.represented %}")
        self.p("{{ t.labels.roles[sender.role] }}, {{ t.labels.on_behalf }}", size=8.5, color=GREY)
        self.tag("{%p endif %}")

    def legal_basis(self):
        self.tag("{%p if rules %}")
        self.p("{{ t.labels.legal_basis }}", bold=True, color=NAVY)
        self.tag("{%p for r in rules %}")
        self.p("• {{ r.title }}", size=8.5)
        self.tag("{%p endfor %}")
        self.tag("{%p endif %}")

    def annex_mentions(self):
        self.tag("{%p for m in mentions if m.annex %}")
        self.page_break()
        self.heading("{{ m.title }}", size=11.5)
        # a form's options ("[ ]" in the data) each on a line of its own with a tick box
        self.tag("{%p for para in m.form %}")
        self.tag("{%p if para.text %}")
        self.p("{{ para.text }}", align="justify")
        self.tag("{%p endif %}")
        self.tag("{%p for o in para.options %}")
        self.p("☐  {{ o }}", space_after=3)
        self.tag("{%p endfor %}")
        self.tag("{%p endfor %}")
        self.tag("{%p endfor %}")

    def save(self, path: Path) -> None:
        self.doc.core_properties.author = "dossier"
        _prune(self.doc)
        path.write_bytes(package_bytes(self.doc.part.package))


_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_UNUSED_PARTS = ("/stylesWithEffects", "/customXml", "/thumbnail")


def _prune(doc) -> None:
    """Leave out what python-docx's default package carries and these letters never use: the Word 2010 copy
    of the styles, the thumbnail, custom XML, and the 160 built-in styles nothing refers to (800 KB of XML
    that docxtpl parsed and dossier compressed again for every letter). Word recreates built-in styles on use."""
    for rels in (doc.part.rels, doc.part.package.rels):
        for rid, rel in list(rels.items()):
            if rel.reltype.endswith(_UNUSED_PARTS):
                rels.pop(rid)
    styles = doc.styles.element
    parts = [doc.element] + [
        rel.target_part.element for rel in doc.part.rels.values() if rel.reltype.endswith(("/header", "/footer"))
    ]
    used = {
        node.get(f"{_W}val")
        for element in parts
        for node in element.iter(f"{_W}pStyle", f"{_W}rStyle", f"{_W}tblStyle", f"{_W}numStyle")
    }
    by_id = {s.get(f"{_W}styleId"): s for s in styles.iter(f"{_W}style")}
    keep = {sid for sid, s in by_id.items() if s.get(f"{_W}default") == "1"} | (used & by_id.keys())
    pending = list(keep)
    while pending:  # styles a kept style is based on, links to or continues with
        style = by_id[pending.pop()]
        for ref in ("basedOn", "link", "next"):
            node = style.find(f"{_W}{ref}")
            target = node.get(f"{_W}val") if node is not None else None
            if target in by_id and target not in keep:
                keep.add(target)
                pending.append(target)
    for sid, style in by_id.items():
        if sid not in keep:
            styles.remove(style)


def _bottom_border(cell, size):
    borders = OxmlElement("w:tcBorders")
    bottom = OxmlElement("w:bottom")
    bottom.set(qn("w:val"), "single")
    bottom.set(qn("w:sz"), size)
    bottom.set(qn("w:color"), "0F2A4A" if size == "8" else "D1D5DB")
    borders.append(bottom)
    cell._tc.get_or_add_tcPr().append(borders)


#: the envelope window's left edge from the page's, and its top (DIN 5008 left window; right window of BE/FR
#: envelopes), as in the PDF's address zone (templates/_base/style.css)
WINDOW_LEFT_X, WINDOW_RIGHT_X, WINDOW_Y, WINDOW_W, WINDOW_H = 20, 110, 45, 85, 45


def _twips(mm: float) -> str:
    return str(round(mm * 1440 / 25.4))


def _frame(paragraph, x_mm):
    """Put ``paragraph`` in the window frame (consecutive paragraphs with the same frame share it)."""
    frame = OxmlElement("w:framePr")
    for key, value in (
        ("w:w", _twips(WINDOW_W)),
        ("w:h", _twips(WINDOW_H)),
        ("w:hRule", "exact"),
        ("w:wrap", "notBeside"),
        ("w:vAnchor", "page"),
        ("w:hAnchor", "page"),
        ("w:x", _twips(x_mm)),
        ("w:y", _twips(WINDOW_Y)),
    ):
        frame.set(qn(key), value)
    ppr = paragraph._p.get_or_add_pPr()
    ppr.insert(0, frame)  # framePr comes early in pPr (after pStyle, keepNext, keepLines, pageBreakBefore)
    return paragraph


def _together(table):
    """The table on one page: no row split, every row kept with the next (the QR code and its caption included)."""
    for k, row in enumerate(table.rows):
        row._tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))
        if k < len(table.rows) - 1:
            for cell in row.cells:
                for paragraph in cell.paragraphs:
                    _keep(paragraph)


def _keep(paragraph):
    paragraph.paragraph_format.keep_with_next = True
    paragraph.paragraph_format.keep_together = True
    return paragraph


def _field(paragraph, instruction):
    """A simple Word field (PAGE, NUMPAGES) that Word and LibreOffice compute when the page is laid out."""
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), f" {instruction} ")
    run = OxmlElement("w:r")
    props = OxmlElement("w:rPr")
    size = OxmlElement("w:sz")
    size.set(qn("w:val"), "16")
    props.append(size)
    run.append(props)
    text = OxmlElement("w:t")
    text.text = "1"
    run.append(text)
    field.append(run)
    paragraph._p.append(field)


def _bottom_rule(paragraph):
    borders = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for key, value in (("w:val", "single"), ("w:sz", "4"), ("w:space", "1"), ("w:color", "CBD5E1")):
        bottom.set(qn(key), value)
    borders.append(bottom)
    paragraph._p.get_or_add_pPr().append(borders)


def _repeat_header(row):
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    row._tr.get_or_add_trPr().append(header)


def _history(b: Builder) -> None:
    """Earlier correspondence in words, in date order: the letters we sent, then apart those we received."""
    b.tag("{%p if history %}")
    b.p("{{ t.labels.history_intro }}")
    b.tag("{%p for h in history %}")
    b.p(
        "• {{ t.labels.history_types[h.type] }} {{ t.labels.dated }} {{ h.date }}"
        "{% if h.channel %} ({{ t.labels.channel_words[h.channel] }}){% endif %}"
    )
    b.tag("{%p endfor %}")
    b.tag("{%p endif %}")
    b.tag("{%p if received %}")
    b.p("{{ t.labels.received_intro }}")
    b.tag("{%p for h in received %}")
    b.p("• {{ t.labels.received_types[h.type] }} {{ t.labels.dated }} {{ h.date }}")
    b.tag("{%p endfor %}")
    b.tag("{%p endif %}")


def _letter(*, agreement: bool = False) -> Builder:
    """The opening every letter to the debtor shares: letterhead, greeting, what is unpaid, earlier letters;
    ``agreement``: a Letter of Claim's identification of the agreement (``letter.pap``)."""
    b = Builder()
    b.letterhead()
    b.salutation()
    b.p("{{ s.intro }}", align="justify")
    if agreement:
        b.tag("{%p if letter.pap %}")
        b.p("{{ s.agreement }}", align="justify")
        b.tag("{%p endif %}")
    b.invoices()
    _history(b)
    return b


def reminder() -> Builder:
    b = _letter()
    b.totals()
    b.p("{{ s.request }}", bold=True, align="justify")
    b.tag("{%p if s.warning %}")
    b.p("{{ s.warning }}", bold=True, align="justify")
    b.tag("{%p endif %}")
    b.mentions()
    b.payment_box()
    b.signature("{{ t.common.crossed }}")
    b.annex_mentions()
    return b


def formal_notice() -> Builder:
    b = _letter(agreement=True)
    b.p("{{ s.breakdown }}")
    b.totals()
    b.p("{{ s.demand }}", bold=True, align="justify")
    b.mentions()
    b.tag("{%p if plan %}")
    b.p("{{ s.plan_offer }}", align="justify")
    b.tag("{%p endif %}")
    b.tag("{%p if letter.pap %}")
    b.p("{{ s.reply_to }}", align="justify")
    b.tag("{%p endif %}")
    b.payment_box()
    b.tag("{%p if (flags.one_page and periods) or s.reserve %}")
    _keep(
        b.p(
            "{% if flags.one_page and periods %}{{ t.labels.detail_on_request }} {% endif %}{{ s.reserve }}",
            size=8.5,
            color=GREY,
        )
    )
    b.tag("{%p endif %}")
    b.signature()
    b.tag("{%p if letter.pap %}")
    b.page_break()
    b.heading("{{ t.labels.statement_of_account }}", size=11.5)
    b.invoices()
    b.tag("{%p if payments %}")
    b.payments()
    b.tag("{%p endif %}")
    b.totals()
    b.tag("{%p endif %}")
    b.tag("{%p if periods and not flags.one_page %}")
    b.page_break()
    b.heading("{{ t.labels.computation }}", size=11.5)
    b.periods()
    b.tag("{%p if payments %}")
    b.p("{{ t.labels.payments }}", bold=True, color=NAVY)
    b.payments()
    b.tag("{%p endif %}")
    b.legal_basis()
    b.tag("{%p endif %}")
    b.annex_mentions()
    return b


def payment_plan() -> Builder:
    b = Builder()
    b.letterhead(address=False)
    b.p("{{ s.title }}", bold=True, size=16, color=NAVY, align="center", space_after=0)
    b.p("{{ t.labels.reference }} {{ doc.reference }}", size=8.5, color=GREY, align="center", space_after=10)
    for key in ("between", "creditor_party", "debtor_party", "agreed"):
        b.p("{{ s." + key + " }}", align="justify")
    b.heading("{{ s.art1_title }}", size=10.5)
    b.p("{{ s.art1 }}", align="justify")
    b.invoices()
    b.totals()
    b.heading("{{ s.art2_title }}", size=10.5)
    b.p("{{ s.art2 }}", align="justify")
    b.table(
        [
            "{{ t.labels.instalment }}",
            "{{ t.labels.due_date }}",
            "{{ t.labels.amount }}",
            "{{ t.labels.interest }}",
            "{{ t.labels.principal }}",
            "{{ t.labels.remaining }}",
        ],
        ["{{ r.n }}", "{{ r.due }}", "{{ r.amount }}", "{{ r.interest }}", "{{ r.principal }}", "{{ r.remaining }}"],
        "r in plan.rows",
        widths=(14, 26, 32, 32, 32, 34),
        numeric=(2, 3, 4, 5),
        foot=["{{ t.labels.total }}", "", "{{ plan.total }}", "{{ plan.interest }}", "", ""],
    )
    for n in (3, 4, 5):
        b.heading(f"{{{{ s.art{n}_title }}}}", size=10.5)
        b.p(f"{{{{ s.art{n} }}}}", align="justify")
    b.payment_box()
    b.mentions()
    b.p("{{ s.signed }}")
    table = b.doc.add_table(rows=1, cols=2)
    for cell, who, name in (
        (table.rows[0].cells[0], "sign_creditor", "sender.name"),
        (table.rows[0].cells[1], "sign_debtor", "debtor.name"),
    ):
        b._run(cell.paragraphs[0], "{{ s." + who + " }}")
        b._run(cell.add_paragraph(), "{{ " + name + " }}", size=8.5, color=GREY)
        for _ in range(4):
            cell.add_paragraph()
        b._run(cell.add_paragraph(), "______________________________")
        b._run(cell.add_paragraph(), "{{ s.read_approved }}", size=8, color=GREY)
    return b


def statement() -> Builder:
    b = Builder()
    b.letterhead()
    b.p("{{ s.intro }}", align="justify")
    b.heading("{{ t.labels.invoices }}", size=11)
    b.invoices()
    b.tag("{%p if payments %}")
    b.heading("{{ t.labels.payments }}", size=11)
    b.payments()
    b.tag("{%p endif %}")
    b.tag("{%p if periods %}")
    b.heading("{{ t.labels.computation }}", size=11)
    b.periods()
    b.tag("{%p endif %}")
    b.totals()
    b.p("{{ s.balance }}", bold=True)
    b.legal_basis()
    b.mentions()
    b.tag("{%p if payment.iban %}")
    b.payment_box()
    b.tag("{%p endif %}")
    return b


def _offer_letter(paragraph: str, closing: str) -> Builder:
    """A settlement offer or a deadline extension: the account, what is offered, how to pay, what follows."""
    b = _letter()
    b.totals()
    b.p(paragraph, bold=True, align="justify")
    b.mentions()
    b.payment_box()
    b.signature(closing)
    return b


def settlement_offer() -> Builder:
    return _offer_letter("{{ s.offer }}", "{{ s.lapse }}")


def deadline_extension() -> Builder:
    return _offer_letter("{{ s.grant }}", "{{ s.resume }}")


KINDS = {
    "reminder": reminder,
    "formal-notice": formal_notice,
    "payment-plan": payment_plan,
    "statement": statement,
    "settlement-offer": settlement_offer,
    "deadline-extension": deadline_extension,
}


def main() -> int:
    for language in ("fr", "nl", "en"):
        for kind, build in KINDS.items():
            build().save(ROOT / language / f"{kind}.docx")
    print(f"wrote {3 * len(KINDS)} DOCX templates under {ROOT}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
