"""A council's election programme as a printable PDF, in Kazakh or Russian (issue 13, item 7; docs/programmes.md).

The PDF is drawn with fpdf2 and embeds DejaVu Sans (the project's PDF approach, :mod:`tandau.services.exports`):
Kazakh letters (ә ғ қ ң ө ұ ү һ і) render and the text can be searched and extracted. Charts are fpdf2 vector
drawings (rectangles and text), made offline without a renderer.

Layout: a title page with the council's name in the language (from the territory data, the code when a territory
is unknown), the number of commitments, the total budget, a table and a bar chart of the budget by section; then
one part per section in the theme order (:data:`~tandau.core.programmes.SECTIONS`) with its summary table, a bar
chart of its commitments' budgets and one block per commitment: its text in the language (the other language's,
marked, when it has none), the indicator from the baseline (year) to the target by the deadline in its unit, the
budget in KZT, the funding source and the responsible body. Pages are numbered; the document's title and language
are set in its metadata; each section is a bookmark.

>>> format_number(Decimal("1250000.50"), "ru"), format_number(Decimal("88.50"), "kk"), format_number(None, "kk")
('1\\xa0250\\xa0000,5', '88,5', '—')
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Sequence
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import Any, cast

from tandau.core.programmes.model import SECTIONS, Commitment, Programme, council_of
from tandau.errors import InputError
from tandau.io.pdf_fonts import dejavu_pdf

LANGUAGES: tuple[str, ...] = ("kk", "ru")
NBSP = "\u00a0"
DASH = "—"

#: section id -> (Kazakh, Russian) heading, in the theme order of SECTIONS
SECTION_NAMES: dict[str, tuple[str, str]] = {
    "water": ("Сумен жабдықтау", "Водоснабжение"),
    "utilities": ("Коммуналдық қызметтер", "Коммунальные услуги"),
    "roads": ("Жолдар", "Дороги"),
    "housing": ("Тұрғын үй", "Жильё"),
    "health": ("Денсаулық сақтау", "Здравоохранение"),
    "education": ("Білім беру", "Образование"),
    "jobs": ("Жұмыспен қамту", "Занятость"),
    "agriculture": ("Ауыл шаруашылығы", "Сельское хозяйство"),
    "social": ("Әлеуметтік қорғау", "Социальная защита"),
    "culture_sport": ("Мәдениет және спорт", "Культура и спорт"),
    "ecology": ("Экология", "Экология"),
    "safety": ("Қауіпсіздік", "Безопасность"),
    "governance": ("Мемлекеттік басқару", "Государственное управление"),
    "other": ("Басқа", "Прочее"),
}

#: label key -> (Kazakh, Russian); format fields in braces
LABELS: dict[str, tuple[str, str]] = {
    "title": ("Сайлауалды бағдарлама", "Предвыборная программа"),
    "commitments": ("Міндеттемелер саны: {n}", "Обязательств: {n}"),
    "total": ("Жалпы бюджет: {budget}", "Общий бюджет: {budget}"),
    "deadlines": ("Мерзімдері: {first} – {last}", "Сроки: {first} – {last}"),
    "by_section": ("Бөлімдер бойынша бюджет", "Бюджет по разделам"),
    "section": ("Бөлім", "Раздел"),
    "count": ("Саны", "Кол-во"),
    "budget": ("Бюджет", "Бюджет"),
    "summary": ("Бөлім бойынша жиынтық", "Сводка по разделу"),
    "by_commitment": ("Міндеттемелер бюджеті", "Бюджет обязательств"),
    "id": ("№", "№"),
    "indicator": ("Көрсеткіш", "Показатель"),
    "baseline": ("Базалық мән", "Базовое значение"),
    "target": ("Нысаналы мән", "Целевое значение"),
    "deadline": ("Мерзімі", "Срок"),
    "progress": ("{baseline} ({year}) → {target} {unit}, {deadline} дейін ({direction})",
                 "{baseline} ({year}) → {target} {unit} к {deadline} ({direction})"),
    "unit": ("Өлшем бірлігі", "Единица измерения"),
    "funding": ("Қаржыландыру көзі", "Источник финансирования"),
    "responsible": ("Жауапты", "Ответственный"),
    "territory": ("Аумақ", "Территория"),
    "increase": ("арттыру", "увеличение"),
    "decrease": ("төмендету", "снижение"),
    "currency": ("теңге", "тенге"),
    "mln": ("млн", "млн"),
    "bn": ("млрд", "млрд"),
    "other_text": ("(қазақ тіліндегі мәтіні жоқ; орыс тіліндегі мәтіні)",
                   "(текста на русском нет; текст на казахском)"),
    "page": ("{n} / {nb} бет", "Стр. {n} из {nb}"),
    "none": ("көрсетілмеген", "не указано"),
}

_INK = (33, 37, 41)
_MUTED = (108, 117, 125)
_BAR = (13, 110, 253)
_RULE = (206, 212, 218)


def label(key: str, lang: str, **fields: object) -> str:
    """The label ``key`` in ``lang`` (``kk`` or ``ru``), formatted with ``fields``.

    >>> label("commitments", "kk", n=3)
    'Міндеттемелер саны: 3'
    """
    text = LABELS[key][LANGUAGES.index(lang)]
    return text.format(**fields) if fields else text


def section_name(section: str, lang: str) -> str:
    """The heading of a section in ``lang``; an unknown id is shown as it is."""
    names = SECTION_NAMES.get(section)
    return names[LANGUAGES.index(lang)] if names else section


def format_number(value: Decimal | None, lang: str) -> str:
    """An exact decimal without exponent or trailing zeros, thousands grouped by a no-break space and a decimal
    comma (the Kazakh and Russian style); ``—`` when missing."""
    if value is None:
        return DASH
    text = format(value.normalize(), "f")
    sign, text = ("-", text[1:]) if text.startswith("-") else ("", text)
    whole, _, frac = text.partition(".")
    frac = frac.rstrip("0")
    groups: list[str] = []
    while len(whole) > 3:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    groups.insert(0, whole)
    return sign + NBSP.join(groups) + ("," + frac if frac else "")


def format_kzt(value: Decimal | None, lang: str) -> str:
    """A budget in full tenge: ``4 500 000 000 теңге``; ``—`` when missing."""
    return DASH if value is None else f"{format_number(value, lang)}{NBSP}{label('currency', lang)}"


def format_kzt_short(value: Decimal, lang: str) -> str:
    """A budget for a chart label: ``4,5 млрд``, ``120 млн`` (one decimal at most), smaller sums in full."""
    for scale, key in ((Decimal(10) ** 9, "bn"), (Decimal(10) ** 6, "mln")):
        if abs(value) >= scale:
            return f"{format_number((value / scale).quantize(Decimal('0.1')), lang)}{NBSP}{label(key, lang)}"
    return format_number(value, lang)


@lru_cache(maxsize=1)
def _places() -> tuple[dict[str, Any], dict[str, Any]]:
    """KATO code -> unit and council id -> council of the territory data (2023 layout)."""
    from tandau.io.territory import load_kz

    territory = load_kz("2023")
    units: dict[str, Any] = {}
    for u in territory.units:
        if u.kind in ("region", "republican_city"):
            units[u.id + "0000000"] = u
        elif u.kind == "city_district":
            units[u.id + "10000"] = u
        elif u.kind in ("district", "city"):
            units[u.id + "00000"] = u
    return units, {c.id: c for c in territory.councils}


def territory_name(code: str, lang: str) -> str:
    """The unit's name in ``lang`` from the territory data; the code itself when it is not there."""
    unit = _places()[0].get(code)
    return unit.name_in(lang) if unit is not None else code


