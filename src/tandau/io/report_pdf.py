"""The congress report as a PDF in Kazakh, Russian or English (issue 14, item 6; docs/report.md).

Drawn with fpdf2 and DejaVu Sans embedded (the project's PDF approach: :mod:`tandau.io.programme_pdf`), so Kazakh
letters render and the text can be searched. Charts are fpdf2 vector drawings (bars and text). The texts come
translated through ``translate`` (the report's catalogue, ``report.po``), each figure with what it counts; regions
and rules through ``name``. Table cells and bar labels are wrapped, not cut.

:func:`congress_pdf` is the one way every face builds it (the report page's ``/report.pdf``, ``tandau report
congress``, the ``report.congress`` background job): the report's catalogue and the names of regions, rules and
awards in the language, as on the HTML pages (:mod:`tandau.web.report_html` reads :func:`first_cell` too).

Layout: a title page (the cycle, its election day, the control board's as-of day, the primaries' members, voters
and ballots cast), the national sections, then one annex per region, each a bookmark; pages are numbered.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any, cast

from babel.numbers import format_decimal, format_percent

from tandau.core.report import Chart, CongressReport, Section, Table
from tandau.core.scorecards.awards import AWARDS
from tandau.io.catalogues import make_gettext
from tandau.io.control_text import programme_name
from tandau.io.pdf_fonts import dejavu_pdf
from tandau.io.programme_pdf import _fit, territory_name
from tandau.io.reasons import explainer

__all__ = ["LANGUAGES", "congress_pdf", "first_cell", "region_label", "render_report_pdf", "section_titles"]

LANGUAGES: tuple[str, ...] = ("kk", "ru", "en")
_INK = (33, 37, 41)
_MUTED = (108, 117, 125)
_BAR = (13, 110, 253)
_RULE = (206, 212, 218)

Translate = Callable[..., str]


class _Doc:
    def __init__(self, lang: str, title: str, page: str) -> None:
        self.lang = lang
        self.pdf = pdf = dejavu_pdf(title=title, lang=lang, margin=18, footer=page)
        pdf.set_text_color(*_INK)

    def number(self, value: float | int) -> str:
        return format_decimal(value, format="#,##0.##", locale=self.lang)

    def percent(self, value: float) -> str:
        return format_percent(value, format="#,##0.#%", locale=self.lang)

    def text(self, size: float, value: str, *, bold: bool = False, height: float = 5.0,
             color: tuple[int, int, int] = _INK) -> None:
        pdf = self.pdf
        pdf.set_font("DejaVu", "B" if bold else "", size)
        pdf.set_text_color(*color)
        pdf.multi_cell(0, height, value, align="L", new_x="LMARGIN", new_y="NEXT")
        pdf.set_text_color(*_INK)

    def lines(self, text: str, width: float, most: int = 0) -> list[str]:
        """``text`` broken into lines that fit ``width`` mm in the current font; with ``most``, at most that many,
        the last ending in "…" when the text goes on."""
        if "\n" not in text and self.pdf.get_string_width(text) <= width:
            return [text]  # most cells (numbers) fit: no dry run of a multi_cell, which is slow
        found = cast(list[str], self.pdf.multi_cell(width, 4, text, dry_run=True, output="LINES")) or [""]
        if most and len(found) > most:
            found = [*found[:most - 1], _fit(self.pdf, found[most - 1] + " …", width)]
        return found

    def table(self, header: Sequence[str], rows: Sequence[Sequence[str]],
              widths: Sequence[float] | None = None, left: frozenset[int] = frozenset({0})) -> None:
        """A ruled table; every cell wrapped on as many lines as it needs (a row as tall as its tallest cell), the
        headings repeated after a page break. ``widths``: the columns' shares of the page's width; ``left``: the
        columns aligned left (texts; the others, numbers, are aligned right)."""
        pdf = self.pdf
        line = 3.6
        if widths is None:
            # a wide table gives its first column (a region, a rule: wrapped) less room, so that its numbers'
            # headings break between words rather than inside one
            first = pdf.epw * (0.7 if len(header) <= 2 else 0.36 if len(header) <= 4 else 0.24)
            rest = (pdf.epw - first) / max(1, len(header) - 1)
            sizes = [first] + [rest] * (len(header) - 1)
        else:
            sizes = [pdf.epw * w / sum(widths) for w in widths]
        inner = [w - 2 * pdf.c_margin for w in sizes]
        pdf.set_draw_color(*_RULE)
        pdf.set_font("DejaVu", "B", 7)
        heads = [self.lines(h, w) for h, w in zip(header, inner, strict=True)]
        head_height = (line - 0.4) * max(len(h) for h in heads) + 1

        def draw_header() -> None:
            pdf.set_font("DejaVu", "B", 7)
            pdf.set_fill_color(233, 236, 239)
            x, y = pdf.l_margin, pdf.get_y()
            for lines, w in zip(heads, sizes, strict=True):
                pdf.rect(x, y, w, head_height, style="DF")
                for i, t in enumerate(lines):
                    pdf.set_xy(x, y + 0.5 + i * (line - 0.4))
                    pdf.cell(w, line - 0.4, t, align="C")
                x += w
            pdf.set_xy(pdf.l_margin, y + head_height)
            pdf.set_font("DejaVu", "", 7.5)

        if pdf.will_page_break(head_height + 2 * line):
            pdf.add_page()
        draw_header()
        for r in rows:
            cells = [self.lines(value, w) for value, w in zip(r, inner, strict=True)]
            height = line * max(len(c) for c in cells) + 1
            if pdf.will_page_break(height):
                pdf.add_page()
                draw_header()
            x, y = pdf.l_margin, pdf.get_y()
            for i, (lines, w) in enumerate(zip(cells, sizes, strict=True)):
                pdf.rect(x, y, w, height)
                for k, t in enumerate(lines):
                    pdf.set_xy(x, y + 0.5 + k * line)
                    pdf.cell(w, line, t, align="L" if i in left else "R")
                x += w
            pdf.set_xy(pdf.l_margin, y + height)
        pdf.ln(3)

    def bars(self, title: str, bars: Sequence[tuple[str, float]], shares: bool) -> None:
        """Horizontal bars drawn as vector rectangles, each labelled (wrapped on up to three lines; a longer label
        ends in "…", its full text is in the table beside the chart) and valued."""
        pdf = self.pdf
        if not bars:
            return
        left, label_w, value_w = pdf.l_margin, 60.0, 22.0
        pdf.set_font("DejaVu", "", 7)
        labels = [self.lines(name, label_w - 1 - 2 * pdf.c_margin, 3) for name, _ in bars]
        step = 2.9 if len(bars) <= 16 else 2.6
        rows = [max(5.0 if len(bars) <= 16 else 3.8, step * len(lines) + 1.4) for lines in labels]
        if pdf.will_page_break(8 + min(sum(rows), pdf.eph * 0.6)):
            pdf.add_page()
        self.text(9, title, bold=True)
        track = pdf.epw - label_w - value_w - 2
        largest = 1.0 if shares else max((v for _, v in bars), default=0.0)
        pdf.set_font("DejaVu", "", 7)
        pdf.set_fill_color(*_BAR)
        y = pdf.get_y() + 1
        for lines, row, (_name, value) in zip(labels, rows, bars, strict=True):
            if pdf.will_page_break(row + (y - pdf.get_y())):
                pdf.add_page()
                y = pdf.get_y() + 1
            top = y + (row - step * len(lines)) / 2 - 0.3
            for k, t in enumerate(lines):
                pdf.set_xy(left, top + k * step)
                pdf.cell(label_w, step, t, align="R")
            length = min(1.0, value / largest) * track if largest > 0 and value > 0 else 0.0
            middle = y + row / 2
            if length > 0:
                thick = min(3.8, row - 1.2)
                pdf.rect(left + label_w + 1, middle - thick / 2, max(length, 0.4), thick, style="F")
            pdf.set_xy(left + label_w + 2 + length, middle - 2.2)
            pdf.cell(value_w, 4.4, self.percent(value) if shares else self.number(value))
            y += row
        pdf.set_xy(left, y + 3)


#: the first column's cell in the language: (what it holds, the value, the rules' structured reasons) -> text
Namer = Callable[[str, Any, Mapping[str, Any]], str]


def _section(doc: _Doc, section: Section, _: Translate, name: Namer, titles: dict[str, str]) -> None:
    pdf = doc.pdf
    if pdf.will_page_break(30):
        pdf.add_page()
    doc.text(13, titles[section.id], bold=True, height=7)
    for note in section.notes:
        doc.text(8.5, _(note), color=_MUTED, height=4.5)
    if section.figures:
        rows = [(_(f.label), f.display(doc.number, doc.percent), f.describe(_)) for f in section.figures]
        doc.table((_("Figure"), _("Value"), _("What it counts")), rows, (0.36, 0.14, 0.5),
                  frozenset({0, 2}))
    for table in section.tables:
        doc.text(9, _(table.title), bold=True)
        doc.table([_(h) for h in table.header], _rows(doc, table, name))
    for chart in section.charts:
        _chart(doc, chart, _, name)
    pdf.ln(2)


def _rows(doc: _Doc, table: Table, name: Namer) -> list[list[str]]:
    return table.display_rows(lambda value: name(table.first, value, table.whys), doc.number, doc.percent)


def _chart(doc: _Doc, chart: Chart, _: Translate, name: Namer) -> None:
    doc.bars(_(chart.title), [(name(chart.first, label, chart.whys), value) for label, value in chart.bars],
             chart.shares)


def section_titles(_: Translate) -> dict[str, str]:
    """Each section's heading in the language of ``_``."""
    return {"primaries": _("Primaries"), "lists": _("Candidate lists"), "seats": _("Seats and the elected"),
            "programmes": _("Programmes and citizens' proposals"), "control": _("Party control"),
            "deputies": _("Deputies"), "appeals": _("Public reception appeals"), "awards": _("Awards")}


