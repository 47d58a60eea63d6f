"""Public reception appeals (issue 14, item 3): importing 50,000 appeals, and the dashboard's latency.

    python benchmarks/bench_appeals.py --json [--n 50000] [--seed 1] [--db URL] [--runs 60]

Makes ``n`` SYNTHETIC appeals of a year with the demo's generator (kk/ru texts over the real territory by
population, 5% repeats), writes them as one CSV, and times :func:`tandau.services.appeals.imports.upload` on an
empty schema (CSV parsing, classification, due dates on the calendar, repeat linking, bulk inserts, one commit).
Then gives the stored appeals the demo's synthetic history and times the dashboard
(:func:`tandau.services.appeals.read.dashboard`) ``runs`` times for the central office and for a region's
secretary: p50 and p95 in milliseconds. Targets: the import under 20 s on PostgreSQL, the dashboard's p95 under
300 ms. ``--db`` defaults to ``TANDAU_TEST_POSTGRES_URL`` (a throw-away schema is created and dropped), else a
temporary SQLite file.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import os
import platform
import random
import secrets
import statistics
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import select, text, update

from tandau.services.appeals import deadlines, demo, imports, read
from tandau.services.primaries.access import Actor, Grant, Role
from tandau.store.appeals_models import Appeal
from tandau.store.engine import make_engine, session_factory
from tandau.store.models import Base


def make_csv(n: int, seed: int, now: datetime) -> bytes:
    rows = demo._rows(random.Random(seed), n, now)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(("id", "received_at", "territory", "text", "channel", "name", "contact", "lang"))
    for r in rows:
        writer.writerow((r.id, r.received_at.isoformat(), r.kato, r.text, r.channel, r.name, r.contact, r.lang))
    return out.getvalue().encode("utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=50_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--runs", type=int, default=60)
    parser.add_argument("--db", default=os.environ.get("TANDAU_TEST_POSTGRES_URL", ""))
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    now = datetime(2026, 12, 5, 6, 0, tzinfo=UTC)
    data = make_csv(args.n, args.seed, now)
    schema = None
    if args.db.startswith("postgresql"):
        schema = "bench_appeals_" + secrets.token_hex(4)
        with make_engine(args.db).connect() as conn:
            conn.execute(text(f"CREATE SCHEMA {schema}"))
            conn.commit()
        engine = make_engine(args.db, search_path=schema)
    else:
        engine = make_engine(f"sqlite:///{Path(tempfile.mkdtemp()) / 'appeals.db'}")
    try:
        Base.metadata.create_all(engine)
        sessions = session_factory(engine)
        with sessions() as session:
            started, cpu = time.perf_counter(), time.process_time()
            outcome = imports.upload(session, Actor.central("bench"), "appeals.csv", data, apply=True,
                                     applicant_key=deadlines.applicant_key("bench-secret"), now=now,
                                     limit=imports.BULK_MAX_BYTES)
            seconds, cpu_seconds = time.perf_counter() - started, time.process_time() - cpu
            rows = [{"id": r.id, "received_on": r.received_on, "due_on": r.due_on, "kato": r.kato,
                     "received_at": r.received_at, "route_kind": None, "route_to": None, "status": "received",
                     "outcome": None, "outcome_reason": None, "answered_on": None, "satisfaction": None,
                     "extension_reason": None, "closed_at": None}
                    for r in session.execute(select(Appeal.id, Appeal.received_on, Appeal.due_on, Appeal.kato,
                                                    Appeal.received_at))]
            demo._history(random.Random(args.seed), rows, now)  # type: ignore[arg-type]
            session.execute(update(Appeal), [{k: v for k, v in r.items() if k not in ("kato", "received_at")}
                                             for r in rows])
            session.commit()
            timings: dict[str, list[float]] = {}
            for who, actor in (("central", Actor.central()),
                               ("secretary", Actor("sec", (Grant(Role.SECRETARY, "750000000"),)))):
                spent = []
                for _ in range(args.runs):
                    t = time.perf_counter()
                    read.dashboard(session, actor, now=now)
                    spent.append((time.perf_counter() - t) * 1000)
                timings[who] = spent
    finally:
        engine.dispose()
        if schema is not None:
            with make_engine(args.db).connect() as conn:
                conn.execute(text(f"DROP SCHEMA {schema} CASCADE"))
                conn.commit()

    def p(values: list[float], q: float) -> float:
        return round(statistics.quantiles(values, n=100)[int(q) - 1], 1)

    result = {"machine": platform.node(), "python": platform.python_version(), "date": datetime.now(UTC).date()
              .isoformat(), "backend": "postgresql" if schema else "sqlite", "n": args.n,
              "file_mb": round(len(data) / 2**20, 1), "import_s": round(seconds, 2), "import_cpu_s": round(
                  cpu_seconds, 2), "added": outcome.added, "repeats": outcome.repeats,
              "dashboard_ms": {who: {"p50": p(v, 50), "p95": p(v, 95)} for who, v in timings.items()},
              "targets": {"import_s": 20, "dashboard_p95_ms": 300}}
    if args.json:
        print(json.dumps(result))
    else:
        for key, value in result.items():
            print(f"{key}: {value}")


if __name__ == "__main__":
    main()
