"""Charts of the staff workspace: Vega-Lite specifications built as Python dicts.

One approach throughout: the server builds a Vega-Lite v6 spec (data inline, every axis and legend titled in the
page's language), the page embeds it as JSON and ``/static/staff/charts.js`` renders it with vega-embed served
from ``node_modules`` (no CDN). Each chart also has a table of the same numbers beside it, for screen readers and
for printing. Static SVG for reports: :func:`render_svg` runs vega's view API (``View.toSVG``) in Node on the
same spec, offline; in the browser, the chart's action menu saves SVG or PNG (``View.toImageURL``).
"""

from __future__ import annotations

import json
import shutil
import subprocess
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

from tandau.errors import TandauError

SCHEMA = "https://vega.github.io/schema/vega-lite/v6.json"
Spec = dict[str, Any]
Translate = Callable[[str], str]
PALETTE = {"ok": "#1b7837", "bad": "#b2182b", "main": "#2b5c8a", "accent": "#e08214", "muted": "#8c8c8c"}
RENDERER = Path(__file__).parent / "static" / "staff" / "render-svg.mjs"


def _base(title: str, description: str, values: Sequence[Mapping[str, Any]], *, height: int | None = None) -> Spec:
    spec: Spec = {
        "$schema": SCHEMA,
        "title": {"text": title, "anchor": "start", "fontSize": 14},
        "description": description,
        "width": "container",
        "data": {"values": [dict(v) for v in values]},
        "config": {"axis": {"labelFontSize": 11, "titleFontSize": 12}, "legend": {"labelFontSize": 11}},
    }
    if height is not None:
        spec["height"] = height
    return spec


def compliance_by_region(rows: Sequence[Mapping[str, Any]], _: Translate) -> Spec:
    """Stacked horizontal bars: per region, lists meeting every rule and lists that do not.

    >>> spec = compliance_by_region([{"region": "Abai", "councils": 3, "compliant": 2}], lambda s: s)
    >>> spec["encoding"]["x"]["title"], len(spec["data"]["values"])
    ('Councils', 2)
    """
    ok, bad = _("Meets every rule"), _("Breaks a rule")
    values = []
    for r in rows:
        values.append({"region": r["region"], "status": ok, "councils": int(r["compliant"])})
        values.append({"region": r["region"], "status": bad, "councils": int(r["councils"]) - int(r["compliant"])})
    spec = _base(_("Compliance of the lists by region"), _("Number of councils per region whose list meets every rule"),
                 values, height=max(120, 18 * len(rows)))
    spec["mark"] = {"type": "bar", "tooltip": True}
    spec["encoding"] = {
        "y": {"field": "region", "type": "nominal", "title": _("Region"), "sort": "ascending"},
        "x": {"field": "councils", "type": "quantitative", "title": _("Councils"), "stack": "zero"},
        "color": {"field": "status", "type": "nominal", "title": _("Status"),
                  "scale": {"domain": [ok, bad], "range": [PALETTE["ok"], PALETTE["bad"]]}},
    }
    return spec


def seats_by_party(mean: Mapping[str, float], labels: Mapping[str, str], _: Translate) -> Spec:
    """Bars: expected seats per party."""
    values = [{"party": labels.get(p, p), "seats": round(v, 2)} for p, v in mean.items()]
    spec = _base(_("Expected seats per party"), _("Mean number of seats per party over the simulated elections"),
                 values, height=180)
    spec["mark"] = {"type": "bar", "tooltip": True, "color": PALETTE["main"]}
    spec["encoding"] = {
        "x": {"field": "party", "type": "nominal", "title": _("Party"), "sort": None, "axis": {"labelAngle": 0}},
        "y": {"field": "seats", "type": "quantitative", "title": _("Expected seats")},
    }
    return spec


def position_chances(positions: Sequence[Mapping[str, Any]], _: Translate) -> Spec:
    """Bars: each list place's chance of election, coloured women / men, youth shown by the bar's outline."""
    woman, man = _("Woman"), _("Man")
    values = [{"place": int(p["place"]), "name": p["name"], "chance": round(100 * float(p["probability"]), 1),
               "sex": woman if p["woman"] else man, "young": _("under 35") if p["young"] else _("35 or older")}
              for p in positions]
    spec = _base(_("Chance of election by list place"), _("Probability that each place on the list wins a seat"),
                 values, height=200)
    spec["mark"] = {"type": "bar", "tooltip": True}
    spec["encoding"] = {
        "x": {"field": "place", "type": "ordinal", "title": _("List place"), "axis": {"labelAngle": 0}},
        "y": {"field": "chance", "type": "quantitative", "title": _("Chance of election (%)"),
              "scale": {"domain": [0, 100]}},
        "color": {"field": "sex", "type": "nominal", "title": _("Sex"),
                  "scale": {"domain": [woman, man], "range": [PALETTE["accent"], PALETTE["main"]]}},
        "tooltip": [{"field": "place", "title": _("List place")}, {"field": "name", "title": _("Candidate")},
                    {"field": "chance", "title": _("Chance of election (%)")}, {"field": "young", "title": _("Age")}],
    }
    return spec


