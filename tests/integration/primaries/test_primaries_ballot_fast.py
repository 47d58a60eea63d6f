"""The one-statement ballot writer (:mod:`tandau.services.primaries.ballot_fast`): batching, the contest
cache, a racing close, secrecy of the rows it writes.

On PostgreSQL the writer under test is :class:`~tandau.services.primaries.ballot_fast.AsyncBallotWriter`
(its own pool of autocommit connections in the test's schema). SQLite has no such writer: the app uses the
lean guarded write of :mod:`~tandau.services.primaries.ballot_sync` with the same
:class:`~tandau.services.primaries.ballot_fast.ContestCache`, so the contract tests (outcomes, cache, race,
secrecy) run on it through :class:`SqliteWriter`, concurrent submissions in threads. Batching exists on
PostgreSQL only. Every writer answers a ballot with a tracking code, None (a check failed: the caller takes
the reference path) or :class:`~tandau.services.primaries.errors.AlreadyVotedError`.

Every contest of the test world is sealed to the cycle's election key: the writers put each ballot into
``sealed_ballots`` and nothing into ``ballots`` while voting runs; the tests open the sealed boxes with the key
(:meth:`World.sealed`) and, where they check the anonymous rows, decrypt the closed contest.
"""

from __future__ import annotations

import asyncio
import random
import secrets
from collections import Counter
from collections.abc import Awaitable, Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import AsyncExitStack
from datetime import date, datetime, timedelta
from typing import Any, Protocol, TypeVar

import pytest
from sqlalchemy import func, inspect, select, text

from tandau.core.tally.tracking import is_tracking_code
from tandau.services.primaries import audit, ballot_fast, ballot_sync, contests, nominations
from tandau.services.primaries.ballot_fast import AsyncBallotWriter, ContestCache, ContestSnapshot
from tandau.services.primaries.errors import AlreadyVotedError, StateError
from tandau.store import Ballot, Member, Participation
from tandau.store.models import SealedBallot

from .conftest import CENTRAL, CLOSES, DURING, OPENS, Db, Opened, World

T = TypeVar("T")
ACCEPTED, VOTED, REFUSED = "accepted", "already_voted", "refused"


class Writer(Protocol):
    cache: ContestCache

    async def cast(
        self,
        member_id: str,
        contest_id: str,
        selection: Sequence[str],
        *,
        now: datetime,
        rng: random.Random | None = None,
    ) -> str | None: ...


class SqliteWriter:
    """The writer's contract over the lean synchronous write; each ballot in a worker thread, own session."""

    def __init__(self, db: Db) -> None:
        self.db = db
        self.cache = ContestCache()

    async def cast(
        self,
        member_id: str,
        contest_id: str,
        selection: Sequence[str],
        *,
        now: datetime,
        rng: random.Random | None = None,
    ) -> str | None:
        def run() -> str | None:
            with self.db.Session() as session:
                return ballot_sync.cast(session, self.cache, member_id, contest_id, selection, now=now, rng=rng)

        return await asyncio.to_thread(run)


def pg_url(db: Db) -> str:
    return f"{db.url}{'&' if '?' in db.url else '?'}options=-csearch_path%3D{db.schema}"


def run(world: World, scenario: Callable[[Writer], Awaitable[T]], *, size: int = 8) -> T:
    """``scenario`` with a fresh writer, in an event loop of its own (bounded: 20 s)."""

    async def main() -> T:
        writer: Writer
        if world.db.backend == "sqlite":
            writer = SqliteWriter(world.db)
            return await asyncio.wait_for(scenario(writer), 20)
        pg = ballot_fast.writer_for(pg_url(world.db), size=size)
        assert pg is not None
        try:
            return await asyncio.wait_for(scenario(pg), 20)
        finally:
            await pg.close()

    # a thread of its own: the browser tests' Playwright (sync API) keeps an event loop running in the main
    # thread for the whole session, and asyncio.run refuses to start inside a running loop
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, main()).result()


async def outcome(
    writer: Writer, member: str, contest: str, selection: Sequence[str], *, now: datetime = DURING
) -> tuple[str, str | None]:
    try:
        tracker = await writer.cast(member, contest, selection, now=now)
    except AlreadyVotedError:
        return VOTED, None
    return (ACCEPTED, tracker) if tracker is not None else (REFUSED, None)


