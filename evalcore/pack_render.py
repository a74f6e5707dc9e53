"""The meeting pack (evalcore/pack.py) as a PDF: A4 landscape, fpdf2 with the notice's CJK
font (report.document_font), charts as PNG images of the pages' own plotly figures.

All figures are rendered in one batch, in one kaleido session (one headless Chromium: kaleido
1.5 finds Debian's /usr/bin/chromium itself; nothing is downloaded), with MathJax off, since
kaleido would otherwise put a CDN script into its page and the app makes no outside request.
On 2 shared cores each figure takes about a second: the pack's ~17 figures dominate its time.
Demo data and draft rounds carry their mark at the top of every page.
"""

from __future__ import annotations

import io
import shutil
import tempfile
from pathlib import Path

import plotly.graph_objects as go

from evalcore import report
from evalcore.labels import t
from evalcore.pack import Pack, PackSection

RED, BLUE, GREY = (0xC0, 0x00, 0x00), (31, 63, 110), (110, 110, 110)
SCALE = 2  # image pixels per CSS pixel: sharp when printed
WIDE_PX, NARROW_PX = 1100, 640  # the province's charts; a city's radar
BROWSERS = ("chromium", "chromium-browser", "google-chrome", "chrome")


def images_unavailable_reason() -> str | None:
    """None when chart images can be made here, else why (for a message, not a button)."""
    try:
        import kaleido  # noqa: F401
    except ImportError as exc:
        return str(exc)
    if not any(shutil.which(b) for b in BROWSERS):
        return "no Chromium found (apt-get install chromium)"
    return None


def _width(key: str) -> int:
    return NARROW_PX if key.startswith("city-") else WIDE_PX


def figure_images(figures: dict[str, go.Figure]) -> dict[str, bytes]:
    """key → PNG bytes of every figure, rendered in one kaleido session."""
    import kaleido

    with tempfile.TemporaryDirectory(prefix="pack-") as tmp:
        paths = {key: Path(tmp) / f"{i}.png" for i, key in enumerate(figures)}
        specs = [{"fig": fig.to_dict(), "path": paths[key],
                  "opts": {"format": "png", "width": _width(key),
                           "height": int(fig.layout.height or 480), "scale": SCALE}}
                 for key, fig in figures.items()]
        kaleido.write_fig_from_object_sync(specs, kopts={"mathjax": False})
        return {key: path.read_bytes() for key, path in paths.items()}


# -- the PDF ---------------------------------------------------------------------------------

def pack_pdf(pack: Pack, images: dict[str, bytes] | None = None,
             font: report.FontFile | None = None) -> bytes:
    """The pack as a PDF; `images` (key → PNG) are rendered here when not given."""
    images = figure_images(pack.figures) if images is None else images
    pdf = _pack_pdf(font or report.document_font(), pack)
    pdf.wrap = "WORD" if pack.lang == "en" else "CHAR"
    pdf.set_title(pack.title)
    pdf.add_page()
    _text(pdf, pack.title, 20, BLUE)
    _text(pdf, pack.subtitle, 11, GREY)
    if pack.marks:
        _text(pdf, t("demo_badge", pack.lang) if pack.demo_mark else pack.marks, 11, RED)
    for i, section in enumerate(pack.sections):
        if i:
            pdf.add_page()
        if section.key.startswith("city-"):
            _city(pdf, section, images.get(section.figure))
        else:
            _section(pdf, section, images.get(section.figure) if section.figure else None)
    return bytes(pdf.output())


