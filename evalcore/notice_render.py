"""The notice as an editable DOCX (python-docx) and as a PDF (fpdf2, the report's CJK font).

Layout after GB/T 9704 (党政机关公文格式) as far as it applies: A4, margins 37/35/28/26 mm;
the issuing body in red across the top (版头) with the document number below and a red rule;
the title centred in a 小标宋-style face at 22 pt; the addressees flush left; the body at
16 pt (三号) in a 仿宋 face; headings 一、二、 in a 黑体 face; the signature and date at
the right; page numbers "— 1 —" at the foot. The DOCX names the fonts the office has
(方正小标宋简体, 仿宋_GB2312, 黑体), so Word shows them where installed. The PDF embeds the
CJK font evalcore.report.document_font finds (WenQuanYi Zen Hei from Debian, else Noto Sans
CJK from the pinned wheel: no 仿宋 face is bundled, so the PDF is set in a sans face). Demo data and draft rounds carry their mark
in the header of every page.
"""

from __future__ import annotations

import io

import pandas as pd

from evalcore import report
from evalcore.notice import Notice

RED = (0xC0, 0x00, 0x00)
TITLE_FONT, BODY_FONT, HEADING_FONT = "方正小标宋简体", "仿宋_GB2312", "黑体"
MARGINS_MM = {"top": 37, "bottom": 35, "left": 28, "right": 26}


# -- DOCX ------------------------------------------------------------------------------------

def notice_docx(notice: Notice) -> bytes:
    """The notice as a Word document the office can edit."""
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Mm, RGBColor

    doc = Document()
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    for side, mm in MARGINS_MM.items():
        setattr(section, f"{side}_margin", Mm(mm))
    _header_footer(doc, notice)
    red = RGBColor(*RED)
    _para(doc, notice.issuer, TITLE_FONT, 26, WD_ALIGN_PARAGRAPH.CENTER, colour=red)
    _para(doc, notice.number, BODY_FONT, 16, WD_ALIGN_PARAGRAPH.CENTER)
    _para(doc, "━" * 24, BODY_FONT, 12, WD_ALIGN_PARAGRAPH.CENTER, colour=red)
    _para(doc, notice.title, TITLE_FONT, 22, WD_ALIGN_PARAGRAPH.CENTER)
    _para(doc, notice.addressees, BODY_FONT, 16)
    _para(doc, notice.opening, BODY_FONT, 16, indent=True)
    for s in notice.sections:
        _para(doc, s.heading, HEADING_FONT, 16)
        for text in s.paragraphs:
            _para(doc, text, BODY_FONT, 16, indent=True)
        if s.table is not None:
            _docx_table(doc, s.table)
    _para(doc, "", BODY_FONT, 16)
    _para(doc, notice.signature, BODY_FONT, 16, WD_ALIGN_PARAGRAPH.RIGHT)
    _para(doc, notice.date_text, BODY_FONT, 16, WD_ALIGN_PARAGRAPH.RIGHT)
    doc.core_properties.title = notice.title
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


def _font(run, name: str, size: float, colour=None, bold: bool = False) -> None:
    from docx.oxml.ns import qn
    from docx.shared import Pt

    run.font.name = name
    run.font.size = Pt(size)
    run.font.bold = bold
    run._element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), name)
    if colour is not None:
        run.font.color.rgb = colour


def _para(doc, text: str, font: str, size: float, align=None, colour=None,
          indent: bool = False):
    from docx.shared import Pt

    p = doc.add_paragraph()
    if align is not None:
        p.alignment = align
    p.paragraph_format.line_spacing = Pt(28)
    p.paragraph_format.space_after = Pt(0)
    if indent:
        p.paragraph_format.first_line_indent = Pt(size * 2)
    _font(p.add_run(text), font, size, colour)
    return p


def _docx_table(doc, frame: pd.DataFrame) -> None:
    head, rows = report.table_cells(frame)
    table = doc.add_table(rows=1 + len(rows), cols=len(head))
    table.style = "Table Grid"
    for i, text in enumerate(head):
        _cell(table.cell(0, i), text, bold=True)
    for r, row in enumerate(rows, start=1):
        for i, (text, _) in enumerate(row):
            _cell(table.cell(r, i), text)