def council_name(code: str, lang: str) -> str:
    """The name in ``lang`` of the maslikhat whose programme holds a commitment for ``code``
    (:func:`~tandau.core.programmes.council_of`); the council id and code when they are not in the data."""
    council = _places()[1].get(council_of(code)) if code.isdigit() and len(code) == 9 else None
    return council.name_in(lang) if council is not None else f"{council_of(code)} ({code})"


def commitment_text(c: Commitment, lang: str) -> tuple[str, bool]:
    """The commitment's wording in ``lang`` and whether it is the other language's (there is none in ``lang``)."""
    own, other = (c.text_kk, c.text_ru) if lang == "kk" else (c.text_ru, c.text_kk)
    return (own, False) if own else (other, True)


def _sections(programme: Programme) -> list[tuple[str, list[Commitment]]]:
    order = {s: i for i, s in enumerate(SECTIONS)}
    groups: dict[str, list[Commitment]] = {}
    for c in programme.commitments:
        groups.setdefault(c.section, []).append(c)
    return sorted(groups.items(), key=lambda item: (order.get(item[0], len(order)), item[0]))


def _budget(commitments: Sequence[Commitment]) -> Decimal:
    return sum((c.budget_kzt for c in commitments if c.budget_kzt is not None), Decimal(0))


