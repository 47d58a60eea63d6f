"""The ballot path under load (PostgreSQL): one database round trip per ballot, shared by a batch of ballots.

:func:`tandau.services.primaries.voting.cast_ballot` is the reference path (ORM, about six statements).
Here the same ballot is written by ONE statement sent on an autocommit connection::

    WITH p AS (INSERT INTO participation SELECT ... FROM members, contests WHERE <every check> FOR SHARE OF c
               RETURNING 1)
    INSERT INTO ballots SELECT <random id, contest, tracking code, selection> FROM p

(:mod:`tandau.services.primaries.ballot_sql`; in a sealed contest the ballot is the sealed box, written to
``sealed_ballots``.) A single statement is a single transaction, so the participation row and the ballot are committed
together or not at all, and the participation primary key still decides a race between two submissions
(the loser gets a unique violation: ``already voted``). Every rule is checked by the database inside that
statement, at server time: the member is active and lives in the contest's territory, the contest is open
and inside its window, every selected candidate is registered, and the contest still has the ballot form,
mark limit and territory the caller validated against. ``FOR SHARE`` on the contest row makes the ballot and
a concurrent close (which updates that row) wait for each other, so no ballot slips in after the close.

Under load, ballots that arrive while statements are in flight are written together by the next one
(:data:`BATCH_SQL`, the same checks row by row, one transaction); a ballot the batch did not write is
either "already voted" (:data:`VOTED_SQL`) or tried alone with the statement above.

The per-process :class:`ContestCache` (short TTL, cleared by open/extend/close in this process) only saves
reading the contest and its candidates on every ballot; it is never trusted: a stale entry makes the
guarded statement insert nothing, and the caller then falls back to the reference path, which reads
everything afresh and raises the precise error (not signed in, not eligible, closed, invalid selection...).
"""

from __future__ import annotations

import asyncio
import json
import random
import secrets
import time
import weakref
from collections.abc import AsyncIterator, Callable, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import psycopg
from psycopg import errors as pg_errors
from psycopg.pq import TransactionStatus

from tandau.core.tally.tracking import new_tracking_code
from tandau.errors import InputError
from tandau.services.primaries import sealing
from tandau.services.primaries.ballot_sql import (
    BALLOT_SQL,
    BATCH_SQL,
    SEALED_BALLOT_SQL,
    SEALED_BATCH_SQL,
    SNAPSHOT_SQL,
    VOTED_SQL,
)
from tandau.services.primaries.errors import AlreadyVotedError
from tandau.services.primaries.kato import kato_prefix

DEFAULT_TTL_S = 2.0
PARTICIPATION_KEY = "pk_participation"
TRACKER_TRIES = 3
_SYSTEM_RNG = random.SystemRandom()


@dataclass(frozen=True, slots=True)
class ContestSnapshot:
    """What the ballot path needs to know about a contest; every field is re-checked by the insert."""

    id: str
    kato: str | None
    ballot_form: str
    max_marks: int | None
    opens_at: datetime
    closes_at: datetime
    status: str
    candidates: tuple[str, ...]
    key_id: str | None = None
    public_key: bytes | None = None
    revote: bool = False
    public_ids: tuple[str, ...] = ()  # the candidates' public ids (nomination ids), in the order of candidates

    def member_selection(self, selection: Sequence[str]) -> list[str]:
        """The selection in member ids: a candidate's public id (what pages and the API show) is translated,
        anything else is kept as given (and checked as a member id)."""
        return translate(dict(zip(self.public_ids, self.candidates, strict=True)), selection)

    def accepting(self, now: datetime) -> bool:
        return self.status == "open" and self.opens_at <= now < self.closes_at

    @property
    def fast(self) -> bool:
        """Whether the lean paths take this contest's ballots (re-voting goes to the reference path)."""
        return not self.revote

    def box(self, tracker: str, chosen: Sequence[str]) -> bytes | None:
        """The sealed box of a ballot (None for a contest opened before sealed ballots existed)."""
        if self.public_key is None:
            return None
        return sealing.seal(self.public_key, tracker, chosen, sealing.padded_length(self.candidates, self.max_marks))


_CACHES: weakref.WeakSet[ContestCache] = weakref.WeakSet()


