"""A council's single-member nominees in the staff workspace (issue 11, item 5): read the published district
primaries, select one nominee per district under the workspace's rules, pin, exclude, explain.

For a cycle and a council, every registered district (:mod:`tandau.services.primaries.districts`) is read in
district order with its contest (id ``<cycle>-<district>``; :mod:`tandau.services.district_primaries`):

- a **published** contest gives its ranking (``publications.result_json``) and the votes of each counted
  candidate (the marks on the contest's ballots, as the count reads them); candidates' sex, birth date and tags
  come from the roll and the nominations;
- a district with no contest, a contest not yet published, or a published contest without candidates is
  **reported** in its place (``problem``) and left out of the selection, so the rules are checked over the
  districts that can nominate someone; the page and the API say how many are missing.

The selection is :func:`tandau.core.nominees.select_nominees` (exact; docs/nominees.md) under the rules of the
workspace's list builder (:data:`tandau.services.workspace_lists.DEFAULT_RULES`, ``nur-otan-2019,kz-law-2022``):
both presets count over the whole list only (women ≥ 30%, under-35s ≥ 20%, the law's 30% of women, under-29s
or persons with disabilities), so they carry over to a set of districts as they are; a positional rule is
refused by the engine with its name (:class:`tandau.core.nominees.PositionalRuleError`).

**Primary rank.** The engine ranks by votes, equal votes by the candidates' order; the order given here is the
published ranking's, so equal votes keep the tie-break the count applied (nomination order, or the lot the
central office drew) and rank 1 is always the published winner.

**What is stored.** Only the leadership's choices: pins (district → member), exclusions and the rules, one row
per cycle and council in ``workspace_nominees`` (migration 0008). The nominees are recomputed on every read (a
council takes milliseconds), so they always follow the published results. Changes are authorised by
``access.POLICY[Action.WORKSPACE_EDIT]`` on the council's territory and audited (``nominees.change``,
``nominees.reset``); a change no selection can satisfy is refused with the engine's diagnosis and nothing is
stored. Reading is ``Action.WORKSPACE_VIEW``.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any, Literal

from sqlalchemy import select
from sqlalchemy.orm import Session

from tandau.core.candidates import Candidate
from tandau.core.nominees import District as NomineeDistrict
from tandau.core.nominees import NomineeRequest, NomineeResult, NomineesInfeasibleError, select_nominees, set_rules
from tandau.core.rules import rule_id
from tandau.errors import InputError
from tandau.io.rules_toml import load_rules
from tandau.services.district_primaries import DistrictPrimary, Person, read_primaries
from tandau.services.primaries import audit
from tandau.services.primaries.access import Action, Actor, is_allowed
from tandau.services.primaries.errors import NotFoundError, PermissionDeniedError, StateError
from tandau.services.workspace_lists import DEFAULT_RULES, YOUTH_UNDER
from tandau.store.models import Contest, Council, Cycle
from tandau.store.models import workspace_nominees as table

Op = Literal["pin", "unpin", "exclude", "include", "reset"]
OPS: tuple[Op, ...] = ("pin", "unpin", "exclude", "include", "reset")


class UnknownCouncilError(NotFoundError, InputError):
    """No council with this id (404 ``not_found``, its details naming ``council_id``)."""

    def __init__(self, council_id: str) -> None:
        NotFoundError.__init__(self, "council", council_id)
        self.parameter = "council_id"


class NomineeChangeRefusedError(StateError):
    """No selection meets every rule with the requested change; nothing is stored (409 ``conflict``).
    ``refusal`` is the engine's diagnosis."""

    def __init__(self, refusal: NomineesInfeasibleError) -> None:
        self.refusal = refusal
        super().__init__("no choice of nominees meets every rule with this change; nothing changed: " + str(refusal))


# ---- stored choices ---------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Choices:
    """The leadership's choices for a council's nominees in a cycle."""

    rules: str = DEFAULT_RULES
    pins: tuple[tuple[str, str], ...] = ()  # (district id, member id), in district-id order
    exclude: tuple[str, ...] = ()
    updated_at: datetime | None = None
    updated_by: str | None = None


