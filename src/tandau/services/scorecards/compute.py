"""Scorecards per subject (docs/scorecards.md): what each kind of subject pools, the links to the records behind
every figure, scoped to what the reader may see (``SCORECARD_VIEW``).

- **deputy**: their activity (sessions, inquiries, receptions), the appeals routed to them (``route_kind``
  deputy, ``route_to`` their id or member id), the control cases they own, and the control targets made from the
  programme commitments that name them (:mod:`tandau.services.deputies.commitments`; a commitment not made a
  control target does not count).
- **faction**: a council's deputies pooled (every mandate of the council), and the control targets made from the
  council's programme commitments (the target's programme is the council's id).
- **branch**: a region's branch (KATO ``XX0000000``): appeals routed to a branch inside the region, cases owned by
  a control commission inside it, and the targets made from election programme commitments of the region.
- **akim**: an akim in office: appeals of their territory sent on to state bodies, the control cases of the
  territory and every control target of the territory.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from functools import partial
from typing import Any
from urllib.parse import urlencode

from sqlalchemy import Row, select
from sqlalchemy.orm import Session

from tandau.core.scorecards import (
    SUBJECT_KINDS,
    Measured,
    Scorecard,
    component,
    expected_receptions,
    satisfaction_of,
    score,
)
from tandau.errors import InputError
from tandau.services.deputies.commitments import series_by_deputy
from tandau.services.primaries.access import Action, Actor, require, territories
from tandau.services.primaries.kato import covers
from tandau.services.scorecards.records import Activity, AppealRec, CaseRec, Records, Tally, TargetRec, load, total
from tandau.store.deputies_models import Akim, DeputyCouncil, DeputyRow

PERIOD_DAYS = 365
PAGE = 200  # the API's page of scorecards by default
MAX_PAGE = 1000  # and at most
Deputy = Row[Any]  # a deputy's columns: id, council_id, name, kato, person_id, term_start, term_end, vacated_on
NO_ACTIVITY = "no deputies' activity for this kind of subject"


@dataclass(frozen=True, slots=True)
class SubjectCard:
    """One subject's scorecard: who, what kind, their territory, the card, and for each component the address of
    the records behind it ("" when no page lists them)."""

    subject: str
    kind: str
    label: str
    kato: str | None
    card: Scorecard
    links: dict[str, str]


Measure = Callable[[], tuple[list[Measured], dict[str, str]]]  # a subject's components and their links


@dataclass(frozen=True, slots=True)
class _Subject:
    """A subject before it is measured: who and where (what the reader's scope and the filters decide on), and how
    to measure it; only the subjects of the page asked for are measured and scored."""

    subject: str
    kind: str
    label: str
    kato: str | None
    measure: Measure
    council: str = ""  # a deputy's council

    def scored(self) -> SubjectCard:
        parts, links = self.measure()
        return SubjectCard(self.subject, self.kind, self.label, self.kato, score(parts), links)


@dataclass(frozen=True, slots=True)
class ScorecardPage:
    """``limit`` scorecards from ``offset`` (all from there without a limit) of the ``total`` the reader may see
    with the filters asked for, in the order of :func:`compute`."""

    cards: list[SubjectCard]
    total: int
    offset: int
    limit: int | None


def _url(path: str, **query: str) -> str:
    params = {k: v for k, v in query.items() if v}
    return path + ("?" + urlencode(params) if params else "")


def _activity(act: Activity, mandate_days: int) -> list[Measured]:
    expected = expected_receptions(mandate_days)
    return [component("attendance", act.attended, act.sessions), component("inquiries", act.answered, act.sent),
            component("receptions", min(act.receptions, expected), expected)]


def _appeals(t: Tally) -> list[Measured]:
    return [component("appeals_on_time", t.on_time, t.answered), satisfaction_of(t.rated, t.ratings)]


def _cases(rows: list[CaseRec]) -> Measured:
    return component("cases_resolved", sum(r.resolved for r in rows), len(rows))


def _commitments(rows: Iterable[TargetRec]) -> Measured:
    rows = list(rows)
    return component("commitments", sum(r.on_track for r in rows), len(rows))


def _no_activity() -> list[Measured]:
    return [component(name, 0, 0, note=NO_ACTIVITY) for name in ("attendance", "inquiries", "receptions")]


def _mandate_days(rows: Iterable[Deputy], start: date, end: date) -> int:
    total = 0
    for d in rows:
        lo, hi = max(start, d.term_start), min(end, d.vacated_on or d.term_end)
        total += max(0, (hi - lo).days + 1)
    return total


def _region(kato: str) -> str:
    return kato[:2] + "0000000"


def compute(session: Session, actor: Actor, *, kind: str | None = None, as_of: date | None = None,
            territory: str | None = None) -> list[SubjectCard]:
    """Every scorecard ``actor`` may read (``SCORECARD_VIEW``), of one kind or all, over the
    :data:`PERIOD_DAYS` days ending ``as_of`` (default today), optionally of subjects inside ``territory``."""
    return page(session, actor, kind=kind, as_of=as_of, territory=territory).cards


def page(session: Session, actor: Actor, *, kind: str | None = None, as_of: date | None = None,
         territory: str | None = None, offset: int = 0, limit: int | None = None) -> ScorecardPage:
    """The scorecards of :func:`compute` from ``offset``, at most ``limit`` of them (all without), with how many
    there are: the subjects the reader may see are listed, only those of the page are measured (from the period's
    records counted by the database) and scored."""
    if offset < 0 or (limit is not None and limit < 0):
        raise InputError("offset and limit cannot be negative", parameter="offset" if offset < 0 else "limit")
    scopes = territories(actor, Action.SCORECARD_VIEW)
    if not scopes:
        require(actor, Action.SCORECARD_VIEW, None)
    if kind is not None and kind not in SUBJECT_KINDS:
        raise InputError(f"unknown kind {kind!r}; valid: {', '.join(SUBJECT_KINDS)}", parameter="kind")
    end = as_of or datetime.now(UTC).date()
    kinds = (kind,) if kind else SUBJECT_KINDS
    data = load(session, end - timedelta(days=PERIOD_DAYS - 1), end, kinds)
    out: list[_Subject] = []
    d = DeputyRow  # the columns read, not the rows (2,000 objects at the national size)
    deputies: list[Deputy] = list(session.execute(
        select(d.id, d.council_id, d.name, d.kato, d.person_id, d.term_start, d.term_end, d.vacated_on)
        .order_by(d.council_id, d.id))) if {"deputy", "faction"} & set(kinds) else []
    index = _Index(data)
    if "deputy" in kinds:
        out += _deputies(deputies, data, index)
    if "faction" in kinds:
        out += _factions(session, deputies, data, index)
    if "branch" in kinds:
        out += _branches(data, index)
    if "akim" in kinds:
        out += _akims(session, data, index)
    seen = [c for c in out if any(covers(s, c.kato) for s in scopes)
            and (not territory or covers(territory, c.kato))]
    chosen = seen[offset:] if limit is None else seen[offset:offset + limit]
    councils = {c.council for c in chosen if c.kind == "deputy"}
    if councils and data.targets:  # the series of the commitments naming the deputies shown
        index.deputy_series.update(series_by_deputy(session, councils))
    return ScorecardPage([c.scored() for c in chosen], len(seen), offset, limit)


class _Index:
    """The period's counted records indexed once: appeals routed to deputies by their names (``route_to`` and
    handler), cases owned by deputies by owner, targets by series and by programme, and the rest by kind (so no
    subject scans every group)."""

    def __init__(self, data: Records) -> None:
        self.by_name: dict[str, list[int]] = defaultdict(list)
        self.branch: list[AppealRec] = []
        self.state_body: dict[str, list[AppealRec]] = defaultdict(list)
        for k, r in enumerate(data.appeals):
            if r.route_kind == "deputy":
                for name in {r.route_to, r.handler}:
                    if name:
                        self.by_name[name].append(k)
            elif r.route_kind == "branch":
                self.branch.append(r)
            elif r.route_kind == "state_body":
                self.state_body[r.kato].append(r)
        self.cases_of: dict[str, list[CaseRec]] = defaultdict(list)
        for c in data.cases:
            if c.owner_kind == "deputy":
                self.cases_of[c.owner].append(c)
        self.series: dict[tuple[str, str, str], list[TargetRec]] = defaultdict(list)
        self.programme: dict[str, list[TargetRec]] = defaultdict(list)
        for t in data.targets:
            self.series[t.key].append(t)
            self.programme[t.programme].append(t)
        self.appeals = data.appeals
        self.deputy_series: dict[str, frozenset[tuple[str, str, str]]] = {}

    def deputy_appeals(self, d: Deputy) -> Tally:
        names = {d.id} | ({d.person_id} if d.person_id else set())
        found = {k for name in names for k in self.by_name.get(name, ())}
        return total(self.appeals[k].tally for k in found)

    def state_body_in(self, territory: str) -> Tally:
        return total(r.tally for kato, rows in self.state_body.items() if covers(territory, kato) for r in rows)


def _deputies(deputies: list[Deputy], data: Records, index: _Index) -> list[_Subject]:
    out = []
    for d in deputies:
        days = _mandate_days([d], data.start, data.end)
        if days > 0:
            out.append(_Subject(d.id, "deputy", d.name, d.kato, partial(_deputy, d, days, data, index), d.council_id))
    return out


def _deputy(d: Deputy, days: int, data: Records, index: _Index) -> tuple[list[Measured], dict[str, str]]:
    parts = _activity(data.activity.get(d.id, Activity()), days) + _appeals(index.deputy_appeals(d))
    series = index.deputy_series.get(d.id, frozenset())
    parts += [_cases(index.cases_of.get(d.id, [])),
              _commitments(t for key in series for t in index.series.get(key, ()))]
    page = f"/deputies/d/{d.id}"
    appeals = _url("/appeals/queue", handler=d.person_id or d.id)
    return parts, {"attendance": page, "inquiries": page, "receptions": page, "appeals_on_time": appeals,
                   "satisfaction": appeals, "cases_resolved": page, "commitments": page + "#commitments"}


def _factions(session: Session, deputies: list[Deputy], data: Records, index: _Index) -> list[_Subject]:
    by_council: dict[str, list[Deputy]] = defaultdict(list)
    for d in deputies:
        by_council[d.council_id].append(d)
    return [_Subject(council_id, "faction", name, kato,
                     partial(_faction, council_id, kato, by_council.get(council_id, []), data, index))
            for council_id, name, kato in session.execute(
                select(DeputyCouncil.council_id, DeputyCouncil.name, DeputyCouncil.kato)
                .order_by(DeputyCouncil.council_id))]


def _faction(council_id: str, kato: str | None, members: list[Deputy], data: Records, index: _Index
             ) -> tuple[list[Measured], dict[str, str]]:
    pooled = sum((data.activity.get(d.id, Activity()) for d in members), Activity())
    appeals = total(index.deputy_appeals(d) for d in members)
    parts = _activity(pooled, _mandate_days(members, data.start, data.end)) + _appeals(appeals)
    parts += [_cases([c for d in members for c in index.cases_of.get(d.id, [])]),
              _commitments(index.programme.get(council_id, ()))]
    page = f"/deputies/councils/{council_id}"
    territory = kato or ""
    region = _region(kato) if kato else "KZ"
    return parts, {
        "attendance": page, "inquiries": page, "receptions": page,
        "appeals_on_time": _url("/appeals/queue", territory=territory),
        "satisfaction": _url("/appeals/queue", territory=territory),
        "cases_resolved": _url("/control/cases", territory=territory),
        "commitments": _url(f"/control/regions/{region}", programme=council_id)}


def _branches(data: Records, index: _Index) -> list[_Subject]:
    regions = sorted({_region(r.kato) for r in data.appeals if r.route_kind == "branch"}
                     | {_region(c.kato) for c in data.cases if c.owner_kind == "commission" and c.kato})
    return [_Subject(region, "branch", region, region, partial(_branch, region, data, index)) for region in regions]


def _branch(region: str, data: Records, index: _Index) -> tuple[list[Measured], dict[str, str]]:
    appeals = total(r.tally for r in index.branch if covers(region, r.route_to))
    cases = [c for c in data.cases if c.owner_kind == "commission" and covers(region, c.kato)]
    targets = [t for t in data.targets if t.programme.startswith("M-") and covers(region, t.region)]
    parts = _no_activity() + _appeals(appeals) + [_cases(cases), _commitments(targets)]
    return parts, {
        "attendance": "", "inquiries": "", "receptions": "",
        "appeals_on_time": _url("/appeals/queue", territory=region),
        "satisfaction": _url("/appeals/queue", territory=region),
        "cases_resolved": _url("/control/cases", territory=region),
        "commitments": f"/control/regions/{region}"}


def _akims(session: Session, data: Records, index: _Index) -> list[_Subject]:
    return [_Subject(akim_id, "akim", name, kato, partial(_akim, kato, data, index))
            for akim_id, name, kato in session.execute(
                select(Akim.id, Akim.name, Akim.kato).where(Akim.left_at.is_(None)).order_by(Akim.kato))]


def _akim(kato: str, data: Records, index: _Index) -> tuple[list[Measured], dict[str, str]]:
    appeals = index.state_body_in(kato)
    cases = [c for c in data.cases if covers(kato, c.kato)]
    targets = [t for t in data.targets if t.region != "KZ" and covers(kato, t.region)]
    parts = _no_activity() + _appeals(appeals) + [_cases(cases), _commitments(targets)]
    return parts, {
        "attendance": "", "inquiries": "", "receptions": "",
        "appeals_on_time": _url("/appeals/queue", territory=kato, status="redirected"),
        "satisfaction": _url("/appeals/queue", territory=kato, status="redirected"),
        "cases_resolved": _url("/control/cases", territory=kato),
        "commitments": f"/control/regions/{_region(kato)}"}


def as_json(cards: Iterable[SubjectCard]) -> dict[str, object]:
    """The CLI's and the API's shape: ``{"scorecards": [{subject, kind, score, comparable, components: [{name,
    value, weight, n}]}]}`` (value and score as floats rounded to 4 places; ``None`` without records)."""
    return {"scorecards": [{
        "subject": c.subject, "kind": c.kind, "label": c.label, "kato": c.kato,
        "score": None if c.card.score is None else round(float(c.card.score), 4),
        "comparable": c.card.comparable, "n": c.card.n,
        "components": [{"name": m.name, "value": None if m.value is None else round(float(m.value), 4),
                        "weight": m.weight, "effective_weight": round(float(c.card.effective.get(m.name, 0)), 4),
                        "n": m.n, "numerator": round(float(m.numerator), 4), "denominator": m.denominator,
                        "note": m.note, "records": c.links.get(m.name, "") if m.n else ""}
                       for m in c.card.components]} for c in cards]}
