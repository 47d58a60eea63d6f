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
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from urllib.parse import urlencode

from sqlalchemy import select
from sqlalchemy.orm import Session

from tandau.core.scorecards import (
    SUBJECT_KINDS,
    Measured,
    Scorecard,
    component,
    expected_receptions,
    satisfaction_rate,
    score,
)
from tandau.errors import InputError
from tandau.services.primaries.access import Action, Actor, require, territories
from tandau.services.primaries.kato import covers
from tandau.services.scorecards.records import Activity, AppealRec, CaseRec, Records, TargetRec, load
from tandau.store.deputies_models import Akim, DeputyCouncil, DeputyRow

PERIOD_DAYS = 365
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


def _url(path: str, **query: str) -> str:
    params = {k: v for k, v in query.items() if v}
    return path + ("?" + urlencode(params) if params else "")


def _activity(acts: Iterable[Activity], mandate_days: int) -> list[Measured]:
    sessions = attended = sent = answered = receptions = 0
    for a in acts:
        if a.kind == "session":
            sessions += 1
            attended += bool(a.attended)
        elif a.kind == "inquiry":
            sent += 1
            answered += a.answered
        elif a.kind == "reception":
            receptions += 1
    expected = expected_receptions(mandate_days)
    return [component("attendance", attended, sessions), component("inquiries", answered, sent),
            component("receptions", min(receptions, expected), expected)]


def _appeals(rows: list[AppealRec]) -> list[Measured]:
    answered = [r for r in rows if r.answered]
    rated = [r.satisfaction for r in rows if r.satisfaction is not None]
    return [component("appeals_on_time", sum(r.on_time for r in answered), len(answered)),
            satisfaction_rate(rated)]


def _cases(rows: list[CaseRec]) -> Measured:
    return component("cases_resolved", sum(r.resolved for r in rows), len(rows))


def _commitments(rows: list[TargetRec]) -> Measured:
    return component("commitments", sum(r.on_track for r in rows), len(rows))


def _no_activity() -> list[Measured]:
    return [component(name, 0, 0, note=NO_ACTIVITY) for name in ("attendance", "inquiries", "receptions")]


def _mandate_days(rows: Iterable[DeputyRow], start: date, end: date) -> int:
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
    scopes = territories(actor, Action.SCORECARD_VIEW)
    if not scopes:
        require(actor, Action.SCORECARD_VIEW, None)
    if kind is not None and kind not in SUBJECT_KINDS:
        raise InputError(f"unknown kind {kind!r}; valid: {', '.join(SUBJECT_KINDS)}", parameter="kind")
    end = as_of or datetime.now(UTC).date()
    data = load(session, end - timedelta(days=PERIOD_DAYS - 1), end)
    kinds = (kind,) if kind else SUBJECT_KINDS
    out: list[SubjectCard] = []
    deputies = list(session.scalars(select(DeputyRow).order_by(DeputyRow.council_id, DeputyRow.id)))
    acts: dict[str, list[Activity]] = defaultdict(list)
    for a in data.activity:
        acts[a.deputy].append(a)
    index = _Index(data)
    if "deputy" in kinds:
        out += _deputies(deputies, acts, data, index)
    if "faction" in kinds:
        out += _factions(session, deputies, acts, data, index)
    if "branch" in kinds:
        out += _branches(data, index)
    if "akim" in kinds:
        out += _akims(session, data, index)
    return [c for c in out if any(covers(s, c.kato) for s in scopes) and (not territory or covers(territory, c.kato))]


class _Index:
    """The period's records indexed once: appeals routed to deputies by their names (``route_to`` and handler),
    cases owned by deputies by owner, and the rest by kind (so no subject scans every appeal)."""

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
        self.appeals = data.appeals

    def deputy_appeals(self, d: DeputyRow) -> list[AppealRec]:
        names = {d.id} | ({d.person_id} if d.person_id else set())
        found = sorted({k for name in names for k in self.by_name.get(name, ())})
        return [self.appeals[k] for k in found]

    def state_body_in(self, territory: str) -> list[AppealRec]:
        return [r for kato, rows in self.state_body.items() if covers(territory, kato) for r in rows]


