"""Reading a council's district primaries for the nominees (:mod:`tandau.services.council_nominees`): every
registered district in number order with its published ranking, each candidate's votes, sex, birth date and
tags, or the problem that leaves the district without a nominee (no contest, not published, no candidate).

Votes are the marks on the contest's ballots, as the count reads them (a plurality ballot marks one); the rank
is by votes, equal votes in the published ranking's order (the count's own tie-break), so rank 1 is always the
published winner. Candidates excluded from the count are left out.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any, Literal

from sqlalchemy import select
from sqlalchemy.orm import Session

from tandau.core.candidates import age_on
from tandau.services.primaries.contests import ballot_selection
from tandau.services.primaries.publish import exclusions
from tandau.store.models import Ballot, Contest, District, Member, Nomination, Publication

#: why a district has no nominee: no contest created, its contest not published yet, no candidate in its count
PROBLEMS = ("no_contest", "not_published", "no_candidates")


@dataclass(frozen=True, slots=True)
class Person:
    """A candidate of a district's published primary: ``rank`` 1 is the winner; ``share`` of the district's votes."""

    id: str
    name: str
    sex: Literal["F", "M"]
    birth_date: date
    tags: tuple[str, ...]
    votes: int
    rank: int
    share: str
    age: int

    def to_json(self) -> dict[str, Any]:
        return {"id": self.id, "name": self.name, "sex": self.sex, "birth_date": self.birth_date.isoformat(),
                "age": self.age, "tags": list(self.tags), "votes": self.votes, "rank": self.rank,
                "share": self.share}


@dataclass(frozen=True, slots=True)
class DistrictPrimary:
    """One district in district order: its contest, its published ranking, or the problem that leaves it out."""

    district_id: str
    number: int
    name: str
    contest_id: str | None
    status: str | None
    ranking: tuple[Person, ...]
    problem: str | None


def _share(votes: int, total: int) -> str:
    return "0%" if total == 0 else f"{round(100 * votes / total)}%"


def _votes(session: Session, results: dict[str, dict[str, Any]]) -> dict[str, dict[str, int]]:
    """Marks per candidate on each published contest's ballots (a plurality ballot marks one: its votes): as
    stored with the publication (``marks``), counted from the ballots only for a contest published before the
    publication kept them."""
    out: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for contest_id, result in results.items():
        if isinstance(result.get("marks"), dict):
            out[contest_id].update({str(k): int(v) for k, v in result["marks"].items()})
    contest_ids = [c for c in results if c not in out]
    for start in range(0, len(contest_ids), 500):
        chunk = list(contest_ids[start:start + 500])
        for contest_id, selection in session.execute(
                select(Ballot.contest_id, Ballot.selection).where(Ballot.contest_id.in_(chunk))):
            for member in set(ballot_selection(selection)):
                out[contest_id][member] += 1
    return out


def read_primaries(session: Session, cycle_id: str, council_ids: Iterable[str], day: date
                   ) -> dict[str, list[DistrictPrimary]]:
    """Every registered district of these councils in number order, with its published ranking (or problem)."""
    wanted = list(council_ids)
    districts = list(session.scalars(select(District).where(District.council_id.in_(wanted))
                                     .order_by(District.council_id, District.number, District.id)))
    contests = {c.district_id: c for c in session.scalars(
        select(Contest).where(Contest.cycle_id == cycle_id, Contest.council_id.in_(wanted), Contest.district_id != ""))}
    published = [c.id for c in contests.values() if c.status == "published"]
    results: dict[str, dict[str, Any]] = {}
    for start in range(0, len(published), 500):
        for pub in session.scalars(select(Publication).where(Publication.contest_id.in_(published[start:start + 500]))):
            results[pub.contest_id] = json.loads(pub.result_json)
    votes = _votes(session, results)
    # the columns shown, not whole rows: a national overview reads every district's nominees (12,000 at full size)
    people: dict[tuple[str, str], tuple[str, str, date, str]] = {}
    for start in range(0, len(published), 500):
        for contest_id, member_id, name, sex, born, tags in session.execute(
                select(Nomination.contest_id, Member.id, Member.name, Member.sex, Member.birth_date, Nomination.tags)
                .join(Member, Member.id == Nomination.member_id)
                .where(Nomination.contest_id.in_(published[start:start + 500]))):
            people[(contest_id, member_id)] = (name, sex, born, tags)
    out: dict[str, list[DistrictPrimary]] = {c: [] for c in wanted}
    for d in districts:
        contest = contests.get(d.id)
        ranking: tuple[Person, ...] = ()
        problem: str | None = None
        if contest is None:
            problem = "no_contest"
        elif contest.status != "published" or contest.id not in results:
            problem = "not_published"
        else:
            left_out = exclusions(contest)
            ids = [str(i) for i in results[contest.id].get("ranking") or () if str(i) not in left_out]
            counted = votes.get(contest.id, {})
            total = sum(counted.get(i, 0) for i in ids)
            rows = []
            for i in ids:
                name, sex, born, tags = people[(contest.id, i)]
                rows.append(Person(i, name, "F" if sex == "F" else "M", born,
                                   tuple(t for t in tags.split(",") if t), counted.get(i, 0), 0,
                                   _share(counted.get(i, 0), total), age_on(born, day)))
            # the engine's rank: votes, then the published order (the count's own tie-break)
            order = sorted(range(len(rows)), key=lambda k: (-rows[k].votes, k))
            ranking = tuple(Person(**{**_fields(rows[k]), "rank": r + 1}) for r, k in enumerate(order))
            problem = None if ranking else "no_candidates"
        out[d.council_id].append(DistrictPrimary(d.id, d.number, d.name, None if contest is None else contest.id,
                                                 None if contest is None else contest.status, ranking, problem))
    return out


def _fields(p: Person) -> dict[str, Any]:
    return {k: getattr(p, k) for k in Person.__slots__}
