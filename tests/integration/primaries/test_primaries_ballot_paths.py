"""One rule of who may vote, on every ballot path (issue 10, scope 10: one source of truth).

The rule is stated once for SQL (:data:`tandau.services.primaries.ballot_sql.GUARD`, used by the PostgreSQL
writer's single and batch statements) and once for the ORM reference path
(:func:`tandau.services.primaries.voting.cast_ballot` with ``check_eligible``); the SQLite lean write states it
with SQLAlchemy. This test runs every case through every path on both databases and requires the same
answer: accepted, refused (a check failed) or already voted; district contests (issue 11) included.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime, timedelta

import pytest
from sqlalchemy import update

from tandau.errors import TandauError
from tandau.services.primaries import ballot_fast, ballot_sync, contests, nominations, voting
from tandau.services.primaries.auth import actor_for
from tandau.services.primaries.errors import AlreadyVotedError
from tandau.store import Member

from .conftest import AFTER, CENTRAL, DURING, OPENS, World

ACCEPTED, VOTED, REFUSED = "accepted", "already_voted", "refused"


@dataclass(frozen=True)
class Case:
    name: str
    member: str
    contest: str
    selection: list[str]
    expected: str
    now: datetime = DURING
    setup: Callable[[World], None] = field(default=lambda world: None)


def _member(world: World, member: str, **values: object) -> None:
    with world.session() as s:
        s.execute(update(Member).where(Member.id == member).values(**values))
        s.commit()


def _disqualify(world: World) -> None:
    with world.session() as s:
        nominations.disqualify(s, CENTRAL, "almaty-city", "m4", "breach of the rules")


def _close(world: World) -> None:
    with world.session() as s:
        contests.close_contest(s, CENTRAL, "national", now=DURING, early=True)


def _voted(world: World) -> None:
    with world.session() as s:
        voting.cast_ballot(s, actor_for(s, "m2"), "national", ["m1"], now=DURING)


def _districts(world: World) -> None:
    from .test_primaries_districts import district_world

    district_world(world)


def _public(world: World, member: str) -> str:
    with world.session() as s:
        return nominations.public_ids(s, "national")[member]


CASES = [
    Case("valid", "m1", "almaty-city", ["m2", "m1"], ACCEPTED),
    Case("valid national, ranked order kept", "m5", "national", ["m3", "m1"], ACCEPTED),
    Case("suspended member", "m1", "almaty-city", ["m1"], REFUSED,
         setup=lambda w: _member(w, "m1", status="suspended")),
    Case("lives outside the territory", "m5", "almaty-city", ["m1"], REFUSED),
    Case("joined the roll after opening", "m1", "national", ["m1"], REFUSED,
         setup=lambda w: _member(w, "m1", on_roll_since=OPENS + timedelta(minutes=1))),
    Case("before the window", "m1", "national", ["m1"], REFUSED, now=OPENS - timedelta(seconds=1)),
    Case("after the window", "m1", "national", ["m1"], REFUSED, now=AFTER),
    Case("closed early", "m1", "national", ["m1"], REFUSED, setup=_close),
    Case("not a candidate", "m1", "almaty-city", ["m5"], REFUSED),
    Case("disqualified candidate", "m1", "almaty-city", ["m4"], REFUSED, setup=_disqualify),
    Case("too many marks", "m1", "almaty-city", ["m1", "m2", "m4"], REFUSED),
    Case("a mark twice", "m1", "national", ["m1", "m1"], REFUSED),
    Case("empty ballot", "m1", "national", [], REFUSED),
    Case("already voted", "m2", "national", ["m3"], VOTED, setup=_voted),
    Case("unknown contest", "m1", "nowhere", ["m1"], REFUSED),
    Case("in the contest's district", "m2", "2026-ms-75-D01", ["m1"], ACCEPTED, setup=_districts),
    Case("in another district", "m4", "2026-ms-75-D01", ["m1"], REFUSED, setup=_districts),
    Case("assigned to no district", "m7", "2026-ms-75-D01", ["m1"], REFUSED, setup=_districts),
]


def _reference(world: World, case: Case, selection: list[str]) -> str:
    with world.session() as s:
        try:
            voting.cast_ballot(s, actor_for(s, case.member), case.contest, selection, now=case.now)
        except AlreadyVotedError:
            return VOTED
        except TandauError:
            return REFUSED
    return ACCEPTED


def _lean(world: World, case: Case, selection: list[str]) -> str:
    with world.session() as s:
        try:
            tracker = ballot_sync.cast(s, ballot_fast.ContestCache(), case.member, case.contest, selection,
                                       now=case.now)
        except AlreadyVotedError:
            return VOTED
    return ACCEPTED if tracker is not None else REFUSED


def _async(world: World, case: Case, selection: list[str]) -> str:
    url = f"{world.db.url}{'&' if '?' in world.db.url else '?'}options=-csearch_path%3D{world.db.schema}"

    async def main() -> str:
        writer = ballot_fast.writer_for(url, size=2)
        assert writer is not None
        try:
            tracker = await writer.cast(case.member, case.contest, selection, now=case.now)
        except AlreadyVotedError:
            return VOTED
        finally:
            await writer.close()
        return ACCEPTED if tracker is not None else REFUSED

    with ThreadPoolExecutor(max_workers=1) as pool:  # a loop of its own (Playwright may hold the main one)
        return pool.submit(asyncio.run, main()).result(timeout=30)


PATHS = {"reference": _reference, "lean": _lean, "async": _async}


@pytest.mark.parametrize("path", list(PATHS))
@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_every_path_gives_the_same_answer(world: World, case: Case, path: str) -> None:
    if path == "async" and world.db.backend != "postgresql":
        pytest.skip("the asynchronous writer runs on PostgreSQL only")
    case.setup(world)
    assert PATHS[path](world, case, case.selection) == case.expected


@pytest.mark.parametrize("path", list(PATHS))
def test_public_candidate_ids_are_taken_on_every_path(world: World, path: str) -> None:
    if path == "async" and world.db.backend != "postgresql":
        pytest.skip("the asynchronous writer runs on PostgreSQL only")
    case = Case("public ids", "m7", "national", [], ACCEPTED)
    assert PATHS[path](world, case, [_public(world, "m3"), _public(world, "m1")]) == ACCEPTED
    opened = world.sealed("national")
    assert [b.selection for b in opened] == ['["m1", "m3"]']
