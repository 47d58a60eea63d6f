"""Two real app processes and a worker on one PostgreSQL database (issue 15, item 3): nothing that one must see
lives only in the other's memory.

Two uvicorn processes (A and B) serve ``tandau.web.asgi:app`` on free loopback ports, and ``tandau worker`` runs
jobs, on one unique schema migrated with Alembic. Checked through them: a job submitted through A is seen from B
and run by the worker; a session made on A is valid on B (and its sign-out reaches B
within the session cache time); failed sign-ins split between A and B hit the per-id limit together; a contest
closed through A refuses, at once, a ballot cast through B (whose contest cache was warm); a file stored
through A is served by B; a bulletin published from a third process (this one) is served byte for byte by both
and recounts with ``tandau verify``. PostgreSQL only (the deployment this is about); skipped without it,
failed under ``CI=true``.
"""

from __future__ import annotations

import hashlib
import os
import secrets
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import httpx
import pytest
from sqlalchemy import func, select, text
from sqlalchemy.engine import Engine

import tandau
from tandau.services.control import cases
from tandau.services.primaries import auth, contests, keys, nominations, publish, roll, sealing
from tandau.services.primaries.access import Role
from tandau.services.tally import verify_bulletin
from tandau.store import make_engine, session_factory
from tandau.store.migrate import upgrade
from tandau.store.models import Participation
from tests.integration.primaries.conftest import CENTRAL, FAST_HASHER, ROLL_CSV, _postgres_url

PASSWORD = "two-processes-password"
SECRET = "two-processes-" + secrets.token_urlsafe(24)
SESSION_CACHE_S = 1.0
START_TIMEOUT_S = 60.0  # a bound, not the usual time (about 4 s each on an idle 2-core machine)
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@dataclass
class Deployment:
    a: str
    b: str
    engine: Engine
    shares: tuple[sealing.Share, ...]
    case_id: str
    worker: subprocess.Popen[bytes]
    worker_log: Path


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _seed(engine: Engine, tmp: Path) -> tuple[tuple[sealing.Share, ...], str]:
    """A cycle whose two national contests are open NOW (real time: the servers use their clock), members m1-m7
    with a password, the central office ``central`` with a password, and a control case."""
    now = datetime.now(UTC)
    opens, closes = now - timedelta(hours=1), now + timedelta(hours=2)
    (tmp / "roll.csv").write_text(ROLL_CSV, encoding="utf-8")
    factory = session_factory(engine)
    with factory() as s:
        contests.create_cycle(s, CENTRAL, "2027", "Two processes", (now + timedelta(days=30)).date())
        for contest_id in ("closing", "steady"):
            contests.create_contest(s, CENTRAL, contests.ContestSpec(
                contest_id, "2027", f"National list ({contest_id})", "national", "Kazakhstan", "approval", 2, opens,
                closes, max_marks=2, tie_policy="nomination-order"))
        roll.import_roll(s, CENTRAL, tmp / "roll.csv", today=date(2026, 1, 1), now=opens - timedelta(days=30))
        for contest_id in ("closing", "steady"):
            for member in ("m1", "m2", "m3"):
                nominations.register_nomination(s, CENTRAL, nominations.NominationRequest(contest_id, member))
        for subject in ("m1", "m2", "m3", "m4", "m5", "m6", "m7", "central"):
            auth.set_password(s, subject, PASSWORD, hasher=FAST_HASHER)
        auth.grant_role(s, CENTRAL, "central", Role.CENTRAL, None)
    with factory() as s:
        ceremony = keys.hold_ceremony(s, CENTRAL, holders=["central", "observer", "commission"], threshold=2,
                                      cycle_id="2027")
    with factory() as s:
        for contest_id in ("closing", "steady"):
            contests.open_contest(s, CENTRAL, contest_id)
        case = cases.open_case(s, CENTRAL, cases.CaseRequest("Two processes", None, "signal"))
    return tuple(share for _, share in ceremony.shares), case.id


def _start(port: int, env: dict[str, str], log: Path) -> subprocess.Popen[bytes]:
    with log.open("wb") as handle:
        return subprocess.Popen(
            [sys.executable, "-m", "uvicorn", "tandau.web.asgi:app", "--host", "127.0.0.1", "--port", str(port),
             "--no-access-log", "--log-level", "warning"],
            env=env, stdout=handle, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)


def _start_worker(url: str, env: dict[str, str], log: Path) -> subprocess.Popen[bytes]:
    with log.open("wb") as handle:
        return subprocess.Popen([sys.executable, "-m", "tandau", "worker", "--db", url, "--poll", "0.2",
                                 "--heartbeat", "1"], env=env, stdout=handle, stderr=subprocess.STDOUT,
                                stdin=subprocess.DEVNULL)


def _wait_ready(proc: subprocess.Popen[bytes], base: str, log: Path, deadline: float) -> None:
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            pytest.fail(f"app process on {base} exited with {proc.returncode}:\n{log.read_text()[-3000:]}")
        try:
            if httpx.get(f"{base}/readyz", timeout=1.0).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.1)
    pytest.fail(f"app process on {base} not ready in {START_TIMEOUT_S} s:\n{log.read_text()[-3000:]}")


@pytest.fixture(scope="module")
def deployment(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Deployment]:
    url = _postgres_url()
    tmp = tmp_path_factory.mktemp("two-processes")
    schema = "t2p_" + secrets.token_hex(6)
    admin = make_engine(url)
    with admin.connect() as conn:
        conn.execute(text(f"CREATE SCHEMA {schema}"))
        conn.commit()
    engine = make_engine(url, search_path=schema)
    procs: list[subprocess.Popen[bytes]] = []
    try:
        upgrade(engine)  # the real migrations, 0017 (files) included
        source = str(Path(tandau.__file__).resolve().parents[1])  # the sources under test, not an installed copy
        env = {k: v for k, v in os.environ.items() if k != "PROMETHEUS_MULTIPROC_DIR"}
        app_url = f"{url}{'&' if '?' in url else '?'}options=-csearch_path%3D{schema}"
        env.update({
            "TANDAU_DATABASE_URL": app_url,
            "TANDAU_ENVIRONMENT": "development", "TANDAU_SECRET_KEY": SECRET,
            "TANDAU_SESSION_CACHE_SECONDS": str(SESSION_CACHE_S), "TANDAU_FILES_BACKEND": "database",
            "PYTHONPATH": os.pathsep.join([source, env.get("PYTHONPATH", "")]),
        })
        bases = []
        procs.append(_start_worker(app_url, env, tmp / "worker.log"))
        for name in ("a", "b"):
            port = _free_port()
            procs.append(_start(port, env, tmp / f"{name}.log"))
            bases.append(f"http://127.0.0.1:{port}")
        deadline = time.monotonic() + START_TIMEOUT_S
        shares, case_id = _seed(engine, tmp)  # while the processes import (most of their start-up)
        for proc, base, name in zip(procs[1:], bases, ("a", "b"), strict=True):
            _wait_ready(proc, base, tmp / f"{name}.log", deadline)
        yield Deployment(bases[0], bases[1], engine, shares, case_id, procs[0], tmp / "worker.log")
    finally:
        for proc in procs:
            proc.terminate()
        for proc in procs:
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(timeout=5)
        engine.dispose()
        with admin.connect() as conn:
            conn.execute(text(f"DROP SCHEMA {schema} CASCADE"))
            conn.commit()
        admin.dispose()


class Client:
    """One browser-like client: its cookie jar is sent to whichever process it calls."""

    def __init__(self, opened: list[httpx.Client]) -> None:
        self.http = httpx.Client(timeout=10.0)
        opened.append(self.http)
        self.csrf = ""

    def sign_in(self, base: str, subject: str, secret: str = PASSWORD) -> httpx.Response:
        self.session(base)  # a CSRF token for the sign-in form
        answer = self.call("POST", base, "/api/v1/session", json={"member_id": subject, "secret": secret})
        if answer.status_code == 200:
            self.csrf = answer.json()["csrf_token"]
        return answer

    def session(self, base: str) -> dict[str, object]:
        found: dict[str, object] = self.http.get(f"{base}/api/v1/session").json()
        self.csrf = str(found["csrf_token"])
        return found

    def call(self, method: str, base: str, path: str, **kw: object) -> httpx.Response:
        return self.http.request(method, f"{base}{path}", headers={"X-CSRF-Token": self.csrf}, **kw)  # type: ignore[arg-type]

    def vote(self, base: str, contest_id: str) -> httpx.Response:
        ids = [c["id"] for c in self.http.get(f"{base}/api/v1/contests/{contest_id}").json()["candidates"]]
        return self.call("POST", base, f"/api/v1/contests/{contest_id}/ballots", json={"selection": ids[:1]})


@pytest.fixture
def client() -> Iterator[Callable[[], Client]]:
    """Clients for one test, closed after it."""
    opened: list[httpx.Client] = []
    yield lambda: Client(opened)
    for http in opened:
        http.close()


def test_session_made_on_a_is_valid_on_b(deployment: Deployment, client: Callable[[], Client]) -> None:
    member = client()
    assert member.sign_in(deployment.a, "m4").status_code == 200
    assert member.session(deployment.b)["subject"] == "m4"
    assert member.call("DELETE", deployment.a, "/api/v1/session").status_code == 204
    # signed out on A: the session row is revoked, and B drops its cached copy within the cache time
    start = time.monotonic()
    while member.session(deployment.b)["subject"] is not None:
        assert time.monotonic() - start < SESSION_CACHE_S + 2.0, "B still honours a session revoked on A"
        time.sleep(0.1)