class ContestCache:
    """Contest snapshots of one process for ``ttl`` seconds (monotonic clock).

    >>> cache = ContestCache(ttl=60)
    >>> cache.get("c1") is None
    True
    """

    def __init__(self, ttl: float = DEFAULT_TTL_S, clock: Callable[[], float] = time.monotonic) -> None:
        self.ttl = ttl
        self.clock = clock
        self._items: dict[str, tuple[float, ContestSnapshot]] = {}
        _CACHES.add(self)

    def get(self, contest_id: str) -> ContestSnapshot | None:
        item = self._items.get(contest_id)
        if item is None or self.clock() - item[0] > self.ttl:
            return None
        return item[1]

    def put(self, snapshot: ContestSnapshot) -> None:
        self._items[snapshot.id] = (self.clock(), snapshot)

    def invalidate(self, contest_id: str | None = None) -> None:
        if contest_id is None:
            self._items.clear()
        else:
            self._items.pop(contest_id, None)


def translate(public_to_member: dict[str, str], selection: Sequence[str]) -> list[str]:
    """Public candidate ids to member ids; others unchanged.

    >>> translate({"ab12": "m1"}, ["ab12", "m2"])
    ['m1', 'm2']
    """
    return [public_to_member.get(str(c), str(c)) for c in selection]


def invalidate(contest_id: str | None = None) -> None:
    """Forget ``contest_id`` (None: everything) in every cache of this process (open, extend, close call it)."""
    for cache in list(_CACHES):
        cache.invalidate(contest_id)


def stored_selection(snapshot: ContestSnapshot, selection: Sequence[str]) -> str:
    """The selection as stored (JSON), validated like the reference path; InputError when invalid."""
    from tandau.services.primaries.voting import check_selection

    chosen = check_selection(snapshot.ballot_form, snapshot.max_marks, snapshot.candidates, selection)
    return json.dumps(chosen, ensure_ascii=False)


WRITTEN, VOTED, ALONE = "written", "voted", "alone"
MAX_BATCH = 64
SENDERS = 2


@dataclass(slots=True)
class _Queued:
    """A ballot waiting for the next batch; ``done`` gets WRITTEN, VOTED or ALONE (try it alone)."""

    key: tuple[Any, ...]
    member: str
    params: dict[str, Any]
    done: asyncio.Future[str]


def _naive_utc(moment: datetime) -> datetime:
    from datetime import UTC

    return moment.astimezone(UTC).replace(tzinfo=None)