def load_choices(session: Session, cycle_id: str, council_id: str) -> Choices:
    row = session.execute(select(table).where(table.c.cycle_id == cycle_id, table.c.council_id == council_id)).first()
    if row is None:
        return Choices()
    return Choices(row.rules, tuple((str(d), str(m)) for d, m in json.loads(row.pins)),
                   tuple(str(x) for x in json.loads(row.exclude)), row.updated_at, row.updated_by)


def _save_choices(session: Session, cycle_id: str, council_id: str, choices: Choices) -> None:
    values = {"rules": choices.rules, "pins": json.dumps([list(p) for p in choices.pins]),
              "exclude": json.dumps(list(choices.exclude)), "updated_at": datetime.now(UTC),
              "updated_by": choices.updated_by or ""}
    where = (table.c.cycle_id == cycle_id) & (table.c.council_id == council_id)
    if session.execute(select(table.c.cycle_id).where(where)).first() is None:
        session.execute(table.insert().values(cycle_id=cycle_id, council_id=council_id, **values))
    else:
        session.execute(table.update().where(where).values(**values))


# ---- selection --------------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class DistrictNominee:
    """A district's row on the council page: its primary, the nominee and, for a departure, the reason."""

    primary: DistrictPrimary
    nominee: Person | None = None
    reason: str | None = None
    why: dict[str, Any] | None = None
    pinned: str | None = None  # the member pinned here

    @property
    def winner(self) -> Person | None:
        return self.primary.ranking[0] if self.primary.ranking else None

    @property
    def departure(self) -> bool:
        return self.nominee is not None and self.nominee.rank != 1


@dataclass(frozen=True, slots=True)
class CouncilNominees:
    """A council's nominees in a cycle: every district in order, the checks, or the refusal with its diagnosis."""

    council: Council
    cycle: Cycle
    election_date: date
    choices: Choices
    districts: tuple[DistrictNominee, ...]
    result: NomineeResult | None
    refusal: NomineesInfeasibleError | None
    editable: bool = False
    excluded: frozenset[str] = field(default_factory=frozenset)

    @property
    def nominees(self) -> list[Person]:
        return [d.nominee for d in self.districts if d.nominee is not None]

    @property
    def missing(self) -> int:
        return sum(1 for d in self.districts if d.primary.problem is not None)

    @property
    def women(self) -> int:
        return sum(1 for p in self.nominees if p.sex == "F")

    @property
    def youth(self) -> int:
        return sum(1 for p in self.nominees if p.age < YOUTH_UNDER)

    @property
    def departures(self) -> int:
        return sum(1 for d in self.districts if d.departure)

    def checks(self) -> list[dict[str, Any]]:
        if self.result is None:
            return []
        return [{"label": c.label, "origin": getattr(c.rule, "origin", ""), "ok": c.ok, "detail": c.detail,
                 "enforced": c.enforced, "rule_id": rule_id(c.rule), "label_why": c.label_reason.to_json(),
                 "detail_why": None if c.why is None else c.why.to_json()} for c in self.result.checks]

    def to_json(self) -> dict[str, Any]:
        """The council's nominees as the API and ``tandau nominees council --format json`` give them."""
        refusal = None if self.refusal is None else {
            "text": str(self.refusal), "summary": self.refusal.summary.to_json(),
            "details": [r.to_json() for r in self.refusal.reasons]}
        return {
            "cycle": self.cycle.id, "council": {"id": self.council.id, "name": self.council.name,
                                                "level": self.council.level, "region": self.council.region,
                                                "kato": self.council.kato},
            "election_date": self.election_date.isoformat(), "rules": self.choices.rules,
            "districts": [{
                "district": d.primary.district_id, "number": d.primary.number, "name": d.primary.name,
                "contest": d.primary.contest_id, "status": d.primary.status, "problem": d.primary.problem,
                "ranking": [{**p.to_json(), "excluded": p.id in self.excluded} for p in d.primary.ranking],
                "winner": None if d.winner is None else d.winner.id,
                "nominee": None if d.nominee is None else d.nominee.to_json(),
                "departure": d.departure, "pinned": d.pinned, "reason": d.reason, "why": d.why,
            } for d in self.districts],
            "nominated": len(self.nominees), "missing": self.missing, "departures": self.departures,
            "women": self.women, "youth": self.youth, "checks": self.checks(), "refusal": refusal,
            "pins": [{"district": dist, "candidate": m} for dist, m in self.choices.pins],
            "exclude": list(self.choices.exclude), "editable": self.editable,
            "updated_at": None if self.choices.updated_at is None else _utc(self.choices.updated_at).isoformat(),
            "updated_by": self.choices.updated_by,
        }


