"""/healthz, /readyz and /metrics: what they answer, to whom, and that no label carries a code or a member."""

from __future__ import annotations

import re
from pathlib import Path

from fastapi import FastAPI
from prometheus_client.parser import text_string_to_metric_families

from tandau.settings import Settings
from tandau.store import make_engine
from tandau.store.migrate import upgrade
from tandau.web import create_app
from tests.integration.primaries.conftest import World
from tests.integration.web.conftest import SECRET

from .conftest import CITY, WebClient, cast, make_app

TOKEN = "metrics-token-" + "k" * 24
LOOPBACK = ("127.0.0.1", 50000)


def _metrics(app: FastAPI, **kw: object) -> tuple[int, str]:
    with WebClient(app, client=LOOPBACK, **kw) as c:  # type: ignore[arg-type]
        answer = c.get("/metrics")
    return answer.status_code, answer.text


def _samples(text: str) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    return {(s.name, tuple(sorted(s.labels.items()))): s.value
            for family in text_string_to_metric_families(text) for s in family.samples}


def test_healthz_answers_without_the_database(tmp_path: Path) -> None:
    missing = tmp_path / "no" / "such" / "dir" / "x.db"  # a database that cannot be opened
    conf = Settings(environment="development", secret_key=SECRET)
    app = create_app(conf, database_url=f"sqlite:///{missing}", bulletin_dir=tmp_path)
    with WebClient(app) as c:
        health = c.get("/healthz")
        ready = c.get("/readyz")
    assert health.status_code == 200 and health.json()["status"] == "ok"
    assert health.headers["cache-control"] == "no-store"
    assert ready.status_code == 503
    assert ready.json()["reason"] == "database_unreachable"
    assert str(tmp_path) not in ready.text  # no path, URL or password in the reason


def test_readyz_wants_the_alembic_head(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'ready.db'}"
    engine = make_engine(url)
    upgrade(engine, "0001")
    conf = Settings(environment="development", secret_key=SECRET)
    app = create_app(conf, database_url=url, bulletin_dir=tmp_path)
    with WebClient(app) as c:
        behind = c.get("/readyz")
        assert behind.status_code == 503
        assert behind.json()["reason"] == "schema_not_at_head"
        upgrade(engine)
        ready = c.get("/readyz")
    engine.dispose()
    app.state.engine.dispose()
    assert ready.status_code == 200, ready.text
    assert ready.json()["status"] == "ready"


def test_operations_endpoints_stay_out_of_the_api_document(client: WebClient) -> None:
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    assert not {"/healthz", "/readyz", "/metrics"} & set(paths)


def test_metrics_hidden_from_remote_clients_without_the_token(web_world: World, tmp_path: Path) -> None:
    app = make_app(web_world.db, tmp_path, metrics_token=TOKEN)
    with WebClient(app) as remote:  # the test client's address is "testclient": not loopback
        assert remote.get("/metrics").status_code == 404
        assert remote.get("/metrics", headers={"Authorization": "Bearer wrong-token-" + "x" * 24}).status_code == 404
        assert remote.get("/metrics", headers={"Authorization": TOKEN}).status_code == 404  # no scheme
        opened = remote.get("/metrics", headers={"Authorization": f"Bearer {TOKEN}"})
    assert opened.status_code == 200
    assert opened.headers["content-type"].startswith("text/plain")
    status, _ = _metrics(app)
    assert status == 200  # loopback needs no token
    no_token = make_app(web_world.db, tmp_path / "other")
    with WebClient(no_token) as remote:  # no token set: "Bearer " alone opens nothing
        assert remote.get("/metrics", headers={"Authorization": "Bearer "}).status_code == 404
    for a in (app, no_token):
        a.state.engine.dispose()


def test_requests_latency_and_ballots_by_route_template(web_world: World, tmp_path: Path,
                                                        frozen_time: object) -> None:
    app = make_app(web_world.db, tmp_path)
    other = make_app(web_world.db, tmp_path / "other")  # a second app in the process counts on its own
    with WebClient(app, base_url="http://testserver") as c:
        first = cast(c, "m1")
        assert first.status_code == 201, first.text
        again = cast(c, "m1")
        assert again.status_code == 409
        assert cast(c, "m7", marks=1).status_code == 201
        assert c.get(f"/results/{CITY}").status_code in (200, 404, 409)
        assert c.get("/no/such/page-m1").status_code == 404
    status, text = _metrics(app)
    assert status == 200
    samples = _samples(text)
    ballots = sum(v for (name, _), v in samples.items() if name == "tandau_ballots_accepted_total")
    assert ballots == 2  # the 409 is not a ballot
    route = "/api/v1/contests/{contest_id}/ballots"
    assert samples[("tandau_http_requests_total", (("method", "POST"), ("route", route), ("status", "201")))] == 2
    assert samples[("tandau_http_requests_total", (("method", "POST"), ("route", route), ("status", "409")))] == 1
    assert samples[("tandau_http_request_duration_seconds_count", (("method", "POST"), ("route", route)))] == 3
    assert samples[("tandau_job_queue_depth", ())] == 0
    unmatched = [k for k in samples if k[0] == "tandau_http_requests_total" and ("route", "<unmatched>") in k[1]]
    assert unmatched, "the unknown page is counted under <unmatched>"
    labels = re.findall(r"\{([^}]*)\}", text)
    assert not [x for x in labels if CITY in x or "m1" in x or "m7" in x or "page" in x]
    _, other_text = _metrics(other)
    assert not any(name == "tandau_ballots_accepted_total" and v
                   for (name, _), v in _samples(other_text).items())
    for a in (app, other):
        a.state.engine.dispose()


MULTIPROCESS_SCRIPT = """
import sys
from starlette.testclient import TestClient
from tandau.settings import Settings
from tandau.web import create_app
apps = [create_app(Settings(environment="development", database_url=sys.argv[1])) for _ in range(2)]
for app in apps:  # two apps stand for two workers: each writes its own files, /metrics sums them
    TestClient(app).get("/healthz")
print(TestClient(apps[0], client=("127.0.0.1", 1)).get("/metrics").text)
"""


def test_multiprocess_mode_sums_every_worker(tmp_path: Path) -> None:
    """With PROMETHEUS_MULTIPROC_DIR (set before the process starts, as for ``--workers N``) /metrics reads the
    files every worker writes, not the answering worker's memory."""
    import os
    import subprocess
    import sys

    shared = tmp_path / "prometheus"
    shared.mkdir()
    env = {**os.environ, "PROMETHEUS_MULTIPROC_DIR": str(shared), "PYTHONWARNINGS": "ignore"}
    done = subprocess.run([sys.executable, "-c", MULTIPROCESS_SCRIPT, f"sqlite:///{tmp_path / 'mp.db'}"],
                          env=env, capture_output=True, text=True, timeout=60, check=False)
    assert done.returncode == 0, done.stderr[-2000:]
    samples = _samples(done.stdout)
    assert samples[("tandau_http_requests_total", (("method", "GET"), ("route", "/healthz"), ("status", "200")))] == 2
    assert any(shared.glob("counter_*.db"))
