"""A commitment becomes a control target in one action (issue 13, item 1; the control module of issue 12).

The commitment's target is :func:`tandau.core.programmes.commitment_target` (the series programme × indicator ×
region: the council's id, the indicator, the region; docs/programmes.md), written as a TARGETS.csv (read back
with the control module's reader) into a temporary folder and imported through
:func:`tandau.services.control.data.import_control`: append-only, atomic, audited as ``control.import``, with
``programme.to_control`` in the same transaction. Only the central office imports control data
(``CONTROL_IMPORT``), so the action is theirs; the programme must be approved or published.
"""

from __future__ import annotations

import tempfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from tandau.core.control.programmes.model import Target
from tandau.core.programmes import commitment_target
from tandau.io.programme_csv import targets_csv
from tandau.services.control.data import ImportSummary, import_control
from tandau.services.primaries import audit
from tandau.services.primaries.access import Action, Actor, require
from tandau.services.primaries.errors import NotFoundError, StateError
from tandau.services.programmes.records import commitment_of
from tandau.services.programmes.workflow import current, get, records_of
from tandau.store.control_models import ControlTargetRow

READY = ("approved", "published")


@dataclass(frozen=True, slots=True)
class ControlTarget:
    """What the action made: the target and the import that stored it (``added`` 0: already stored)."""

    target: Target
    summary: ImportSummary


def target_series(session: Session) -> dict[tuple[str, str], tuple[str, str, str]]:
    """The control series made from programme commitments: (commitment id, territory) -> (programme, indicator,
    region), read from the stored targets whose source names the commitment and its territory (``election
    programme M-5910, commitment D-1, territory 591000000``): the one record of which commitment became which
    series (the deputies' pages and scorecards read it too)."""
    rows = session.execute(select(ControlTargetRow.source, ControlTargetRow.programme, ControlTargetRow.indicator,
                                  ControlTargetRow.region).where(ControlTargetRow.source.like("election programme %"))
                           .order_by(ControlTargetRow.id))
    out: dict[tuple[str, str], tuple[str, str, str]] = {}
    for source, programme, indicator, region in rows:
        parts = source.split(", ")
        if len(parts) >= 3:
            out[(parts[1].removeprefix("commitment "), parts[2].removeprefix("territory "))] = (
                programme, indicator, region)
    return out


def made_targets(session: Session, records: Sequence[Mapping[str, Any]]) -> frozenset[str]:
    """The ids of the commitments (of ``records``) that are already control targets (see :func:`target_series`)."""
    named = target_series(session)
    return frozenset(str(r["commitment"]) for r in records
                     if (str(r["commitment"]), str(r.get("territory") or "")) in named)


def to_control(session: Session, actor: Actor, programme_id: str, commitment: str, *,
               now: datetime | None = None) -> ControlTarget:
    """Make the commitment a control target (see the module's docstring)."""
    target, summary = to_control_many(session, actor, [(programme_id, commitment)], now=now)
    return ControlTarget(target[0], summary)


def to_control_many(session: Session, actor: Actor, commitments: Sequence[tuple[str, str]], *,
                    now: datetime | None = None) -> tuple[list[Target], ImportSummary]:
    """Make several commitments (programme id, commitment id) control targets in one import (the demo's many
    programmes), each audited as ``programme.to_control``; all or nothing, as :func:`to_control`."""
    require(actor, Action.CONTROL_IMPORT, None)
    moment = (now or datetime.now(UTC)).astimezone(UTC)
    targets: list[Target] = []
    for programme_id, commitment in commitments:
        row = get(session, programme_id)
        if row.status not in READY:
            raise StateError(f"programme {row.id} is {row.status}: only an approved or published programme's "
                             "commitments become control targets")
        record = next((r for r in records_of(current(session, row)) if r["commitment"] == commitment), None)
        if record is None:
            raise NotFoundError("commitment", commitment)
        target = commitment_target(commitment_of(record))
        targets.append(target)
        audit.append(session, actor=actor.subject_id, action="programme.to_control", target=row.id, now=moment,
                     details={"version": row.version, "commitment": commitment, "series": list(target.key)})
    text = targets_csv(targets)
    first = commitments[0] if commitments else ("none", "none")
    with tempfile.TemporaryDirectory(prefix="tandau-to-control-") as folder:
        path = Path(folder) / f"TARGETS-{first[0]}-{first[1]}.csv"[:200]
        path.write_text(text, encoding="utf-8")
        summary = import_control(session, actor, targets=path, now=moment)
    return targets, summary