def _utc(moment: datetime) -> datetime:
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def _election_date(cycle: Cycle) -> date:
    return cycle.election_date or datetime.now(UTC).date()


def select_for(council: Council, cycle: Cycle, primaries: Sequence[DistrictPrimary], choices: Choices,
               *, editable: bool = False) -> CouncilNominees:
    """Select the nominees of the districts that can nominate (a refusal is returned, not raised)."""
    day = _election_date(cycle)
    rule_set = load_rules(choices.rules)
    set_rules(rule_set.rules)  # a positional rule is refused here, naming it
    usable = [p for p in primaries if p.problem is None]
    # the engine names districts in its reasons: by their number within the council ("district 7: ..."), or by
    # their ids should two share a number
    numbered = len({p.number for p in primaries}) == len(primaries)
    key = {p.district_id: str(p.number) if numbered else p.district_id for p in primaries}
    known = {person.id for p in usable for person in p.ranking}
    exclude = frozenset(x for x in choices.exclude if x in known)
    pins = tuple((d, m) for d, m in choices.pins if any(p.district_id == d and m in {x.id for x in p.ranking}
                                                         for p in usable))
    request = NomineeRequest(
        tuple(NomineeDistrict(key[p.district_id], tuple(
            Candidate(x.id, x.name, x.sex, x.birth_date, x.votes, frozenset(x.tags), k)
            for k, x in enumerate(p.ranking))) for p in usable),
        rule_set.rules, day, tuple((key[d], m) for d, m in pins), exclude, (), "council")
    pinned = dict(pins)
    result: NomineeResult | None = None
    refusal: NomineesInfeasibleError | None = None
    chosen: dict[str, Any] = {}
    if usable:
        try:
            result = select_nominees(request)
        except NomineesInfeasibleError as exc:
            refusal = exc
        else:
            chosen = {n.district: n for n in result.nominees}
    rows = []
    for p in primaries:
        n = chosen.get(key[p.district_id])
        person = None if n is None else next(x for x in p.ranking if x.id == n.candidate.id)
        rows.append(DistrictNominee(p, person, None if n is None else n.reason,
                                    None if n is None or n.why is None else n.why.to_json(), pinned.get(p.district_id)))
    return CouncilNominees(council, cycle, day, choices, tuple(rows), result, refusal, editable, exclude)


# ---- use cases --------------------------------------------------------------------------------------------------


def _council(session: Session, council_id: str) -> Council:
    council = session.get(Council, council_id)
    if council is None:
        raise UnknownCouncilError(council_id)
    return council


def _cycle(session: Session, cycle_id: str) -> Cycle:
    cycle = session.get(Cycle, cycle_id)
    if cycle is None:
        raise NotFoundError("cycle", cycle_id)
    return cycle


def can_read(actor: Actor, council: Council) -> bool:
    return is_allowed(actor, Action.WORKSPACE_VIEW, council.kato)


def can_edit(actor: Actor, council: Council) -> bool:
    return is_allowed(actor, Action.WORKSPACE_EDIT, council.kato)


def default_cycle(session: Session, council_id: str | None = None) -> str | None:
    """The latest cycle (by election date, then id) with district contests (of ``council_id``)."""
    query = select(Contest.cycle_id).where(Contest.district_id != "")
    if council_id is not None:
        query = query.where(Contest.council_id == council_id)
    ids = set(session.scalars(query))
    cycles = list(session.scalars(select(Cycle).where(Cycle.id.in_(ids))))
    cycles.sort(key=lambda c: (c.election_date or date.min, c.id))
    return cycles[-1].id if cycles else None