def _pack_pdf(font: report.FontFile, pack: Pack):
    import logging

    from fpdf import FPDF

    logging.getLogger("fontTools.subset").setLevel(logging.ERROR)  # TTC subsetting chatter
    marks, title, lang = pack.marks, pack.title, pack.lang

    class _Pack(FPDF):
        wrap = "CHAR"

        def header(self) -> None:
            self.set_y(7)
            self.set_font("cjk", size=8)
            self.set_text_color(*GREY)
            self.cell(self.epw / 2, 5, report._printable(self, title))
            if marks:
                self.set_font("cjk", size=11)
                self.set_text_color(*RED)
                self.cell(self.epw / 2, 5, report._printable(self, marks), align="R")
            self.set_y(16)

        def footer(self) -> None:
            self.set_y(-11)
            self.set_font("cjk", size=8)
            self.set_text_color(*GREY)
            page = t("pk_page", lang).format(n=self.page_no())
            self.cell(0, 5, report._printable(self, f"{page} / {{nb}}"), align="C")

    pdf = _Pack(orientation="landscape", unit="mm", format="A4")
    pdf.set_margins(15, 16, 15)
    pdf.set_auto_page_break(True, margin=14)
    pdf.add_font("cjk", fname=str(font.path), collection_font_number=font.index)
    pdf.alias_nb_pages()
    return pdf


def _text(pdf, text: str, size: float, colour=(34, 34, 34), gap: float = 1.5) -> None:
    pdf.set_font("cjk", size=size)
    pdf.set_text_color(*colour)
    pdf.multi_cell(0, size * 0.5, report._printable(pdf, text), new_x="LMARGIN",
                   new_y="NEXT", wrapmode=pdf.wrap)
    pdf.ln(gap)


def _section(pdf, section: PackSection, image: bytes | None) -> None:
    _text(pdf, section.heading, 14, BLUE, gap=2)
    for p in section.paragraphs:
        _text(pdf, p, 10)
    for table in section.tables:
        report._pdf_table(pdf, *report.table_cells(table), 9)
    if image is not None:
        _image(pdf, image, pdf.l_margin, pdf.epw)


def _table(pdf, frame, size: float, width: float) -> None:
    """A table at the left margin, `width` mm wide (report._pdf_table spans the page)."""
    from fpdf.fonts import FontFace

    head, rows = report.table_cells(frame)
    pdf.set_font("cjk", size=size)
    pdf.set_text_color(34, 34, 34)
    widths = [max(pdf.get_string_width(report._printable(pdf, x)) for x in column) + 4
              for column in zip(head, *[[text for text, _ in r] for r in rows], strict=True)]
    align = tuple("RIGHT" if n else "LEFT" for _, n in rows[0]) if rows else "LEFT"
    with pdf.table(width=width, col_widths=[w * width / sum(widths) for w in widths],
                   align="LEFT", text_align=align, wrapmode=pdf.wrap, line_height=size * 0.55,
                   headings_style=FontFace(emphasis="", fill_color=(238, 242, 248)),
                   padding=1, borders_layout="ALL") as table:
        for row in [head, *[[text for text, _ in r] for r in rows]]:
            table.row([report._printable(pdf, text) for text in row])
    pdf.ln(2)


def _image(pdf, image: bytes, x: float, width: float, min_height: float = 70) -> None:
    """The image at `x`, at most `width` wide and fitted into the rest of the page (on a new
    page when less than `min_height` is left)."""
    from PIL import Image

    with Image.open(io.BytesIO(image)) as im:
        ratio = im.height / im.width
    room = pdf.h - pdf.b_margin - pdf.get_y()
    if room < min_height:
        pdf.add_page()
        room = pdf.h - pdf.b_margin - pdf.get_y()
    w = min(width, room / ratio)
    pdf.image(io.BytesIO(image), x=x + (width - w) / 2, y=pdf.get_y(), w=w)
    pdf.set_y(pdf.get_y() + w * ratio + 2)


def _city(pdf, section: PackSection, image: bytes | None) -> None:
    """A city: its heading and lines across the page, then its tables on the left and its
    radar on the right."""
    _text(pdf, section.heading, 15, BLUE, gap=2)
    for p in section.paragraphs:
        _text(pdf, p, 10.5)
    top, half = pdf.get_y() + 1, pdf.epw / 2
    pdf.set_y(top)
    for table in section.tables:
        _table(pdf, table, 8.5, half - 6)
    if image is not None:
        pdf.set_y(top)
        _image(pdf, image, pdf.l_margin + half + 2, half - 2, min_height=0)
