"""The staff workspace scoped to the actor: who may read which council, and the read-and-act use cases of the
workspace JSON API (``tandau.web.routers.api_staff``).

Reading a council is ``access.POLICY[Action.WORKSPACE_VIEW]``: the central office and observers everywhere, a
branch secretary inside their territory and below (never the national list, see
:func:`~tandau.services.primaries.kato.covers`). Changing a list is ``Action.WORKSPACE_EDIT``
(:func:`tandau.services.workspace_lists.can_edit`; observers never) and is audited by
:func:`~tandau.services.workspace_lists.change_list`. Everything else is delegated to the services the staff
pages use (:mod:`~tandau.services.workspace`, :mod:`~tandau.services.workspace_lists`,
:mod:`~tandau.services.exports`), so the API and the pages give the same lists and numbers.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal, Protocol

from sqlalchemy import select
from sqlalchemy.orm import Session

from tandau.errors import InfeasibleError, InputError
from tandau.services import exports, workspace, workspace_lists
from tandau.services import workspace_store as store
from tandau.services.primaries.access import Action, Actor, is_allowed
from tandau.services.primaries.contests import get_contest
from tandau.services.primaries.errors import NotFoundError, PermissionDeniedError, StateError
from tandau.store.models import Contest
from tandau.store.models import workspace_lists as workspace_lists_table

Op = Literal["pin", "unpin", "exclude", "include", "reset"]
OPS: tuple[Op, ...] = ("pin", "unpin", "exclude", "include", "reset")
API_EXPORTS = ("csv", "xlsx")


class UnknownCouncilError(NotFoundError, InputError):
    """No council (contest) with this id: answered 404 ``not_found``, its details naming ``council_id``."""

    def __init__(self, council_id: str) -> None:
        NotFoundError.__init__(self, "council", council_id)
        self.parameter = "council_id"


class ChangeRefusedError(StateError):
    """No list meets every rule with the requested change; the stored list is unchanged (409 ``conflict``)."""

    def __init__(self, diagnosis: str) -> None:
        self.diagnosis = diagnosis
        super().__init__("no list meets every rule with this change; the list is unchanged: " + diagnosis)


class Placed(Protocol):
    """A contest or a chooser's council: what reading it depends on."""

    @property
    def kato(self) -> str | None: ...


def can_read(actor: Actor, contest: Placed) -> bool:
    """Central office and observers: every council; a secretary: councils inside their territory
    (``access.POLICY[Action.WORKSPACE_VIEW]``)."""
    return is_allowed(actor, Action.WORKSPACE_VIEW, contest.kato)


def readable_council(session: Session, actor: Actor, council_id: str) -> Contest:
    """The council ``council_id`` if ``actor`` may read it (404 when unknown, 403 outside their territory)."""
    try:
        contest = get_contest(session, council_id)
    except NotFoundError:
        raise UnknownCouncilError(council_id) from None
    if not can_read(actor, contest):
        raise PermissionDeniedError(actor.subject_id, "view the list of this council", contest.kato)
    return contest


# ---- overview -------------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ScopedOverview:
    """The national overview restricted to the councils the actor may read (with their KATO codes)."""

    overview: workspace.Overview
    rows: tuple[workspace.CouncilRow, ...]
    kato: dict[str, str | None]
    regions: tuple[str, ...]

    @property
    def compliant(self) -> int:
        return sum(r.compliant for r in self.rows)

    def per_rule(self) -> list[tuple[str, int, int]]:
        """(rule, lists meeting it, lists checked) over the visible councils."""
        return workspace.per_rule(self.overview.rules, self.rows)


def overview(session: Session, actor: Actor, *, region: str | None = None, level: str | None = None) -> ScopedOverview:
    """:func:`tandau.services.workspace.national_overview` (same filters and checks) minus the councils the
    actor may not read; ``regions`` lists only regions with a readable council."""
    data = workspace.national_overview(session, region=region, level=level)
    formed = select(workspace_lists_table.c.contest_id)
    readable = {c.id: c for c in session.scalars(select(Contest).where(Contest.id.in_(formed))) if can_read(actor, c)}
    rows = tuple(r for r in data.rows if r.contest_id in readable)
    regions = tuple(sorted({c.region for c in readable.values() if c.level != "national"}))
    return ScopedOverview(data, rows, {r.contest_id: readable[r.contest_id].kato for r in rows}, regions)


# ---- list builder -----------------------------------------------------------------------------------------------


