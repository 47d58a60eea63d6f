"""The proposals dashboard's chart (Vega-Lite, as :mod:`tandau.web.charts`): proposals by region, stacked by
age group, the under-35 groups in the party's colour and the older ones muted."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from tandau.services.proposals import rules
from tandau.web.charts import PALETTE, Spec, Translate, _base

AGE_COLOURS = ("#08519c", "#3182bd", "#6baed6", PALETTE["muted"], "#bdbdbd")


def by_region(rows: Sequence[Mapping[str, Any]], _: Translate, label: Callable[[str], str]) -> Spec:
    """Stacked horizontal bars: proposals per region, one segment per age group (``rows``: region, name,
    counts by age group)."""
    values = [{"region": r["name"], "age": _(label(age)), "order": i, "count": int(r["ages"].get(age, 0))}
              for r in rows for i, age in enumerate(rules.AGE_GROUPS)]
    spec = _base(_("Proposals by region and age group"),
                 _("Proposals received (hidden ones left out) per region; the three blue groups are under 35"),
                 values, height=max(120, 18 * len(rows)))
    spec["mark"] = {"type": "bar", "tooltip": True}
    spec["encoding"] = {
        "y": {"field": "region", "type": "nominal", "title": _("Region"), "sort": "-x"},
        "x": {"field": "count", "type": "quantitative", "title": _("Proposals"), "stack": "zero"},
        "color": {"field": "age", "type": "nominal", "title": _("Age group"),
                  "scale": {"domain": [_(label(a)) for a in rules.AGE_GROUPS], "range": list(AGE_COLOURS)}},
        "order": {"field": "order"},
        "tooltip": [{"field": "region", "title": _("Region")}, {"field": "age", "title": _("Age group")},
                    {"field": "count", "title": _("Proposals")}],
    }
    return spec