class AsyncBallotWriter:
    """A small pool of autocommit psycopg connections (one event loop) and the one-statement ballot."""

    def __init__(self, connect: Callable[[], Any], size: int = 16, ttl: float = DEFAULT_TTL_S) -> None:
        self._connect = connect
        self._size = size
        self._idle: list[psycopg.AsyncConnection[Any]] = []
        self._slots: asyncio.Semaphore | None = None
        self._loading: dict[str, asyncio.Future[ContestSnapshot | None]] = {}
        self._closed = False
        self._queue: list[_Queued] = []
        self._senders: set[asyncio.Task[None]] = set()
        self.cache = ContestCache(ttl)

    @asynccontextmanager
    async def connection(self) -> AsyncIterator[psycopg.AsyncConnection[Any]]:
        if self._slots is None:
            self._slots = asyncio.Semaphore(self._size)
        async with self._slots:
            conn = self._idle.pop() if self._idle else await self._connect()
            try:
                yield conn
            finally:
                if not self._closed and not conn.closed and conn.info.transaction_status == TransactionStatus.IDLE:
                    self._idle.append(conn)
                else:
                    await conn.close()

    async def warm(self, count: int = SENDERS + 2) -> int:
        """Open ``count`` connections now (at start-up), so the first ballots do not wait for PostgreSQL to
        start backends; returns how many opened (a database not reachable yet is not an error here: the
        connections open on demand later)."""
        opened = 0
        while len(self._idle) < min(count, self._size):
            try:
                self._idle.append(await self._connect())
            except psycopg.OperationalError:
                break
            opened += 1
        return opened

    async def close(self) -> None:
        self._closed = True
        await asyncio.gather(*self._senders, return_exceptions=True)
        loading = list(self._loading.values())
        for task in loading:
            task.cancel()
        await asyncio.gather(*loading, return_exceptions=True)
        idle, self._idle = self._idle, []
        for conn in idle:
            await conn.close()

    async def snapshot(self, contest_id: str) -> ContestSnapshot | None:
        """The cached snapshot, or one read shared by every request that misses at the same moment."""
        cached = self.cache.get(contest_id)
        if cached is not None:
            return cached
        pending = self._loading.get(contest_id)
        if pending is None:
            pending = asyncio.ensure_future(self._load(contest_id))
            self._loading[contest_id] = pending
            pending.add_done_callback(lambda _done: self._loading.pop(contest_id, None))
        return await asyncio.shield(pending)

    async def _forget_idle(self) -> None:
        """Drop every idle connection: after one failed with an OperationalError (the database restarted, the
        network broke) the others, opened before, are most likely dead too."""
        idle, self._idle = self._idle, []
        await asyncio.gather(*(conn.close() for conn in idle), return_exceptions=True)

    async def _load(self, contest_id: str) -> ContestSnapshot | None:
        for attempt in (1, 2):
            try:
                async with self.connection() as conn:
                    row = await (await conn.execute(SNAPSHOT_SQL, {"contest": contest_id})).fetchone()
                break
            except psycopg.OperationalError:
                await self._forget_idle()  # the retry opens a fresh connection
                if attempt == 2:
                    raise
        if row is None:
            return None
        cid, kato, form, max_marks, opens, closes, status, cands, key_id, public_key, revote, public = row
        snap = ContestSnapshot(str(cid), kato, str(form), max_marks, _aware(opens), _aware(closes), str(status),
                               tuple(str(c) for c in cands), key_id,
                               None if public_key is None else bytes.fromhex(public_key), bool(revote),
                               tuple(str(p) for p in public))
        self.cache.put(snap)
        return snap

    async def cast(
        self, member_id: str, contest_id: str, selection: Sequence[str], *, now: datetime,
        rng: random.Random | None = None,
    ) -> str | None:
        """The tracking code of the accepted ballot; None when any check failed (the caller then takes the
        reference path for the precise answer, e.g. an invalid selection or a closed contest);
        AlreadyVotedError when the member has voted (the database checked everything else first)."""
        snap = await self.snapshot(contest_id)
        if snap is None or not snap.accepting(now) or not snap.fast:
            return None
        if any(c not in snap.candidates for c in snap.member_selection(selection)):  # a nomination changed?
            self.cache.invalidate(contest_id)
            snap = await self.snapshot(contest_id)
            if snap is None or not snap.accepting(now) or not snap.fast:
                return None
        selection = snap.member_selection(selection)
        try:
            stored = stored_selection(snap, selection)
        except InputError:
            return None  # the reference path gives the answer in its order of checks (eligibility first)
        chosen = json.loads(stored)
        prefix = kato_prefix(snap.kato) if snap.kato is not None else ""
        params: dict[str, Any] = {
            "member": member_id, "contest": contest_id, "day": now.date(), "now": _naive_utc(now),
            "plen": len(prefix), "prefix": prefix, "kato": snap.kato, "form": snap.ballot_form,
            "max_marks": snap.max_marks, "chosen": chosen, "n": len(chosen), "selection": stored,
            "id": secrets.token_hex(16), "tracker": new_tracking_code(rng or _SYSTEM_RNG), "key": snap.key_id,
        }
        params["box"] = snap.box(params["tracker"], chosen)
        outcome = await self._batched(params)
        if outcome == WRITTEN:
            return str(params["tracker"])
        if outcome == VOTED:
            raise AlreadyVotedError(contest_id)
        # not written by a batch (already voted, a failed check, a batch error): alone, for the exact answer
        for attempt in range(TRACKER_TRIES):
            params["id"] = secrets.token_hex(16)
            params["tracker"] = tracker = new_tracking_code(rng or _SYSTEM_RNG)
            params["box"] = snap.box(tracker, chosen)
            try:
                inserted = await self._execute(params)
            except pg_errors.UniqueViolation as exc:
                if exc.diag.constraint_name == PARTICIPATION_KEY:
                    raise AlreadyVotedError(contest_id) from None
                if attempt + 1 == TRACKER_TRIES:
                    raise
                continue  # a tracking-code collision (80 random bits): draw another
            return tracker if inserted == 1 else None
        return None  # pragma: no cover - the loop returns or raises

    async def _batched(self, params: dict[str, Any]) -> str:
        """Queue the ballot for the next batch statement: WRITTEN, VOTED (already) or ALONE (try alone)."""
        if self._closed:
            return ALONE
        key = tuple(params[k] for k in ("contest", "plen", "prefix", "kato", "form", "max_marks", "key"))
        item = _Queued(key, str(params["member"]), params, asyncio.get_running_loop().create_future())
        self._queue.append(item)
        self._start_senders()
        return await item.done

    def _start_senders(self) -> None:
        while self._queue and len(self._senders) < SENDERS:
            task = asyncio.ensure_future(self._send_batch(self._take_batch()))
            self._senders.add(task)
            task.add_done_callback(self._sender_done)

    def _sender_done(self, task: asyncio.Task[None]) -> None:
        self._senders.discard(task)
        self._start_senders()

    def _take_batch(self) -> list[_Queued]:
        """Up to MAX_BATCH queued ballots of the first one's contest, one per member (a twin waits)."""
        key = self._queue[0].key
        batch: list[_Queued] = []
        members: set[str] = set()
        rest: list[_Queued] = []
        for item in self._queue:
            if len(batch) < MAX_BATCH and item.key == key and item.member not in members:
                batch.append(item)
                members.add(item.member)
            else:
                rest.append(item)
        self._queue = rest
        return batch

    async def _send_batch(self, batch: list[_Queued]) -> None:
        first = batch[0].params
        params = {k: first[k] for k in ("contest", "plen", "prefix", "kato", "form", "max_marks", "key")}
        params.update(
            members=[b.member for b in batch], ids=[b.params["id"] for b in batch],
            trackers=[b.params["tracker"] for b in batch], sels=[b.params["selection"] for b in batch],
            ns=[b.params["n"] for b in batch], nows=[b.params["now"] for b in batch],
            boxes=[b.params["box"] for b in batch],
        )
        sealed = first["key"] is not None
        written: set[str] = set()
        voted: set[str] = set()
        try:
            async with self.connection() as conn:
                cur = await conn.execute(SEALED_BATCH_SQL if sealed else BATCH_SQL, params)
                rows = {str(row[0]) for row in await cur.fetchall()}  # members (sealed) or trackers (plain)
                written = {b.params["tracker"] for b in batch if (b.member if sealed else b.params["tracker"]) in rows}
                skipped = [b for b in batch if b.params["tracker"] not in written]
                if skipped:
                    params.update(members=[b.member for b in skipped], nows=[b.params["now"] for b in skipped])
                    cur = await conn.execute(VOTED_SQL, params)
                    voted = {str(row[0]) for row in await cur.fetchall()}
        except psycopg.OperationalError:
            await self._forget_idle()  # a dead connection: its idle siblings likely too; the rest goes alone
            voted = set()
        except psycopg.Error:
            voted = set()  # e.g. a tracking-code collision: the rest goes alone
        finally:
            for b in batch:
                if not b.done.done():
                    written_now = b.params["tracker"] in written
                    b.done.set_result(WRITTEN if written_now else VOTED if b.member in voted else ALONE)

    async def _execute(self, params: dict[str, Any]) -> int:
        for attempt in (1, 2):
            try:
                async with self.connection() as conn:
                    cur = await conn.execute(BALLOT_SQL if params["key"] is None else SEALED_BALLOT_SQL, params)
                    return cur.rowcount
            except psycopg.OperationalError:
                # a dead pooled connection (database restarted): forget every idle one and retry once on a fresh
                # connection. If the first try had committed, the retry meets the participation key and
                # answers "already voted".
                await self._forget_idle()
                if attempt == 2:
                    raise
        return 0  # pragma: no cover


def _aware(moment: datetime) -> datetime:
    from datetime import UTC

    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def writer_for(sqlalchemy_url: Any, size: int = 16) -> AsyncBallotWriter | None:
    """A writer for a PostgreSQL SQLAlchemy URL (same connection parameters as the engine); None otherwise."""
    from sqlalchemy.dialects.postgresql.psycopg import PGDialect_psycopg
    from sqlalchemy.engine import make_url

    url = make_url(sqlalchemy_url)
    if url.get_backend_name() != "postgresql":
        return None
    dialect = PGDialect_psycopg()  # type: ignore[no-untyped-call]
    _args, kwargs = dialect.create_connect_args(url.set(drivername="postgresql+psycopg"))  # type: ignore[no-untyped-call]

    async def connect() -> psycopg.AsyncConnection[Any]:
        return await psycopg.AsyncConnection.connect(**kwargs, autocommit=True)

    return AsyncBallotWriter(connect, size)
