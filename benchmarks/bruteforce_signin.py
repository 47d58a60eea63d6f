"""Brute force against the sign-in, over loopback only: does the throttle refuse before any argon2 work?

    python benchmarks/bruteforce_signin.py [--json] [--attempts 500] [--no-baseline] [--postgres]

Starts the app (``tandau.web.create_app``, development environment, a random secret key) under uvicorn on
127.0.0.1, on a throw-away database holding 502 members with real argon2id passwords (default parameters),
then, from three loopback addresses:

1. ``one_account`` (from 127.0.0.1): ``--attempts`` wrong passwords against one member;
2. ``spray`` (from 127.0.0.3): ``--attempts`` wrong passwords, each against another member;
3. ``legitimate`` (from 127.0.0.2, during and after the attacks): the attacked member and another member
   sign in with their right passwords.

The server process counts its argon2 verifications (``tandau.services.primaries.auth.VERIFICATIONS``) and
its CPU time (``time.process_time``); a route added by this script only (``/__bench/counters``, never part of
the product) reports both. ``--baseline`` (default on) runs the same two attacks against a server whose
limits are out of reach, to show what the attacks would cost without the throttle. Every loop is bounded.
"""

from __future__ import annotations

import argparse
import json
import os
import secrets
import subprocess
import sys
import time
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import Any

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))

from web_bench_common import database, free_port

ROOT = Path(__file__).resolve().parents[1]
LOOPBACK = ("127.0.0.1", "127.0.0.2", "127.0.0.3")
PASSWORD = "the right password 42"
VICTIM = "v00000"
LEGIT = "l00000"


def seed(url: str, spray_members: int) -> list[str]:
    """The schema (migrations), the attacked member, a legitimate one, and ``spray_members`` more, every one
    with an argon2id password hash of the default parameters (one hash reused: the rows cost no hashing)."""
    from sqlalchemy import insert

    from tandau.services.primaries import auth
    from tandau.store import Credential, Member, make_engine, session_factory
    from tandau.store.migrate import upgrade

    engine = make_engine(url)
    upgrade(engine)
    ids = [VICTIM, LEGIT, *(f"s{i:05d}" for i in range(spray_members))]
    digest = auth._DEFAULT_HASHER.hash(PASSWORD)
    with session_factory(engine)() as s:
        s.execute(insert(Member), [{"id": m, "name": f"Member {m}", "sex": "F", "birth_date": date(1980, 1, 1),
                                    "kato": "751110000", "contact": None, "status": "active"} for m in ids])
        s.execute(insert(Credential), [{"subject_id": m, "password_hash": digest} for m in ids])
        s.commit()
    engine.dispose()
    return ids[2:]


def serve(url: str, port: int) -> None:
    """The server side (run in a child process): the app plus one read-only benchmark route, on loopback."""
    import uvicorn
    from pydantic import SecretStr

    from tandau.services.primaries import auth
    from tandau.settings import Settings
    from tandau.web import create_app

    settings = Settings(environment="development", secret_key=SecretStr(secrets.token_urlsafe(48)),
                        database_url=url)  # TANDAU_SIGNIN_* from the environment
    app = create_app(settings)

    def counters() -> dict[str, float]:
        return {"verifications": auth.VERIFICATIONS.count, "cpu_seconds": time.process_time()}

    app.add_api_route("/__bench/counters", counters, methods=["GET"])
    uvicorn.run(app, host="127.0.0.1", port=port, log_level="warning", access_log=False)