class _Document:
    """One PDF being drawn: fonts, page footer and the drawing helpers."""

    def __init__(self, lang: str, title: str) -> None:
        self.lang = lang
        self.pdf = pdf = dejavu_pdf(title=title, lang=lang, margin=18, footer=LABELS["page"][LANGUAGES.index(lang)])
        pdf.set_subject(label("title", lang))
        pdf.set_text_color(*_INK)

    @property
    def width(self) -> float:
        return float(self.pdf.epw)

    def text(self, size: float, value: str, *, bold: bool = False, height: float = 5.0,
             color: tuple[int, int, int] = _INK) -> None:
        """A paragraph; a line that fits is drawn as one cell (line breaking is fpdf2's slowest part)."""
        pdf = self.pdf
        pdf.set_font("DejaVu", "B" if bold else "", size)
        pdf.set_text_color(*color)
        if "\n" not in value and pdf.get_string_width(value) < self.width - 2 * pdf.c_margin:
            pdf.cell(0, height, value, new_x="LMARGIN", new_y="NEXT")
        else:
            pdf.multi_cell(0, height, value, align="L", new_x="LMARGIN", new_y="NEXT")
        pdf.set_text_color(*_INK)

    def table(self, header: Sequence[str], rows: Sequence[Sequence[str]], widths: Sequence[float],
              aligns: Sequence[str]) -> None:
        """A ruled table: headings wrapped on a grey band (repeated after a page break), one line per row, a
        value too long for its column shortened with an ellipsis (the blocks below give it in full)."""
        pdf = self.pdf
        line = 4.5
        pdf.set_draw_color(*_RULE)
        pdf.set_font("DejaVu", "B", 7.5)
        heads: list[list[str]] = [cast(list[str], pdf.multi_cell(w, line, h, dry_run=True, output="LINES"))
                                  for h, w in zip(header, widths, strict=True)]
        head_height = line * max(len(lines) for lines in heads)

        def draw_header() -> None:
            pdf.set_font("DejaVu", "B", 7.5)
            pdf.set_fill_color(233, 236, 239)
            x, y = pdf.l_margin, pdf.get_y()
            for lines, w, align in zip(heads, widths, aligns, strict=True):
                pdf.rect(x, y, w, head_height, style="DF")
                for i, text in enumerate(lines):
                    pdf.set_xy(x, y + i * line)
                    pdf.cell(w, line, text, align=align[0])
                x += w
            pdf.set_xy(pdf.l_margin, y + head_height)
            pdf.set_font("DejaVu", "", 8)

        if pdf.will_page_break(head_height + line):
            pdf.add_page()
        draw_header()
        for r in rows:
            if pdf.will_page_break(line):
                pdf.add_page()
                draw_header()
            for value, w, align in zip(r, widths, aligns, strict=True):
                pdf.cell(w, line, _fit(pdf, value, w - 2 * pdf.c_margin), border=1, align=align[0])
            pdf.ln(line)
        pdf.ln(3)

    def bar_chart(self, title: str, bars: Sequence[tuple[str, Decimal]], *, label_width: float = 55.0) -> None:
        """Horizontal bars (vector rectangles) scaled to the largest value, each labelled and valued."""
        pdf = self.pdf
        if not bars:
            return
        row = 5.0 if len(bars) <= 16 else 3.6
        height = 7 + row * len(bars)
        if pdf.will_page_break(height):
            pdf.add_page()
        self.text(9, title, bold=True)
        top, left = pdf.get_y() + 1, pdf.l_margin
        value_width = 24.0
        track = self.width - label_width - value_width - 2
        largest = max((v for _, v in bars), default=Decimal(0))
        size = 7 if row >= 5 else 6
        pdf.set_font("DejaVu", "", size)
        pdf.set_fill_color(*_BAR)
        for i, (name, value) in enumerate(bars):
            y = top + i * row
            pdf.set_xy(left, y)
            pdf.cell(label_width, row - 0.6, _fit(pdf, name, label_width - 1), align="R")
            length = float(value / largest) * track if largest > 0 and value > 0 else 0.0
            if length > 0:
                pdf.rect(left + label_width + 1, y + 0.6, max(length, 0.4), row - 1.8, style="F")
            pdf.set_xy(left + label_width + 2 + length, y)
            pdf.cell(value_width, row - 0.6, format_kzt_short(value, self.lang))
        pdf.set_xy(left, top + row * len(bars) + 3)


