"""The demo's voters on PostgreSQL: hundreds of thousands of ballots through the API's own batch statement.

Under load the web server writes ballots with :data:`~tandau.services.primaries.ballot_sql.SEALED_BATCH_SQL` (the
guarded statement of :mod:`tandau.services.primaries.ballot_fast`: every rule of who may vote is checked row by
row by the database, the participation row and the sealed ballot are written together, one transaction per
batch). The national demo casts its ballots the same way, in-process and without sign-in: each ballot's
selection is validated like the API's (:func:`~tandau.services.primaries.ballot_fast.stored_selection`), given a
fresh tracking code and sealed to the contest's election key (:meth:`ContestSnapshot.box`), then written in
batches of :data:`BATCH` ballots of one contest. A ballot that the guard refuses is sent to the reference path
(:func:`tandau.services.primaries.voting.cast_ballot`), which raises the precise error: the demo's voters are
all eligible, so that is a bug made visible, never a ballot silently dropped.

The selections are drawn per contest with the Gumbel-top-k trick (Vieira 2014; Kool, van Hoof & Welling,
"Stochastic Beams and Where to Find Them", ICML 2019): the k largest of ``log p + Gumbel noise`` are a sample of
k candidates without replacement with probabilities ``p`` — the same law as ``rng.choice(..., replace=False, p=p)``
drawn one ballot at a time, for a whole contest's voters at once. Sealing the next batch overlaps the database's
work on the previous ones (two statements in flight on two connections, from writer threads: psycopg waits
without the GIL). Concurrent batches hold different members, ordered by member id, so they never wait on each
other in a cycle; the contest row is only share-locked.
"""

from __future__ import annotations

import json
import queue
import random
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from datetime import UTC, datetime
from typing import Any

import numpy as np
import psycopg

from tandau.core.tally.tracking import new_tracking_code
from tandau.services.primaries.ballot_fast import ContestSnapshot, stored_selection
from tandau.services.primaries.ballot_sql import SEALED_BATCH_SQL, SNAPSHOT_SQL
from tandau.services.primaries.kato import kato_prefix

BATCH = 1000  # ballots of one contest per statement (the web server's batches hold up to 64)
IN_FLIGHT = 2  # statements running at once, each on its own connection (the web server's SENDERS)
DRAW_CHUNK = 20_000  # voters per Gumbel draw (a chunk × candidates matrix of floats)
_SYSTEM_RNG = random.SystemRandom()

Options = dict[str, tuple[list[str], np.ndarray, int]]
Refused = Callable[[str, str, list[str]], bool]


def draw_voters(n: int, turnout: float, cap: int | None, rng: np.random.Generator) -> np.ndarray:
    """Indices of the members who vote: a random order, each with probability ``turnout``, at most ``cap``."""
    order = rng.permutation(n)
    chosen = order[rng.random(n) < turnout]
    return chosen if cap is None else chosen[:cap]


def draw_selections(ids: Sequence[str], p: np.ndarray, most: int, voters: int,
                    rng: np.random.Generator) -> list[list[str]]:
    """``voters`` selections of 1..``most`` distinct candidates (uniform count), drawn with probabilities ``p``
    without replacement (Gumbel-top-k).

    >>> sels = draw_selections(["a", "b", "c"], np.array([0.5, 0.3, 0.2]), 2, 4, np.random.default_rng(1))
    >>> len(sels), all(1 <= len(s) <= 2 and len(set(s)) == len(s) for s in sels)
    (4, True)
    """
    top = min(most, len(ids))
    counts = rng.integers(1, top + 1, size=voters)
    logp = np.log(np.maximum(p, 1e-300))
    out: list[list[str]] = []
    for start in range(0, voters, DRAW_CHUNK):
        size = min(DRAW_CHUNK, voters - start)
        keys = logp + rng.gumbel(size=(size, len(ids)))
        if top < len(ids):
            best = np.argpartition(-keys, top - 1, axis=1)[:, :top]
            order = np.argsort(-np.take_along_axis(keys, best, axis=1), axis=1)
            best = np.take_along_axis(best, order, axis=1)
        else:
            best = np.argsort(-keys, axis=1)
        for row, k in zip(best.tolist(), counts[start:start + size].tolist(), strict=True):
            out.append([ids[j] for j in row[:k]])
    return out


def snapshot(conn: psycopg.Connection[Any], contest_id: str) -> ContestSnapshot:
    """The contest as the ballot path sees it (the web server's snapshot statement)."""
    row = conn.execute(SNAPSHOT_SQL, {"contest": contest_id}).fetchone()
    if row is None:
        raise LookupError(contest_id)
    cid, kato, form, max_marks, opens, closes, status, cands, key_id, public_key, revote, public = row
    return ContestSnapshot(str(cid), kato, str(form), max_marks, opens.replace(tzinfo=UTC),
                           closes.replace(tzinfo=UTC), str(status), tuple(str(c) for c in cands), key_id,
                           None if public_key is None else bytes.fromhex(public_key), bool(revote),
                           tuple(str(x) for x in public))


