"""Cost of the server-side sessions on the request path: resolving cookie tokens through the SessionStore.

    python benchmarks/bench_sessions.py [--json] [--sqlite] [--sessions 20000] [--concurrency 200]

Creates ``--sessions`` sessions in a throw-away database (PostgreSQL from TANDAU_TEST_POSTGRES_URL, or
SQLite), then resolves every token once with ``--concurrency`` requests in flight (cold: every one a cache
miss, as for the first ballot of each member in ``load_vote.py``) and once more (warm: cache hits within
``TANDAU_SESSION_CACHE_SECONDS``). Reports lookups per second, the number of SELECTs the misses were batched
into, and the CPU time of the process. Loopback only; every loop is bounded.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from tandau.store import Base, make_engine, session_factory
from tandau.web import session_store
from web_bench_common import SESSIONS, database, issue_sessions, machine


async def resolve_all(store: session_store.SessionStore, tokens: list[str], concurrency: int) -> float:
    queue: asyncio.Queue[str] = asyncio.Queue()
    for t in tokens:
        queue.put_nowait(t)
    misses = 0

    async def worker() -> None:
        nonlocal misses
        while not queue.empty():
            info = await store.resolve(queue.get_nowait())
            if info is None:
                misses += 1

    started = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(concurrency)))
    if misses:
        raise AssertionError(f"{misses} sessions not found")
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--sqlite", action="store_true")
    parser.add_argument("--sessions", type=int, default=20_000)
    parser.add_argument("--concurrency", type=int, default=200)
    args = parser.parse_args()
    count = max(1, min(args.sessions, 200_000))
    with database(args.sqlite) as url:
        engine = make_engine(url)
        Base.metadata.create_all(engine)
        factory = session_factory(engine)
        members = [f"b{i:06d}" for i in range(count)]
        issue_sessions(factory, members)
        tokens = [SESSIONS[m][0] for m in members]
        store = session_store.SessionStore(factory, ttl=60.0)
        batches = 0
        lookup = store._lookup

        def counting(hashes: list[str]) -> Any:
            nonlocal batches
            batches += 1
            return lookup(hashes)

        store._lookup = counting  # type: ignore[method-assign]
        cpu = time.process_time()
        cold = asyncio.run(resolve_all(store, tokens, args.concurrency))
        cold_cpu = time.process_time() - cpu
        cpu = time.process_time()
        warm = asyncio.run(resolve_all(store, tokens, args.concurrency))
        warm_cpu = time.process_time() - cpu
        engine.dispose()
    result = {
        "backend": "sqlite" if args.sqlite else "postgresql", "sessions": count, "concurrency": args.concurrency,
        "cold_lookups_per_s": round(count / cold), "cold_cpu_us_per_lookup": round(cold_cpu / count * 1e6, 1),
        "cold_selects": batches, "warm_lookups_per_s": round(count / warm),
        "warm_cpu_us_per_lookup": round(warm_cpu / count * 1e6, 1), **machine(),
    }
    print(json.dumps(result) if args.json else json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
