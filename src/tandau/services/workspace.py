"""The staff workspace's read models: national overview, seat simulator, primaries results and turnout.

Routes call these and render; they never compute. Lists themselves (forming, pins, exclusions) live in
:mod:`tandau.services.workspace_lists`; exports in :mod:`tandau.services.exports`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from tandau.errors import InputError
from tandau.services import workspace_store as store
from tandau.services.primaries.access import Actor
from tandau.services.primaries.contests import get_contest
from tandau.services.primaries.errors import StateError
from tandau.services.primaries.kato import kato_prefix
from tandau.services.primaries.publish import published_result
from tandau.services.primaries.voting import turnout
from tandau.store.models import Contest, Council

LEVEL_ORDER = ("national", "regional", "city", "district")


@dataclass(frozen=True, slots=True)
class CouncilRow:
    """One council in the national overview."""

    contest_id: str
    name: str
    level: str
    region: str
    seats: int
    length: int
    error: str | None
    compliance: tuple[bool | None, ...]  # per overview rule column; None: rule not checked on this list
    women: int
    youth: int
    moved: int
    kendall_tau: int

    @property
    def compliant(self) -> bool:
        return self.error is None and all(ok is not False for ok in self.compliance)


@dataclass(frozen=True, slots=True)
class Overview:
    """Every council (after filters) with its compliance per rule, and the filter choices.

    ``rules`` are the rule columns' English labels; ``rule_whys`` the same as structured reasons (None for a list
    stored before reasons were structured), for the pages to render in their language.
    """

    rules: tuple[str, ...]
    rows: tuple[CouncilRow, ...]
    regions: tuple[str, ...]
    levels: tuple[str, ...]
    region: str | None
    level: str | None
    rule_whys: tuple[dict[str, Any] | None, ...] = ()

    def rule_why(self, index: int) -> dict[str, Any] | None:
        """The structured label of rule column ``index`` (0-based), if known."""
        return self.rule_whys[index] if index < len(self.rule_whys) else None

    @property
    def compliant(self) -> int:
        return sum(r.compliant for r in self.rows)

    def per_rule(self) -> list[tuple[str, int, int]]:
        """(rule, lists meeting it, lists checked) for every rule column."""
        return per_rule(self.rules, self.rows)

    def by_region(self) -> list[dict[str, Any]]:
        """Per region (the national list aside): councils, compliant lists, places, women and youth on the lists."""
        agg: dict[str, dict[str, Any]] = {}
        for r in self.rows:
            if r.level == "national":
                continue
            a = agg.setdefault(r.region, {"region": r.region, "councils": 0, "compliant": 0, "places": 0,
                                          "women": 0, "youth": 0})
            a["councils"] += 1
            a["compliant"] += r.compliant
            a["places"] += r.length if r.error is None else 0
            a["women"] += r.women
            a["youth"] += r.youth
        return sorted(agg.values(), key=lambda a: str(a["region"]))


def per_rule(rules: Sequence[str], rows: Iterable[CouncilRow]) -> list[tuple[str, int, int]]:
    """(rule, lists meeting it, lists checked) for every rule column over ``rows`` (all of the overview's, or
    those an actor may read: :class:`tandau.services.workspace_access.ScopedOverview`)."""
    rows = list(rows)
    out = []
    for i, label in enumerate(rules):
        checked = [r.compliance[i] for r in rows if r.compliance[i] is not None]
        out.append((label, sum(1 for ok in checked if ok), len(checked)))
    return out


def rule_reasons(checks: Iterable[Iterable[Mapping[str, Any]]]) -> dict[str, dict[str, Any] | None]:
    """Every rule label of the stored lists' checks, in the order first met, with its structured reason (the first
    one stored; None for lists stored before reasons were structured). The overview's columns and the congress
    report's rules (:mod:`tandau.services.report.lists`) are these.

    >>> rule_reasons([[{"label": "a", "ok": True}], [{"label": "a", "label_why": {"k": 1}}, {"label": "b"}]])
    {'a': {'k': 1}, 'b': None}
    """
    labels: dict[str, dict[str, Any] | None] = {}
    for list_checks in checks:
        for check in list_checks:
            if labels.get(str(check["label"])) is None:
                labels[str(check["label"])] = check.get("label_why")
    return labels


def national_overview(session: Session, *, region: str | None = None, level: str | None = None) -> Overview:
    """Every council with a formed list, its compliance with each rule; filters by region and level."""
    if level is not None and level not in LEVEL_ORDER:
        raise InputError(f"level must be one of {', '.join(LEVEL_ORDER)}, got {level!r}", parameter="level")
    stored = store.load_all(session)
    contests = {c.id: c for c in session.scalars(select(Contest).where(Contest.id.in_(list(stored))))}
    regions = sorted({c.region for c in contests.values() if c.level != "national"})
    if region is not None and region not in regions:
        raise InputError(f"unknown region {region!r}", parameter="region")
    labels = rule_reasons(item.result["checks"] for item in stored.values())
    columns = tuple(labels)
    rows = []
    for cid, item in stored.items():
        contest = contests.get(cid)
        if contest is None or (level and contest.level != level) or (region and contest.region != region):
            continue
        verdict = {c["label"]: bool(c["ok"]) for c in item.result["checks"]}
        metrics = item.result.get("metrics") or {}
        rows.append(CouncilRow(
            cid, contest.name, contest.level, contest.region, item.seats, item.length, item.result.get("error"),
            tuple(verdict.get(label) for label in columns), int(item.result.get("women", 0)),
            int(item.result.get("youth", 0)), int(metrics.get("moved", 0)), int(metrics.get("kendall_tau", 0)),
        ))
    rows.sort(key=lambda r: (LEVEL_ORDER.index(r.level) if r.level in LEVEL_ORDER else 9, r.region, r.name))
    present = tuple(lv for lv in LEVEL_ORDER if any(c.level == lv for c in contests.values()))
    return Overview(columns, tuple(rows), tuple(regions), present, region, level, tuple(labels.values()))


# ---- seat simulator -------------------------------------------------------------------------------------------

OUR_PARTY = "our-party"
#: illustrative national shares (tandau.core.seats.simulate.synthetic_councils); the last is "others"
DEFAULT_SHARES: dict[str, float] = {OUR_PARTY: 0.54, "party-b": 0.11, "party-c": 0.09, "party-d": 0.08,
                                    "party-e": 0.07}
DEFAULT_OTHER = 0.06
SIM_METHODS = ("hare", "droop", "dhondt", "sainte-lague")
MAX_DRAWS = 20_000


@dataclass(frozen=True, slots=True)
class SimulationView:
    """Inputs and outputs of the seat simulator for one council."""

    contest: Contest
    shares: dict[str, float]
    other: float
    method: str
    threshold: float
    draws: int
    seed: int
    seats: int
    seats_mean: dict[str, float]
    seats_pmf: dict[str, list[float]]
    positions: list[dict[str, Any]]  # our list: place, name, woman, young, probability of election
    women_share: float
    youth_share: float
    expected_women: float
    expected_youth: float


def simulate_council(session: Session, contest_id: str, shares: Mapping[str, float] | None = None, *,
                     other: float = DEFAULT_OTHER, method: str = "hare", threshold: float = 0.05,
                     draws: int = 4_000, seed: int = 1) -> SimulationView:
    """Monte Carlo of the council's seats (``tandau.core.seats.simulate``) with the party's formed list.

    ``shares``: party → expected vote share (``OUR_PARTY`` is the list formed here); ``other`` votes count in
    the threshold base only (Kazakhstan: 5% for maslikhats and the Majilis).
    """
    from tandau.core.seats.simulate import simulate

    contest = get_contest(session, contest_id)
    stored = store.load(session, contest_id)
    if stored is None or stored.result.get("error"):
        raise StateError(f"no formed list for {contest_id!r}")
    given = dict(DEFAULT_SHARES if shares is None else shares)
    if OUR_PARTY not in given:
        raise InputError(f"give a share for {OUR_PARTY!r}", parameter="shares")
    if any(v < 0 for v in given.values()) or other < 0:
        raise InputError("shares cannot be negative", parameter="shares")
    if method not in SIM_METHODS:
        raise InputError(f"method must be one of {', '.join(SIM_METHODS)}, got {method!r}", parameter="method")
    if not 0 <= threshold < 1:
        raise InputError(f"threshold must lie in [0, 1), got {threshold}", parameter="threshold")
    if not 100 <= draws <= MAX_DRAWS:
        raise InputError(f"draws must lie between 100 and {MAX_DRAWS}, got {draws}", parameter="draws")
    if seed < 0:  # numpy's generator takes no negative seed
        raise InputError(f"seed must be a whole number from 0, got {seed}", parameter="seed")
    entries = stored.result["entries"]
    flags = [{"woman": e["sex"] == "F", "young": e["age"] is not None and e["age"] < 35} for e in entries]
    result = simulate(given, stored.seats, method=method, threshold=threshold, other_share=other, draws=draws,
                      seed=seed, lists={OUR_PARTY: flags})
    probs = dict(result.position_probability).get(OUR_PARTY, ())
    comp = dict(dict(result.composition).get(OUR_PARTY, ()))
    positions = [{"place": e["position"], "name": e["name"], "woman": f["woman"], "young": f["young"],
                  "probability": float(p)} for e, f, p in zip(entries, flags, probs, strict=False)]
    mean = dict(zip(result.parties, result.seats_mean, strict=True))
    return SimulationView(
        contest, given, other, method, threshold, draws, seed, stored.seats, mean,
        {p: list(v) for p, v in zip(result.parties, result.seats_pmf, strict=True)}, positions,
        float(comp.get("woman", 0.0)), float(comp.get("young", 0.0)),
        sum(p["probability"] for p in positions if p["woman"]), sum(p["probability"] for p in positions if p["young"]),
    )


# ---- primaries results and turnout -----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class TerritoryTurnout:
    code: str
    name: str
    voted: int
    eligible: int

    @property
    def share(self) -> float:
        return self.voted / self.eligible if self.eligible else 0.0


@dataclass(frozen=True, slots=True)
class PrimariesView:
    """A published contest: ranking with votes (women and youth marked), turnout by territory."""

    contest: Contest
    ballots: int
    ranking: list[dict[str, Any]]
    turnout: list[TerritoryTurnout]
    voted: int
    eligible: int
    bulletin_sha256: str | None


def _names_by_prefix(session: Session) -> dict[str, str]:
    """A turnout row's name per KATO prefix: a council's list contest, else the council (a council elected only
    in single-member districts has district contests alone, named "<council>, district N")."""
    names: dict[str, str] = {}
    for c in session.scalars(select(Contest).where(Contest.kato.is_not(None), Contest.district_id == "")):
        prefix = kato_prefix(c.kato or "")
        names.setdefault(prefix, c.region if c.level == "regional" else c.name)
    for council in session.scalars(select(Council).where(Council.kato.is_not(None)).order_by(Council.id)):
        prefix = kato_prefix(council.kato or "")
        names.setdefault(prefix, council.region if council.level == "regional" else council.name)
    return names


def primaries_view(session: Session, actor: Actor, contest_id: str) -> PrimariesView:
    """Results of a published contest and its turnout one territorial level below the contest."""
    contest = get_contest(session, contest_id)
    published = published_result(session, contest_id)
    if published is None:
        raise StateError(f"contest {contest_id!r} is not published yet")
    stored = store.load(session, contest_id)
    votes = stored.votes if stored is not None else {}
    women, youth = set(published.get("women", [])), set(published.get("youth", []))
    elected = set(published.get("elected", []))
    from tandau.services.primaries.nominations import candidates

    names = {c.id: c.name for c in candidates(session, contest_id)}
    ranking = [{"rank": i + 1, "id": cid, "name": names.get(cid, cid), "votes": votes.get(cid),
                "woman": cid in women, "young": cid in youth, "elected": cid in elected}
               for i, cid in enumerate(published.get("ranking", []))]
    t = turnout(session, actor, contest_id)
    depth = 2 if contest.kato is None else min(len(kato_prefix(contest.kato)) + 2, 9)
    labels = _names_by_prefix(session)
    agg: dict[str, list[int]] = {}
    for kato, voted, eligible in t.by_territory:
        key = kato[:depth]
        pair = agg.setdefault(key, [0, 0])
        pair[0] += voted
        pair[1] += eligible
    rows = [TerritoryTurnout(k, labels.get(k, k), v, e) for k, (v, e) in sorted(agg.items())]
    return PrimariesView(contest, int(published.get("ballots", 0)), ranking, rows, t.voted, t.eligible,
                         published.get("bulletin_sha256"))


def published_contests(session: Session, *, lists_only: bool = False) -> list[Contest]:
    """Published contests, national first, then by region and name; ``lists_only``: not the single-member
    districts' (the seat simulator's chooser: lists are formed for list contests only)."""
    query = select(Contest).where(Contest.status == "published")
    if lists_only:
        query = query.where(Contest.district_id == "")
    rows = list(session.scalars(query))
    rows.sort(key=lambda c: (LEVEL_ORDER.index(c.level) if c.level in LEVEL_ORDER else 9, c.region, c.name))
    return rows


@dataclass(frozen=True)
class CouncilChoice:
    """One council on the results page's chooser: ``id`` is the contest it opens (its list contest, else its first
    published district's), ``name`` the council's (not a district's)."""

    id: str
    council_id: str | None
    name: str
    level: str
    region: str
    kato: str | None


def published_councils(session: Session) -> list[CouncilChoice]:
    """Each council with a published contest once (the results page's first chooser: 224 councils rather than 3,148
    contests at full size, whose rendering took 2.7 s per request), national first, then by region and name."""
    lists = session.scalars(select(Contest).where(Contest.status == "published", Contest.district_id == "")).all()
    covered = {council_key(c) for c in lists}
    firsts = select(func.min(Contest.id)).where(Contest.status == "published", Contest.district_id != "") \
        .group_by(Contest.council_id)
    districts = [c for c in session.scalars(select(Contest).where(Contest.id.in_(firsts)))
                 if c.council_id not in covered]
    names = {c.id: c.name for c in session.scalars(
        select(Council).where(Council.id.in_({c.council_id for c in districts if c.council_id})))}
    rows = [CouncilChoice(c.id, c.council_id, c.name, c.level, c.region, c.kato) for c in lists]
    rows += [CouncilChoice(c.id, c.council_id, names.get(c.council_id or "", c.name), c.level, c.region, c.kato)
             for c in districts]
    rows.sort(key=lambda c: (LEVEL_ORDER.index(c.level) if c.level in LEVEL_ORDER else 9, c.region, c.name))
    return rows


def council_key(contest: Contest) -> str:
    """The council a contest belongs to: its ``council_id``, or its own id for the national list contest (whose
    single-member districts name it as their council)."""
    return contest.council_id or contest.id


def published_of_council(session: Session, council: str) -> list[Contest]:
    """A council's published contests (see :func:`council_key`): its list contest first, then its districts by id
    (the results page's second chooser)."""
    rows = session.scalars(select(Contest).where(
        Contest.status == "published", (Contest.council_id == council) | (Contest.id == council)))
    return sorted(rows, key=lambda c: (c.district_id != "", c.id))