def _cell(cell, text: str, bold: bool = False) -> None:
    cell.text = ""
    _font(cell.paragraphs[0].add_run(text), BODY_FONT, 10.5, bold=bold)


def _header_footer(doc, notice: Notice) -> None:
    """The marks in the header and "— page —" in the footer, on every page."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import RGBColor

    section = doc.sections[0]
    if notice.marks:
        p = section.header.paragraphs[0]
        p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        _font(p.add_run(notice.marks), HEADING_FONT, 14, RGBColor(*RED))
    p = section.footer.paragraphs[0]
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _font(p.add_run("— "), BODY_FONT, 14)
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), "PAGE")
    run = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = "1"
    run.append(text)
    field.append(run)
    p._p.append(field)
    _font(p.add_run(" —"), BODY_FONT, 14)


# -- PDF -------------------------------------------------------------------------------------

def notice_pdf(notice: Notice, font: report.FontFile | None = None) -> bytes:
    """The notice as a PDF (A4, GB/T 9704 margins, page numbers, marks on every page)."""
    pdf = _notice_pdf(font or report.document_font(), notice.marks)
    pdf.wrap = "WORD" if notice.lang == "en" else "CHAR"
    pdf.set_title(notice.title)
    pdf.add_page()
    _line(pdf, notice.issuer, 20 if notice.lang != "en" else 18, RED, "C")
    _line(pdf, notice.number, 14, align="C")
    pdf.set_draw_color(*RED)
    pdf.set_line_width(0.8)
    pdf.line(pdf.l_margin, pdf.get_y() + 2, pdf.w - pdf.r_margin, pdf.get_y() + 2)
    pdf.ln(8)
    _line(pdf, notice.title, 18, align="C")
    pdf.ln(2)
    _line(pdf, notice.addressees, 14)
    _line(pdf, notice.opening, 14, indent=True)
    for s in notice.sections:
        if pdf.will_page_break(report.KEEP_WITH_HEADING):
            pdf.add_page()
        _line(pdf, s.heading, 14, (0, 0, 0))
        for text in s.paragraphs:
            _line(pdf, text, 14, indent=True)
        if s.table is not None:
            report._pdf_table(pdf, *report.table_cells(s.table), 10.5)
    pdf.ln(6)
    _line(pdf, notice.signature, 14, align="R")
    _line(pdf, notice.date_text, 14, align="R")
    return bytes(pdf.output())


def _notice_pdf(font: report.FontFile, marks: str):
    import logging

    from fpdf import FPDF

    logging.getLogger("fontTools.subset").setLevel(logging.ERROR)  # TTC subsetting chatter

    class _Notice(FPDF):
        wrap = "CHAR"

        def header(self) -> None:
            if marks:
                self.set_y(12)
                self.set_font("cjk", size=12)
                self.set_text_color(*RED)
                self.cell(0, 6, report._printable(self, marks), align="R")
                self.set_y(MARGINS_MM["top"])

        def footer(self) -> None:
            self.set_y(-22)
            self.set_font("cjk", size=12)
            self.set_text_color(0)
            self.cell(0, 6, f"— {self.page_no()} —", align="C")

    pdf = _Notice(orientation="portrait", unit="mm", format="A4")
    pdf.set_margins(MARGINS_MM["left"], MARGINS_MM["top"], MARGINS_MM["right"])
    pdf.set_auto_page_break(True, margin=MARGINS_MM["bottom"])
    pdf.add_font("cjk", fname=str(font.path), collection_font_number=font.index)
    return pdf


def _line(pdf, text: str, size: float, colour=(0, 0, 0), align: str = "L",
          indent: bool = False) -> None:
    pdf.set_font("cjk", size=size)
    pdf.set_text_color(*colour)
    body = ("\u3000\u3000" if indent and pdf.wrap == "CHAR" else "") + text
    pdf.multi_cell(0, size * 0.62, report._printable(pdf, body), align=align,
                   new_x="LMARGIN", new_y="NEXT", wrapmode=pdf.wrap)
    pdf.ln(1)
