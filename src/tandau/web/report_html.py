"""The congress report's faces in a language: the view model the templates read (``web/templates/report/``), the
standalone HTML files of ``tandau report congress --html DIR`` (the PDF: :func:`tandau.io.report_pdf.congress_pdf`,
with the same names of regions and rules).

Charts: on the pages a Vega-Lite spec per chart (drawn by ``/static/staff/staff.js`` like every staff chart) above
an inline SVG of the same bars and a table of the same numbers, so the pages and the exported files are complete
without JavaScript. A bar's label is wrapped on up to :data:`LABEL_LINES` lines of :data:`LABEL_WIDTH` characters
(a longer one, such as a rule said in full, ends in "…"; its full text is in the table beside the chart and in the
SVG bar's tooltip).
"""

from __future__ import annotations

import textwrap
from collections.abc import Callable
from typing import Any

from jinja2 import Environment, FileSystemLoader, select_autoescape

from tandau.core.report import Chart, CongressReport, Section, Table, say
from tandau.io.report_pdf import first_cell, region_label, section_titles
from tandau.web import charts, i18n
from tandau.web.templating import TEMPLATES_DIR

Translate = Callable[..., str]

#: a chart label's wrapping: characters a line, lines at most (the SVG's label column is 240 px at 11 px)
LABEL_WIDTH = 30
LABEL_LINES = 3
#: the SVG's geometry: pixels a label line, padding around a bar's row
LINE_PX = 13
ROW_PAD_PX = 5


def wrap_label(text: str, width: int = LABEL_WIDTH, lines: int = LABEL_LINES) -> list[str]:
    """``text`` on at most ``lines`` lines of at most ``width`` characters, broken between words (a word longer
    than a line is cut); what does not fit ends the last line with "…".

    >>> wrap_label("Депутаттар арасындағы 35 жасқа толмағандар")
    ['Депутаттар арасындағы 35 жасқа', 'толмағандар']
    >>> wrap_label("one two three four", width=8, lines=2)
    ['one two', 'three…']
    """
    out = textwrap.wrap(text, width, break_on_hyphens=False) or [""]
    if len(out) <= lines:
        return out
    last = out[lines - 1]
    return [*out[:lines - 1], (last if len(last) < width else last[:width - 1].rstrip()) + "…"]


def _cell(value: Any, shares: bool, lang: str) -> str:
    return say(value, shares, lambda v: i18n.fmt_number(v, lang), lambda v: i18n.fmt_percent(v, lang, 1))


def _table(t: Table, lang: str, _: Translate) -> dict[str, Any]:
    rows = t.display_rows(lambda v: first_cell(t.first, v, lang, _, t.whys), lambda v: i18n.fmt_number(v, lang),
                          lambda v: i18n.fmt_percent(v, lang, 1))
    return {"title": _(t.title), "header": [_(h) for h in t.header], "rows": rows,
            "regions": [str(r[0]) for r in t.rows] if t.first == "region" else []}


def _chart(c: Chart, lang: str, _: Translate) -> dict[str, Any]:
    largest = 1.0 if c.shares else max((value for _name, value in c.bars), default=0.0)
    bars: list[dict[str, Any]] = []
    top = 0
    for name, value in c.bars:
        label = first_cell(c.first, name, lang, _, c.whys)
        lines = wrap_label(label)
        height = LINE_PX * len(lines) + ROW_PAD_PX
        bars.append({"label": label, "lines": lines, "value": value, "text": _cell(value, c.shares, lang),
                     "width": round(100 * min(1.0, value / largest), 2) if largest > 0 and value > 0 else 0,
                     "top": top, "height": height})
        top += height
    title = _(c.title)
    # the y axis shows the wrapped label (lines joined by "\n", split again by the axis' labelExpr): unique per
    # bar as the labels are
    spec = {"$schema": charts.SCHEMA, "title": {"text": title, "anchor": "start", "fontSize": 14},
            "description": title, "width": "container",
            "height": {"step": max(20, 14 * max((len(b["lines"]) for b in bars), default=1) + 6)},
            "data": {"values": [{"label": "\n".join(b["lines"]), "full": b["label"], "value": b["value"],
                                 "text": b["text"]} for b in bars]},
            "mark": {"type": "bar", "color": charts.PALETTE["main"]},
            "encoding": {"y": {"field": "label", "type": "nominal", "sort": None, "title": None,
                               "axis": {"labelExpr": "split(datum.label, '\\n')", "labelLimit": 0,
                                        "labelFontSize": 11}},
                         "x": {"field": "value", "type": "quantitative", "title": title,
                               "axis": {"format": ".0%"} if c.shares else {}},
                         "tooltip": [{"field": "full", "type": "nominal", "title": " "},
                                     {"field": "text", "type": "nominal", "title": title}]}}
    return {"title": title, "bars": bars, "spec": spec, "height": top + 8}


def _section(s: Section, lang: str, _: Translate, titles: dict[str, str]) -> dict[str, Any]:
    def number(v: int | float) -> str:
        return i18n.fmt_number(v, lang)

    def percent(v: float) -> str:
        return i18n.fmt_percent(v, lang, 1)

    return {"id": s.id, "title": titles[s.id], "notes": [_(n) for n in s.notes],
            "figures": [{"key": f.key, "label": _(f.label), "value": f.display(number, percent),
                         "counts": f.describe(_)}
                        for f in s.figures],
            "tables": [_table(t, lang, _) for t in s.tables], "charts": [_chart(c, lang, _) for c in s.charts]}


def view(report: CongressReport, lang: str) -> dict[str, Any]:
    """What the templates read: the report's sections and annexes, every text and number in ``lang``."""
    _ = i18n.make_gettext(lang)
    titles = section_titles(_)
    lead = {f.key: f for s in report.sections for f in s.figures}
    return {
        "cycle": report.cycle_id, "cycle_name": report.cycle_name, "election_date": report.election_date,
        "system": report.system, "as_of": report.control_as_of,
        "lead": [(_(lead[k].label), lead[k].display(lambda v: i18n.fmt_number(v, lang),
                                                     lambda v: i18n.fmt_percent(v, lang, 1)))
                 for k in ("primaries.members", "primaries.voters", "primaries.ballots_cast", "primaries.turnout")
                 if k in lead],
        "sections": [_section(s, lang, _, titles) for s in report.sections],
        "annexes": [{"region": a.region, "name": region_label(a.region, lang, _),
                     "sections": [_section(s, lang, _, titles) for s in a.sections]} for a in report.annexes],
    }


def render_files(report: CongressReport, lang: str) -> dict[str, str]:
    """Standalone HTML files: ``index.html`` (the national report with links to the annexes) and
    ``regions/<prefix>.html`` per annex."""
    env = Environment(loader=FileSystemLoader(TEMPLATES_DIR), autoescape=select_autoescape(),
                      trim_blocks=True, lstrip_blocks=True)
    _ = i18n.make_gettext(lang)
    template = env.get_template("report/document.html")
    data = view(report, lang)
    common = {"_": _, "lang": lang, "r": data, "web": False}
    files = {"index.html": template.render(common | {"annex": None, "base": ""})}
    for annex in data["annexes"]:
        files[f"regions/{annex['region']}.html"] = template.render(common | {"annex": annex, "base": "../"})
    return files
