"""Shared parts of the web benchmarks: a throw-away database, seeding, a uvicorn server, a lean HTTP client.

Loopback only; every loop is bounded. The client speaks HTTP/1.1 keep-alive over asyncio streams (a few
microseconds per request) so that on a 2-core machine the CPU goes to the server, not to the load generator.
Sign-in is pre-issued before the clock: :func:`seed` creates a server-side session row for every member
(:mod:`tandau.services.primaries.sessions`, as a sign-in would) and :func:`cookie_for` signs its token into the
cookie (``tandau.web.security.encode_session``), so the benchmark measures voting, not argon2; the first
request of each member costs the server one (batched) session lookup, as in real use.

Ballots are sealed on arrival (issue 10): :func:`seed` holds the key ceremony before opening the contest and
keeps the shares in this process (:data:`SHARES`), so that :func:`database_state` can open the sealed rows to
check their tracking codes (the plain ballots table stays empty while voting runs) and
:func:`publish_and_verify` can decrypt as two of the three key holders would before publishing.
"""

from __future__ import annotations

import asyncio
import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Coroutine, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any, TypeVar

from sqlalchemy import func, insert, select, text
from sqlalchemy.engine import make_url

from tandau.services.primaries import contests, keys, nominations, sealing
from tandau.services.primaries.access import Actor
from tandau.services.primaries.sessions import token_hash
from tandau.store import Ballot, Base, Contest, Member, Participation, UserSession, make_engine, session_factory
from tandau.store.models import SealedBallot
from tandau.web.security import encode_session

T = TypeVar("T")

ROOT = Path(__file__).resolve().parents[1]
CENTRAL = Actor.central("bench")
CONTEST = "bench-city"
SECRET = "bench-secret-" + secrets.token_hex(24)
CANDIDATES = [f"c{i}" for i in range(6)]
SESSIONS: dict[str, tuple[str, str]] = {}  # member -> (session token, CSRF token), made by seed()
KEY_HOLDERS = ("central", "observer", "commission")
SHARES: dict[str, sealing.Share] = {}  # holder -> share of the cycle's election key, made by seed()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def database(sqlite: bool) -> Iterator[str]:
    """A fresh database URL: a temporary SQLite file, or a new PostgreSQL database dropped afterwards."""
    if sqlite:
        with tempfile.TemporaryDirectory() as tmp:
            yield f"sqlite:///{tmp}/bench.db"
        return
    base = os.environ.get("TANDAU_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
    name = "tandau_bench_" + secrets.token_hex(4)
    admin = make_engine(base).execution_options(isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f"CREATE DATABASE {name}"))
    try:
        yield make_url(base).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
        admin.dispose()


def seed(url: str, members: int, *, plain: bool = False) -> list[str]:
    """Schema, a cycle, an open approval contest (2 seats, up to 2 marks, 6 candidates, sealed to a 2-of-3
    election key made at a ceremony just before opening), ``members`` voters. ``plain``: the contest is opened
    as one opened before sealed ballots existed (no key: ballots written in clear), to measure what sealing
    costs side by side."""
    engine = make_engine(url)
    Base.metadata.create_all(engine)
    sessions = session_factory(engine)
    ids = [f"b{i:06d}" for i in range(members)]
    now = datetime.now(UTC)
    with sessions() as s:
        contests.create_cycle(s, CENTRAL, "bench", "Benchmark cycle", date(2030, 1, 1))
        s.execute(insert(Member), [
            {"id": m, "name": f"Member {m}", "sex": "FM"[i % 2],
             "birth_date": date(1980, 1, 1) + timedelta(days=i % 5000), "kato": "751110000", "contact": None,
             "status": "active"}
            for i, m in enumerate([*CANDIDATES, *ids])
        ])
        s.commit()
        contests.create_contest(s, CENTRAL, contests.ContestSpec(
            CONTEST, "bench", "Benchmark city council", "regional", "Almaty", "approval", 2,
            now - timedelta(hours=1), now + timedelta(hours=6), council_id="bench-75", kato="750000000",
            max_marks=2, tie_policy="nomination-order"))
        for c in CANDIDATES:
            nominations.register_nomination(s, CENTRAL, nominations.NominationRequest(CONTEST, c))
        ceremony = keys.hold_ceremony(s, CENTRAL, holders=list(KEY_HOLDERS), threshold=2, cycle_id="bench")
        SHARES.clear()
        SHARES.update(ceremony.shares)
        if plain:
            s.execute(text("UPDATE contests SET status = 'open' WHERE id = :c"), {"c": CONTEST})
            s.commit()
        else:
            contests.open_contest(s, CENTRAL, CONTEST)
    issue_sessions(sessions, ids)
    engine.dispose()
    return ids


