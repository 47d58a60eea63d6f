"""The primaries' figures of the congress report: members on the roll, voters, ballots, turnout, candidates.

Counted per region by residence (the member's KATO), nationally over every contest of the cycle:

- members on the roll: members whose status is ``active``;
- voters: distinct members with a participation row in a contest of the cycle;
- ballots cast: the sum of ``participation.casts`` (a re-vote is a ballot cast; the last one counts);
- ballots counted: rows of ``ballots`` (decrypted, anonymous) of the cycle's contests, by the contest's territory;
- candidates: distinct members with a registered nomination in a contest of the cycle; women: sex ``F``; young:
  under 35 on the cycle's election day (the workspace's ``YOUTH_UNDER``).
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from tandau.core.candidates import age_on
from tandau.core.report import Chart, Figure, Section, Table, share
from tandau.services.report.common import NATIONAL, region_of
from tandau.services.workspace_lists import YOUTH_UNDER
from tandau.store.models import Ballot, Contest, Cycle, Member, Nomination, Participation


def _sum(d: dict[str, int]) -> int:
    return sum(d.values())


def primaries_sections(session: Session, cycle: Cycle) -> tuple[Section, dict[str, Section]]:
    """The national section and one per region (2-digit KATO prefix) with members or candidates."""
    day = cycle.election_date or date.today()
    in_cycle = select(Contest.id).where(Contest.cycle_id == cycle.id)
    # one expression object in SELECT and GROUP BY: PostgreSQL matches them by their (shared) parameters
    region = func.substr(Member.kato, 1, 2)
    members: dict[str, int] = {}
    for kato, n in session.execute(select(region, func.count()).where(Member.status == "active").group_by(region)):
        members[region_of(kato)] = members.get(region_of(kato), 0) + int(n)
    # two aggregates rather than one count(DISTINCT): PostgreSQL sorts every participation row for a DISTINCT
    # (3.2 million at full size, 5 s), while a semi-join and a plain sum hash them (about 3 s together)
    voters: dict[str, int] = {}
    voted = (select(Participation.member_id).where(Participation.member_id == Member.id,
                                                   Participation.contest_id.in_(in_cycle)).exists())
    for kato, n_voters in session.execute(select(region, func.count()).where(voted).group_by(region)):
        voters[region_of(kato)] = voters.get(region_of(kato), 0) + int(n_voters)
    cast: dict[str, int] = {}
    for kato, n_cast in session.execute(select(region, func.sum(Participation.casts))
                                        .join(Member, Member.id == Participation.member_id)
                                        .where(Participation.contest_id.in_(in_cycle)).group_by(region)):
        cast[region_of(kato)] = cast.get(region_of(kato), 0) + int(n_cast or 0)
    # a member resides in one territory, so the regions' distinct voters add up to the nation's (one scan fewer
    # of the cycle's participation: 3.2 million rows at full size)
    total_voters = _sum(voters)
    counted: dict[str, int] = {}
    for kato, n in session.execute(select(Contest.kato, func.count(Ballot.id))
                                   .join(Ballot, Ballot.contest_id == Contest.id)
                                   .where(Contest.cycle_id == cycle.id).group_by(Contest.kato)):
        counted[region_of(kato)] = counted.get(region_of(kato), 0) + int(n)
    contests: dict[str, list[int]] = {}
    for kato, status, n in session.execute(select(Contest.kato, Contest.status, func.count())
                                           .where(Contest.cycle_id == cycle.id).group_by(Contest.kato, Contest.status)):
        pair = contests.setdefault(region_of(kato), [0, 0])
        pair[0] += int(n)
        pair[1] += int(n) if status == "published" else 0
    people = session.execute(select(Member.id, Member.sex, Member.birth_date, Member.kato).join(
        Nomination, Nomination.member_id == Member.id).where(Nomination.contest_id.in_(in_cycle),
                                                             Nomination.status == "registered").distinct()).all()
    cands: dict[str, list[int]] = {}
    for _id, sex, born, kato in people:
        row = cands.setdefault(region_of(kato), [0, 0, 0])
        row[0] += 1
        row[1] += sex == "F"
        row[2] += born is not None and age_on(born, day) < YOUTH_UNDER

    def figures(m: int, v: int, c: int, b: int, n_contests: int, n_published: int, cand: list[int],
                regional: bool) -> tuple[Figure, ...]:
        def where(national: str, region: str) -> str:
            return region if regional else national

        age = {"age": YOUTH_UNDER}
        return (
            Figure("primaries.members", "Members on the roll", m,
                   where("active members on the roll", "active members residing in the region")),
            Figure("primaries.voters", "Voters", v,
                   where("distinct members who voted in a contest of the cycle",
                         "distinct members residing in the region who voted in a contest of the cycle")),
            Figure("primaries.ballots_cast", "Ballots cast", c,
                   where("ballots cast by members (participation casts, re-votes included)",
                         "ballots cast by members residing in the region (participation casts, re-votes included)")),
            Figure("primaries.turnout", "Turnout", share(v, m), "voters / members on the roll", "share"),
            Figure("primaries.ballots_counted", "Ballots counted", b,
                   where("anonymous ballots counted in the cycle's contests",
                         "anonymous ballots counted in the cycle's contests in the region")),
            Figure("primaries.contests", "Primaries held", n_contests,
                   where("contests of the cycle", "contests of the cycle in the region")),
            Figure("primaries.published", "Primaries published", n_published,
                   where("contests of the cycle with published results",
                         "contests of the cycle in the region with published results")),
            Figure("primaries.candidates", "Candidates", cand[0],
                   where("distinct members with a registered nomination in the cycle",
                         "distinct members residing in the region with a registered nomination in the cycle")),
            Figure("primaries.candidates_women", "Women among candidates", share(cand[1], cand[0]),
                   "candidates of sex F / candidates", "share"),
            Figure("primaries.candidates_young", "Under-35s among candidates", share(cand[2], cand[0]),
                   "candidates under %(age)s on the election day / candidates", "share", age),
        )

    regions = sorted((set(members) | set(cands) | set(voters)) - {NATIONAL})
    by_region: dict[str, Section] = {}
    rows = []
    for r in regions:
        cand = cands.get(r, [0, 0, 0])
        con = contests.get(r, [0, 0])
        by_region[r] = Section("primaries", figures(members.get(r, 0), voters.get(r, 0), cast.get(r, 0),
                                                    counted.get(r, 0), con[0], con[1], cand, True))
        rows.append((r, members.get(r, 0), voters.get(r, 0), share(voters.get(r, 0), members.get(r, 0)),
                     cand[0], share(cand[1], cand[0]), share(cand[2], cand[0])))
    total_cands = [sum(v[i] for v in cands.values()) for i in range(3)]
    total_contests = [sum(v[i] for v in contests.values()) for i in range(2)]
    national = Section(
        "primaries",
        figures(_sum(members), total_voters, _sum(cast), _sum(counted), total_contests[0], total_contests[1],
                total_cands, False),
        (Table("Primaries by region", ("Region", "Members on the roll", "Voters", "Turnout", "Candidates",
                                       "Women among candidates", "Under-35s among candidates"), tuple(rows),
               "region"),),
        (Chart("Turnout by region", tuple((r[0], float(r[3] or 0.0)) for r in rows), True, "region"),),
    )
    return national, by_region
