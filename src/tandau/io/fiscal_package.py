"""Budget execution from a Fiscal Data Package (frictionless ``datapackage.json`` + CSV; docs/control.md).

The package's ``model`` says which column is what. Measures: each with ``source`` (its column), optional
``currency`` (must be KZT when given), ``factor`` (multiplies) and ``phase`` (``approved``, ``adjusted`` or
``executed``; ``proposed`` is ignored) — or one measure and a ``phase`` dimension whose column holds the phase.
Dimensions, each read from its ``primaryKey`` attribute's ``source`` column: ``programme``; ``region`` (or the
dimension of ``dimensionType`` ``location``: KZ or a 9-digit KATO code); ``date`` (or ``dimensionType``
``datetime``: ``YYYY-MM-DD``, ``YYYY-MM`` = the month's end, ``YYYY`` = 31 December); ``indicator`` optional.
The first resource with a CSV ``path`` is read (relative to the descriptor). Amounts are flows of their date,
accumulated into the reports' cumulative money columns (:mod:`tandau.core.control.programmes.budget`). Errors
name the file, row and column.
"""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any, cast

from tandau.core.control.programmes.budget import PHASES, BudgetRow, Phase
from tandau.core.control.programmes.model import NATIONAL
from tandau.errors import InputError
from tandau.io.control_csv import region_codes
from tandau.services.primaries._tabular import read_table, text_of


def _source(model: dict[str, Any], name: str, kind: str | None, file: str) -> str | None:
    dimensions = model.get("dimensions") or {}
    dim = dimensions.get(name)
    if dim is None and kind is not None:
        dim = next((d for d in dimensions.values() if isinstance(d, dict) and d.get("dimensionType") == kind), None)
    if dim is None:
        return None
    attributes = dim.get("attributes") or {}
    key = dim.get("primaryKey") or next(iter(attributes), None)
    if isinstance(key, list):
        key = key[0] if key else None
    source = (attributes.get(key) or {}).get("source") if key is not None else None
    if not isinstance(source, str):
        raise InputError(f"dimension {name!r} names no source column", file=file, parameter=f"model.dimensions.{name}")
    return source.lower()


def _period(text: str) -> date:
    parts = text.split("-")
    if len(parts) == 1:
        return date(int(parts[0]), 12, 31)
    if len(parts) == 2:
        year, month = int(parts[0]), int(parts[1])
        return date.fromordinal(date(year + month // 12, month % 12 + 1, 1).toordinal() - 1)
    return date.fromisoformat(text)


def csv_path(meta: object) -> str | None:
    """The path of the package's first CSV resource, relative to its ``datapackage.json`` (None without one).

    >>> csv_path({"resources": [{"path": "notes.txt"}, {"path": "data/budget.csv"}]}), csv_path([])
    ('data/budget.csv', None)
    """
    resources = meta.get("resources") if isinstance(meta, dict) else None
    found = next((r for r in resources or [] if isinstance(r, dict) and
                  str(r.get("path", "")).lower().endswith(".csv")), None)
    return None if found is None else str(found["path"])


def read_fiscal_package(descriptor: Path) -> list[BudgetRow]:
    """The package's amounts by programme, indicator (or None), region, date and phase, in KZT."""
    file = str(descriptor)
    try:
        meta = json.loads(descriptor.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise InputError("file not found", file=file) from None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise InputError(f"not a readable datapackage.json ({exc.__class__.__name__})", file=file) from None
    model = meta.get("model") if isinstance(meta, dict) else None
    if not isinstance(model, dict):
        raise InputError("no 'model': not a Fiscal Data Package", file=file, parameter="model")
    resource = csv_path(meta)
    if resource is None:
        raise InputError("no resource with a CSV path", file=file, parameter="resources")
    measures: list[tuple[str, Decimal, Phase | None]] = []
    for name, m in (model.get("measures") or {}).items():
        where = f"model.measures.{name}"
        if not isinstance(m, dict) or not isinstance(m.get("source"), str):
            raise InputError("a measure needs a source column", file=file, parameter=where)
        currency = m.get("currency")
        if currency is not None and str(currency).upper() != "KZT":
            raise InputError(f"currency {currency!r}; amounts must be in KZT", file=file, parameter=where)
        phase = m.get("phase")
        if phase == "proposed":
            continue
        if phase is not None and phase not in PHASES:
            raise InputError(f"phase {phase!r}; expected one of {', '.join(PHASES)}", file=file, parameter=where)
        measures.append((m["source"].lower(), Decimal(str(m.get("factor", 1))), cast(Phase | None, phase)))
    programme = _source(model, "programme", None, file)
    region = _source(model, "region", "location", file)
    day = _source(model, "date", "datetime", file)
    indicator = _source(model, "indicator", None, file)
    phase_column = _source(model, "phase", None, file)
    for needed, column in (("programme", programme), ("region", region), ("date", day)):
        if column is None:
            raise InputError(f"the model has no {needed} dimension", file=file, parameter="model.dimensions")
    if not measures or (phase_column is None and any(p is None for _, _, p in measures)):
        raise InputError("every measure needs a phase (or the model a phase dimension)", file=file,
                         parameter="model.measures")
    required = [c for c in (programme, region, day, indicator, phase_column) if c is not None]
    table = read_table(descriptor.parent / resource, [*required, *(m[0] for m in measures)])
    out: list[BudgetRow] = []
    for number, cells in table.rows:
        def err(column: str, problem: str, number: int = number) -> InputError:
            return InputError(problem, file=table.file, row=number, column=column)

        prog = text_of(cells.get(cast(str, programme)))
        reg = text_of(cells.get(cast(str, region)))
        reg = NATIONAL if reg.upper() == NATIONAL else reg
        if reg not in region_codes():
            raise err(cast(str, region), f"unknown region {reg!r}: expected KZ or a region's 9-digit KATO code")
        try:
            when = _period(text_of(cells.get(cast(str, day))))
        except ValueError:
            raise err(cast(str, day), "expected YYYY-MM-DD, YYYY-MM or YYYY") from None
        ind = text_of(cells.get(indicator)) or None if indicator is not None else None
        row_phase: str | None = None
        if phase_column is not None:
            row_phase = text_of(cells.get(phase_column)).lower()
            if row_phase == "proposed":
                continue
            if row_phase not in PHASES:
                raise err(phase_column, f"phase {row_phase!r}; expected one of {', '.join(PHASES)}")
        for column, factor, phase in measures:
            text = text_of(cells.get(column))
            if not text:
                continue
            try:
                amount = Decimal(text) * factor
            except InvalidOperation:
                raise err(column, f"expected a number, got {text!r}") from None
            out.append(BudgetRow(prog, ind, reg, when, cast(Phase, phase or row_phase), amount))
    return out