def render_report_pdf(report: CongressReport, lang: str, translate: Translate, name: Namer) -> bytes:
    """The report as an A4 PDF in ``lang``; ``name`` says a table's first cell (a region, a rule) in the language;
    see the module's docstring."""
    _ = translate
    title = f"{_('Congress report')}: {report.cycle_name}"
    doc = _Doc(lang, title, _("Page {n} of {nb}"))
    pdf = doc.pdf
    titles = section_titles(_)
    pdf.add_page()
    pdf.ln(20)
    doc.text(20, _("Congress report"), bold=True, height=10)
    doc.text(14, report.cycle_name, height=8)
    pdf.ln(4)
    doc.text(10, f"{_('Election cycle')}: {report.cycle_id} ({report.system})")
    if report.election_date:
        doc.text(10, f"{_('Election day')}: {report.election_date}")
    if report.control_as_of:
        doc.text(10, f"{_('Control board as of')}: {report.control_as_of}")
    if report.sections:
        pdf.ln(4)
        lead = {f.key: f for f in report.sections[0].figures}
        for key in ("primaries.members", "primaries.voters", "primaries.ballots_cast", "primaries.turnout"):
            if key in lead:
                doc.text(12, f"{_(lead[key].label)}: {lead[key].display(doc.number, doc.percent)}", bold=True,
                         height=7)
        pdf.ln(2)
        doc.text(8.5, _("Every figure is recomputed from the database when the report is made."), color=_MUTED)
        pdf.start_section(_("National report"))
        for section in report.sections:
            _section(doc, section, _, name, titles)
    for annex in report.annexes:
        pdf.add_page()
        heading = f"{_('Regional annex')}: {name('region', annex.region, {})}"
        pdf.start_section(heading)
        doc.text(16, heading, bold=True, height=9)
        for section in annex.sections:
            _section(doc, section, _, name, titles)
    return bytes(pdf.output())


