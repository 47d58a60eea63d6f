"""The JSON shapes of the control board and a region's page, one for the CLI (``tandau control board``) and the
API (``/api/v1/control/board``, ``/api/v1/control/regions/{region}``).

Assessments and flags keep the shape of ``tandau control assess`` (:meth:`Assessment.to_json`,
:meth:`Flag.to_json`); numbers are exact decimals printed as JSON numbers.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

from tandau.core.control.programmes import Report, Target
from tandau.core.control.programmes.assess import number
from tandau.services.control.board import ControlBoard, RegionView
from tandau.services.control.procurement import Process, RegionProcurement


def _money(value: Any) -> int | float | None:
    return None if value is None else number(value)


def target_json(t: Target) -> dict[str, Any]:
    """A target version as in TARGETS.csv."""
    return {"programme": t.programme, "indicator": t.indicator, "region": t.region, "unit": t.unit, "kind": t.kind,
            "direction": t.direction, "baseline": number(t.baseline), "baseline_date": t.baseline_date.isoformat(),
            "target": number(t.target), "deadline": t.deadline.isoformat(), "budget_kzt": _money(t.budget_kzt),
            "source": t.source, "frequency": t.frequency,
            "revised_at": None if t.revised_at is None else t.revised_at.isoformat(), "start": t.start.isoformat()}


def report_json(r: Report) -> dict[str, Any]:
    """A report row as in REPORTS.csv."""
    return {"period_end": r.period_end.isoformat(), "actual": number(r.actual),
            "allocated_kzt": _money(r.allocated_kzt), "adjusted_kzt": _money(r.adjusted_kzt),
            "contracted_kzt": _money(r.contracted_kzt), "paid_kzt": _money(r.paid_kzt),
            "reported_at": None if r.reported_at is None else r.reported_at.isoformat()}


def board_json(board: ControlBoard) -> dict[str, Any]:
    """The board: programmes, rows of cells, the regions' ranks, the flags' count and the overdue cases."""
    return {
        "as_of": board.as_of.isoformat(),
        "programmes": list(board.programmes),
        "rows": [{"region": row.region,
                  "rank": None if row.rank is None else row.rank.rank,
                  "mean_p": None if row.rank is None else round(row.rank.mean_p, 4),
                  "cells": [{"programme": c.programme, "status": c.status, "series": c.series, "flags": c.flags}
                            for c in row.cells]} for row in board.rows],
        "flags": [f.to_json() for f in board.flags],
        "overdue_cases": board.overdue_cases,
    }


def _process(p: Process) -> dict[str, Any]:
    return {"ocid": p.ocid, "buyer_id": p.buyer_id, "buyer_name": p.buyer_name, "region": p.region,
            "title": p.title, "amount": p.amount, "currency": p.currency, "programme": p.programme or None,
            "indicator": p.indicator or None}


def _meta(meta: Mapping[str, Mapping[str, float]]) -> dict[str, dict[str, float | None]]:
    return {code: {k: (None if isinstance(v, float) and math.isnan(v) else round(v, 4)) for k, v in values.items()}
            for code, values in meta.items()}


def procurement_json(p: RegionProcurement) -> dict[str, Any]:
    """A region's procurement flags with the processes they concern and Cardinal's fences."""
    return {"processes": p.processes,
            "findings": [{"code": f.code, "group": f.group, "id": f.id, "value": round(f.value, 4),
                          "processes": [_process(x) for x in f.processes]} for f in p.findings],
            "meta": _meta(p.meta)}


def region_json(view: RegionView, procurement: RegionProcurement | None) -> dict[str, Any]:
    """A region's page: every series with its target, reports, assessment and flags; its procurement flags."""
    return {
        "region": view.region,
        "as_of": view.as_of.isoformat(),
        "series": [{"target": target_json(s.target), "reports": [report_json(r) for r in s.reports],
                    "assessment": s.assessment.to_json(), "flags": [f.to_json() for f in s.flags]}
                   for s in view.series],
        "procurement": None if procurement is None else procurement_json(procurement),
    }
