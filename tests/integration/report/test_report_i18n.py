"""The congress report reads fully in Kazakh and Russian: every figure's label and what it counts (the "What it
counts" column) come through the report's catalogue on the page's view, in the standalone HTML and in the PDF;
chart labels are wrapped, not cut."""

from __future__ import annotations

import io
import re
from datetime import date

import pytest
from pypdf import PdfReader

from tandau.core.report import CongressReport
from tandau.io.report_pdf import congress_pdf
from tandau.services.primaries.access import Actor
from tandau.services.report import congress_report
from tandau.web.i18n import catalogue
from tandau.web.report_html import LABEL_WIDTH, render_files, view

from .conftest import World

CYRILLIC = re.compile("[А-Яа-яЁёӘәҒғҚқҢңӨөҰұҮүҺһІі]")
KAZAKH = set("әғқңөұүһі")
#: a description only the other source of seats gives (the demo has deputies: its seats are the elected)
PROJECTED = "the first places of each formed list, up to its council's seats"


@pytest.fixture(scope="module")
def report(world: World) -> CongressReport:
    with world.Session() as session:
        return congress_report(session, Actor.central(), today=date(2025, 1, 1))


@pytest.fixture(scope="module")
def annex(world: World) -> CongressReport:
    with world.Session() as session:
        return congress_report(session, Actor.central(), region="10", today=date(2025, 1, 1))


def _normal(text: str) -> str:
    return " ".join(text.split())


@pytest.mark.parametrize("lang", ["kk", "ru"])
def test_every_description_is_said_in_the_language(report: CongressReport, lang: str) -> None:
    english = {f.key: f.counts_text for f in report.figures()}
    assert len(english) > 300 and all(english.values())
    data = view(report, lang)
    said = {f["key"]: f["counts"] for s in data["sections"] for f in s["figures"]}
    said |= {f"{a['region']}/{f['key']}": f["counts"] for a in data["annexes"] for s in a["sections"]
             for f in s["figures"]}
    assert said.keys() == english.keys()
    left = sorted(k for k, text in said.items() if text == english[k] or not CYRILLIC.search(text))
    assert not left, f"{lang}: described in English: {left[:5]}"
    assert not [t for t in said.values() if "%(" in t], "placeholders filled"
    assert "35" in said["primaries.candidates_young"]
    if lang == "kk":
        assert set("".join(said.values()).lower()) >= KAZAKH - {"һ"}, "Kazakh letters, not Russian"
    table = catalogue(lang)
    assert table.get(PROJECTED) and CYRILLIC.search(table[PROJECTED])


@pytest.mark.parametrize("lang", ["kk", "ru"])
def test_the_standalone_html_and_the_pdf_say_each_description(annex: CongressReport, lang: str) -> None:
    figures = list(annex.figures())
    page = render_files(annex, lang)["regions/10.html"]
    cells = re.findall(r'<td class="hint"[^>]*>([^<]*)</td>', page)
    assert len(cells) == len(figures) and 'lang="en"' not in page.split("<body>")[1]
    assert all(CYRILLIC.search(c) for c in cells), [c for c in cells if not CYRILLIC.search(c)][:3]
    text = _normal(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(congress_pdf(annex, lang))).pages))
    from tandau.web.i18n import make_gettext

    _ = make_gettext(lang)
    missing = [f.key for f in figures if _normal(f.describe(_)) not in text]
    assert not missing, f"{lang}: the PDF lacks what {missing[:5]} count"
    assert not [f.key for f in figures if f.counts_text in text]


def test_chart_labels_are_wrapped_not_cut(report: CongressReport) -> None:
    data = view(report, "kk")
    charts = [c for s in data["sections"] for c in s["charts"]]
    bars = [b for c in charts for b in c["bars"]]
    assert bars
    for b in bars:
        assert all(len(line) <= LABEL_WIDTH for line in b["lines"])
        if len(b["label"]) <= 2 * LABEL_WIDTH - 10:  # a label of two short lines is shown whole
            assert " ".join(b["lines"]) == b["label"], b
    seats = next(c for s in data["sections"] if s["id"] == "seats" for c in s["charts"] if len(c["bars"]) == 4)
    assert any(len(b["lines"]) > 1 for b in seats["bars"]), "the long Kazakh labels take two lines"
    assert all(len(line.split("\n")) <= 3 for line in (v["label"] for v in seats["spec"]["data"]["values"]))
    assert seats["spec"]["encoding"]["y"]["axis"]["labelExpr"] == "split(datum.label, '\\n')"


def test_state_programmes_in_the_control_tables_are_named_in_the_language(report: CongressReport) -> None:
    from tandau.io.control_text import PROGRAMME_NAMES

    control = next(s for s in view(report, "ru")["sections"] if s["id"] == "control")
    names = [row[0] for t in control["tables"] if t["title"] == "Цели по программам" for row in t["rows"]]
    names += [b["label"] for c in control["charts"] for b in c["bars"]]
    assert names and not set(names) & set(PROGRAMME_NAMES), "a state programme is named, not shown by its id"
    assert [n for n in names if CYRILLIC.search(n) and n not in PROGRAMME_NAMES.values()]
