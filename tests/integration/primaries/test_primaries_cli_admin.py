"""Setting up a primary from the command line: cycle, contest, roles and passwords (audited); the key
ceremony before opening and the key holders' decryption after close."""

from __future__ import annotations

import json
import re
from datetime import UTC, date, datetime
from pathlib import Path

from sqlalchemy import func, select
from typer.testing import CliRunner

from tandau.cli.main import app
from tandau.services.primaries import audit, nominations, roll, voting
from tandau.services.primaries.access import Actor
from tandau.services.primaries.auth import actor_for, sign_in_password
from tandau.store.engine import database_url, make_engine, session_factory
from tandau.store.models import Ballot, Contest, SealedBallot

SHARE_LINE = re.compile(r"share of (\S+): (tandau-share-1:\S+)")


def _run(*args: str):
    return CliRunner().invoke(app, ["primaries", *args])


def test_cycle_contest_roles_and_password(tmp_path: Path) -> None:
    db = str(tmp_path / "p.db")
    assert _run("db", "upgrade", "--db", db).exit_code == 0
    res = _run("cycle", "create", "masl-2026", "--name", "Maslikhats 2026", "--election-date", "2026-03-15",
               "--db", db)
    assert res.exit_code == 0, res.output
    res = _run("contest", "create", "M-1110", "--cycle", "masl-2026", "--name", "Kokshetau city maslikhat",
               "--level", "city", "--region", "11", "--seats", "15", "--max-marks", "5",
               "--opens", "2026-01-10T09:00+05:00", "--closes", "2026-01-12T20:00+05:00", "--council", "M-1110",
               "--kato", "111010000", "--db", db)
    assert res.exit_code == 0, res.output
    assert "created (draft)" in res.output
    res = _run("access", "grant", "sec-akmola", "secretary", "--kato", "110000000", "--db", db)
    assert res.exit_code == 0, res.output
    res = _run("access", "password", "sec-akmola", "--password", "correct horse battery", "--db", db)
    assert res.exit_code == 0, res.output
    res = _run("contest", "open", "M-1110", "--db", db)  # no election key yet
    assert res.exit_code != 0 and "ceremony" in res.output and "Traceback" not in res.output, res.output
    res = _run("keys", "ceremony", "--cycle", "masl-2026", "--holders", "central,observer,commission",
               "--threshold", "2", "--db", db)
    assert res.exit_code == 0, res.output
    assert [holder for holder, _ in SHARE_LINE.findall(res.output)] == ["central", "observer", "commission"]
    assert _run("contest", "open", "M-1110", "--db", db).exit_code == 0

    engine = make_engine(database_url(db))
    try:
        with session_factory(engine)() as session:
            contest = session.execute(select(Contest).where(Contest.id == "M-1110")).scalar_one()
            assert (contest.status, contest.seats, contest.max_marks) == ("open", 15, 5)
            assert sign_in_password(session, "sec-akmola", "correct horse battery")
            actor = actor_for(session, "sec-akmola")
            assert "secretary" in repr(actor)
            report = audit.verify(session)
            actions = [e.action for e in audit.entries(session)]
    finally:
        engine.dispose()
    assert report.ok
    assert len(actions) >= 5  # cycle, contest, role, key ceremony and opening are all in the audit log
    assert {"key.ceremony", "contest.open"} <= set(actions)


def test_bad_admin_input_is_refused(tmp_path: Path) -> None:
    db = str(tmp_path / "p.db")
    assert _run("db", "upgrade", "--db", db).exit_code == 0
    res = _run("cycle", "create", "c", "--name", "C", "--election-date", "15.03.2026", "--db", db)
    assert res.exit_code == 2
    assert "--election-date" in res.output
    res = _run("access", "grant", "someone", "king", "--db", db)
    assert res.exit_code == 2
    assert "unknown role 'king'" in res.output
    res = _run("contest", "create", "x", "--cycle", "nope", "--name", "X", "--level", "city", "--seats", "3",
               "--opens", "2026-01-10T09:00+05:00", "--closes", "2026-01-12T20:00+05:00", "--db", db)
    assert res.exit_code == 2
    assert "Traceback" not in res.output


ROLL = """id,name,sex,birth_date,territory,contact
a1,Aliya,F,1990-01-01,111010000,+77010000011
a2,Berik,M,1985-01-01,111010000,+77010000012
a3,Dina,F,1992-01-01,111010000,+77010000013
"""


