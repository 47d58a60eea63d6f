"""Dashboards and list pages at full size (issues 14 and 15): p50/p95 of each, as the central office and as a
branch secretary, on a database the national demo prepared (``benchmarks/bench_national.py``).

    python benchmarks/bench_dashboards.py --db postgresql+psycopg://postgres@127.0.0.1:5432/natdash \\
        [--runs 50 --warmup 5] [--only scorecards_page,scorecards_api] [--json]

Serves the app in-process (Starlette's TestClient), signs in through ``POST /signin`` as each demo account that
exists (``central``; ``secretary`` when the demo made one) and times ``--runs`` requests of every page after
``--warmup``, one page after the other. A page the account may not open (403) is reported as such, not timed.
Each result carries the answer's size in bytes; the run carries the machine, the load average before and after,
and the database's size (PostgreSQL). Run it on a copy (``createdb -T nat1 natdash``): the pages only read, but each
sign-in writes its session and audit rows.

Target (issue 14's quality bar): p95 under 300 ms on a 2-core machine for the dashboards.
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

from sqlalchemy import text
from starlette.testclient import TestClient

from tandau.settings import Settings
from tandau.store import make_engine
from tandau.web.app import create_app
from web_bench_common import machine

ACCOUNTS = {"central": "central-demo-2023", "secretary": "secretary-demo-2023"}  # tandau.services.demo

PAGES: dict[str, str] = {
    "scorecards_page": "/deputies/scorecards",
    "scorecards_api": "/api/v1/scorecards",
    "appeals_export": "/api/v1/appeals/export",
    "appeals_dashboard": "/appeals/dashboard",
    "appeals_dashboard_api": "/api/v1/appeals/dashboard",
    "proposals_dashboard": "/proposals/dashboard",
    "proposals_dashboard_api": "/api/v1/proposals/dashboard",
    "control_board": "/control",
    "control_board_api": "/api/v1/control/board",
    "deputies": "/deputies",
    "deputies_api": "/api/v1/deputies",
    "primaries": "/staff/primaries",
    "admin": "/admin",
    "results": "/results",
}


def p95(values: list[float]) -> float:
    return round(statistics.quantiles(values, n=100)[94], 1) if len(values) > 1 else round(values[0], 1)


def sign_in(client: TestClient, member: str, secret: str) -> bool:
    form = client.get("/signin").text
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', form)
    signed = client.post("/signin", data={"member_id": member, "secret": secret, "next": "/",
                                          "csrf_token": csrf.group(1) if csrf else ""})
    return signed.status_code == 303


def database_size(url: str) -> str:
    if not url.startswith("postgresql"):
        return ""
    engine = make_engine(url)
    with engine.connect() as conn:
        size = str(conn.execute(text("SELECT pg_size_pretty(pg_database_size(current_database()))")).scalar())
    engine.dispose()
    return size


def measure(url: str, member: str, secret: str, pages: dict[str, str], runs: int, warmup: int
            ) -> dict[str, dict[str, object]] | None:
    app = create_app(Settings(environment="development", secret_key=secrets.token_urlsafe(32)), database_url=url,
                     bulletin_dir=Path(tempfile.mkdtemp(prefix="bench-dash-")))
    out: dict[str, dict[str, object]] = {}
    with TestClient(app, follow_redirects=False) as client:
        if not sign_in(client, member, secret):
            print(f"{member}: no such account in this database (sign-in refused); skipped", file=sys.stderr)
            return None
        for name, path in pages.items():
            spent: list[float] = []
            size = 0
            for i in range(warmup + runs):
                t = time.perf_counter()
                response = client.get(path)
                elapsed = (time.perf_counter() - t) * 1000
                if response.status_code in (403, 404):
                    out[name] = {"path": path, "status": response.status_code}
                    break
                if response.status_code != 200:
                    raise SystemExit(f"{member} {path}: {response.status_code} {response.text[:300]}")
                size = len(response.content)
                if i >= warmup:
                    spent.append(elapsed)
            if spent:
                out[name] = {"p50": round(statistics.median(spent), 1), "p95": p95(spent), "bytes": size,
                             "path": path}
            print(f"{member} {name} {path}: {out[name]}", file=sys.stderr, flush=True)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", required=True, help="SQLAlchemy URL of a database the national demo prepared")
    parser.add_argument("--runs", type=int, default=50)
    parser.add_argument("--warmup", type=int, default=5)
    parser.add_argument("--only", default="", help="comma-separated page names (default: all): " + ", ".join(PAGES))
    parser.add_argument("--accounts", default=",".join(ACCOUNTS), help="comma-separated demo accounts")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    chosen = [p.strip() for p in args.only.split(",") if p.strip()] or list(PAGES)
    unknown = [p for p in chosen if p not in PAGES]
    if unknown:
        raise SystemExit(f"unknown page {', '.join(unknown)}; valid: {', '.join(PAGES)}")
    pages = {name: PAGES[name] for name in chosen}
    load_before = os.getloadavg()
    results: dict[str, object] = {}
    for member in [a.strip() for a in args.accounts.split(",") if a.strip()]:
        if member not in ACCOUNTS:
            raise SystemExit(f"unknown account {member}; valid: {', '.join(ACCOUNTS)}")
        timed = measure(args.db, member, ACCOUNTS[member], pages, args.runs, args.warmup)
        if timed is not None:
            results[member] = timed
    result = {"pages": results, "runs": args.runs, "warmup": args.warmup, "load_before": load_before,
              "load_after": os.getloadavg(), "database_size": database_size(args.db),
              "backend": args.db.split(":", 1)[0].split("+", 1)[0], **machine(), "target_p95_ms": 300}
    if args.json:
        print(json.dumps(result))
    else:
        for member, timed in results.items():
            for name, r in timed.items():  # type: ignore[attr-defined]
                print(f"{member:10} {name:24} {r}")
        print({k: v for k, v in result.items() if k != "pages"})


if __name__ == "__main__":
    main()
