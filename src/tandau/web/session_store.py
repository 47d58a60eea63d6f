"""The web tier's view of the server-side sessions (:mod:`tandau.services.primaries.sessions`).

:class:`SessionStore` resolves the token of a session cookie to the live session (subject and CSRF token)
for :class:`~tandau.web.security.SessionMiddleware`. What it read is trusted for ``ttl`` seconds in this
process (``TANDAU_SESSION_CACHE_SECONDS``, default 3), so the ballot path pays no database round trip for a
session it has just seen; a revocation in this process takes effect at once, in other processes within
``ttl``. Misses that arrive while a lookup runs are resolved together by the next one (one SELECT for all,
in a worker thread), so a burst of first requests costs a few queries, not one each.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import anyio
from anyio import to_thread
from sqlalchemy.orm import Session

from tandau.services.primaries import sessions as service
from tandau.services.primaries.sessions import SessionInfo

MAX_CACHED = 200_000
MAX_BATCH = 500


class SessionStore:
    """Create, resolve (cached, batched) and revoke server-side sessions of one app."""

    def __init__(self, factory: Callable[[], Session], *, ttl: float = 3.0, max_age_seconds: int = 8 * 3600) -> None:
        self.factory = factory
        self.ttl = ttl
        self.max_age_seconds = max_age_seconds
        self._cache: dict[str, tuple[float, SessionInfo | None]] = {}
        self._waiting: dict[str, list[Any]] = {}
        self._running = False

    # -- used by routes (sync, in worker threads) --------------------------------------------------------
    def create(self, subject_id: str) -> tuple[str, SessionInfo]:
        with self.factory() as db:
            token, info = service.create(db, subject_id, max_age_seconds=self.max_age_seconds)
        self._remember(info.id_hash, info)
        return token, info

    def revoke(self, token: str) -> None:
        id_hash = service.token_hash(token)
        with self.factory() as db:
            service.revoke(db, id_hash)
        self._cache[id_hash] = (time.monotonic() + self.ttl, None)

    def forget_subject(self, subject_id: str, *, keep: str | None = None) -> None:
        """Drop this process's cached sessions of ``subject_id`` (after they were revoked in the database)."""
        for key, (_until, info) in list(self._cache.items()):
            if info is not None and info.subject_id == subject_id and key != keep:
                self._cache.pop(key, None)

    # -- used by the middleware (async) -----------------------------------------------------------------
    async def resolve(self, token: str) -> SessionInfo | None:
        """The live session of a cookie token, or None (unknown, revoked or expired)."""
        id_hash = service.token_hash(token)
        hit = self._cache.get(id_hash)
        now = time.monotonic()
        if hit is not None and hit[0] > now:
            info = hit[1]
            if info is None or info.expires_at.timestamp() > time.time():
                return info
        event = anyio.Event()
        box: list[Any] = [event, None, None]  # event, session, error
        self._waiting.setdefault(id_hash, []).append(box)
        if not self._running:
            self._running = True
            try:
                while self._waiting:
                    batch = dict(list(self._waiting.items())[:MAX_BATCH])
                    for key in batch:
                        del self._waiting[key]
                    try:
                        found = await to_thread.run_sync(self._lookup, list(batch))
                    except Exception as exc:  # the database is away: every waiter fails, none is signed out
                        for boxes in [*batch.values(), *self._waiting.values()]:
                            for b in boxes:
                                b[2] = exc
                                b[0].set()
                        self._waiting.clear()
                        break
                    until = time.monotonic() + self.ttl
                    for key, boxes in batch.items():
                        info = found.get(key)
                        self._remember(key, info, until)
                        for b in boxes:
                            b[1] = info
                            b[0].set()
            finally:
                self._running = False
        await event.wait()
        if box[2] is not None:
            raise box[2]
        result: SessionInfo | None = box[1]
        return result

    def _lookup(self, hashes: list[str]) -> dict[str, SessionInfo]:
        with self.factory() as db:
            return service.lookup(db, hashes)

    def _remember(self, id_hash: str, info: SessionInfo | None, until: float | None = None) -> None:
        if len(self._cache) >= MAX_CACHED:
            now = time.monotonic()
            for key in [k for k, (u, _i) in self._cache.items() if u <= now] or list(self._cache)[: MAX_CACHED // 2]:
                self._cache.pop(key, None)
        self._cache[id_hash] = (until if until is not None else time.monotonic() + self.ttl, info)