def _deputies(deputies: list[DeputyRow], acts: dict[str, list[Activity]], data: Records, index: _Index
              ) -> list[SubjectCard]:
    out = []
    for d in deputies:
        days = _mandate_days([d], data.start, data.end)
        if days == 0:
            continue
        parts = _activity(acts.get(d.id, ()), days) + _appeals(index.deputy_appeals(d))
        series = data.deputy_series.get(d.id, frozenset())
        parts += [_cases(index.cases_of.get(d.id, [])),
                  _commitments([t for t in data.targets if t.key in series])]
        page = f"/deputies/d/{d.id}"
        appeals = _url("/appeals/queue", handler=d.person_id or d.id)
        out.append(SubjectCard(d.id, "deputy", d.name, d.kato, score(parts), {
            "attendance": page, "inquiries": page, "receptions": page, "appeals_on_time": appeals,
            "satisfaction": appeals, "cases_resolved": page, "commitments": page + "#commitments"}))
    return out


def _factions(session: Session, deputies: list[DeputyRow], acts: dict[str, list[Activity]], data: Records,
              index: _Index) -> list[SubjectCard]:
    by_council: dict[str, list[DeputyRow]] = defaultdict(list)
    for d in deputies:
        by_council[d.council_id].append(d)
    out = []
    for council in session.scalars(select(DeputyCouncil).order_by(DeputyCouncil.council_id)):
        members = by_council.get(council.council_id, [])
        pooled = [a for d in members for a in acts.get(d.id, ())]
        appeals = [r for d in members for r in index.deputy_appeals(d)]
        parts = _activity(pooled, _mandate_days(members, data.start, data.end)) + _appeals(appeals)
        parts += [_cases([c for d in members for c in index.cases_of.get(d.id, [])]),
                  _commitments([t for t in data.targets if t.programme == council.council_id])]
        page = f"/deputies/councils/{council.council_id}"
        territory = council.kato or ""
        region = _region(council.kato) if council.kato else "KZ"
        out.append(SubjectCard(council.council_id, "faction", council.name, council.kato, score(parts), {
            "attendance": page, "inquiries": page, "receptions": page,
            "appeals_on_time": _url("/appeals/queue", territory=territory),
            "satisfaction": _url("/appeals/queue", territory=territory),
            "cases_resolved": _url("/control/cases", territory=territory),
            "commitments": _url(f"/control/regions/{region}", programme=council.council_id)}))
    return out


def _branches(data: Records, index: _Index) -> list[SubjectCard]:
    regions = sorted({_region(r.kato) for r in data.appeals if r.route_kind == "branch"}
                     | {_region(c.kato) for c in data.cases if c.owner_kind == "commission" and c.kato})
    out = []
    for region in regions:
        appeals = [r for r in index.branch if covers(region, r.route_to)]
        cases = [c for c in data.cases if c.owner_kind == "commission" and covers(region, c.kato)]
        targets = [t for t in data.targets if t.programme.startswith("M-") and covers(region, t.region)]
        parts = _no_activity() + _appeals(appeals) + [_cases(cases), _commitments(targets)]
        out.append(SubjectCard(region, "branch", region, region, score(parts), {
            "attendance": "", "inquiries": "", "receptions": "",
            "appeals_on_time": _url("/appeals/queue", territory=region),
            "satisfaction": _url("/appeals/queue", territory=region),
            "cases_resolved": _url("/control/cases", territory=region),
            "commitments": f"/control/regions/{region}"}))
    return out


def _akims(session: Session, data: Records, index: _Index) -> list[SubjectCard]:
    out = []
    for akim in session.scalars(select(Akim).where(Akim.left_at.is_(None)).order_by(Akim.kato)):
        appeals = index.state_body_in(akim.kato)
        cases = [c for c in data.cases if covers(akim.kato, c.kato)]
        targets = [t for t in data.targets if t.region != "KZ" and covers(akim.kato, t.region)]
        parts = _no_activity() + _appeals(appeals) + [_cases(cases), _commitments(targets)]
        out.append(SubjectCard(akim.id, "akim", akim.name, akim.kato, score(parts), {
            "attendance": "", "inquiries": "", "receptions": "",
            "appeals_on_time": _url("/appeals/queue", territory=akim.kato, status="redirected"),
            "satisfaction": _url("/appeals/queue", territory=akim.kato, status="redirected"),
            "cases_resolved": _url("/control/cases", territory=akim.kato),
            "commitments": f"/control/regions/{_region(akim.kato)}"}))
    return out


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