def region_label(code: str, lang: str, _: Translate) -> str:
    """A region's name in ``lang`` from its 2-digit KATO prefix (``KZ``: the whole country).

    >>> region_label("10", "kk", str), region_label("KZ", "en", lambda s: s)
    ('Абай облысы', 'Kazakhstan')
    """
    if code == "KZ":
        return _("Kazakhstan")
    name = territory_name(code + "0000000", lang)
    return code if name == code + "0000000" else name


def first_cell(kind: str, value: Any, lang: str, _: Translate, whys: Mapping[str, Any]) -> str:
    """A table's first cell in ``lang``: a region's name, a rule said from its structured reason, a state
    programme's or an award's name (the control's and the awards' catalogues), a label."""
    if kind == "region":
        return region_label(str(value), lang, _)
    if kind == "rule":
        return explainer(lang)(whys.get(str(value)), str(value))
    if kind == "programme":
        return programme_name(str(value), _)
    if kind == "award":
        award = AWARDS.get(str(value))
        return award.name(lang) if award is not None else str(value)
    return _(str(value)) if kind in ("text", "status") else str(value)


def congress_pdf(report: CongressReport, lang: str) -> bytes:
    """The PDF in ``lang`` (kk, ru or en) with the report's catalogue and the names of regions and rules."""
    _ = make_gettext(lang)
    return render_report_pdf(report, lang, _, lambda kind, value, whys: first_cell(kind, value, lang, _, whys))
