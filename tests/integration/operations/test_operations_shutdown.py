"""Graceful shutdown: SIGTERM while ballots are in flight loses no acknowledged ballot.

``tandau serve`` runs in a subprocess on a free loopback port against a fresh database with one open contest
(the seeding of ``benchmarks/web_bench_common.py``: pre-issued sessions, a sealed contest). Eight clients
cast ballots back to back; once some are acknowledged the server's process group gets SIGTERM, as systemd
sends it. uvicorn then stops accepting connections, lets the requests it has read finish (their answers go
out), runs the app's shutdown (the ballot writer drains), and exits 0. Every tracking code a client received
with 201 must be among the sealed ballots. Bounded: at most ``MEMBERS`` ballots, 10 s per request.
"""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.integration.primaries.conftest import _postgres_url

ROOT = Path(__file__).resolve().parents[3]
sys.path.insert(0, str(ROOT / "benchmarks"))

import web_bench_common as bench  # noqa: E402  (the benchmarks' seeding and HTTP client)

MEMBERS = 400
CLIENTS = 8
ACKS_BEFORE_TERM = 24
REQUEST_TIMEOUT_S = 10.0


@pytest.fixture(params=["sqlite", "postgresql"])
def url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    if request.param == "postgresql":
        _postgres_url()  # skip (or fail under CI=true) when PostgreSQL is not reachable
        with bench.database(sqlite=False) as found:
            yield found
        return
    yield f"sqlite:///{tmp_path / 'shutdown.db'}"


def _healthy(port: int) -> bool:
    async def probe() -> int:
        conn = bench.Conn(port)
        try:
            status, _ = await conn.request(b"GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
                                           timeout=1.0)
        finally:
            conn.close()
        return status

    try:
        return bench.run_async(probe()) == 200
    except (OSError, TimeoutError, asyncio.IncompleteReadError):
        return False


def _start(url: str, port: int, log: Path) -> subprocess.Popen[bytes]:
    env = {**os.environ, "TANDAU_SECRET_KEY": bench.SECRET, "TANDAU_ENVIRONMENT": "development",
           "PYTHONPATH": str(ROOT / "src")}
    cmd = [sys.executable, "-m", "tandau", "serve", "--db", url, "--host", "127.0.0.1", "--port", str(port),
           "--no-upgrade"]
    with log.open("wb") as out:
        proc = subprocess.Popen(cmd, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise AssertionError(f"server exited: {log.read_text()[-2000:]}")
        if _healthy(port):
            return proc
        time.sleep(0.2)
    os.killpg(proc.pid, signal.SIGKILL)
    raise AssertionError("the server did not start within 30 s")


async def _vote(port: int, members: list[str], proc: subprocess.Popen[bytes]
                ) -> tuple[dict[str, str], int, float]:
    """Cast ballots until the server goes; SIGTERM after ``ACKS_BEFORE_TERM`` acknowledgements.
    Returns (member -> acknowledged tracking code, answers sent before and acknowledged after SIGTERM, when)."""
    import json

    acks: dict[str, str] = {}
    queue = list(reversed(members))
    term_at: list[float] = []
    finished_late = 0

    async def client() -> None:
        conn = bench.Conn(port)
        try:
            await votes(conn)
        finally:
            conn.close()

    async def votes(conn: bench.Conn) -> None:
        nonlocal finished_late
        while queue:
            member = queue.pop()
            raw = bench.ballot_request(member, port, bench.selection_for(len(queue)))
            sent = time.monotonic()
            try:
                status, body = await conn.request(raw, timeout=REQUEST_TIMEOUT_S)
            except (OSError, TimeoutError, asyncio.IncompleteReadError):
                return  # the server closed or refused the connection: no acknowledgement, and it is going away
            if status == 201:
                acks[member] = json.loads(body)["tracker"]
                if term_at and sent < term_at[0]:
                    finished_late += 1
            elif status != 409:
                raise AssertionError(f"unexpected answer {status}: {body[:300]!r}")
            if len(acks) >= ACKS_BEFORE_TERM and not term_at:
                term_at.append(time.monotonic())
                os.killpg(proc.pid, signal.SIGTERM)  # as systemd stops a unit: the whole group

    await asyncio.gather(*(client() for _ in range(CLIENTS)))
    return acks, finished_late, term_at[0] if term_at else 0.0


def test_sigterm_loses_no_acknowledged_ballot(url: str, tmp_path: Path) -> None:
    members = bench.seed(url, MEMBERS)
    port = bench.free_port()
    log = tmp_path / "serve.log"
    proc = _start(url, port, log)
    try:
        acks, finished_late, term_at = bench.run_async(_vote(port, members, proc))
        code = proc.wait(timeout=20)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=10)
    assert term_at, f"SIGTERM was never sent ({len(acks)} acknowledged): {log.read_text()[-1500:]}"
    # uvicorn re-raises the signal once shut down (exit by SIGTERM, which systemd counts as a clean stop)
    assert code in (0, -signal.SIGTERM), f"the server did not exit cleanly ({code}): {log.read_text()[-1500:]}"
    assert len(acks) < MEMBERS, "every ballot went through: the shutdown was never exercised"
    stored = bench.database_state(url)
    lost = {m for m, tracker in acks.items() if tracker not in stored.trackers}
    assert not lost, f"{len(lost)} acknowledged ballots are missing after SIGTERM"
    assert set(acks) <= stored.voters
    assert finished_late >= 1, "no request in flight at SIGTERM was answered"
    assert "Waiting for application shutdown" in log.read_text() or "Finished server process" in log.read_text()
