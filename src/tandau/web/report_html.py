"""The congress report's faces in a language: the view model the templates read (``web/templates/report/``), the
standalone HTML files of ``tandau report congress --html DIR`` and the PDF with the report's catalogue.

Charts: on the pages a Vega-Lite spec per chart (drawn by ``/static/staff/staff.js`` like every staff chart) above
an inline SVG of the same bars and a table of the same numbers, so the pages and the exported files are complete
without JavaScript.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from jinja2 import Environment, FileSystemLoader, select_autoescape

from tandau.core.report import Chart, CongressReport, Section, Table, say
from tandau.core.scorecards.awards import AWARDS
from tandau.io.programme_pdf import territory_name
from tandau.io.report_pdf import render_report_pdf, section_titles
from tandau.web import charts, i18n
from tandau.web.reasons import explainer
from tandau.web.templating import TEMPLATES_DIR

Translate = Callable[..., str]


def region_label(code: str, lang: str, _: Translate) -> str:
    """A region's name in ``lang`` from its 2-digit KATO prefix (``KZ``: the whole country).

    >>> region_label("10", "kk", str), region_label("KZ", "en", lambda s: s)
    ('Абай облысы', 'Kazakhstan')
    """
    if code == "KZ":
        return _("Kazakhstan")
    name = territory_name(code + "0000000", lang)
    return code if name == code + "0000000" else name


def _first(kind: str, value: Any, lang: str, _: Translate, whys: Mapping[str, Any]) -> str:
    """A table's first cell in ``lang``: a region's name, a rule said from its structured reason, a label."""
    if kind == "region":
        return region_label(str(value), lang, _)
    if kind == "rule":
        return explainer(lang)(whys.get(str(value)), str(value))
    if kind == "award":
        award = AWARDS.get(str(value))
        return award.name(lang) if award is not None else str(value)
    return _(str(value)) if kind in ("text", "status") else str(value)


def _cell(value: Any, shares: bool, lang: str) -> str:
    return say(value, shares, lambda v: i18n.fmt_number(v, lang), lambda v: i18n.fmt_percent(v, lang, 1))


def _table(t: Table, lang: str, _: Translate) -> dict[str, Any]:
    rows = t.display_rows(lambda v: _first(t.first, v, lang, _, t.whys), lambda v: i18n.fmt_number(v, lang),
                          lambda v: i18n.fmt_percent(v, lang, 1))
    return {"title": _(t.title), "header": [_(h) for h in t.header], "rows": rows,
            "regions": [str(r[0]) for r in t.rows] if t.first == "region" else []}


def _chart(c: Chart, lang: str, _: Translate) -> dict[str, Any]:
    largest = 1.0 if c.shares else max((value for _name, value in c.bars), default=0.0)
    bars = [{"label": _first(c.first, name, lang, _, c.whys), "value": value, "text": _cell(value, c.shares, lang),
             "width": round(100 * min(1.0, value / largest), 2) if largest > 0 and value > 0 else 0}
            for name, value in c.bars]
    title = _(c.title)
    spec = {"$schema": charts.SCHEMA, "title": {"text": title, "anchor": "start", "fontSize": 14},
            "description": title, "width": "container",
            "data": {"values": [{"label": b["label"], "value": b["value"]} for b in bars]},
            "mark": {"type": "bar", "color": charts.PALETTE["main"]},
            "encoding": {"y": {"field": "label", "type": "nominal", "sort": None, "title": None},
                         "x": {"field": "value", "type": "quantitative", "title": title,
                               "axis": {"format": ".0%"} if c.shares else {}}}}
    return {"title": title, "bars": bars, "spec": spec}


def _section(s: Section, lang: str, _: Translate, titles: dict[str, str]) -> dict[str, Any]:
    def number(v: int | float) -> str:
        return i18n.fmt_number(v, lang)

    def percent(v: float) -> str:
        return i18n.fmt_percent(v, lang, 1)

    return {"id": s.id, "title": titles[s.id], "notes": [_(n) for n in s.notes],
            "figures": [{"key": f.key, "label": _(f.label), "value": f.display(number, percent), "counts": f.counts}
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


def render_pdf(report: CongressReport, lang: str) -> bytes:
    """The PDF in ``lang`` with the report's catalogue and region names."""
    _ = i18n.make_gettext(lang)
    return render_report_pdf(report, lang, _, lambda kind, value, whys: _first(kind, value, lang, _, whys))


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