def test_ceremony_then_decryption_by_two_holders_from_standard_input(tmp_path: Path) -> None:
    """The whole round from the command line: a ceremony for a contest, ballots sealed while it runs, close,
    publication refused until two of the three holders hand in their shares on standard input, then the
    decrypted ballots published."""
    db = str(tmp_path / "p.db")
    assert _run("db", "upgrade", "--db", db).exit_code == 0
    res = _run("cycle", "create", "c26", "--name", "C 2026", "--election-date", "2026-03-15", "--db", db)
    assert res.exit_code == 0, res.output
    res = _run("contest", "create", "K-1", "--cycle", "c26", "--name", "Kokshetau city maslikhat", "--level", "city",
               "--region", "11", "--seats", "1", "--max-marks", "1", "--opens", "2026-01-10T09:00+05:00",
               "--closes", "2026-01-12T20:00+05:00", "--council", "K-1", "--kato", "111010000", "--db", db)
    assert res.exit_code == 0, res.output
    (tmp_path / "roll.csv").write_text(ROLL, encoding="utf-8")
    central = Actor.central("central-test")
    engine = make_engine(database_url(db))
    try:
        with session_factory(engine)() as s:  # on the roll before voting opens (the CLI would stamp today)
            roll.import_roll(s, central, tmp_path / "roll.csv", today=date(2026, 1, 1),
                             now=datetime(2025, 12, 1, tzinfo=UTC))
            for member in ("a1", "a2"):
                nominations.register_nomination(s, central, nominations.NominationRequest("K-1", member))
        res = _run("keys", "ceremony", "--contest", "K-1", "--holders", "central,observer,commission", "--db", db)
        assert res.exit_code == 0, res.output
        shares = dict(SHARE_LINE.findall(res.output))
        assert sorted(shares) == ["central", "commission", "observer"]
        assert _run("contest", "open", "K-1", "--db", db).exit_code == 0
        during = datetime(2026, 1, 11, 9, 0, tzinfo=UTC)
        with session_factory(engine)() as s:
            trackers = [voting.cast_ballot(s, actor_for(s, m), "K-1", [c], now=during).tracker
                        for m, c in (("a1", "a2"), ("a2", "a2"), ("a3", "a1"))]
            assert s.scalar(select(func.count()).select_from(SealedBallot)) == 3
        assert _run("contest", "close", "K-1", "--early", "--db", db).exit_code == 0
        out = tmp_path / "K-1.jsonl"
        res = _run("publish", "K-1", "--out", str(out), "--db", db)
        assert res.exit_code != 0 and "decrypt" in res.output and not out.exists(), res.output
        # a share handed in under another holder's name is refused, and one share is not enough
        wrong = CliRunner().invoke(app, ["primaries", "keys", "decrypt", "K-1", "--stdin", "--db", db],
                                   input=f"central {shares['observer']}\n")
        assert wrong.exit_code != 0 and "Traceback" not in wrong.output, wrong.output
        alone = CliRunner().invoke(app, ["primaries", "keys", "decrypt", "K-1", "--stdin", "--db", db],
                                   input=f"observer {shares['observer']}\n")
        assert alone.exit_code != 0 and "needed" in alone.output, alone.output
        with session_factory(engine)() as s:
            assert s.scalar(select(func.count()).select_from(SealedBallot)) == 3  # still sealed
        res = CliRunner().invoke(app, ["primaries", "keys", "decrypt", "K-1", "--stdin", "--db", db],
                                 input=f"observer {shares['observer']}\ncommission {shares['commission']}\n")
        assert res.exit_code == 0, res.output
        assert "3 ballot(s) decrypted" in res.output
        for text in shares.values():
            assert text not in res.output
        with session_factory(engine)() as s:
            assert s.scalar(select(func.count()).select_from(SealedBallot)) == 0
            assert sorted(s.scalars(select(Ballot.tracker))) == sorted(trackers)
            assert audit.verify(s).ok
    finally:
        engine.dispose()
    res = _run("publish", "K-1", "--out", str(out), "--db", db)
    assert res.exit_code == 0, res.output
    lines = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert lines[0]["format"] == "tandau-bulletin/2" and lines[0]["ballot_count"] == 3
    assert sorted(b["tracker"] for b in lines[1:]) == sorted(trackers)
    verify = CliRunner().invoke(app, ["verify", str(out)])
    assert verify.exit_code == 0, verify.output


def test_db_prune_deletes_ended_sessions_and_stale_counters(tmp_path: Path) -> None:
    from datetime import UTC, datetime, timedelta

    from sqlalchemy import func, insert, select
    from typer.testing import CliRunner

    from tandau.cli.primaries import app as primaries_app
    from tandau.store import make_engine, session_factory
    from tandau.store.auth_models import SigninFailure, UserSession
    from tandau.store.migrate import upgrade

    db = tmp_path / "p.db"
    engine = make_engine(f"sqlite:///{db}")
    upgrade(engine)
    now = datetime.now(UTC)
    with session_factory(engine)() as s:
        for name, expires in (("old", now - timedelta(days=40)), ("live", now + timedelta(hours=1))):
            s.execute(insert(UserSession).values(id_hash=name * 8, subject_id="m1", csrf="c", created_at=now,
                                                 last_seen_at=now, expires_at=expires, revoked_at=None))
        for key, last in (("a" * 64, now - timedelta(days=2)), ("b" * 64, now)):
            s.execute(insert(SigninFailure).values(key_hash=key, failures=3, last_failure_at=last,
                                                   blocked_until=None))
        s.commit()
    result = CliRunner().invoke(primaries_app, ["db", "prune", "--db", str(db)])
    assert result.exit_code == 0, result.output
    assert "1 ended session(s) and 1 stale sign-in counter(s) deleted" in result.output
    with session_factory(engine)() as s:
        assert s.scalar(select(func.count()).select_from(UserSession)) == 1
        assert s.scalar(select(func.count()).select_from(SigninFailure)) == 1
    engine.dispose()
