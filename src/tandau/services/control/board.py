"""The control board and a region's page from the stored data (issue 12, item 7): the follow-up of every series
at an as-of date, scoped to the territories the viewer may see.

The national assessment (every series, every flag) is computed once per stored data version, as-of date and
flag settings and kept in this process (a small LRU): the board, the region pages and the API read the same
result. A viewer sees the regions :data:`Action.CONTROL_VIEW` covers for them; the national series (``KZ``) only
when they see everywhere.
"""

from __future__ import annotations

from collections import Counter, OrderedDict, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from threading import Lock

from sqlalchemy.orm import Session

from tandau.core.control.programmes import (
    NATIONAL,
    Assessment,
    Board,
    Flag,
    FlagSettings,
    RegionRank,
    Report,
    SeriesKey,
    Target,
    assess_board,
    roll_up,
)
from tandau.errors import UnknownIdError
from tandau.services.control.cases import overdue_count
from tandau.services.control.data import data_version, db_key, load_reports, load_targets
from tandau.services.primaries.access import Action, Actor, require, territories
from tandau.services.primaries.errors import PermissionDeniedError
from tandau.services.primaries.kato import covers

_Key = tuple[str, tuple[int, int], date, tuple[object, ...]]  # database, data version, as-of date, flag settings
_CACHE: OrderedDict[_Key, tuple[Board, dict[SeriesKey, tuple[Report, ...]], dict[SeriesKey, Target]]] = OrderedDict()
_CACHE_SIZE = 8
_LOCK = Lock()
WORST_FIRST = ("off_track", "at_risk", "on_track", "achieved")


def _settings_key(settings: FlagSettings) -> tuple[object, ...]:
    return (tuple(sorted(settings.enabled)),
            tuple((code, tuple(sorted(params.items()))) for code, params in sorted(settings.params.items())))


def _computed(session: Session, as_of: date, settings: FlagSettings
              ) -> tuple[Board, dict[SeriesKey, tuple[Report, ...]], dict[SeriesKey, Target]]:
    """The national board at ``as_of`` with each series' known reports (national ones rolled up) and its target
    in force."""
    key = (db_key(session), data_version(session), as_of, _settings_key(settings))
    with _LOCK:
        hit = _CACHE.get(key)
        if hit is not None:
            _CACHE.move_to_end(key)
            return hit
    targets = load_targets(session)
    reports = load_reports(session)
    board = assess_board(targets, reports, as_of, settings)
    known: dict[SeriesKey, tuple[Report, ...]] = {k: reports[k].known_at(as_of) for k in targets if k in reports}
    in_force = {k: h.in_force(as_of) for k, h in targets.items()}
    for k in targets:
        if k[2] == NATIONAL and k not in known:
            regional = {r: (in_force[(p, i, r)], known.get((p, i, r), ())) for (p, i, r) in targets
                        if (p, i) == k[:2] and r != NATIONAL}
            if regional:
                known[k] = roll_up(in_force[k], regional)
    value = (board, known, in_force)
    with _LOCK:
        _CACHE[key] = value
        while len(_CACHE) > _CACHE_SIZE:
            _CACHE.popitem(last=False)
    return value


def _visible(actor: Actor) -> tuple[bool, list[str]]:
    """(sees everywhere, the territories it sees otherwise)."""
    scopes = territories(actor, Action.CONTROL_VIEW)
    if None in scopes:
        return True, []
    return False, [s for s in scopes if s is not None]


def may_see(actor: Actor, region: str) -> bool:
    """Whether ``actor`` sees a region's series (``KZ``: the national series)."""
    everywhere, scopes = _visible(actor)
    if everywhere:
        return True
    return region != NATIONAL and any(covers(s, region) for s in scopes)


def worst(statuses: Sequence[str]) -> str | None:
    """The worst status among ``statuses`` (the colour of a board cell), ``None`` for none."""
    for status in WORST_FIRST:
        if status in statuses:
            return status
    return None


@dataclass(frozen=True, slots=True)
class Cell:
    """One region × programme cell: the worst status of its series, how many series and flags."""

    programme: str
    status: str | None
    series: int
    flags: int


@dataclass(frozen=True, slots=True)
class BoardRow:
    """A region (or ``KZ``) and its cells in programme order, with its rank among the regions."""

    region: str
    cells: tuple[Cell, ...]
    rank: RegionRank | None


@dataclass(frozen=True, slots=True)
class ControlBoard:
    """What a viewer sees of the national board at ``as_of``."""

    as_of: date
    programmes: tuple[str, ...]
    rows: tuple[BoardRow, ...]
    assessments: tuple[Assessment, ...]
    flags: tuple[Flag, ...]
    overdue_cases: int


def control_board(session: Session, actor: Actor, as_of: date, settings: FlagSettings | None = None) -> ControlBoard:
    """The board: regions (and ``KZ`` for national viewers) × programmes, the worst status per cell."""
    if not territories(actor, Action.CONTROL_VIEW):
        raise PermissionDeniedError(actor.subject_id, Action.CONTROL_VIEW.value, None)
    board, _, _ = _computed(session, as_of, settings or FlagSettings())
    assessments = tuple(a for a in board.assessments if may_see(actor, a.region))
    flags = tuple(f for f in board.flags if may_see(actor, f.region))
    programmes = tuple(sorted({a.programme for a in assessments}))
    ranks = {r.region: r for r in board.ranking}
    regions = sorted({a.region for a in assessments}, key=lambda r: (r != NATIONAL, r))
    statuses: dict[tuple[str, str], list[str]] = defaultdict(list)  # (region, programme): grouped once
    for a in assessments:
        statuses[(a.region, a.programme)].append(a.status)
    n_flags = Counter((f.region, f.programme) for f in flags)
    rows = []
    for region in regions:
        cells = []
        for programme in programmes:
            mine = statuses.get((region, programme), [])
            cells.append(Cell(programme, worst(mine), len(mine), n_flags[(region, programme)]))
        rows.append(BoardRow(region, tuple(cells), ranks.get(region)))
    return ControlBoard(as_of, programmes, tuple(rows), assessments, flags, overdue_count(session, actor))


@dataclass(frozen=True, slots=True)
class SeriesView:
    """One series of a region's page: its target in force, the reports known at ``as_of`` (for a national series
    without reports of its own, the roll-up of its regions), its assessment and its flags."""

    target: Target
    reports: tuple[Report, ...]
    assessment: Assessment
    flags: tuple[Flag, ...]


@dataclass(frozen=True, slots=True)
class RegionView:
    """A region's page: every series of the region at ``as_of``, by programme and indicator."""

    region: str
    as_of: date
    series: tuple[SeriesView, ...]


def region_view(session: Session, actor: Actor, region: str, as_of: date, settings: FlagSettings | None = None,
                programme: str | None = None) -> RegionView:
    """One region's series (``KZ``: the national ones), optionally of one programme."""
    require(actor, Action.CONTROL_VIEW, None if region == NATIONAL else region)
    board, known, in_force = _computed(session, as_of, settings or FlagSettings())
    views = []
    for a in board.assessments:
        if a.region != region or (programme is not None and a.programme != programme):
            continue
        key = (a.programme, a.indicator, a.region)
        flags = tuple(f for f in board.flags if (f.programme, f.indicator, f.region) == key)
        views.append(SeriesView(in_force[key], known.get(key, ()), a, flags))
    if not views and not any(k[2] == region for k in in_force):
        raise UnknownIdError("region with control targets", region, sorted({k[2] for k in in_force}))
    return RegionView(region, as_of, tuple(views))
