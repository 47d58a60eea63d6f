"""The congress report's primaries section on both backends, against counts made here from the rows.

The report's region grouping failed on PostgreSQL (``GROUP BY`` on an expression PostgreSQL could not match with
the selected one: two ``substr`` calls with separate parameters) while every report test ran on SQLite; this runs
the national report on the primaries world of this package on SQLite and on PostgreSQL, with votes cast, counted
and published, and checks its figures.
"""

from __future__ import annotations

from collections import Counter

from sqlalchemy import func, select

from tandau.services.primaries import contests, publish, read, voting
from tandau.services.primaries.auth import actor_for
from tandau.services.primaries.nominations import public_ids
from tandau.services.report import congress_report
from tandau.store.models import Ballot, Member, Participation
from tests.integration.primaries.conftest import AFTER, CENTRAL, DURING, World

VOTES = {"national": {"m1": ["m1"], "m2": ["m1", "m3"], "m5": ["m2"], "m7": ["m3"]},
         "almaty-city": {"m1": ["m2"], "m4": ["m1"]}}


def _figures(section: object) -> dict[str, object]:
    return {f.key: f.value for f in section.figures}  # type: ignore[attr-defined]


def test_primaries_figures_on_both_backends(world: World) -> None:
    with world.session() as s:
        for contest_id, ballots in VOTES.items():
            for member, chosen in ballots.items():
                voting.cast_ballot(s, actor_for(s, member), contest_id, chosen, now=DURING)
    for contest_id in VOTES:
        world.close(contest_id)
        with world.session() as s:
            publish.publish_contest(s, CENTRAL, contest_id)
    with world.session() as s:
        contests.close_contest(s, CENTRAL, "almaty-region", now=AFTER)
        report = congress_report(s, CENTRAL, "2026")
        kato: dict[str, str] = {str(row[0]): str(row[1]) for row in s.execute(select(Member.id, Member.kato))}
        voted = sorted(set(s.scalars(select(Participation.member_id))))
        counted = s.scalar(select(func.count()).select_from(Ballot))
    national = _figures(next(x for x in report.sections if x.id == "primaries"))
    assert national["primaries.members"] == 7
    assert national["primaries.voters"] == len(voted) == 5  # m1, m2, m4, m5, m7
    assert national["primaries.ballots_cast"] == counted == 6
    assert national["primaries.ballots_counted"] == 6
    by_region = Counter(kato[m][:2] for m in voted)
    annexes = {a.region: _figures(next(x for x in a.sections if x.id == "primaries")) for a in report.annexes}
    assert {r: f["primaries.voters"] for r, f in annexes.items() if f["primaries.voters"]} == dict(by_region)
    assert sum(int(f["primaries.voters"] or 0) for f in annexes.values()) == national["primaries.voters"]


def test_publication_keeps_the_marks_the_pages_read(world: World) -> None:
    """The published summary carries each candidate's marks, equal to a count of the ballots; the district
    primaries read them from there, and recount the ballots only for a publication without them."""
    from tandau.services.district_primaries import _votes

    with world.session() as s:
        for member, chosen in VOTES["national"].items():
            voting.cast_ballot(s, actor_for(s, member), "national", chosen, now=DURING)
    world.close("national")
    with world.session() as s:
        publish.publish_contest(s, CENTRAL, "national")
        summary = publish.published_result(s, "national")
        assert summary is not None
        recount = Counter(c for sel in s.scalars(select(Ballot.selection).where(Ballot.contest_id == "national"))
                          for c in set(contests.ballot_selection(sel)))
        assert summary["marks"] == dict(recount) == {"m1": 2, "m2": 1, "m3": 2}
        legacy = {k: v for k, v in summary.items() if k != "marks"}
        # the public result names candidates by their public ids only, the marks too
        public = read.public_result(s, None, "national")
        ids = public_ids(s, "national")
        assert public["marks"] == {ids[m]: n for m, n in recount.items()}
        assert not {"m1", "m2", "m3"} & set(public["marks"])
        assert _votes(s, {"national": summary})["national"] == _votes(s, {"national": legacy})["national"] == recount