def council_list(session: Session, actor: Actor, council_id: str) -> workspace_lists.BuilderView:
    """The list builder's view of a readable council (the same as the ``/staff/lists/{id}`` page)."""
    readable_council(session, actor, council_id)
    return workspace_lists.builder_view(session, actor, council_id)


def change(
    session: Session, actor: Actor, council_id: str, op: str, *, candidate: str | None = None, place: int | None = None
) -> workspace_lists.BuilderView:
    """One change of the page's list builder (pin at a place, unpin, exclude, include, reset), recomputed and
    audited by :func:`~tandau.services.workspace_lists.change_list`; refused whole when infeasible."""
    readable_council(session, actor, council_id)
    if op not in OPS:
        raise InputError(f"op must be one of {', '.join(OPS)}, got {op!r}", parameter="op")
    if op != "reset" and not candidate:
        raise InputError(f"{op} needs a candidate id", parameter="candidate")
    if op == "pin" and place is None:
        raise InputError("pin needs a place (a whole number from 1)", parameter="place")
    if op != "pin" and place is not None:
        raise InputError(f"{op} takes no place", parameter="place")
    if op == "reset" and candidate:
        raise InputError("reset takes no candidate", parameter="candidate")
    # the operations are change_list's keywords: pin=(candidate, place), reset=True, the others =candidate
    argument: Any = (candidate, place) if op == "pin" else True if op == "reset" else candidate
    try:
        workspace_lists.change_list(session, actor, council_id, **{op: argument})
    except InfeasibleError as exc:
        session.rollback()
        raise ChangeRefusedError(str(exc)) from None
    return workspace_lists.builder_view(session, actor, council_id)


# ---- seat simulator ---------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class SeatsView:
    """The simulator's answer (:class:`tandau.services.workspace.SimulationView`); ``positions`` covers every
    place of the list with its candidate id (a place beyond the council's seats is never elected: chance 0),
    ``list_women`` and ``list_youth`` are the shares of women and under-35s on the list itself."""

    sim: workspace.SimulationView
    positions: tuple[dict[str, Any], ...]
    list_women: float
    list_youth: float


def simulate(
    session: Session,
    actor: Actor,
    council_id: str,
    shares: Mapping[str, float] | None,
    *,
    other: float = workspace.DEFAULT_OTHER,
    method: str = "hare",
    threshold: float = 0.05,
    draws: int = 4_000,
    seed: int = 1,
) -> SeatsView:
    """Seats of a readable council by :func:`tandau.services.workspace.simulate_council` (reading only, so
    observers may simulate, as on the page). ``shares`` and ``other`` are fractions of all votes."""
    readable_council(session, actor, council_id)
    given = dict(workspace.DEFAULT_SHARES if shares is None else shares)
    bad = sorted(p for p, v in given.items() if not 0 <= v <= 1)
    if bad or not 0 <= other <= 1:
        raise InputError(
            f"shares are fractions between 0 and 1 (0.54 for 54%); check {', '.join(bad) or 'other'}",
            parameter="shares" if bad else "other",
        )
    total = sum(given.values()) + other
    if total > 1 + 1e-9:
        raise InputError(f"shares and other add up to {total:.4f}, more than 1 (all votes)", parameter="shares")
    sim = workspace.simulate_council(
        session, council_id, given, other=other, method=method, threshold=threshold, draws=draws, seed=seed
    )
    stored = store.load(session, council_id)
    entries = stored.result["entries"] if stored else []
    n = max(len(entries), 1)
    women = sum(e["sex"] == "F" for e in entries) / n
    youth = sum(e["age"] is not None and e["age"] < workspace_lists.YOUTH_UNDER for e in entries) / n
    positions = tuple(
        {
            "place": e["position"],
            "id": e["id"],
            "name": e["name"],
            "woman": e["sex"] == "F",
            "young": e["age"] is not None and e["age"] < workspace_lists.YOUTH_UNDER,
            "probability": 0.0,
        }
        | ({k: sim.positions[i][k] for k in ("woman", "young", "probability")} if i < len(sim.positions) else {})
        for i, e in enumerate(entries)
    )
    return SeatsView(sim, positions, women, youth)


# ---- export -----------------------------------------------------------------------------------------------------


def export(
    session: Session, actor: Actor, council_id: str, fmt: str, labels: Mapping[str, str] | None = None
) -> exports.Export:
    """The stored list of a readable council as CSV or XLSX (:func:`tandau.services.exports.export_list`)."""
    readable_council(session, actor, council_id)
    if fmt not in API_EXPORTS:
        raise InputError(f"format must be one of {', '.join(API_EXPORTS)}, got {fmt!r}", parameter="format")
    return exports.export_list(session, council_id, fmt, labels)
