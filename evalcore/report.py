"""Printable unit report for a leadership meeting: a standalone HTML document and a PDF.

Both render the same `Report` (title, headline facts, sections of sentences and tables).
HTML goes through a Jinja2 template with autoescaping, so data text can never become markup;
it has inline CSS and no external resource. The PDF uses fpdf2 with a CJK font found on this
machine at run time (never downloaded); without one, `find_cjk_font` raises a clear error and
the HTML report still works.
"""

from __future__ import annotations

import importlib.util
import logging
import os
from dataclasses import dataclass, field
from pathlib import Path

import jinja2
import pandas as pd

from evalcore.labels import t
from evalcore.views import profile as pv

FONT_ENV = "EVAL_PDF_FONT"
KEEP_WITH_HEADING = 30  # mm: a section heading needs this much room below it on the page
WIDE_MM, NARROW_MM = 70, 25  # table columns: widest wanted; narrower ones are never squeezed


class FontNotFoundError(RuntimeError):
    """No CJK font for the PDF; the message says where we looked and how to install one."""


@dataclass(frozen=True)
class FontFile:
    path: Path
    index: int = 0  # face number inside a .ttc collection


@dataclass(frozen=True)
class Section:
    heading: str
    paragraphs: tuple[str, ...] = ()
    bullets: bool = False
    table: pd.DataFrame | None = field(default=None, compare=False)


@dataclass(frozen=True)
class Report:
    title: str
    subtitle: str
    lang: str
    facts: tuple[tuple[str, str], ...]
    sections: tuple[Section, ...]
    footer: str
    demo_label: str | None = None
    demo_note: str = ""


# -- building the unit report --------------------------------------------------------------

def build_profile_report(
    data: pv.ProfileData, regions: pd.DataFrame, lang: str, *, is_demo: bool,
    demo_note: str = "", source: str = "", drafts: frozenset[int] = frozenset(),
) -> Report:
    """The unit profile as a report: the same tables the page shows, without emoji badges."""
    unit = pv.unit_label(regions, data.code, lang)
    title = t("pf_report_title", lang).format(year=data.year, unit=unit)
    header = data.rubric.rubric
    level = t(f"pf_level_{data.unit['level']}", lang)
    subtitle = f"{level} · {header.name_en if lang == 'en' else header.name_zh}"
    return Report(
        title=title, subtitle=subtitle, lang=lang,
        facts=tuple(pv.headline_facts(data, lang)), sections=_profile_sections(data, lang, drafts),
        footer=f"{source} · {t('pf_report_footer', lang)}",
        demo_label=t("demo_badge", lang) if is_demo else None, demo_note=demo_note,
    )


def _profile_sections(data: pv.ProfileData, lang: str, drafts: frozenset[int]) -> tuple:
    strengths, weaknesses = pv.strengths_weaknesses(data, lang)
    bonus_total = pv.bonus_total_text(data, lang)
    deductions = pv.deduction_table(data, lang).drop(columns=t("vetoed", lang))
    veto = pv.veto_text(data, lang)
    cases = pv.case_table(data, lang)
    return (
        Section(t("pf_scores_by_stage", lang), (t("pf_final_note", lang),),
                table=pv.stage_table(data, lang)),
        Section(t("pf_strengths", lang), tuple(strengths), bullets=True),
        Section(t("pf_weaknesses", lang), tuple(weaknesses), bullets=True),
        Section(t("pf_bonus_heading", lang), (bonus_total,), table=pv.bonus_table(data, lang)),
        Section(t("pf_cases", lang), () if len(cases) else (t("pf_no_cases", lang),),
                table=cases if len(cases) else None),
        Section(t("pf_deductions_heading", lang),
                tuple(p for p in (veto,) if p) or (() if len(deductions)
                                                   else (t("pf_no_deductions", lang),)),
                table=deductions if len(deductions) else None),
        Section(t("pf_history", lang), tuple(p for p in (pv.history_note(data, lang),) if p),
                table=pv.history_table(data, lang, set(drafts), False)),
        Section(t("pf_communities", lang), (pv.community_sentence(data, lang),),
                table=pv.community_summary(data, lang)),
    )


