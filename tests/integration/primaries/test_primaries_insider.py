"""Ballot secrecy against an insider who reads everything PostgreSQL holds (issue 10, quality bar).

Driven only through the CLI and the HTTP API: 300 members on the roll, 200 of them vote with near-unique
selections (4 of 20 candidates), in a sealed contest and, as a control, in a contest opened before sealed
ballots existed (the plain scheme: a contest left open across the upgrade). An insider then reads every
table with ``xmin``, ``ctid`` and the raw pages (dead tuples included, through pageinspect), while voting is
open and again after publication, and tries to link members to what they chose:

- by transaction (``xmin`` of the participation row = ``xmin`` of a row that carries a tracking code);
- by physical order (participation in arrival order zipped with the ballots in page order);
- through tracking codes stored beside a member id (any tuple, live or dead, holding both);
- by the size of the sealed box.

Each attack must link no more voters than random pairing would (about 1 of 200: at most a handful). The
control shows the attacks have teeth: on the plain scheme the transaction attack links nearly everyone.
"""

from __future__ import annotations

import random
import re
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from argon2 import PasswordHasher
from sqlalchemy import text
from typer.testing import CliRunner

from tandau.cli.main import app as cli_app
from tandau.services.primaries import auth

from .conftest import Db, empty_database

MEMBERS, VOTERS, CANDIDATES, MARKS = 300, 200, 20, 4
# random pairing links about 1 voter in expectation (fixed points of a random permutation: Poisson(1));
# P(8 or more) is about 1e-5, so a failure means a leak, not bad luck
CHANCE_LIMIT = 7
TRACKER = re.compile(rb"[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}")


@pytest.fixture
def pg(tmp_path: Path) -> Iterator[Db]:
    yield from empty_database("postgresql", tmp_path, create=False)


def _url(db: Db) -> str:
    from tests.integration.web.conftest import database_url_of

    return database_url_of(db)