def _fit(pdf: Any, text: str, width: float) -> str:
    """``text`` shortened with an ellipsis to fit ``width`` mm in the current font."""
    if pdf.get_string_width(text) <= width:
        return text
    while text and pdf.get_string_width(text + "…") > width:
        text = text[:-1]
    return text.rstrip() + "…"


def _councils(programme: Programme, lang: str) -> list[str]:
    return list(dict.fromkeys(council_name(t, lang) for t in programme.territories))


def _title_page(doc: _Document, programme: Programme, sections: list[tuple[str, list[Commitment]]]) -> None:
    pdf, lang = doc.pdf, doc.lang
    pdf.add_page()
    pdf.ln(30)
    for name in _councils(programme, lang):
        doc.text(20, name, bold=True, height=10)
    pdf.ln(4)
    doc.text(16, label("title", lang), height=8)
    pdf.ln(8)
    doc.text(11, label("commitments", lang, n=len(programme.commitments)), height=6)
    doc.text(11, label("total", lang, budget=format_kzt(_budget(programme.commitments), lang)), height=6)
    deadlines = sorted(c.deadline for c in programme.commitments if c.deadline is not None)
    if deadlines:
        doc.text(11, label("deadlines", lang, first=deadlines[0].isoformat(), last=deadlines[-1].isoformat()),
                 height=6)
    pdf.ln(6)
    rows = [(section_name(s, lang), str(len(cs)), format_kzt(_budget(cs), lang)) for s, cs in sections]
    doc.table((label("section", lang), label("count", lang), label("budget", lang)), rows, (110, 25, 55),
              ("LEFT", "RIGHT", "RIGHT"))
    doc.bar_chart(label("by_section", lang), [(section_name(s, lang), _budget(cs)) for s, cs in sections])


def _progress(c: Commitment, lang: str) -> str:
    return label("progress", lang, baseline=format_number(c.baseline, lang),
                 year=DASH if c.baseline_year is None else c.baseline_year, target=format_number(c.target, lang),
                 unit=c.unit or DASH, deadline=DASH if c.deadline is None else c.deadline.isoformat(),
                 direction=label(c.direction, lang)).replace(" ,", ",")