# -- cells ---------------------------------------------------------------------------------

def cell_text(value) -> str:
    """Numbers as the page shows them (two decimals at most), missing values as '–'."""
    if value is None or value is pd.NA or (isinstance(value, float) and value != value):
        return "–"
    if isinstance(value, bool):
        return "✓" if value else ""
    if isinstance(value, float):
        return f"{value:.2f}".rstrip("0").rstrip(".") if value != int(value) else f"{value:.0f}"
    return str(value)


def _numeric(frame: pd.DataFrame) -> list[bool]:
    return [pd.api.types.is_numeric_dtype(frame[c]) and not pd.api.types.is_bool_dtype(frame[c])
            for c in frame.columns]


def table_cells(frame: pd.DataFrame) -> tuple[list[str], list[list[tuple[str, bool]]]]:
    """Header texts and rows of (text, is_number) cells."""
    numeric = _numeric(frame)
    rows = [[(cell_text(v), n) for v, n in zip(row, numeric, strict=True)]
            for row in frame.itertuples(index=False, name=None)]
    return [str(c) for c in frame.columns], rows


# -- HTML ----------------------------------------------------------------------------------

_CSS = """
@page { size: A4; margin: 15mm; }
body { font-family: "Noto Sans CJK SC", "WenQuanYi Zen Hei", "Microsoft YaHei", "PingFang SC",
       sans-serif; color: #222; max-width: 190mm; margin: 0 auto; font-size: 11pt; }
h1 { font-size: 18pt; margin: 0 0 2mm; color: #1f3f6e; }
h2 { font-size: 13pt; margin: 6mm 0 2mm; color: #1f5fa8; border-bottom: 1px solid #c8d3e3; }
.sub { color: #666; margin: 0 0 3mm; }
.demo { background: #fdecea; border: 1px solid #e0a0a0; color: #8a1c1c; padding: 2mm 3mm; }
table { border-collapse: collapse; width: 100%; margin: 2mm 0; font-size: 9.5pt; }
th, td { border: 1px solid #c8d3e3; padding: 1.2mm 2mm; text-align: left; vertical-align: top; }
th { background: #eef2f8; font-weight: normal; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
table.facts td { font-size: 13pt; }
footer { margin-top: 8mm; color: #777; font-size: 8.5pt; }
section { break-inside: avoid-page; }
"""

_TEMPLATE = """<!DOCTYPE html>
<html lang="{{ 'en' if report.lang == 'en' else 'zh-CN' }}">
<head><meta charset="utf-8"><title>{{ report.title }}</title><style>{{ css }}</style></head>
<body>
<header>
<h1>{{ report.title }}</h1>
<p class="sub">{{ report.subtitle }}</p>
{% if report.demo_label %}<p class="demo"><strong>{{ report.demo_label }}</strong>
{{ report.demo_note }}</p>{% endif %}
<table class="facts"><tr>{% for label, _ in report.facts %}<th>{{ label }}</th>{% endfor %}</tr>
<tr>{% for _, value in report.facts %}<td>{{ value }}</td>{% endfor %}</tr></table>
</header>
{% for s in sections %}<section>
<h2>{{ s.heading }}</h2>
{% if s.bullets %}<ul>{% for p in s.paragraphs %}<li>{{ p }}</li>{% endfor %}</ul>
{% else %}{% for p in s.paragraphs %}<p>{{ p }}</p>{% endfor %}{% endif %}
{% if s.head %}<table><thead><tr>{% for h in s.head %}<th>{{ h }}</th>{% endfor %}</tr></thead>
<tbody>{% for row in s.rows %}<tr>{% for text, num in row %}<td{% if num %} class="num"{% endif %}>
{{- text }}</td>{% endfor %}</tr>
{% endfor %}</tbody></table>{% endif %}
</section>
{% endfor %}
<footer>{{ report.footer }}</footer>
</body>
</html>
"""

_ENV = jinja2.Environment(autoescape=True, undefined=jinja2.StrictUndefined)


def render_html(report: Report) -> str:
    """One standalone, printable HTML document; every data text is escaped."""
    sections = []
    for s in report.sections:
        head, rows = table_cells(s.table) if s.table is not None else ([], [])
        sections.append({"heading": s.heading, "paragraphs": s.paragraphs,
                         "bullets": s.bullets, "head": head, "rows": rows})
    return _ENV.from_string(_TEMPLATE).render(report=report, sections=sections, css=_CSS)


# -- fonts ---------------------------------------------------------------------------------

def font_candidates() -> list[FontFile]:
    """Where a CJK font may be, best first: EVAL_PDF_FONT, the PyPI package noto-cjk-sans-otc,
    Debian's fonts-noto-cjk and fonts-wqy-zenhei / -microhei."""
    found: list[FontFile] = []
    if os.environ.get(FONT_ENV):
        found.append(FontFile(Path(os.environ[FONT_ENV])))
    spec = importlib.util.find_spec("noto_cjk_sans_otc")
    if spec and spec.origin:  # face 2 of the collection is Noto Sans CJK SC
        found.append(FontFile(Path(spec.origin).parent / "NotoSansCJK-Regular.ttc", 2))
    found += [
        FontFile(Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"), 2),
        FontFile(Path("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc"), 0),
        FontFile(Path("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc"), 0),
    ]
    return found


def find_cjk_font(candidates: list[FontFile] | None = None) -> FontFile:
    """The first candidate that exists, or FontNotFoundError naming the places and the fix."""
    candidates = font_candidates() if candidates is None else candidates
    for font in candidates:
        if font.path.is_file():
            return font
    looked = ", ".join(str(f.path) for f in candidates) or "(nowhere)"
    raise FontNotFoundError(
        f"No Chinese (CJK) font for the PDF report; looked for: {looked}. "
        "Install one with `apt-get install fonts-wqy-zenhei` or "
        "`pip install noto-cjk-sans-otc==0.0.1`, or set EVAL_PDF_FONT to a .ttf/.otf/.ttc "
        "file. The HTML report does not need it.")


def document_font() -> FontFile:
    """The font of the notice and the meeting pack: a TrueType-outline CJK face first
    (Debian's fonts-wqy-zenhei), else `find_cjk_font`. fpdf2 embeds the bundled Noto Sans CJK
    (CFF outlines) with a CMap that pypdf 7.1 cannot map back to text, while poppler can; a
    TrueType face gives PDFs whose text every reader extracts (checked by the tests)."""
    candidates = font_candidates()
    truetype = [f for f in candidates if f.path.name.startswith("wqy-")]
    explicit = candidates[:1] if os.environ.get(FONT_ENV) else []
    return find_cjk_font(explicit + truetype + candidates)


def pdf_unavailable_reason() -> str | None:
    """None when a PDF can be made here, else the reason (for a message instead of a button)."""
    try:
        find_cjk_font()
    except FontNotFoundError as exc:
        return str(exc)
    return None


# -- PDF -----------------------------------------------------------------------------------

def _col_widths(pdf, head: list[str], rows: list[list[tuple[str, bool]]]) -> list[float]:
    """Millimetres per column: each as wide as its longest text (at most WIDE_MM); if that is
    too wide for the page, narrow columns keep their width and the wide ones share the rest."""
    columns = [[h] + [r[i][0] for r in rows] for i, h in enumerate(head)]
    want = [min(max(pdf.get_string_width(_printable(pdf, x)) for x in c) + 4, WIDE_MM)
            for c in columns]
    if sum(want) <= pdf.epw:
        return [w * pdf.epw / sum(want) for w in want]
    narrow = sum(w for w in want if w <= NARROW_MM)
    wide = sum(w for w in want if w > NARROW_MM)
    return [w if w <= NARROW_MM else w * (pdf.epw - narrow) / wide for w in want]


def _make_pdf(font: FontFile, footer: str):
    from fpdf import FPDF

    logging.getLogger("fontTools.subset").setLevel(logging.ERROR)  # TTC subsetting chatter

    class _PDF(FPDF):
        wrap = "CHAR"  # line breaking of this report's language (see _wrap)

        def footer(self) -> None:
            self.set_y(-12)
            self.set_font("cjk", size=8)
            self.set_text_color(120)
            self.cell(0, 5, _printable(self, f"{footer} · {self.page_no()}/{{nb}}"), align="C")

    pdf = _PDF(orientation="portrait", unit="mm", format="A4")
    pdf.set_margins(15, 15, 15)
    pdf.set_auto_page_break(True, margin=18)
    pdf.add_font("cjk", fname=str(font.path), collection_font_number=font.index)
    pdf.alias_nb_pages()
    return pdf


def _printable(pdf, text: str) -> str:
    """Drop characters the font has no glyph for (emoji), instead of printing empty boxes."""
    cmap = pdf.fonts["cjk"].ttfont.getBestCmap()
    return "".join(ch for ch in text if ord(ch) in cmap or ch in "\n")


def _wrap(lang: str) -> str:
    """Chinese breaks between any two characters; English only between words."""
    return "WORD" if lang == "en" else "CHAR"


def _pdf_text(pdf, text: str, size: float, colour=(34, 34, 34), gap: float = 1.5) -> None:
    pdf.set_font("cjk", size=size)
    pdf.set_text_color(*colour)
    pdf.multi_cell(0, size * 0.5, _printable(pdf, text), new_x="LMARGIN", new_y="NEXT",
                   wrapmode=pdf.wrap)
    pdf.ln(gap)


def _pdf_table(pdf, head: list[str], rows: list[list[tuple[str, bool]]], size: float) -> None:
    """A table that breaks across pages with its header repeated."""
    from fpdf.fonts import FontFace

    pdf.set_font("cjk", size=size)
    pdf.set_text_color(34, 34, 34)
    align = tuple("RIGHT" if n else "LEFT" for _, n in (rows[0] if rows else [])) or "LEFT"
    style = FontFace(emphasis="", fill_color=(238, 242, 248))
    with pdf.table(col_widths=_col_widths(pdf, head, rows), text_align=align, wrapmode=pdf.wrap,
                   headings_style=style, line_height=size * 0.55, padding=1,
                   borders_layout="ALL") as table:
        table.row([_printable(pdf, h) for h in head])
        for row in rows:
            table.row([_printable(pdf, text) for text, _ in row])
    pdf.ln(2)


def _pdf_header(pdf, report: Report) -> None:
    _pdf_text(pdf, report.title, 16, (31, 63, 110))
    _pdf_text(pdf, report.subtitle, 9.5, (102, 102, 102))
    if report.demo_label:
        pdf.set_fill_color(253, 236, 234)
        pdf.set_font("cjk", size=10)
        pdf.set_text_color(138, 28, 28)
        note = report.demo_note
        text = note if note.startswith(report.demo_label) else f"{report.demo_label} · {note}"
        pdf.multi_cell(0, 6, _printable(pdf, text), wrapmode=_wrap(report.lang),
                       fill=True, border=1, new_x="LMARGIN", new_y="NEXT", padding=1.5)
        pdf.set_fill_color(255, 255, 255)  # tables take the current fill colour as their own
        pdf.ln(2)
    facts = [[(value, False) for _, value in report.facts]]
    _pdf_table(pdf, [label for label, _ in report.facts], facts, 11)


def render_pdf(report: Report, font: FontFile | None = None) -> bytes:
    """The same report as a PDF (A4, page numbers); FontNotFoundError without a CJK font."""
    pdf = _make_pdf(font or find_cjk_font(), report.footer)
    pdf.wrap = _wrap(report.lang)
    pdf.set_title(report.title)
    pdf.add_page()
    _pdf_header(pdf, report)
    for s in report.sections:
        if pdf.will_page_break(KEEP_WITH_HEADING):  # no heading alone at the foot of a page
            pdf.add_page()
        _pdf_text(pdf, s.heading, 13, (31, 95, 168), gap=1)
        for p in s.paragraphs:
            _pdf_text(pdf, ("● " if s.bullets else "") + p, 10)
        if s.table is not None:
            _pdf_table(pdf, *table_cells(s.table), 8.5)
    return bytes(pdf.output())