@contextmanager
def server(url: str, env: dict[str, str]) -> Any:
    port = free_port()
    proc = subprocess.Popen([sys.executable, __file__, "--serve", url, str(port)],
                            env={**os.environ, "PYTHONPATH": str(ROOT / "src"), **env},
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        for _ in range(300):  # bounded: ~60 s to start
            try:
                httpx.get(f"http://127.0.0.1:{port}/api/v1/session", timeout=1).raise_for_status()
                break
            except httpx.HTTPError:
                if proc.poll() is not None:
                    raise RuntimeError((proc.stderr.read() if proc.stderr else b"").decode()[-2000:]) from None
                time.sleep(0.2)
        else:
            raise RuntimeError("the server did not start")
        yield port
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def client(port: int, address: str) -> httpx.Client:
    assert address in LOOPBACK
    transport = httpx.HTTPTransport(local_address=address)
    c = httpx.Client(base_url=f"http://127.0.0.1:{port}", transport=transport, timeout=60)
    c.headers["X-CSRF-Token"] = c.get("/api/v1/session").json()["csrf_token"]
    return c


def counters(port: int) -> dict[str, float]:
    return dict(httpx.get(f"http://127.0.0.1:{port}/__bench/counters", timeout=10).json())


def attack(port: int, address: str, targets: list[str]) -> dict[str, Any]:
    """One wrong password per target (bounded by ``len(targets)``); what the server answered and spent."""
    before = counters(port)
    statuses: dict[int, int] = {}
    first_refusal = None
    retry_after = []
    started = time.perf_counter()
    c = client(port, address)
    try:
        for i, member in enumerate(targets):
            r = c.post("/api/v1/session", json={"member_id": member, "secret": "wrong password " + str(i)})
            statuses[r.status_code] = statuses.get(r.status_code, 0) + 1
            if r.status_code == 429:
                retry_after.append(int(r.headers["Retry-After"]))
                if first_refusal is None:
                    first_refusal = i + 1
    finally:
        c.close()
    wall = time.perf_counter() - started
    after = counters(port)
    return {"attempts": len(targets), "statuses": {str(k): v for k, v in sorted(statuses.items())},
            "first_429_at_attempt": first_refusal, "retry_after_max_s": max(retry_after, default=None),
            "argon2_verifications": int(after["verifications"] - before["verifications"]),
            "server_cpu_s": round(after["cpu_seconds"] - before["cpu_seconds"], 3), "wall_s": round(wall, 2)}


def legitimate(port: int, members: list[str]) -> list[dict[str, Any]]:
    out = []
    c = client(port, "127.0.0.2")
    try:
        for member in members:
            t = time.perf_counter()
            r = c.post("/api/v1/session", json={"member_id": member, "secret": PASSWORD})
            out.append({"member": member, "status": r.status_code,
                        "ms": round((time.perf_counter() - t) * 1000, 1)})
            if r.status_code == 200:
                c.headers["X-CSRF-Token"] = r.json()["csrf_token"]
                c.delete("/api/v1/session")
                c.headers["X-CSRF-Token"] = c.get("/api/v1/session").json()["csrf_token"]
    finally:
        c.close()
    return out


def forget_failures(url: str) -> None:
    """A fresh start for each run: no failure counted, no block left from the previous one."""
    from sqlalchemy import delete

    from tandau.store import SigninFailure, make_engine, session_factory

    engine = make_engine(url)
    with session_factory(engine)() as s:
        s.execute(delete(SigninFailure))
        s.commit()
    engine.dispose()


def run(url: str, attempts: int, env: dict[str, str], spray_targets: list[str]) -> dict[str, Any]:
    forget_failures(url)
    with server(url, env) as port:
        one = attack(port, "127.0.0.1", [VICTIM] * attempts)
        during = legitimate(port, [VICTIM, LEGIT])
        spray = attack(port, "127.0.0.3", spray_targets[:attempts])
        after = legitimate(port, [VICTIM, LEGIT])
        total = counters(port)
    return {"one_account": one, "spray": spray, "legitimate_after_one_account": during,
            "legitimate_after_spray": after, "server_cpu_total_s": round(total["cpu_seconds"], 3)}


def main() -> None:
    if len(sys.argv) == 4 and sys.argv[1] == "--serve":
        serve(sys.argv[2], int(sys.argv[3]))
        return
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--attempts", type=int, default=500, help="wrong passwords per attack (at most 5,000)")
    parser.add_argument("--no-baseline", action="store_true", help="skip the run without reachable limits")
    parser.add_argument("--postgres", action="store_true", help="PostgreSQL (TANDAU_TEST_POSTGRES_URL) not SQLite")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    attempts = max(1, min(args.attempts, 5000))
    from tandau.settings import Settings

    defaults = Settings(environment="development")
    result: dict[str, Any] = {
        "limits": {"per_id": defaults.signin_max_failures_per_id,
                   "per_address": defaults.signin_max_failures_per_address,
                   "backoff_s": defaults.signin_backoff_seconds, "window_s": defaults.signin_failure_window_seconds},
        "database": "postgresql" if args.postgres else "sqlite",
    }
    with database(sqlite=not args.postgres) as url:
        spray_targets = seed(url, attempts)
        result["throttled"] = run(url, attempts, {}, spray_targets)
        if not args.no_baseline:
            off = {"TANDAU_SIGNIN_MAX_FAILURES_PER_ID": "1000", "TANDAU_SIGNIN_MAX_FAILURES_PER_ADDRESS": "1000000"}
            result["baseline_without_reachable_limits"] = run(url, attempts, off, spray_targets)
    if args.json:
        print(json.dumps(result, indent=2))
        return
    for name, block in result.items():
        print(name, json.dumps(block, indent=2) if isinstance(block, dict) else block)


if __name__ == "__main__":
    main()
