"""Vega-Lite spec for a mixed council's what-if (plain dicts, no I/O), in the style of :mod:`tandau.core.seats.charts`.

Two charts stacked (``vconcat``): each district candidate's chance of winning (one bar per candidate, grouped by
district, coloured by party) and the probability of each number of deputies per party (list + districts).

>>> from tandau.core.seats.mixed_sim import DistrictEstimate, simulate_council
>>> from tandau.core.systems import CouncilSeats, District, get_system
>>> c = CouncilSeats("C", "regional", 1, 0, (District("C-D01", "C", 1),))
>>> r = simulate_council(c, get_system("kz-2023").level("regional"), {}, [DistrictEstimate("1", "A", 0.6),
...                      DistrictEstimate("1", "B", 0.4)], draws=200)
>>> [v["title"]["text"] for v in council_what_if_spec(r)["vconcat"]]
['Chance of winning each district', 'Deputies: probability per party (list + districts)']
"""

from __future__ import annotations

from typing import Any

from tandau.core.seats.charts import SCHEMA
from tandau.core.seats.mixed_sim import MixedSimulation

Spec = dict[str, Any]


def _subtitle(r: MixedSimulation) -> str:
    return (f"council {r.council_id}: {r.list_seats} list seats + {r.seats - r.list_seats} districts; "
            f"{r.draws:,} draws, seed {r.seed}, district sigma {r.sigma:g}, swing {r.swing:g}")


def district_chance_spec(r: MixedSimulation, party: str | None = None) -> Spec:
    """Bars: each candidate's chance of winning their district (only ``party``'s nominees when given)."""
    rows = [{"district": c.district, "party": c.party, "candidate": c.name or c.id or c.party, "chance": c.chance}
            for c in r.chances if party is None or c.party == party]
    return {
        "title": {"text": "Chance of winning each district", "subtitle": _subtitle(r)},
        "data": {"values": rows},
        "mark": {"type": "bar", "tooltip": True},
        "encoding": {
            "x": {"field": "district", "type": "ordinal", "title": "District"},
            "xOffset": {"field": "party", "type": "nominal"},
            "y": {"field": "chance", "type": "quantitative", "title": "Chance of winning", "axis": {"format": ".0%"},
                  "scale": {"domain": [0, 1]}},
            "color": {"field": "party", "type": "nominal", "title": "Party"},
        },
        "width": 560, "height": 220,
    }


def deputies_spec(r: MixedSimulation) -> Spec:
    """Bars: probability of each number of deputies (list + districts) per party."""
    rows = [{"party": p, "deputies": k, "probability": x}
            for p, pmf in zip(r.parties, r.deputies_pmf, strict=True) for k, x in enumerate(pmf) if x > 0]
    return {
        "title": {"text": "Deputies: probability per party (list + districts)", "subtitle": _subtitle(r)},
        "data": {"values": rows},
        "mark": {"type": "bar", "tooltip": True},
        "encoding": {
            "x": {"field": "deputies", "type": "ordinal", "title": "Deputies (list + districts)"},
            "xOffset": {"field": "party", "type": "nominal"},
            "y": {"field": "probability", "type": "quantitative", "title": "Probability", "axis": {"format": ".0%"}},
            "color": {"field": "party", "type": "nominal", "title": "Party", "sort": list(r.parties)},
        },
        "width": 560, "height": 220,
    }


def council_what_if_spec(r: MixedSimulation, party: str | None = None) -> Spec:
    """Both charts in one Vega-Lite v6 spec."""
    return {"$schema": SCHEMA, "vconcat": [district_chance_spec(r, party), deputies_spec(r)]}