def composition(list_women: float, list_youth: float, deputies_women: float, deputies_youth: float,
                _: Translate) -> Spec:
    """Grouped bars: share of women and of under-35s on the list and among the expected deputies."""
    on_list, elected = _("On the list"), _("Among deputies (expected)")
    values = [
        {"group": _("Women"), "where": on_list, "share": round(100 * list_women, 1)},
        {"group": _("Women"), "where": elected, "share": round(100 * deputies_women, 1)},
        {"group": _("Under 35"), "where": on_list, "share": round(100 * list_youth, 1)},
        {"group": _("Under 35"), "where": elected, "share": round(100 * deputies_youth, 1)},
    ]
    spec = _base(_("Women and youth: list and deputies"), _("Shares of women and of people under 35"), values,
                 height=180)
    spec["mark"] = {"type": "bar", "tooltip": True}
    spec["encoding"] = {
        "x": {"field": "group", "type": "nominal", "title": _("Group"), "axis": {"labelAngle": 0}},
        "xOffset": {"field": "where"},
        "y": {"field": "share", "type": "quantitative", "title": _("Share (%)"), "scale": {"domain": [0, 100]}},
        "color": {"field": "where", "type": "nominal", "title": _("Where"),
                  "scale": {"range": [PALETTE["muted"], PALETTE["main"]]}},
    }
    return spec


def turnout_by_territory(rows: Sequence[Mapping[str, Any]], _: Translate) -> Spec:
    """Horizontal bars: turnout (%) per territory."""
    values = [{"territory": r["name"], "turnout": round(100 * float(r["share"]), 1), "voted": int(r["voted"]),
               "eligible": int(r["eligible"])} for r in rows]
    spec = _base(_("Turnout by territory"), _("Share of members on the roll who voted, by territory of residence"),
                 values, height=max(120, 18 * len(rows)))
    spec["mark"] = {"type": "bar", "tooltip": True, "color": PALETTE["main"]}
    spec["encoding"] = {
        "y": {"field": "territory", "type": "nominal", "title": _("Territory"), "sort": "-x"},
        "x": {"field": "turnout", "type": "quantitative", "title": _("Turnout (%)"), "scale": {"domain": [0, 100]}},
        "tooltip": [{"field": "territory", "title": _("Territory")}, {"field": "turnout", "title": _("Turnout (%)")},
                    {"field": "voted", "title": _("Voted")}, {"field": "eligible", "title": _("On the roll")}],
    }
    return spec


def primary_votes(ranking: Sequence[Mapping[str, Any]], _: Translate, top: int = 30) -> Spec:
    """Horizontal bars: primary votes of the best-placed candidates, elected ones highlighted."""
    yes, no = _("Elected in the primary"), _("Not elected")
    values = [{"name": r["name"], "votes": int(r["votes"] or 0), "status": yes if r["elected"] else no,
               "rank": int(r["rank"])} for r in ranking[:top]]
    spec = _base(_("Primary votes"), _("Votes of the best-placed candidates in the primary"), values,
                 height=max(120, 16 * len(values)))
    spec["mark"] = {"type": "bar", "tooltip": True}
    spec["encoding"] = {
        "y": {"field": "name", "type": "nominal", "title": _("Candidate"), "sort": {"field": "rank"}},
        "x": {"field": "votes", "type": "quantitative", "title": _("Votes")},
        "color": {"field": "status", "type": "nominal", "title": _("Status"),
                  "scale": {"domain": [yes, no], "range": [PALETTE["main"], PALETTE["muted"]]}},
    }
    return spec


def to_json(spec: Spec) -> str:
    """The spec as JSON safe to place inside a ``<script type="application/json">`` element."""
    return json.dumps(spec, ensure_ascii=False).replace("</", "<\\/")


class ChartRenderError(TandauError):
    """Static rendering needs Node.js and the npm packages (``npm ci`` at the repository root)."""


def render_svg(spec: Spec, node_modules: Path | None = None, *, timeout: float = 60.0) -> str:
    """Render a spec to SVG offline with vega's view API in Node (for reports)."""
    node = shutil.which("node")
    modules = node_modules or Path(__file__).resolve().parents[3] / "node_modules"
    if node is None or not (modules / "vega").is_dir() or not (modules / "vega-lite").is_dir():
        raise ChartRenderError(f"static charts need node and vega, vega-lite in {modules} (run npm ci)")
    done = subprocess.run([node, str(RENDERER), str(modules)], input=json.dumps(spec), capture_output=True,
                          text=True, timeout=timeout, check=False)
    if done.returncode != 0:
        raise ChartRenderError(f"vega could not render the chart: {done.stderr.strip()[:300]}")
    return done.stdout
