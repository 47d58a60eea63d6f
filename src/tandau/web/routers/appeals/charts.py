"""The appeals dashboard's chart (Vega-Lite, as :mod:`tandau.web.charts`): the share answered on time by region,
the regions below the target in the muted colour, with volume and satisfaction in the tooltip."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from tandau.services.appeals.read import RegionLine
from tandau.web.charts import PALETTE, Spec, Translate, _base

TARGET = 0.9  # the share answered on time the chart marks as the target


def on_time(lines: Sequence[RegionLine], _: Translate, place: Callable[[str], str]) -> Spec:
    """Horizontal bars: per region, the share of answered appeals answered by their due date."""
    values = [{"region": place(r.region), "share": round(r.on_time_rate or 0.0, 4), "answered": r.answered,
               "total": r.total, "satisfaction": None if r.satisfaction is None else round(r.satisfaction, 2),
               "below": (r.on_time_rate or 0.0) < TARGET} for r in lines if r.answered]
    spec = _base(_("Answered on time, by region"),
                 _("The share of answered appeals answered by their due date; regions below 90% are muted"),
                 values, height=max(120, 18 * len(values)))
    spec["mark"] = {"type": "bar", "tooltip": True}
    spec["encoding"] = {
        "y": {"field": "region", "type": "nominal", "title": _("Region"), "sort": "-x"},
        "x": {"field": "share", "type": "quantitative", "title": _("Answered on time"),
              "axis": {"format": "%"}, "scale": {"domain": [0, 1]}},
        "color": {"field": "below", "type": "nominal", "legend": None,
                  "scale": {"domain": [False, True], "range": [PALETTE["main"], PALETTE["muted"]]}},
        "tooltip": [{"field": "region", "title": _("Region")},
                    {"field": "share", "title": _("Answered on time"), "format": ".1%"},
                    {"field": "answered", "title": _("Answered")}, {"field": "total", "title": _("Appeals")},
                    {"field": "satisfaction", "title": _("Satisfaction")}],
    }
    return spec