def _block(doc: _Document, c: Commitment) -> None:
    pdf, lang = doc.pdf, doc.lang
    text, other = commitment_text(c, lang)
    if pdf.will_page_break(34):
        pdf.add_page()
    pdf.set_draw_color(*_RULE)
    pdf.line(pdf.l_margin, pdf.get_y(), pdf.l_margin + doc.width, pdf.get_y())
    pdf.ln(1.5)
    doc.text(10, f"{c.commitment} · {territory_name(c.territory, lang)}", bold=True)
    if other:
        doc.text(8, label("other_text", lang), color=_MUTED, height=4)
    doc.text(10, text)
    none = label("none", lang)
    lines = (
        (label("indicator", lang), f"{c.indicator or none}: {_progress(c, lang)}"),
        (label("unit", lang), c.unit or none),
        (label("budget", lang), format_kzt(c.budget_kzt, lang)),
        (label("funding", lang), c.funding_source or none),
        (label("responsible", lang), c.responsible or none),
    )
    for name, value in lines:
        doc.text(8.5, f"{name}: {value}", height=4.3)
    pdf.ln(2.5)


def _section(doc: _Document, section: str, commitments: list[Commitment]) -> None:
    pdf, lang = doc.pdf, doc.lang
    pdf.add_page()
    heading = section_name(section, lang)
    pdf.start_section(heading)
    doc.text(15, heading, bold=True, height=8)
    doc.text(9, f"{label('commitments', lang, n=len(commitments))} · "
                f"{label('total', lang, budget=format_kzt(_budget(commitments), lang))}", color=_MUTED)
    pdf.ln(2)
    doc.text(9, label("summary", lang), bold=True)
    rows = [(c.commitment, c.indicator or DASH, f"{format_number(c.baseline, lang)} "
             f"({DASH if c.baseline_year is None else c.baseline_year})", f"{format_number(c.target, lang)} "
             f"{c.unit}".strip(), DASH if c.deadline is None else c.deadline.isoformat(),
             format_kzt(c.budget_kzt, lang)) for c in commitments]
    doc.table((label("id", lang), label("indicator", lang), label("baseline", lang), label("target", lang),
               label("deadline", lang), label("budget", lang)), rows, (16, 44, 28, 30, 22, 50),
              ("LEFT", "LEFT", "RIGHT", "RIGHT", "LEFT", "RIGHT"))
    doc.bar_chart(f"{label('by_commitment', lang)}, {label('currency', lang)}",
                  [(c.commitment, c.budget_kzt or Decimal(0)) for c in commitments], label_width=30)
    for c in commitments:
        _block(doc, c)


def render_programme_pdf(programme: Programme, lang: str) -> bytes:
    """The programme as an A4 PDF in ``lang`` (``kk`` or ``ru``); see the module's docstring."""
    if lang not in LANGUAGES:
        raise InputError(f"the language must be one of {', '.join(LANGUAGES)}, got {lang!r}", parameter="lang")
    if not programme.commitments:
        raise InputError("no commitments to render", file=programme.name or None)
    councils = _councils(programme, lang)
    doc = _Document(lang, f"{label('title', lang)}: {'; '.join(councils)}")
    sections = _sections(programme)
    _title_page(doc, programme, sections)
    for section, commitments in sections:
        _section(doc, section, commitments)
    return bytes(doc.pdf.output())


def write_bytes_atomic(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` through a temporary file in the same folder, renamed over it: a reader sees the
    old file or the new one, never a part; nothing is left behind on failure."""
    folder = path.parent
    if not folder.is_dir():
        raise InputError("the folder does not exist", file=str(path))
    if path.is_dir():
        raise InputError("is a folder, not a file", file=str(path))
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(tmp, path)
    except OSError as exc:
        Path(tmp).unlink(missing_ok=True)
        raise InputError(f"cannot write: {exc.strerror or exc}", file=str(path)) from None
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise

