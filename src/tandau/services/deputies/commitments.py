"""The programme commitments a deputy answers for (issue 14, item 2: a deputy's page lists "the programme
commitments and control cases they own"; item 4: "commitments delivered on time (from control)").

One source of truth for both: a commitment of a council's programme (its current version) names its responsible
deputies (``deputies``, checked against the faction by :mod:`tandau.services.programmes.responsible`); a
commitment made a control target is the series recorded by
:func:`tandau.services.programmes.to_control.target_series`; where it stands is the control board's assessment of
that series on the day asked (``on_track``, ``at_risk``, ``off_track``, ``achieved``). A commitment not (yet) made a
control target has no status and does not count in the scorecard (docs/scorecards.md).
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from tandau.errors import TandauError
from tandau.services.primaries.access import Actor
from tandau.services.programmes.to_control import target_series
from tandau.store.programme_models import ProgrammeRow, ProgrammeVersion

SeriesKey = tuple[str, str, str]


@dataclass(frozen=True, slots=True)
class DeputyCommitment:
    """A commitment a deputy answers for: its programme, the stored record, its control series (``None``: not a
    control target) and the board's status of the series (``None``: no target, or not assessed on that day)."""

    programme_id: str
    programme_status: str
    commitment: str
    record: Mapping[str, Any]
    series: SeriesKey | None
    status: str | None

    @property
    def deadline(self) -> date | None:
        """The commitment's deadline (``None`` if it has none)."""
        text = self.record.get("deadline")
        return date.fromisoformat(str(text)) if text else None


def named(session: Session, councils: Collection[str] | None = None
          ) -> dict[str, list[tuple[ProgrammeRow, dict[str, Any]]]]:
    """Deputy id -> the (programme, commitment record) pairs of the current versions of the councils' programmes
    (``councils``: only these councils' programmes) that name them."""
    query = (select(ProgrammeRow, ProgrammeVersion.commitments)
             .join(ProgrammeVersion, (ProgrammeVersion.programme_id == ProgrammeRow.id)
                   & (ProgrammeVersion.number == ProgrammeRow.version))
             .where(ProgrammeRow.kind == "council").order_by(ProgrammeRow.cycle_id, ProgrammeRow.id))
    if councils is not None:
        query = query.where(ProgrammeRow.owner.in_(sorted(councils)))
    out: dict[str, list[tuple[ProgrammeRow, dict[str, Any]]]] = defaultdict(list)
    for row, text in session.execute(query):
        for record in json.loads(text):
            for deputy in record.get("deputies") or ():
                out[str(deputy)].append((row, record))
    return out


def series_by_deputy(session: Session, councils: Collection[str] | None = None) -> dict[str, frozenset[SeriesKey]]:
    """Deputy id -> the control series of the commitments they answer for (those made control targets); with
    ``councils``, of those councils' programmes only."""
    series = target_series(session)
    out: dict[str, frozenset[SeriesKey]] = {}
    for deputy, pairs in named(session, councils).items():
        keys = {series[key] for _, r in pairs if (key := (str(r["commitment"]), str(r.get("territory") or "")))
                in series}
        if keys:
            out[deputy] = frozenset(keys)
    return out


def board_statuses(session: Session, as_of: date) -> dict[SeriesKey, str]:
    """The control board's status of every assessed series on ``as_of`` (read as the system: only statuses leave
    this function; the reader was authorised by the page that asks)."""
    from tandau.services.control.board import control_board

    try:
        board = control_board(session, Actor.central("system:deputies"), as_of)
    except TandauError:
        return {}
    return {(a.programme, a.indicator, a.region): str(a.status) for a in board.assessments}


def of_deputy(session: Session, deputy_id: str, council_id: str, as_of: date) -> tuple[DeputyCommitment, ...]:
    """The commitments of the council's programmes that name the deputy, with their control status on
    ``as_of``."""
    pairs = named(session, [council_id]).get(deputy_id, [])
    if not pairs:
        return ()
    series = target_series(session)
    keys = [series.get((str(r["commitment"]), str(r.get("territory") or ""))) for _, r in pairs]
    statuses = board_statuses(session, as_of) if any(keys) else {}
    return tuple(DeputyCommitment(row.id, row.status, str(r["commitment"]), r, key,
                                  statuses.get(key) if key else None)
                 for (row, r), key in zip(pairs, keys, strict=True))