def rows(world: World, contest: str | None = None) -> tuple[list[Opened], list[Any]]:
    """(sealed ballot rows opened with the key, participation rows), of one contest or all; while voting runs
    nothing reaches the plain ballots table."""
    with world.session() as s:
        plain = select(func.count()).select_from(Ballot)
        voted = select(Participation.member_id, Participation.contest_id, Participation.voted_on)
        if contest is not None:
            plain = plain.where(Ballot.contest_id == contest)
            voted = voted.where(Participation.contest_id == contest)
        assert s.scalar(plain) == 0, "a ballot was written in clear"
        participation = list(s.execute(voted).all())
    return world.sealed(contest), participation


def assert_consistent(world: World, accepted: Sequence[str | None]) -> None:
    """Every accepted tracker is stored (sealed), nothing else; one participation row per sealed ballot of each
    contest, naming the same member, and each member counted at most once per contest."""
    ballots, voted = rows(world)
    assert sorted(b.tracker for b in ballots) == sorted(t for t in accepted if t is not None)
    pairs = [(v.member_id, v.contest_id) for v in voted]
    assert len(set(pairs)) == len(pairs)
    assert Counter(b.contest_id for b in ballots) == Counter(contest for _, contest in pairs)
    assert sorted((b.member_id, b.contest_id) for b in ballots) == sorted(pairs)
    assert {b.cast_no for b in ballots} <= {1}  # no re-voting in these contests


# ---- single ballots ----------------------------------------------------------------------------------------


def test_an_accepted_ballot_is_one_anonymous_row_and_a_second_one_is_already_voted(world: World) -> None:
    """Also: the same member in another contest, and a ranked ballot whose order is kept."""

    async def scenario(w: Writer) -> list[tuple[str, str | None]]:
        return [
            await outcome(w, "m7", "almaty-city", ["m4", "m2"]),
            await outcome(w, "m7", "almaty-city", ["m1"]),
            await outcome(w, "m7", "national", ["m3"]),
            await outcome(w, "m6", "almaty-region", ["m6", "m5"]),  # ranked: the order is the vote
        ]

    (first, tracker), second, (third, t3), (fourth, t4) = run(world, scenario)
    assert (first, second, third, fourth) == (ACCEPTED, (VOTED, None), ACCEPTED, ACCEPTED)
    assert [b.selection for b in rows(world, "almaty-region")[0]] == ['["m6", "m5"]']
    assert tracker is not None and is_tracking_code(tracker)
    ballots, voted = rows(world, "almaty-city")
    assert [(v.member_id, v.contest_id, v.voted_on) for v in voted] == [("m7", "almaty-city", DURING.date())]
    [sealed] = ballots  # the outer envelope names the voter; the box holds the tracking code and the marks
    assert (sealed.contest_id, sealed.member_id, sealed.cast_no) == ("almaty-city", "m7", 1)
    assert (sealed.tracker, sealed.selection) == (tracker, '["m2", "m4"]')
    assert tracker.encode() not in sealed.box and b'["m2","m4"]' not in sealed.box  # not in clear
    assert_consistent(world, [tracker, t3, t4])
    # after close the key holders decrypt: one anonymous row, nothing left of the envelope
    world.close("almaty-city")
    with world.session() as s:
        [ballot] = s.execute(select(Ballot.id, Ballot.contest_id, Ballot.tracker, Ballot.selection)
                             .where(Ballot.contest_id == "almaty-city")).all()
        assert s.scalar(select(func.count()).select_from(SealedBallot)
                        .where(SealedBallot.contest_id == "almaty-city")) == 0
    assert (ballot.contest_id, ballot.tracker, ballot.selection) == ("almaty-city", tracker, '["m2", "m4"]')
    assert len(ballot.id) == 32 and int(ballot.id, 16) >= 0  # random hex, not a sequence
    assert "m7" not in repr(tuple(ballot))  # nothing in the ballot names the voter
    # the ballots table has no column or key that could name a member
    table = inspect(world.db.engine)
    assert {c["name"] for c in table.get_columns("ballots")} == {"id", "contest_id", "tracker", "selection"}
    assert {fk["referred_table"] for fk in table.get_foreign_keys("ballots")} == {"contests"}