def nominees_cycle(session: Session, council_id: str | None, cycle_id: str) -> str | None:
    """``cycle_id`` if the council has district contests in it (a council page links to its nominees), else
    None (the national list, an all-list council, another cycle)."""
    if council_id is None:
        return None
    found = session.scalar(select(Contest.id).where(Contest.cycle_id == cycle_id, Contest.council_id == council_id,
                                                    Contest.district_id != "").limit(1))
    return None if found is None else cycle_id


def council_nominees(session: Session, actor: Actor, cycle_id: str | None, council_id: str, *,
                     rules: str | None = None) -> CouncilNominees:
    """The nominees of a readable council in a cycle (default: the latest cycle with its district contests)
    under the stored choices; ``rules`` overrides the stored rules for this reading only (nothing stored)."""
    council = _council(session, council_id)
    if not can_read(actor, council):
        raise PermissionDeniedError(actor.subject_id, "view the nominees of this council", council.kato)
    cycle_id = cycle_id or default_cycle(session, council_id)
    if cycle_id is None:
        raise StateError(f"council {council_id!r} has no district contests in any cycle")
    cycle = _cycle(session, cycle_id)
    choices = load_choices(session, cycle_id, council_id)
    if rules is not None:
        choices = Choices(rules, choices.pins, choices.exclude, choices.updated_at, choices.updated_by)
    primaries = read_primaries(session, cycle_id, [council_id], _election_date(cycle))[council_id]
    if not primaries:
        raise StateError(f"council {council_id!r} has no single-member districts registered "
                         "(tandau primaries districts register)")
    return select_for(council, cycle, primaries, choices, editable=can_edit(actor, council))


def change(session: Session, actor: Actor, cycle_id: str | None, council_id: str, op: str, *,
           district: str | None = None, candidate: str | None = None) -> CouncilNominees:
    """Pin the leadership's nominee in a district, unpin a district, exclude a candidate, include them again,
    or reset; recompute and store the choices (audited). Refused whole (:class:`NomineeChangeRefusedError`)
    when no selection meets the rules with the change."""
    council = _council(session, council_id)
    if not can_edit(actor, council):
        raise PermissionDeniedError(actor.subject_id, "change the nominees of this council", council.kato)
    current = council_nominees(session, actor, cycle_id, council_id)
    cycle = current.cycle
    if op not in OPS:
        raise InputError(f"op must be one of {', '.join(OPS)}, got {op!r}", parameter="op")
    rows = {d.primary.district_id: d.primary for d in current.districts}
    candidates = {p.id: d for d in rows.values() for p in d.ranking}
    pins = dict(current.choices.pins)
    excluded = list(current.choices.exclude)
    if op in ("pin", "unpin") and (not district or district not in rows):
        raise InputError(f"{op} needs a district of {council_id}, got {district!r}", parameter="district")
    if op in ("pin", "exclude", "include") and (not candidate or candidate not in candidates):
        raise InputError(f"not a candidate of the district primaries of {council_id}: {candidate!r}",
                         parameter="candidate")
    if op == "pin":
        if candidates[str(candidate)].district_id != district:
            raise InputError(f"{candidate!r} is not a candidate in district {district}", parameter="candidate")
        pins[str(district)] = str(candidate)
        excluded = [x for x in excluded if x != candidate]
    elif op == "unpin":
        pins.pop(str(district), None)
    elif op == "exclude":
        pins = {d: m for d, m in pins.items() if m != candidate}
        if candidate not in excluded:
            excluded.append(str(candidate))
    elif op == "include":
        excluded = [x for x in excluded if x != candidate]
    else:
        pins, excluded = {}, []
    choices = Choices(current.choices.rules, tuple(sorted(pins.items())), tuple(excluded), None, actor.subject_id)
    primaries = [d.primary for d in current.districts]
    view = select_for(council, cycle, primaries, choices, editable=True)
    if view.refusal is not None and op != "reset":
        raise NomineeChangeRefusedError(view.refusal)
    _save_choices(session, cycle.id, council_id, choices)
    audit.append(session, actor=actor.subject_id, action="nominees.reset" if op == "reset" else "nominees.change",
                 target=f"{cycle.id}/{council_id}", details={"op": op, "district": district, "candidate": candidate})
    session.commit()
    return council_nominees(session, actor, cycle.id, council_id)


