"""Crash test: SIGKILL the server at random moments during voting, 5 times; no acknowledged ballot may be lost.

    python benchmarks/crash_vote.py --json [--sqlite] [--members 3000] [--kills 5] [--seed 1]

Clients cast ballots as in ``load_vote.py``. While they run, the whole uvicorn process group is killed with
SIGKILL at a random point of the run's progress (so a fast server is hit as often as a slow one), restarted,
and the clients carry on (a request cut by the crash is retried; its answer may then be ``already_voted``,
which is not an acknowledgement). At the end every tracking code that a client received with 201 must be
among the sealed ballots (opened with the election key made at the ceremony before opening; nothing is in
the plain ballots table while voting runs) and, after close and decryption, in the published bulletin board
exactly once. Prints {"kills", "acknowledged", "missing", "duplicated"}.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from web_bench_common import (
    Conn,
    Server,
    ballot_request,
    database,
    database_state,
    free_port,
    machine,
    publish_and_verify,
    run_async,
    seed,
    selection_for,
)

MAX_TRIES = 50


async def clients(port: int, members: list[str], concurrency: int, acks: dict[str, str]) -> int:
    """Cast every member's ballot; ``acks`` (shared with the killer thread) fills with member -> tracker."""
    jobs: asyncio.Queue[tuple[int, str]] = asyncio.Queue()
    for i, m in enumerate(members):
        jobs.put_nowait((i, m))
    retries = 0

    async def worker() -> None:
        nonlocal retries
        conn = Conn(port)
        while True:
            try:
                i, member = jobs.get_nowait()
            except asyncio.QueueEmpty:
                break
            raw = ballot_request(member, port, selection_for(i))
            for _ in range(MAX_TRIES):  # bounded: the server comes back within seconds
                try:
                    status, body = await conn.request(raw, timeout=20)
                except (OSError, asyncio.IncompleteReadError, TimeoutError):
                    retries += 1
                    await asyncio.sleep(0.3)
                    continue
                if status == 201:
                    acks[member] = json.loads(body)["tracker"]
                break
        conn.close()

    await asyncio.gather(*(worker() for _ in range(concurrency)))
    return retries


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--sqlite", action="store_true")
    parser.add_argument("--members", type=int, default=3000)
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--kills", type=int, default=5)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    with database(args.sqlite) as url, tempfile.TemporaryDirectory() as tmp:
        members = seed(url, args.members)
        server = Server(url, free_port(), 1 if args.sqlite else 2)
        server.start()
        kills = 0
        done = threading.Event()
        acks: dict[str, str] = {}
        # kill at random points of the run's progress (not of the clock: a fast server must be hit 5 times too)
        marks = sorted(rng.uniform(0.05, 0.9) * len(members) for _ in range(args.kills))

        def killer() -> None:
            nonlocal kills
            for mark in marks:
                while len(acks) < mark:
                    if done.wait(0.01):
                        return
                server.kill()
                kills += 1
                server.start()

        thread = threading.Thread(target=killer)
        thread.start()
        try:
            retries = run_async(clients(server.port, members, args.clients, acks))
        finally:
            done.set()
            thread.join()
            server.stop()
        state = database_state(url)
        published, verify_exit = publish_and_verify(url, Path(tmp) / "bulletin.jsonl")
    acknowledged = set(acks.values())
    counts = Counter(published)
    missing = len(acknowledged - state.trackers) + len(acknowledged - published)
    duplicated = sum(n - 1 for n in counts.values() if n > 1) + max(0, state.ballots - state.participation)
    print(json.dumps({
        "kills": kills, "acknowledged": len(acknowledged), "missing": missing, "duplicated": duplicated,
        "retries": retries, "ballots": state.ballots, "participation": state.participation,
        "ballots_in_clear": state.in_clear, "verify_exit": verify_exit,
        "backend": "sqlite" if args.sqlite else "postgresql", **machine(),
        "elapsed_note": f"{time.strftime('%H:%M:%S')}",
    }))


if __name__ == "__main__":
    main()
