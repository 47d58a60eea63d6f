"""The full-size national run (issue 15, item 1): the demo at scale 1 on PostgreSQL, then the staff pages on it.

    python benchmarks/bench_national.py --json --db postgresql+psycopg://postgres@127.0.0.1:5432/tandau_national \\
        [--scale 1] [--replace] [--runs 50]

Prepares the national demo (:func:`tandau.services.demo.prepare_demo`: about 800,000 members on the roll at scale
1, 11,000 candidates, every council's contest, the voters' ballots sealed and written through the API's batch
statement, every contest decrypted with the demo's key shares, counted and published, every list and nominee set
formed), printing each step's time to stderr. Then serves the app in-process (Starlette's TestClient), signs in as
the central office through ``POST /signin`` and times 50 requests each, after 5 of warm-up, of ``/staff`` (the
national overview), the Majilis list builder and a regional list contest's results page (``/staff/primaries``).

``seconds`` is the preparation's wall-clock time, ``cpu_seconds`` this process's CPU time in it (the database
server's CPU is not included): on a shared machine the two tell apart the work from the wait for a core.
``--pages-only`` times the pages again on a database an earlier run prepared.

Targets on a 2-core machine: members >= 800,000, voters >= 600,000, ballots >= 1,500,000, the whole preparation
under 20 minutes, p95 under 300 ms for each page. ``--db`` names a database of its own (created beforehand, e.g.
``createdb -h 127.0.0.1 -U postgres tandau_national``); a database holding tables is refused without ``--replace``.
Without ``--db``: a temporary SQLite file.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import secrets
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from sqlalchemy import select
from starlette.testclient import TestClient

from tandau.services.demo import prepare_demo
from tandau.settings import Settings
from tandau.store import Contest, make_engine, session_factory
from tandau.web.app import create_app
from web_bench_common import machine

CENTRAL = ("central", "central-demo-2023")  # the demo's central office account (tandau.services.demo)


def p95(values: list[float]) -> float:
    return round(statistics.quantiles(values, n=100)[94], 1)


def pages(url: str) -> dict[str, str]:
    """The Majilis list contest and a regional list contest of the demo's cycle (not the practice one)."""
    engine = make_engine(url)
    with session_factory(engine)() as session:
        lists = list(session.execute(select(Contest.id, Contest.level).where(
            Contest.cycle_id != "practice", Contest.district_id == "").order_by(Contest.id)))
    engine.dispose()
    majilis = next(cid for cid, level in lists if level == "national")
    regional = next(cid for cid, level in lists if level == "regional")
    return {"overview": "/staff", "list_builder": f"/staff/lists/{majilis}",
            "results": f"/staff/primaries?contest={regional}"}


def measure(url: str, bulletins: Path, runs: int, warmup: int) -> dict[str, dict[str, float]]:
    app = create_app(Settings(environment="development", secret_key=secrets.token_urlsafe(32)), database_url=url,
                     bulletin_dir=bulletins)
    out: dict[str, dict[str, float]] = {}
    with TestClient(app, follow_redirects=False) as client:
        form = client.get("/signin").text
        csrf = re.search(r'name="csrf_token" value="([^"]+)"', form)
        signed = client.post("/signin", data={"member_id": CENTRAL[0], "secret": CENTRAL[1], "next": "/staff",
                                              "csrf_token": csrf.group(1) if csrf else ""})
        if signed.status_code != 303:
            raise SystemExit(f"sign-in as the central office failed: {signed.status_code} {signed.text[:200]}")
        for name, path in pages(url).items():
            spent: list[float] = []
            for i in range(warmup + runs):
                t = time.perf_counter()
                response = client.get(path)
                elapsed = (time.perf_counter() - t) * 1000
                if response.status_code != 200:
                    raise SystemExit(f"{path}: {response.status_code} {response.text[:300]}")
                if i >= warmup:
                    spent.append(elapsed)
            out[name] = {"p50": round(statistics.median(spent), 1), "p95": p95(spent), "path": path}  # type: ignore[dict-item]
            print(f"{name} {path}: p50 {out[name]['p50']} ms, p95 {out[name]['p95']} ms", file=sys.stderr)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--db", default=os.environ.get("TANDAU_NATIONAL_URL", ""))
    parser.add_argument("--replace", action="store_true", help="drop an earlier run's tables first")
    parser.add_argument("--work-dir", default="", help="scenario and bulletins (default: a temporary directory)")
    parser.add_argument("--seed", type=int, default=2020)
    parser.add_argument("--runs", type=int, default=50)
    parser.add_argument("--warmup", type=int, default=5)
    parser.add_argument("--pages-only", action="store_true",
                        help="time the pages on a database an earlier run prepared (with --work-dir of that run)")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    work = Path(args.work_dir or tempfile.mkdtemp(prefix="bench-national-"))
    db = args.db or str(work / "national.db")
    if args.pages_only:
        url = db if "://" in db else f"sqlite:///{db}"
        timings = measure(url, work / "bulletins", args.runs, args.warmup)
        print(json.dumps({"pages": timings, "load": os.getloadavg(), **machine()}))
        return

    def timed(step: str, seconds: float) -> None:
        print(f"  {step}: {seconds:.1f} s", file=sys.stderr, flush=True)

    last = [0.0]

    def progress(what: str, done: int, total: int) -> None:
        if time.perf_counter() - last[0] > 15:  # a line every 15 s on long steps
            last[0] = time.perf_counter()
            print(f"    {what} {done}/{total}", file=sys.stderr, flush=True)

    started, cpu = time.perf_counter(), time.process_time()
    report = prepare_demo(db, work, seed=args.seed, scale=args.scale, replace=args.replace, timed=timed,
                          progress=progress)
    seconds, cpu_seconds = time.perf_counter() - started, time.process_time() - cpu
    url = db if "://" in db else f"sqlite:///{db}"
    timings = measure(url, work / "bulletins", args.runs, args.warmup)
    result = {
        "members": report.members, "candidates": report.candidates, "voters": report.voters,
        "ballots": report.ballots, "councils": report.councils, "contests": report.published,
        "lists_formed": report.lists_formed, "seconds": round(seconds, 1),
        "cpu_seconds": round(cpu_seconds, 1), "steps": report.timings,
        "overview_p95_ms": timings["overview"]["p95"], "list_builder_p95_ms": timings["list_builder"]["p95"],
        "results_p95_ms": timings["results"]["p95"], "pages": timings,
        "backend": url.split(":", 1)[0].split("+", 1)[0], "scale": args.scale, "load": os.getloadavg(),
        **machine(),
        "targets": {"members": 800_000, "voters": 600_000, "ballots": 1_500_000, "seconds": 1200, "p95_ms": 300},
    }
    if args.json:
        print(json.dumps(result))
    else:
        for key, value in result.items():
            print(f"{key}: {value}")


if __name__ == "__main__":
    main()