def _batch_params(snap: ContestSnapshot, members: list[str], selections: list[list[str]],
                  now: datetime) -> dict[str, Any]:
    """The batch statement's parameters: every selection validated and sealed as the API does."""
    prefix = kato_prefix(snap.kato) if snap.kato is not None else ""
    moment = now.astimezone(UTC).replace(tzinfo=None)
    trackers, sels, ns, boxes = [], [], [], []
    for chosen in selections:
        stored = stored_selection(snap, chosen)
        checked = json.loads(stored)
        tracker = new_tracking_code(_SYSTEM_RNG)
        trackers.append(tracker)
        sels.append(stored)
        ns.append(len(checked))
        boxes.append(snap.box(tracker, checked))
    return {"contest": snap.id, "plen": len(prefix), "prefix": prefix, "kato": snap.kato, "form": snap.ballot_form,
            "max_marks": snap.max_marks, "key": snap.key_id, "members": members, "ids": [""] * len(members),
            "trackers": trackers, "sels": sels, "ns": ns, "nows": [moment] * len(members), "boxes": boxes}


def cast_all(conninfo: dict[str, Any], ballots: dict[str, list[str]], options: Options, now: datetime,
             rng: np.random.Generator, refused: Refused,
             step: Callable[[int, int], None]) -> int:
    """Cast, in every contest of ``ballots`` (contest → its voters' member ids), one sealed ballot per voter
    through the batch statement; ``refused(member, contest, selection)`` gets each ballot the guard did not
    write (and says whether it cast it after all). Returns the ballots written."""
    total = sum(len(v) for v in ballots.values())
    written = done = 0
    writers: queue.SimpleQueue[psycopg.Connection[Any]] = queue.SimpleQueue()
    opened = [psycopg.connect(**conninfo, autocommit=True) for _ in range(IN_FLIGHT)]
    for conn in opened:
        writers.put(conn)
    with psycopg.connect(**conninfo, autocommit=True) as reader, ThreadPoolExecutor(IN_FLIGHT) as pool:
        pending: list[tuple[Future[list[tuple[Any, ...]]], dict[str, Any]]] = []

        def settle(item: tuple[Future[list[tuple[Any, ...]]], dict[str, Any]]) -> int:
            future, params = item
            rows = {str(r[0]) for r in future.result()}
            late = sum(refused(member, params["contest"], json.loads(sel))
                       for member, sel in zip(params["members"], params["sels"], strict=True) if member not in rows)
            return len(rows) + late

        def send(params: dict[str, Any]) -> list[tuple[Any, ...]]:
            writer = writers.get()
            try:
                return writer.execute(SEALED_BATCH_SQL, params).fetchall()
            finally:
                writers.put(writer)

        for contest_id, voters in ballots.items():
            snap = snapshot(reader, contest_id)
            if snap.key_id is None:
                raise ValueError(f"contest {contest_id} has no election key: the demo seals every ballot")
            ids, p, most = options[contest_id]
            selections = draw_selections(ids, p, most, len(voters), rng)
            for start in range(0, len(voters), BATCH):
                params = _batch_params(snap, voters[start:start + BATCH], selections[start:start + BATCH], now)
                if len(pending) >= IN_FLIGHT:  # statements in flight while the next batch is sealed
                    written += settle(pending.pop(0))
                pending.append((pool.submit(send, params), params))
                done += len(params["members"])
                step(done, total)
        while pending:
            written += settle(pending.pop(0))
    for conn in opened:
        conn.close()
    return written


def conninfo_of(url: Any) -> dict[str, Any]:
    """psycopg's connection arguments for a SQLAlchemy PostgreSQL URL (as the web server's ballot writer)."""
    from sqlalchemy.dialects.postgresql.psycopg import PGDialect_psycopg
    from sqlalchemy.engine import make_url

    dialect = PGDialect_psycopg()  # type: ignore[no-untyped-call]
    _args, kwargs = dialect.create_connect_args(  # type: ignore[no-untyped-call]
        make_url(url).set(drivername="postgresql+psycopg"))
    conninfo = dict(kwargs)
    # a demo's bulk load: commit without waiting for the WAL flush (tandau.services.demo_database.demo_engine)
    conninfo["options"] = (str(conninfo.get("options", "")) + " -c synchronous_commit=off").strip()
    return conninfo