def _cli(*args: str) -> str:
    result = CliRunner().invoke(cli_app, list(args), catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.output


def _raw_tuples(conn: Any, schema: str, table: str) -> list[tuple[int, bytes]]:
    """Every tuple on the table's pages, live or dead: (xmin, raw data)."""
    pages = conn.execute(text(f"SELECT pg_relation_size('{schema}.{table}') / current_setting('block_size')::int"))
    found: list[tuple[int, bytes]] = []
    for block in range(int(pages.scalar_one())):
        rows = conn.execute(text(
            "SELECT t_xmin::text::bigint, t_data FROM public.heap_page_items("
            f"public.get_raw_page('{schema}.{table}', {block})) WHERE t_data IS NOT NULL"))
        found += [(int(x), bytes(d)) for x, d in rows]
    return found


def _snapshot(db: Db) -> dict[str, Any]:
    """What the insider reads: participation, both ballot tables with xmin and ctid, and every raw tuple."""
    assert db.schema is not None
    with db.engine.connect() as conn:
        conn.execute(text("CREATE EXTENSION IF NOT EXISTS pageinspect SCHEMA public"))
        snap: dict[str, Any] = {
            "participation": conn.execute(text(
                "SELECT member_id, contest_id, xmin::text::bigint, ctid::text FROM participation")).all(),
            "ballots": conn.execute(text(
                "SELECT contest_id, tracker, selection, xmin::text::bigint, ctid::text FROM ballots")).all(),
            "sealed": conn.execute(text(
                "SELECT member_id, contest_id, length(box), xmin::text::bigint, ctid::text FROM sealed_ballots")).all(),
            "raw": {t: _raw_tuples(conn, db.schema, t) for t in ("participation", "ballots", "sealed_ballots")},
        }
        conn.commit()
    return snap


def _ctid(value: str) -> tuple[int, int]:
    page, item = value.strip("()").split(",")
    return int(page), int(item)


def _attacks(snap: dict[str, Any], contest: str, member_ids: set[str]) -> dict[str, dict[str, str]]:
    """Each attack's guesses: member id -> tracking code."""
    part = [(m, x, c) for m, cid, x, c in snap["participation"] if cid == contest]
    ballots = [(t, x, c) for cid, t, _sel, x, c in snap["ballots"] if cid == contest]
    guesses: dict[str, dict[str, str]] = {}
    # 1. by transaction: a row carrying a tracking code written in the member's transaction
    carriers: dict[int, set[str]] = {}
    for tracker, xmin, _ in ballots:
        carriers.setdefault(xmin, set()).add(tracker)
    for xmin, data in snap["raw"]["ballots"] + snap["raw"]["sealed_ballots"]:
        for found in TRACKER.findall(data):
            carriers.setdefault(xmin, set()).add(found.decode())
    guesses["transaction"] = {m: min(carriers[x]) for m, x, _ in part if len(carriers.get(x, ())) == 1}
    # 2. by physical order: participation in arrival order against ballots in page order
    arrival = [m for m, _, _ in sorted(part, key=lambda r: (r[1], _ctid(r[2])))]
    pages = [t for t, _, _ in sorted(ballots, key=lambda r: _ctid(r[2]))]
    guesses["order"] = dict(zip(arrival, pages, strict=False))
    # 3. a tracking code stored beside a member id, in any tuple of any table, live or dead
    beside: dict[str, str] = {}
    for tuples in snap["raw"].values():
        for _, data in tuples:
            codes = TRACKER.findall(data)
            if len(codes) == 1:
                for member in member_ids:
                    if member.encode() in data:
                        beside[member] = codes[0].decode()
    guesses["beside"] = beside
    return guesses


def _score(guesses: dict[str, str], truth: dict[str, str], label: str = "") -> int:
    linked = sum(truth.get(member) == tracker for member, tracker in guesses.items())
    print(f"{label}: guessed {len(guesses)}, linked {linked}")  # shown with -s; figures in docs/security.md
    return linked


def test_an_insider_links_no_more_voters_than_chance(pg: Db, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
                                                     ) -> None:
    from tandau.settings import Settings
    from tandau.web import create_app
    from tests.integration.web.conftest import WebClient

    monkeypatch.setattr(auth, "_DEFAULT_HASHER", PasswordHasher(time_cost=1, memory_cost=8, parallelism=1))
    url = _url(pg)
    rng = random.Random(2026)
    members = [f"M{i:04d}" for i in range(MEMBERS)]
    roll = ["id,name,sex,birth_date,territory,contact"] + [
        f"{m},Member {m},{'F' if i % 2 else 'M'},{1960 + i % 40}-0{1 + i % 9}-1{i % 9},751110000,m{i}@party.kz"
        for i, m in enumerate(members)]
    (tmp_path / "roll.csv").write_text("\n".join(roll) + "\n", encoding="utf-8")
    _cli("primaries", "db", "upgrade", "--db", url)
    _cli("primaries", "roll", "import", str(tmp_path / "roll.csv"), "--db", url)
    opens = datetime.now(UTC) + timedelta(seconds=2)
    closes = opens + timedelta(hours=2)
    _cli("primaries", "cycle", "create", "c26", "--name", "Cycle", "--election-date", "2027-03-15", "--db", url)
    for contest in ("sealed", "plain"):
        _cli("primaries", "contest", "create", contest, "--cycle", "c26", "--name", contest, "--level", "city",
             "--council", f"ms-{contest}", "--kato", "751110000", "--region", "75", "--seats", "5",
             "--max-marks", str(MARKS), "--opens", opens.isoformat(), "--closes", closes.isoformat(),
             "--ties", "nomination-order", "--db", url)
    nominees = ["contest,member,nominated_by"] + [f"{c},{m},self" for c in ("sealed", "plain")
                                                   for m in members[:CANDIDATES]]
    (tmp_path / "nominations.csv").write_text("\n".join(nominees) + "\n", encoding="utf-8")
    _cli("primaries", "nominations", "import", str(tmp_path / "nominations.csv"), "--db", url)
    ceremony = _cli("primaries", "keys", "ceremony", "--cycle", "c26", "--holders", "central,observer,commission",
                    "--threshold", "2", "--db", url)
    shares = dict(re.findall(r"share of (\w+): (tandau-share-1:\S+)", ceremony))
    assert set(shares) == {"central", "observer", "commission"}
    _cli("primaries", "contest", "open", "sealed", "--db", url)
    # the control: a contest opened before sealed ballots existed finishes under the plain scheme
    with pg.engine.begin() as conn:
        conn.execute(text("UPDATE contests SET status = 'open' WHERE id = 'plain'"))
    while datetime.now(UTC) < opens:
        time.sleep(0.1)

    settings = Settings(environment="development", secret_key="insider-test-" + "k" * 40)
    app = create_app(settings, database_url=url, bulletin_dir=tmp_path / "bulletins")
    truth: dict[str, dict[str, str]] = {"sealed": {}, "plain": {}}
    chosen: dict[str, list[str]] = {}
    with WebClient(app, base_url="http://testserver") as client:
        public = {c: [x["id"] for x in client.get(f"/api/v1/contests/{c}").json()["candidates"]]
                  for c in ("sealed", "plain")}
        for member in rng.sample(members, VOTERS):
            client.cookies.clear()
            client.csrf = client.get("/api/v1/session").json()["csrf_token"]
            code = client.api("POST", "/api/v1/session/code", json={"member_id": member}).json()["development_code"]
            signed = client.api("POST", "/api/v1/session", json={"member_id": member, "secret": code})
            assert signed.status_code == 200, signed.text
            client.csrf = signed.json()["csrf_token"]
            picks = rng.sample(range(CANDIDATES), MARKS)
            chosen[member] = sorted(str(p) for p in picks)
            for contest in ("sealed", "plain"):
                answer = client.api("POST", f"/api/v1/contests/{contest}/ballots",
                                    json={"selection": [public[contest][p] for p in picks]})
                assert answer.status_code == 201, answer.text
                truth[contest][member] = answer.json()["tracker"]
    app.state.engine.dispose()
    assert len({tuple(v) for v in chosen.values()}) > 0.95 * VOTERS  # near-unique selections

    voters = set(truth["sealed"])
    while_open = _snapshot(pg)
    assert not [b for b in while_open["ballots"] if b[0] == "sealed"]  # nothing in clear while voting runs
    assert len({length for _m, c, length, _x, _ct in while_open["sealed"] if c == "sealed"}) == 1  # one box size
    for name, guesses in _attacks(while_open, "sealed", voters).items():
        assert _score(guesses, truth["sealed"], f"sealed, open, {name}") <= CHANCE_LIMIT, (name, "while open")
    control = _attacks(while_open, "plain", voters)
    for name, guesses in control.items():
        _score(guesses, truth["plain"], f"plain (control), open, {name}")
    assert _score(control["transaction"], truth["plain"]) > VOTERS // 2  # the attack works on the plain scheme

    _cli("primaries", "contest", "close", "sealed", "--early", "--db", url)
    given = f"observer {shares['observer']}\ncommission {shares['commission']}\n"
    result = CliRunner().invoke(cli_app, ["primaries", "keys", "decrypt", "sealed", "--stdin", "--db", url],
                                input=given, catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert f"{VOTERS} ballot(s) decrypted" in result.output
    _cli("primaries", "publish", "sealed", "--out", str(tmp_path / "sealed.jsonl"), "--db", url)
    after = _snapshot(pg)
    assert not [s for s in after["sealed"] if s[1] == "sealed"]
    published = {t for c, t, *_ in after["ballots"] if c == "sealed"}
    assert published == set(truth["sealed"].values())
    for name, guesses in _attacks(after, "sealed", voters).items():
        assert _score(guesses, truth["sealed"], f"sealed, published, {name}") <= CHANCE_LIMIT, (name, "published")
    # and the two snapshots together: participation as seen while open against the published rows
    combined = {**after, "participation": while_open["participation"],
                "raw": {k: while_open["raw"][k] + after["raw"][k] for k in after["raw"]}}
    for name, guesses in _attacks(combined, "sealed", voters).items():
        assert _score(guesses, truth["sealed"], f"sealed, both, {name}") <= CHANCE_LIMIT, (name, "both snapshots")