# every check of the reference path, each failing alone: the writer writes nothing and answers None
FAILING = {
    "territory": ("m5", "almaty-city", ["m1"], DURING),
    "unknown candidate": ("m1", "almaty-city", ["m9"], DURING),
    "candidate of another contest": ("m1", "almaty-city", ["m5"], DURING),
    "too many marks": ("m1", "almaty-city", ["m1", "m2", "m4"], DURING),
    "candidate twice": ("m1", "almaty-city", ["m1", "m1"], DURING),
    "empty": ("m1", "almaty-city", [], DURING),
    "unknown contest": ("m1", "nope", ["m1"], DURING),
    "not a member": ("central-test", "national", ["m1"], DURING),
    "suspended member": ("m3", "national", ["m1"], DURING),
    "before opening": ("m1", "national", ["m1"], OPENS - timedelta(seconds=1)),
    "at closing": ("m1", "national", ["m1"], CLOSES),
}


def test_every_failed_check_writes_nothing(world: World) -> None:
    with world.session() as s:
        s.execute(text("UPDATE members SET status = 'suspended' WHERE id = 'm3'"))
        s.commit()

    async def scenario(w: Writer) -> dict[str, tuple[str, str | None]]:
        return {case: await outcome(w, m, c, sel, now=now) for case, (m, c, sel, now) in FAILING.items()}

    assert run(world, scenario) == dict.fromkeys(FAILING, (REFUSED, None))
    assert rows(world) == ([], [])


# ---- concurrency and batching ------------------------------------------------------------------------------


def _spy_batches(writer: Writer) -> list[list[str]]:
    """The members of every batch statement the PostgreSQL writer sends (nothing on SQLite)."""
    batches: list[list[str]] = []
    if isinstance(writer, AsyncBallotWriter):
        send = writer._send_batch

        async def spy(batch: list[Any]) -> None:
            batches.append([b.member for b in batch])
            await send(batch)

        writer._send_batch = spy  # type: ignore[method-assign]
    return batches


def test_concurrent_submissions_each_get_their_own_outcome(world: World) -> None:
    """Voters of Almaty city: m1-m4 and m7; m5, m6 live elsewhere; m7 voted before; m1 and m3 submit twice,
    m2 a second time with an unknown candidate."""
    submissions = [
        ("m1", ["m1"]),
        ("m2", ["m2", "m4"]),
        ("m3", ["m4"]),
        ("m3", ["m1"]),
        ("m4", ["m1", "m2"]),
        ("m5", ["m1"]),
        ("m6", ["m2"]),
        ("m7", ["m4"]),
        ("m1", ["m2"]),
        ("m2", ["m9"]),
    ]

    async def scenario(w: Writer) -> tuple[str | None, list[tuple[str, str | None]], list[list[str]]]:
        before = await w.cast("m7", "almaty-city", ["m1"], now=DURING)
        batches = _spy_batches(w)
        results = await asyncio.gather(*(outcome(w, m, "almaty-city", sel) for m, sel in submissions))
        return before, list(results), batches

    before, results, batches = run(world, scenario)
    by_member: dict[str, list[str]] = {}
    for (member, _), (result, _) in zip(submissions, results, strict=True):
        by_member.setdefault(member, []).append(result)
    assert {m: sorted(r) for m, r in by_member.items()} == {
        "m1": [ACCEPTED, VOTED],
        "m2": [ACCEPTED, REFUSED],
        "m3": [ACCEPTED, VOTED],
        "m4": [ACCEPTED],
        "m5": [REFUSED],
        "m6": [REFUSED],
        "m7": [VOTED],
    }
    assert by_member["m2"] == [ACCEPTED, REFUSED]
    assert_consistent(world, [before] + [t for _, t in results])
    assert sorted(v.member_id for v in rows(world)[1]) == ["m1", "m2", "m3", "m4", "m7"]
    if world.db.backend == "postgresql":
        assert max(len(b) for b in batches) >= 3, batches  # submissions were gathered into one statement
        assert all(len(set(b)) == len(b) for b in batches), batches  # never one member twice in a statement
        ineligible = [b for b in batches if "m5" in b]
        assert ineligible and len(ineligible[0]) > 1, batches  # a refused row shares its statement with others