def test_failed_sign_ins_on_a_and_b_count_together(deployment: Deployment, client: Callable[[], Client]) -> None:
    attacker = client()
    for attempt in range(5):  # the per-(address, id) limit is 5 failures: 3 on A, 2 on B
        base = deployment.a if attempt % 2 == 0 else deployment.b
        assert attacker.sign_in(base, "m5", "wrong-password-" + str(attempt)).status_code == 401
    # with counters per process B would have seen 2 failures and let the right password in
    refused = attacker.sign_in(deployment.b, "m5")
    assert refused.status_code == 429, refused.text
    assert int(refused.headers["retry-after"]) > 0
    assert attacker.sign_in(deployment.a, "m5").status_code == 429


def test_contest_closed_on_a_refuses_a_ballot_on_b_at_once(deployment: Deployment, tmp_path: Path,
                                                           client: Callable[[], Client]) -> None:
    first, second, staff = client(), client(), client()
    assert first.sign_in(deployment.b, "m1").status_code == 200
    assert second.sign_in(deployment.b, "m2").status_code == 200
    assert staff.sign_in(deployment.a, "central").status_code == 200
    cast = first.vote(deployment.b, "closing")  # B has now read (and cached) the open contest
    assert cast.status_code == 201, cast.text
    closed = staff.call("POST", deployment.a, "/api/v1/contests/closing/close", json={"early": True})
    assert closed.status_code == 200 and closed.json()["status"] == "closed", closed.text
    late = second.vote(deployment.b, "closing")
    assert late.status_code == 409, late.text
    with session_factory(deployment.engine)() as s:
        assert s.scalar(select(func.count()).select_from(Participation)
                        .where(Participation.contest_id == "closing")) == 1
    assert second.vote(deployment.b, "steady").status_code == 201  # the other contest is still open

    # a third process (this one) decrypts and publishes; both app processes serve the same bulletin
    factory = session_factory(deployment.engine)
    with factory() as s:
        key = keys.key_for(s, contests.get_contest(s, "closing"))
        assert key is not None
        keys.decrypt_contest(s, CENTRAL, "closing", sealing.combine(list(deployment.shares[:2]), key.public_key))
    with factory() as s:
        publish.publish_contest(s, CENTRAL, "closing")
    served = [staff.http.get(f"{base}/results/closing/bulletin.jsonl") for base in (deployment.a, deployment.b)]
    assert [r.status_code for r in served] == [200, 200]
    assert served[0].content == served[1].content
    with factory() as s:
        assert hashlib.sha256(served[1].content).hexdigest() == publish.published_result(s, "closing")[
            "bulletin_sha256"]
    path = tmp_path / "closing.jsonl"
    path.write_bytes(served[1].content)
    assert verify_bulletin(path).exit_code == 0


def test_file_stored_through_a_is_served_by_b(deployment: Deployment, client: Callable[[], Client]) -> None:
    staff = client()
    assert staff.sign_in(deployment.a, "central").status_code == 200
    stored = staff.call("POST", deployment.a, f"/api/v1/control/cases/{deployment.case_id}/files",
                        files={"file": ("act.pdf", PDF, "application/pdf")})
    assert stored.status_code == 201, stored.text
    file_id = stored.json()["id"]
    served = staff.http.get(f"{deployment.b}/api/v1/control/cases/{deployment.case_id}/files/{file_id}")
    assert served.status_code == 200 and served.content == PDF
    assert served.headers["content-type"] == "application/pdf"


def test_job_submitted_through_a_is_seen_from_b_and_run_by_the_worker(deployment: Deployment,
                                                                      client: Callable[[], Client]) -> None:
    staff = client()
    assert staff.sign_in(deployment.a, "central").status_code == 200
    submitted = staff.call("POST", deployment.a, "/api/v1/jobs",
                           json={"kind": "lists.form-all", "arguments": {"cycle_id": "2027"}})
    assert submitted.status_code == 202, submitted.text
    job_id = submitted.json()["id"]
    assert job_id in [j["id"] for j in staff.http.get(f"{deployment.b}/api/v1/jobs").json()]
    deadline = time.monotonic() + 20.0
    while (seen := staff.http.get(f"{deployment.b}/api/v1/jobs/{job_id}").json())["status"] != "succeeded":
        assert seen["status"] in ("queued", "running"), seen
        assert deployment.worker.poll() is None, deployment.worker_log.read_text()[-3000:]
        assert time.monotonic() < deadline, f"job not done in 20 s: {seen}\n{deployment.worker_log.read_text()[-3000:]}"
        time.sleep(0.1)
    assert seen["attempts"] == 1 and seen["result"]["cycle_id"] == "2027", seen
