"""The chart of one programme series for the control pages: actuals, the required trajectory and the forecast.

Built as :mod:`tandau.web.charts` builds its charts (a Vega-Lite v6 spec, data inline, every axis and legend titled
in the page's language, a table of the same numbers beside it): one dataset whose rows carry a translated
``series`` label, and one layer per series filtered on it, so that a single colour legend names them all.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from decimal import Decimal
from fractions import Fraction
from typing import Any, NamedTuple

from babel.numbers import get_decimal_symbol, get_group_symbol

from tandau.io.control_text import unit_name
from tandau.web.charts import PALETTE, Spec, _base
from tandau.web.i18n import Translate

__all__ = ["TrajectoryRow", "number_locale", "required_value", "table_rows", "trajectory"]

Number = float | int | Decimal | Fraction
Day = date | str
Point = tuple[Day, Number]


class TrajectoryRow(NamedTuple):
    """One row of the table beside the chart: a date, the value reported then (if any), the required value."""

    date: date
    actual: float | None
    required: float


def _day(value: Day) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    return date.fromisoformat(value[:10])


def _num(value: Number) -> float:
    return round(float(value), 6)


def required_value(day: Day, baseline: Number, baseline_date: Day, target: Number, deadline: Day) -> float:
    """The straight line from (baseline_date, baseline) to (deadline, target) at ``day``, flat outside it.

    >>> required_value("2021-07-02", 0, "2021-01-01", 365, "2022-01-01"), required_value("2023-01-01", 0,
    ...     "2021-01-01", 365, "2022-01-01")
    (182.0, 365.0)
    """
    start, end = _day(baseline_date), _day(deadline)
    span = (end - start).days
    if span <= 0:
        return _num(target)
    elapsed = min(max((_day(day) - start).days, 0), span)
    return _num(Fraction(str(baseline)) + (Fraction(str(target)) - Fraction(str(baseline))) * Fraction(elapsed, span))


def table_rows(points: Sequence[Point], *, baseline: Number, baseline_date: Day, target: Number,
               deadline: Day) -> list[TrajectoryRow]:
    """The numbers of the chart as rows by date: the baseline, every report, the deadline (a report on the same
    date as the baseline or the deadline shares its row).

    >>> for row in table_rows([("2021-07-02", 150)], baseline=0, baseline_date="2021-01-01", target=365,
    ...                       deadline="2022-01-01"):
    ...     print(row.date, row.actual, row.required)
    2021-01-01 None 0.0
    2021-07-02 150.0 182.0
    2022-01-01 None 365.0
    """
    actual = {_day(d): _num(v) for d, v in points}
    days = sorted({_day(baseline_date), _day(deadline), *actual})
    return [TrajectoryRow(d, actual.get(d), required_value(d, baseline, baseline_date, target, deadline))
            for d in days]


def trajectory(points: Sequence[Point], *, baseline: Number, baseline_date: Day, target: Number, deadline: Day,
               forecast: Number | None, forecast_low: Number | None, forecast_high: Number | None,
               as_of: Day | None, unit: str, title: str, _: Translate, lang: str | None = None) -> Spec:
    """Layers over a temporal x axis: the actuals (line with points), the required trajectory (dashed straight
    line baseline → target), the 80% forecast interval (an area from the latest actual, zero wide there, to
    [forecast_low, forecast_high] at the deadline) and the forecast median (dashed), the target at the deadline
    (a point) and the as-of date (a vertical rule). Without a forecast (``None``) there is no band or median.
    With ``lang``, numbers on the axis and in tooltips use that language's decimal and group separators (without
    it, vega's: 1,200.5); dates are numeric (09.2021) in every language.

    >>> spec = trajectory([("2021-06-30", 95), ("2021-09-30", 200)], baseline=0, baseline_date="2020-12-31",
    ...                   target=1200, deadline="2022-12-31", forecast=459.4, forecast_low=299.4,
    ...                   forecast_high=619.3, as_of="2021-10-15", unit="flats", title="Flats built",
    ...                   _=lambda s, **v: s % v if v else s)
    >>> [layer["mark"]["type"] for layer in spec["layer"]]
    ['line', 'line', 'area', 'line', 'point', 'rule']
    >>> spec["encoding"]["x"]["title"], spec["layer"][0]["encoding"]["y"]["title"], spec["layer"][2]["transform"]
    ('Date', 'Value, flats', [{'filter': {'field': 'series', 'equal': 'Forecast interval (80%)'}}])
    """
    actual, required = _("Actual"), _("Required trajectory")
    median, band, goal = _("Forecast (median)"), _("Forecast interval (80%)"), _("Target")
    value_title = _("Value, %(unit)s", unit=unit_name(unit, _))
    reports = sorted((_day(d), _num(v)) for d, v in points)
    start, end = _day(baseline_date), _day(deadline)
    last_day, last_value = reports[-1] if reports else (start, _num(baseline))

    values: list[dict[str, Any]] = [{"series": actual, "date": d.isoformat(), "value": v} for d, v in reports]
    values += [{"series": required, "date": start.isoformat(), "value": _num(baseline)},
               {"series": required, "date": end.isoformat(), "value": _num(target)},
               {"series": goal, "date": end.isoformat(), "value": _num(target)}]
    domain, colours = [actual, required, goal], [PALETTE["main"], PALETTE["muted"], PALETTE["ok"]]
    has_band = forecast_low is not None and forecast_high is not None
    if forecast_low is not None and forecast_high is not None:
        values += [{"series": band, "date": last_day.isoformat(), "low": last_value, "high": last_value},
                   {"series": band, "date": end.isoformat(), "low": _num(forecast_low), "high": _num(forecast_high)}]
        domain.append(band)
        colours.append(PALETTE["accent"])
    if forecast is not None:
        values += [{"series": median, "date": last_day.isoformat(), "value": last_value},
                   {"series": median, "date": end.isoformat(), "value": _num(forecast)}]
        domain.append(median)
        colours.append(PALETTE["accent"])

    spec = _base(title, _("Reported values, the trajectory required to reach the target by the deadline and the "
                          "forecast at the deadline"), values, height=260)
    # dates as numbers (01.2021), the same on a Kazakh, Russian or English page
    day_tip = {"field": "date", "type": "temporal", "title": _("Date"), "format": "%d.%m.%Y"}
    value_field = {"field": "value", "type": "quantitative", "title": value_title}
    series_field = {"field": "series", "type": "nominal", "title": _("Series")}
    colour = {**series_field, "scale": {"domain": domain, "range": colours}, "legend": {"labelLimit": 320}}
    spec["encoding"] = {"x": {"field": "date", "type": "temporal", "title": _("Date"), "axis": {"format": "%m.%Y"}}}

    def layer(series: str, mark: dict[str, Any], **encoding: Any) -> dict[str, Any]:
        return {"transform": [{"filter": {"field": "series", "equal": series}}],
                "mark": {"tooltip": True, **mark},
                "encoding": {"y": {**value_field, "scale": {"zero": False}}, "color": colour,
                             "tooltip": [day_tip, value_field, series_field], **encoding}}

    # a series with no report yet draws no actuals layer: Vega's empty symbol container is an image without a name
    # (axe: svg-img-alt), and there is nothing to show
    layers = [layer(actual, {"type": "line", "point": True})] if reports else []
    layers.append(layer(required, {"type": "line", "strokeDash": [6, 4]}))
    if has_band:
        layers.append(layer(band, {"type": "area", "opacity": 0.25},
                            y={**value_field, "field": "low", "scale": {"zero": False}}, y2={"field": "high"},
                            tooltip=[day_tip, {"field": "low", "type": "quantitative", "title": _("Lower bound")},
                                     {"field": "high", "type": "quantitative", "title": _("Upper bound")},
                                     series_field]))
    if forecast is not None:
        layers.append(layer(median, {"type": "line", "strokeDash": [2, 3]}))
    layers.append(layer(goal, {"type": "point", "shape": "diamond", "size": 90, "filled": True}))
    if as_of is not None:
        layers.append({
            "data": {"values": [{"date": _day(as_of).isoformat()}]},
            "mark": {"type": "rule", "strokeDash": [1, 2], "color": PALETTE["bad"], "tooltip": True},
            "encoding": {"tooltip": [{**day_tip, "title": _("As-of date")}]},
        })
    spec["layer"] = layers
    if lang is not None:
        spec["config"]["locale"] = {"number": number_locale(lang)}
    return spec


def number_locale(lang: str) -> dict[str, Any]:
    """A d3-format locale (Vega-Lite's ``config.locale.number``) with the language's separators (CLDR).

    >>> number_locale("ru")["decimal"], number_locale("en")["thousands"]
    (',', ',')
    """
    return {"decimal": get_decimal_symbol(lang), "thousands": get_group_symbol(lang), "grouping": [3],
            "currency": ["", "\u00a0₸"]}
