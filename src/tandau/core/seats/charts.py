"""Vega-Lite specs for what-if results: plain dicts (no I/O), rendered by the web app with vega-embed.

Three charts, each titled with labelled axes, and :func:`what_if_spec` stacking them in one spec (``vconcat``):
the distribution of seats per party, each list position's chance of election, and the elected composition
(share of women and of young candidates among a party's deputies for every number of seats it may win, with the
30% line of the Law on political parties as amended in 2022 and the chance of winning that many seats).

>>> from tandau.core.seats.simulate import simulate
>>> r = simulate({"A": 0.6, "B": 0.4}, 5, draws=500, seed=1, lists={"A": [{"woman": True}, {"woman": False}]})
>>> spec = what_if_spec(r)
>>> [c["title"]["text"] for c in spec["vconcat"]]
['Seats won: probability per party', 'Chance of election by list position', 'Elected composition by seats won']
"""

from __future__ import annotations

from typing import Any

from tandau.core.seats.simulate import SimulationResult

SCHEMA = "https://vega.github.io/schema/vega-lite/v6.json"
#: the mandate-level quota line (kz-law-2022: at least 30% of a party's mandates)
QUOTA_LINE = 0.3
GROUP_LABELS = {"woman": "women", "young": "under 29"}

Spec = dict[str, Any]


def _title(text: str, subtitle: str) -> dict[str, str]:
    return {"text": text, "subtitle": subtitle}


def _subtitle(result: SimulationResult) -> str:
    return f"{result.draws:,} draws, {result.house} seats, {result.method}, seed {result.seed}"


def seat_distribution_spec(result: SimulationResult) -> Spec:
    """Bars: probability of each seat count, one colour per party (grouped side by side)."""
    rows = [{"party": p, "seats": k, "probability": x}
            for p, pmf in zip(result.parties, result.seats_pmf, strict=True) for k, x in enumerate(pmf) if x > 0]
    return {
        "title": _title("Seats won: probability per party", _subtitle(result)),
        "data": {"values": rows},
        "mark": {"type": "bar", "tooltip": True},
        "encoding": {
            "x": {"field": "seats", "type": "ordinal", "title": "Seats won"},
            "xOffset": {"field": "party", "type": "nominal"},
            "y": {"field": "probability", "type": "quantitative", "title": "Probability",
                  "axis": {"format": ".0%"}},
            "color": {"field": "party", "type": "nominal", "title": "Party", "sort": list(result.parties)},
        },
        "width": 560,
        "height": 240,
    }


def position_chance_spec(result: SimulationResult) -> Spec:
    """Lines with points: chance that list position ``j`` is elected (the party wins at least ``j`` seats)."""
    rows = [{"party": p, "position": j + 1, "chance": x} for p, probs in result.position_probability
            for j, x in enumerate(probs)]
    return {
        "title": _title("Chance of election by list position", "position j is elected when the list wins j seats "
                        "or more (before any mandate-level correction)"),
        "data": {"values": rows},
        "mark": {"type": "line", "point": True, "tooltip": True},
        "encoding": {
            "x": {"field": "position", "type": "ordinal", "title": "Position on the list"},
            "y": {"field": "chance", "type": "quantitative", "title": "Chance of election",
                  "scale": {"domain": [0, 1]}, "axis": {"format": ".0%"}},
            "color": {"field": "party", "type": "nominal", "title": "Party"},
        },
        "width": 560,
        "height": 240,
    }


def composition_spec(result: SimulationResult, quota: float = QUOTA_LINE) -> Spec:
    """Share of each group among a party's deputies for every seat count, point size = chance of that count.

    The horizontal rule marks ``quota`` (30%); the subtitle gives the expected shares over the simulation.
    """
    pmf = dict(zip(result.parties, result.seats_pmf, strict=True))
    rows: list[dict[str, object]] = []
    for party, by_group in result.composition_by_seats:
        for group, shares in by_group:
            for s, share in enumerate(shares, start=1):
                chance = pmf[party][s] if s < len(pmf[party]) else 0.0
                if chance > 0:
                    rows.append({"party": party, "group": GROUP_LABELS.get(group, group), "seats": s,
                                 "share": share, "chance": chance})
    expected = "; ".join(f"{p}: " + ", ".join(f"{GROUP_LABELS.get(k, k)} {v:.0%}" for k, v in comp)
                         for p, comp in result.composition)
    layer: list[Spec] = [
        {"mark": {"type": "line", "point": False, "opacity": 0.5},
         "encoding": {"x": {"field": "seats", "type": "quantitative", "title": "Seats won by the list",
                            "axis": {"tickMinStep": 1}},
                      "y": {"field": "share", "type": "quantitative", "title": "Share among its deputies",
                            "scale": {"domain": [0, 1]}, "axis": {"format": ".0%"}},
                      "color": {"field": "party", "type": "nominal", "title": "Party"},
                      "strokeDash": {"field": "group", "type": "nominal", "title": "Group"}}},
        {"mark": {"type": "point", "filled": True, "tooltip": True},
         "encoding": {"x": {"field": "seats", "type": "quantitative"},
                      "y": {"field": "share", "type": "quantitative"},
                      "color": {"field": "party", "type": "nominal"},
                      "shape": {"field": "group", "type": "nominal", "title": "Group"},
                      "size": {"field": "chance", "type": "quantitative", "title": "Chance of this many seats",
                               "legend": {"format": ".0%"}}}},
        {"data": {"values": [{"quota": quota}]},
         "mark": {"type": "rule", "color": "firebrick", "strokeDash": [4, 4]},
         "encoding": {"y": {"field": "quota", "type": "quantitative"}}},
        {"data": {"values": [{"quota": quota, "label": f"{quota:.0%} of mandates"}]},
         "mark": {"type": "text", "align": "left", "dx": 4, "dy": -6, "color": "firebrick"},
         "encoding": {"y": {"field": "quota", "type": "quantitative"}, "x": {"value": 0},
                      "text": {"field": "label"}}},
    ]
    return {
        "title": _title("Elected composition by seats won", f"expected shares: {expected}" if expected
                        else "no lists given"),
        "data": {"values": rows},
        "layer": layer,
        "width": 560,
        "height": 240,
    }


def what_if_spec(result: SimulationResult) -> Spec:
    """One Vega-Lite spec: the seat distribution, and with lists the position chances and the composition."""
    charts = [seat_distribution_spec(result)]
    if result.position_probability:
        charts.append(position_chance_spec(result))
    if result.composition_by_seats:
        charts.append(composition_spec(result))
    return {"$schema": SCHEMA, "description": "tandau seats simulate: what-if charts", "vconcat": charts,
            "resolve": {"scale": {"color": "independent"}}}