def issue_sessions(sessions: Any, members: list[str]) -> None:
    """A server-side session for every member, as after sign-in (rows written in bulk, before the clock)."""
    now = datetime.now(UTC)
    rows = []
    for m in members:
        token, csrf = secrets.token_urlsafe(32), secrets.token_urlsafe(32)
        SESSIONS[m] = (token, csrf)
        rows.append({"id_hash": token_hash(token), "subject_id": m, "csrf": csrf, "created_at": now,
                     "last_seen_at": now, "expires_at": now + timedelta(hours=8), "revoked_at": None})
    with sessions() as s:
        for start in range(0, len(rows), 5000):
            s.execute(insert(UserSession), rows[start : start + 5000])
        s.commit()


@dataclass
class Server:
    url: str
    port: int
    workers: int
    proc: subprocess.Popen[bytes] | None = None
    log: Path = field(default_factory=lambda: Path(tempfile.mkstemp(suffix=".log")[1]))

    def start(self, timeout: float = 60.0) -> None:
        env = {**os.environ, "TANDAU_DATABASE_URL": self.url, "TANDAU_SECRET_KEY": SECRET,
               "TANDAU_ENVIRONMENT": "development", "PYTHONPATH": str(ROOT / "src")}
        cmd = [sys.executable, "-m", "uvicorn", "tandau.web.asgi:app", "--host", "127.0.0.1",
               "--port", str(self.port), "--workers", str(self.workers), "--no-access-log",
               "--log-level", "warning", "--backlog", "2048", "--timeout-keep-alive", "600"]
        with self.log.open("ab") as out:
            self.proc = subprocess.Popen(cmd, env=env, stdout=out, stderr=out, start_new_session=True)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.5) as sock:
                    sock.sendall(b"GET /api/v1/session HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
                    if sock.recv(12).startswith(b"HTTP/1.1 200"):
                        time.sleep(0.5 if self.workers > 1 else 0)  # let every worker come up
                        return
            except OSError:
                pass
            if self.proc.poll() is not None:
                raise RuntimeError(f"server exited: {self.log.read_text()[-2000:]}")
            time.sleep(0.2)
        raise RuntimeError("server did not start in time")

    def kill(self) -> None:
        """SIGKILL the whole process group (master and workers): a crash, not a shutdown."""
        if self.proc is not None and self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait(timeout=30)

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.kill()


def cookie_for(member: str) -> tuple[str, str]:
    """The cookie of the member's pre-issued server-side session (made by :func:`seed`) and its CSRF token."""
    token, csrf = SESSIONS[member]
    return encode_session(SECRET, {"sid": token}), csrf


def ballot_request(member: str, port: int, selection: list[str]) -> bytes:
    cookie, token = cookie_for(member)
    body = json.dumps({"selection": selection}).encode()
    head = (f"POST /api/v1/contests/{CONTEST}/ballots HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n"
            f"Cookie: tandau_session={cookie}\r\nX-CSRF-Token: {token}\r\n"
            f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n\r\n")
    return head.encode() + body


def run_async(main: Coroutine[Any, Any, T]) -> T:
    """``asyncio.run`` on uvloop when installed (uvicorn's own loop): the load generator shares the machine's
    cores with the server and the database, so its CPU per request is kept small."""
    try:
        import uvloop
    except ImportError:
        return asyncio.run(main)
    return uvloop.run(main)


class Conn:
    """One keep-alive HTTP/1.1 connection."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def connect(self) -> Conn:
        """Open the connection now (before a clock starts); ``request`` reconnects after a failure."""
        if self.writer is None:
            self.reader, self.writer = await asyncio.open_connection("127.0.0.1", self.port)
        return self

    async def request(self, raw: bytes, timeout: float = 30.0) -> tuple[int, bytes]:
        await self.connect()
        assert self.reader is not None and self.writer is not None
        try:
            self.writer.write(raw)
            async with asyncio.timeout(timeout):
                return await self._read(self.reader)
        except BaseException:
            self.close()
            raise

    @staticmethod
    async def _read(reader: asyncio.StreamReader) -> tuple[int, bytes]:
        head = await reader.readuntil(b"\r\n\r\n")
        lines = head.split(b"\r\n")
        status = int(lines[0].split()[1])
        length = 0
        for line in lines[1:]:
            if line[:15].lower() == b"content-length:":
                length = int(line[15:])
        body = await reader.readexactly(length) if length else b""
        return status, body

    def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
        self.reader = self.writer = None


def selection_for(i: int) -> list[str]:
    a, b = CANDIDATES[i % 6], CANDIDATES[(i * 7 + 1) % 6]
    return [a] if a == b else [a, b]


@dataclass
class Tally:
    """What the database holds after the run (voting still open): sealed ballots, opened with the key."""

    participation: int
    ballots: int  # sealed ballot rows
    trackers: set[str]  # their tracking codes, from the opened boxes
    voters: set[str]
    in_clear: int = 0  # rows of the plain ballots table (none while voting runs)


def _private_key(session: Any) -> Any:
    key = keys.key_for(session, contests.get_contest(session, CONTEST))
    assert key is not None
    return sealing.combine([SHARES["observer"], SHARES["commission"]], key.public_key)


def database_state(url: str) -> Tally:
    engine = make_engine(url)
    with session_factory(engine)() as s:
        part = s.scalar(select(func.count()).select_from(Participation).where(Participation.contest_id == CONTEST))
        boxes = list(s.scalars(select(SealedBallot.box).where(SealedBallot.contest_id == CONTEST)))
        clear = list(s.scalars(select(Ballot.tracker).where(Ballot.contest_id == CONTEST)))
        voters = set(s.scalars(select(Participation.member_id).where(Participation.contest_id == CONTEST)))
        private = _private_key(s) if boxes else None
    engine.dispose()
    trackers = {sealing.unseal(private, bytes(box))[0] for box in boxes} if private is not None else set(clear)
    return Tally(int(part or 0), len(boxes) or len(clear), trackers, voters, len(clear))


def publish_and_verify(url: str, out: Path) -> tuple[set[str], int]:
    """Close early, decrypt (two of the three key holders), publish the bulletin board, recount it like
    ``tandau verify``: (trackers, exit code)."""
    from tandau.services.primaries import publish
    from tandau.services.tally import verify_bulletin

    engine = make_engine(url)
    with session_factory(engine)() as s:
        contests.close_contest(s, CENTRAL, CONTEST, early=True)
        if s.get(Contest, CONTEST).key_id is not None:  # type: ignore[union-attr]
            keys.decrypt_contest(s, CENTRAL, CONTEST, _private_key(s))
        publish.publish_contest(s, CENTRAL, CONTEST, out)
    engine.dispose()
    report = verify_bulletin(out)
    lines = out.read_text(encoding="utf-8").splitlines()[1:]
    return {json.loads(line)["tracker"] for line in lines}, report.exit_code


def machine() -> dict[str, object]:
    model = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return {"nproc": os.cpu_count(), "cpu": model, "date": datetime.now(UTC).date().isoformat()}
