"""``tandau serve`` is a top-level command with --db, --host, --port (registered by tandau.cli.serve), and serves
the database it is given."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

import httpx
from typer.testing import CliRunner

from tandau.cli import serve
from tandau.cli._app import new_app


def test_serve_command_options() -> None:
    app = new_app("test")
    serve.register(app)

    @app.command("other")
    def other() -> None:  # a second command keeps Typer in group mode
        """Nothing."""

    result = CliRunner().invoke(app, ["serve", "--help"])
    assert result.exit_code == 0
    for option in ("--db", "--host", "--port", "--workers"):
        assert option in result.output


def test_serve_answers_on_the_database_given_with_db(tmp_path: Path) -> None:
    """`tandau serve --db FILE` signs a member in from FILE (it once served the default database instead)."""
    from tandau.services.primaries import auth
    from tandau.store import Member, make_engine, session_factory
    from tandau.store.migrate import upgrade

    db = tmp_path / "given.db"
    engine = make_engine(f"sqlite:///{db}")
    upgrade(engine)
    with session_factory(engine)() as s:
        s.add(Member(id="m1", name="Aigerim", sex="F", birth_date=date(1990, 1, 1), kato="751110000", contact=None,
                     status="active"))
        s.commit()
        auth.set_password(s, "m1", "correct horse battery")
        s.commit()
    engine.dispose()
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    env = {**os.environ, "TANDAU_ENVIRONMENT": "development", "TANDAU_SECRET_KEY": "s" * 40}
    env.pop("TANDAU_DATABASE_URL", None)
    proc = subprocess.Popen([sys.executable, "-m", "tandau", "serve", "--db", str(db), "--port", str(port)],
                            cwd=tmp_path, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=5) as client:
            for _ in range(100):  # bounded: up to ~20 s for the server to start
                try:
                    token = client.get("/api/v1/session").json()["csrf_token"]
                    break
                except httpx.TransportError:
                    time.sleep(0.2)
            else:
                raise AssertionError("the server did not start")
            signed = client.post("/api/v1/session", json={"member_id": "m1", "secret": "correct horse battery"},
                                 headers={"X-CSRF-Token": token})
        assert signed.status_code == 200 and signed.json()["subject"] == "m1", signed.text
        assert not (tmp_path / "tandau.db").exists()  # the default database was never opened
    finally:
        proc.terminate()
        proc.wait(timeout=20)