def test_each_member_is_accepted_exactly_once_among_simultaneous_twins(world: World) -> None:
    """Every member of the roll submits three times at once to the national list (all seven may vote)."""
    members = ["m1", "m2", "m3", "m4", "m5", "m6", "m7"]

    async def scenario(w: Writer) -> tuple[list[tuple[str, str | None]], list[list[str]]]:
        batches = _spy_batches(w)
        results = await asyncio.gather(*(outcome(w, m, "national", ["m2", "m1"]) for m in members for _ in range(3)))
        return list(results), batches

    results, batches = run(world, scenario)
    for i, member in enumerate(members):
        assert sorted(r for r, _ in results[3 * i : 3 * i + 3]) == [ACCEPTED, VOTED, VOTED], member
    assert_consistent(world, [t for _, t in results])
    ballots, voted = rows(world, "national")
    assert sorted(v.member_id for v in voted) == members and len(ballots) == 7
    assert {b.selection for b in ballots} == {'["m1", "m2"]'}
    if world.db.backend == "postgresql":
        assert all(len(set(b)) == len(b) for b in batches), batches
        assert max(len(b) for b in batches) >= 3, batches


@pytest.mark.parametrize("backend", ["postgresql"])
def test_a_failing_batch_statement_leaves_every_ballot_to_its_own_statement(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(ballot_fast, "BATCH_SQL", "SELECT no_such_function()")
    monkeypatch.setattr(ballot_fast, "SEALED_BATCH_SQL", "SELECT no_such_function()")
    submissions = [("m1", ["m1"]), ("m2", ["m1"]), ("m5", ["m1"]), ("m1", ["m2"]), ("m4", ["m2"]), ("m7", ["m9"])]

    async def scenario(w: Writer) -> tuple[list[tuple[str, str | None]], list[list[str]]]:
        batches = _spy_batches(w)
        return list(await asyncio.gather(*(outcome(w, m, "almaty-city", s) for m, s in submissions))), batches

    results, batches = run(world, scenario)
    assert batches, "the batch statement was never tried"
    assert [r for r, _ in results] == [ACCEPTED, ACCEPTED, REFUSED, VOTED, ACCEPTED, REFUSED]
    assert_consistent(world, [t for _, t in results])


@pytest.mark.parametrize("backend", ["postgresql"])
def test_a_tracking_code_collision_draws_another_code_in_a_contest_opened_before_sealing(world: World) -> None:
    """A contest opened before sealed ballots existed (no key) writes plain rows: two ballots whose random
    generators give the same first code, the second one is written with a new code (the unique tracker refuses
    the batch; the single statement retries), not refused as 'already voted'."""
    with world.session() as s:
        s.execute(text("UPDATE contests SET key_id = NULL, seed_box = NULL, seed_commitment = NULL "
                       "WHERE id = 'national'"))
        s.commit()

    async def scenario(w: Writer) -> list[str | None]:
        return [await w.cast(m, "national", ["m1"], now=DURING, rng=random.Random(7)) for m in ("m1", "m2")]

    first, second = run(world, scenario)
    assert first is not None and second is not None and first != second
    with world.session() as s:
        assert sorted(s.scalars(select(Ballot.tracker))) == sorted([first, second])
        assert sorted(s.scalars(select(Participation.member_id))) == ["m1", "m2"]
        assert s.scalar(select(func.count()).select_from(SealedBallot)) == 0


@pytest.mark.parametrize("backend", ["postgresql"])
def test_a_tracking_code_collision_in_a_sealed_contest_is_caught_at_decryption(world: World) -> None:
    """In a sealed contest the tracking code is inside the box, so the database cannot see two equal codes
    (80 random bits: only a broken generator gives them); the key holders' decryption refuses them instead of
    publishing one code for two ballots."""

    async def scenario(w: Writer) -> list[str | None]:
        return [await w.cast(m, "national", ["m1"], now=DURING, rng=random.Random(7)) for m in ("m1", "m2")]

    first, second = run(world, scenario)
    assert first is not None and first == second
    assert_consistent(world, [first, second])
    with world.session() as s:
        contests.close_contest(s, CENTRAL, "national", now=DURING, early=True)
    with pytest.raises(StateError, match="same tracking code"):
        world.decrypt("national")
    with world.session() as s:  # nothing was decrypted: the sealed rows stay for an inquiry
        assert s.scalar(select(func.count()).select_from(Ballot)) == 0
        assert s.scalar(select(func.count()).select_from(SealedBallot)) == 2


# ---- the contest cache -------------------------------------------------------------------------------------


def test_contest_cache_expires_and_is_invalidated() -> None:
    now = [100.0]
    cache = ContestCache(ttl=2.0, clock=lambda: now[0])
    other = ContestCache(ttl=2.0, clock=lambda: now[0])
    snap = ContestSnapshot("c1", None, "approval", 2, OPENS, CLOSES, "open", ("m1",))
    cache.put(snap)
    other.put(snap)
    now[0] += 2.0
    assert cache.get("c1") is snap
    now[0] += 0.01
    assert cache.get("c1") is None  # expired after ttl
    cache.put(snap)
    cache.put(ContestSnapshot("c2", None, "ranked", None, OPENS, CLOSES, "open", ()))
    cache.invalidate("c1")
    assert cache.get("c1") is None and cache.get("c2") is not None
    cache.invalidate()
    assert cache.get("c2") is None
    other.put(snap)
    ballot_fast.invalidate("c1")  # what open, extend and close call: every cache of the process
    assert other.get("c1") is None
    assert snap.accepting(DURING) and not snap.accepting(CLOSES) and not snap.accepting(OPENS - timedelta(1))


def test_a_close_after_caching_is_seen(world: World) -> None:
    """Closed through the service (this process's caches are invalidated), or by another process (the cache
    still says open; the guarded insert re-checks and refuses)."""

    async def scenario(w: Writer) -> list[tuple[str, str | None]]:
        got = [await outcome(w, "m1", "national", ["m1"]), await outcome(w, "m5", "almaty-region", ["m5"])]
        for contest in ("national", "almaty-region"):
            cached = w.cache.get(contest)
            assert cached is not None and cached.status == "open"
        with world.session() as s:
            contests.close_contest(s, CENTRAL, "national", now=DURING, early=True)
            s.execute(text("UPDATE contests SET status = 'closed' WHERE id = 'almaty-region'"))  # elsewhere
            s.commit()
        assert w.cache.get("national") is None
        stale = w.cache.get("almaty-region")
        assert stale is not None and stale.status == "open"
        got += [await outcome(w, "m2", "national", ["m1"]), await outcome(w, "m1", "national", ["m1"])]
        reread = w.cache.get("national")
        assert reread is not None and reread.status == "closed"
        got += [await outcome(w, "m6", "almaty-region", ["m5"]), await outcome(w, "m5", "almaty-region", ["m6"])]
        return got

    results = run(world, scenario)
    # after the close nothing is accepted, and "closed" comes before "already voted" (None: ask the route)
    assert [r for r, _ in results] == [ACCEPTED, ACCEPTED, REFUSED, REFUSED, REFUSED, REFUSED]
    assert_consistent(world, [t for _, t in results])


def test_an_extension_is_seen_through_the_service_at_once_and_from_elsewhere_after_the_ttl(world: World) -> None:
    late = CLOSES + timedelta(hours=1)
    clock = [0.0]

    async def scenario(w: Writer) -> list[tuple[str, str | None]]:
        w.cache.clock = lambda: clock[0]
        got = [await outcome(w, "m1", "national", ["m1"]), await outcome(w, "m2", "national", ["m1"], now=late)]
        with world.session() as s:  # through the service: the cache is invalidated
            contests.extend_contest(s, CENTRAL, "national", CLOSES + timedelta(days=1), reason="site overloaded")
        got.append(await outcome(w, "m2", "national", ["m1"], now=late))
        # another process extends the regional contest: this cache keeps the old closing time until the ttl
        got.append(await outcome(w, "m5", "almaty-region", ["m5"]))
        with world.session() as s:
            s.execute(
                text("UPDATE contests SET closes_at = :c WHERE id = 'almaty-region'"),
                {"c": (CLOSES + timedelta(days=1)).replace(tzinfo=None)},
            )
            s.commit()
        got.append(await outcome(w, "m6", "almaty-region", ["m5"], now=late))  # stale: refused, no write
        clock[0] += w.cache.ttl + 0.1
        got.append(await outcome(w, "m6", "almaty-region", ["m5"], now=late))
        return got

    results = run(world, scenario)
    assert [r for r, _ in results] == [ACCEPTED, REFUSED, ACCEPTED, ACCEPTED, REFUSED, ACCEPTED]
    assert_consistent(world, [t for _, t in results])


def test_candidate_changes_after_caching_are_seen(world: World) -> None:
    async def scenario(w: Writer) -> list[tuple[str, str | None]]:
        got = [await outcome(w, "m1", "almaty-city", ["m4"])]  # caches candidates m1, m2, m4
        with world.session() as s:
            nominations.withdraw(s, CENTRAL, "almaty-city", "m4", "personal reasons")
            s.execute(
                text(
                    "INSERT INTO nominations (id, contest_id, member_id, nominated_by, tags, status, "
                    "position, created_at) VALUES (:id, 'almaty-city', 'm7', 'self', '', 'registered', "
                    "9, :at)"
                ),
                {"id": secrets.token_hex(16), "at": OPENS.replace(tzinfo=None)},
            )
            s.commit()
        cached = w.cache.get("almaty-city")
        assert cached is not None and "m4" in cached.candidates and "m7" not in cached.candidates
        got.append(await outcome(w, "m2", "almaty-city", ["m4"]))  # withdrawn: the statement refuses
        got.append(await outcome(w, "m2", "almaty-city", ["m7", "m1"]))  # new: not in the cached snapshot
        return got

    results = run(world, scenario)
    if world.db.backend == "postgresql":  # an unknown candidate makes the writer read the contest again
        assert [r for r, _ in results] == [ACCEPTED, REFUSED, ACCEPTED]
        assert sorted(b.selection for b in rows(world)[0]) == ['["m1", "m7"]', '["m4"]']
    else:  # the lean path leaves it to the reference path (which reads afresh and accepts): nothing written
        assert [r for r, _ in results] == [ACCEPTED, REFUSED, REFUSED]
        assert [b.selection for b in rows(world)[0]] == ['["m4"]']
    assert_consistent(world, [t for _, t in results])


def test_public_candidate_ids_name_the_right_candidate_even_at_one_position(world: World) -> None:
    """A ballot may name candidates by their public ids; the writer translates them to member ids from its
    snapshot. Nominations sharing a position (two registrations racing for the next one) must not pair a
    public id with another candidate's member id."""
    with world.session() as s:
        s.execute(text("UPDATE nominations SET position = 1 WHERE contest_id = 'national'"))
        s.commit()
        public = nominations.public_ids(s, "national")

    async def scenario(w: Writer) -> list[tuple[str, str | None]]:
        return [await outcome(w, voter, "national", [public[choice]])
                for voter, choice in (("m1", "m1"), ("m2", "m2"), ("m4", "m3"))]

    assert [r for r, _ in run(world, scenario)] == [ACCEPTED] * 3
    assert {(b.member_id, b.selection) for b in rows(world, "national")[0]} == {
        ("m1", '["m1"]'), ("m2", '["m2"]'), ("m4", '["m3"]')}


@pytest.mark.parametrize("backend", ["postgresql"])
def test_simultaneous_cache_misses_share_one_read(world: World) -> None:
    async def scenario(w: Writer) -> tuple[int, list[tuple[str, str | None]]]:
        assert isinstance(w, AsyncBallotWriter)
        loads = 0
        load = w._load

        async def counted(contest_id: str) -> ContestSnapshot | None:
            nonlocal loads
            loads += 1
            return await load(contest_id)

        w._load = counted  # type: ignore[method-assign]
        results = await asyncio.gather(*(outcome(w, m, "national", ["m3"]) for m in ("m1", "m2", "m3", "m4")))
        return loads, list(results)

    loads, results = run(world, scenario)
    assert loads == 1
    assert [r for r, _ in results] == [ACCEPTED] * 4


# ---- a close racing the ballots ----------------------------------------------------------------------------


def test_a_racing_close_lets_no_ballot_in_after_it(world: World, monkeypatch: pytest.MonkeyPatch) -> None:
    """Ballots stream in while central office closes the contest early. Inside the close's transaction (after
    its update of the contest row, when it writes its audit entry) the sealed ballots are counted: no ballot
    may be added after that point, every accepted tracker is stored, and ballots were both accepted and refused
    (the race really happened)."""
    voters = [f"v{i:03d}" for i in range(90)]
    with world.session() as s:
        s.add_all(
            Member(id=v, name=v, sex="F", birth_date=date(1990, 1, 1), kato="751110000", contact=None, status="active")
            for v in voters
        )
        s.commit()
    at_close: list[int] = []
    append = audit.append

    def counting_append(session: Any, **entry: Any) -> Any:
        if entry["action"] == "contest.close":
            session.flush()  # the update of the contest row (it waits for ballots holding the row FOR SHARE)
            at_close.append(session.scalar(select(func.count()).select_from(SealedBallot)
                                           .where(SealedBallot.contest_id == entry["target"])))
        return append(session, **entry)

    monkeypatch.setattr(audit, "append", counting_append)

    def close() -> None:
        with world.session() as s:
            contests.close_contest(s, CENTRAL, "national", now=DURING, early=True)

    async def scenario(w: Writer) -> list[tuple[str, str | None]]:
        started = asyncio.Event()
        accepted = 0

        async def voter(i: int, member: str) -> tuple[str, str | None]:
            nonlocal accepted
            await asyncio.sleep(0.002 * i)
            result = await outcome(w, member, "national", ["m1", "m3"])
            accepted += result[0] == ACCEPTED
            if accepted >= 10:
                started.set()
            return result

        async def closer() -> None:
            await started.wait()
            await asyncio.to_thread(close)

        closing = asyncio.ensure_future(closer())
        results = await asyncio.gather(*(voter(i, v) for i, v in enumerate(voters)))
        await closing
        return list(results)

    results = run(world, scenario)
    kinds = [r for r, _ in results]
    assert set(kinds) == {ACCEPTED, REFUSED}, kinds  # no "already voted": everyone votes once
    assert kinds.count(ACCEPTED) >= 10 and kinds.count(REFUSED) >= 1
    ballots, voted = rows(world, "national")
    assert at_close == [len(ballots)], "a ballot was written after the close"
    assert_consistent(world, [t for _, t in results])
    assert len(voted) == kinds.count(ACCEPTED)
    with world.session() as s:
        assert (
            s.scalar(
                select(func.count())
                .select_from(Participation)
                .where(
                    Participation.member_id.in_([v for v, (r, _) in zip(voters, results, strict=True) if r == REFUSED])
                )
            )
            == 0
        )


# ---- known bugs --------------------------------------------------------------------------------------------


async def _kill_idle_connections(w: AsyncBallotWriter, world: World, count: int) -> None:
    """Fill the pool with ``count`` idle connections, then end their server processes (a database restart)."""
    async with AsyncExitStack() as stack:
        for _ in range(count):
            await stack.enter_async_context(w.connection())
    pids = [c.info.backend_pid for c in w._idle]
    assert len(pids) == count
    with world.session() as s:
        for pid in pids:
            s.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})
        s.commit()
    await asyncio.sleep(0.05)


@pytest.mark.parametrize("backend", ["postgresql"])
def test_dead_pooled_connections_after_a_restart_do_not_fail_a_ballot(world: World) -> None:
    async def scenario(w: Writer) -> str | None:
        assert isinstance(w, AsyncBallotWriter)
        assert await w.cast("m1", "national", ["m1"], now=DURING) is not None  # the contest is cached
        await _kill_idle_connections(w, world, 4)
        return await w.cast("m2", "national", ["m1"], now=DURING)

    assert run(world, scenario) is not None


@pytest.mark.parametrize("backend", ["postgresql"])
def test_a_dead_pooled_connection_does_not_fail_the_contest_read(world: World) -> None:
    async def scenario(w: Writer) -> str | None:
        assert isinstance(w, AsyncBallotWriter)
        await _kill_idle_connections(w, world, 1)
        return await w.cast("m2", "national", ["m1"], now=DURING)

    assert run(world, scenario) is not None