# ---- national overview ------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class CouncilSummary:
    """One council of the nominees' overview."""

    council: Council
    districts: int
    nominated: int
    missing: int
    women: int
    youth: int
    departures: int
    refused: bool
    compliant: bool

    def to_json(self) -> dict[str, Any]:
        c = self.council
        return {"id": c.id, "name": c.name, "level": c.level, "region": c.region, "kato": c.kato,
                "districts": self.districts, "nominated": self.nominated, "missing": self.missing,
                "women": self.women, "youth": self.youth, "departures": self.departures, "refused": self.refused,
                "compliant": self.compliant}


@dataclass(frozen=True, slots=True)
class RegionSummary:
    region: str
    councils: int
    districts: int
    nominated: int
    missing: int
    women: int
    youth: int
    departures: int

    def to_json(self) -> dict[str, Any]:
        return {f: getattr(self, f) for f in self.__slots__}


@dataclass(frozen=True, slots=True)
class NomineesOverview:
    """The nominees' composition by council and by region over the councils the actor may read."""

    cycle: str | None
    cycles: tuple[str, ...]
    region: str | None
    councils: tuple[CouncilSummary, ...]
    regions: tuple[RegionSummary, ...]
    total: RegionSummary

    def to_json(self) -> dict[str, Any]:
        return {"cycle": self.cycle, "cycles": list(self.cycles), "region": self.region,
                "councils": [c.to_json() for c in self.councils], "regions": [r.to_json() for r in self.regions],
                "total": self.total.to_json()}


def _summary(name: str, rows: Sequence[CouncilSummary]) -> RegionSummary:
    return RegionSummary(name, len(rows), *(sum(getattr(r, f) for r in rows) for f in
                                            ("districts", "nominated", "missing", "women", "youth", "departures")))


def overview(session: Session, actor: Actor, cycle_id: str | None = None, *, region: str | None = None
             ) -> NomineesOverview:
    """Every readable council with district contests in the cycle (default: the latest such cycle): districts,
    nominated, missing, women, under-35s and departures under its stored choices; totals by region."""
    cycles = tuple(sorted(set(session.scalars(select(Contest.cycle_id).where(Contest.district_id != "")))))
    cycle_id = cycle_id or default_cycle(session)
    empty = RegionSummary("", 0, 0, 0, 0, 0, 0, 0)
    if cycle_id is None:
        return NomineesOverview(None, cycles, region, (), (), empty)
    cycle = _cycle(session, cycle_id)
    ids = set(session.scalars(select(Contest.council_id).where(Contest.cycle_id == cycle_id,
                                                                Contest.district_id != "")))
    councils = [c for c in session.scalars(select(Council).where(Council.id.in_(ids)).order_by(Council.region,
                                                                                                Council.id))
                if can_read(actor, c) and (region is None or c.region == region)]
    primaries = read_primaries(session, cycle_id, [c.id for c in councils], _election_date(cycle))
    stored = {(r.council_id): r for r in session.execute(select(table).where(table.c.cycle_id == cycle_id))}
    rows = []
    for c in councils:
        row = stored.get(c.id)
        choices = Choices() if row is None else Choices(
            row.rules, tuple((str(d), str(m)) for d, m in json.loads(row.pins)), tuple(json.loads(row.exclude)))
        view = select_for(c, cycle, primaries[c.id], choices)
        ok = view.result is not None and view.result.ok
        rows.append(CouncilSummary(c, len(view.districts), len(view.nominees), view.missing, view.women, view.youth,
                                   view.departures, view.refusal is not None, ok and view.missing == 0))
    by_region: dict[str, list[CouncilSummary]] = defaultdict(list)
    for r in rows:
        by_region[r.council.region].append(r)
    regions = tuple(_summary(name, items) for name, items in sorted(by_region.items()))
    return NomineesOverview(cycle_id, cycles, region, tuple(rows), regions, _summary("", rows))
