"""``tandau ops``: backup and restore (PostgreSQL), the restore drill's recount, and readiness."""

from __future__ import annotations

from pathlib import Path

import typer

from tandau.cli._app import err_console, new_app, out_console

app = new_app("Operations: backup, restore, recount every published contest, readiness.")

DB = typer.Option(None, "--db", help="Database URL (default: TANDAU_DATABASE_URL).")


def _url(db: str | None) -> str:
    from tandau.store.engine import database_url

    return database_url(db)


@app.command("backup")
def backup_command(
    out: Path = typer.Option(..., "--out", help="Dump file to write (pg_dump custom format)."), db: str | None = DB,
) -> None:
    """Dump the PostgreSQL database to OUT with pg_dump -Fc (as secret as the database itself)."""
    from tandau.services.operations import backup

    written = backup(_url(db), out)
    out_console.print(f"dumped to {written} ({written.stat().st_size} bytes)")


@app.command("restore")
def restore_command(
    dump: Path = typer.Argument(..., metavar="FILE", help="A dump written by tandau ops backup."), db: str | None = DB,
) -> None:
    """Restore FILE into the (new, empty) PostgreSQL database of --db, in one transaction."""
    from tandau.services.operations import restore

    restore(dump, _url(db))
    out_console.print(f"restored {dump}")


@app.command("recount")
def recount_command(
    out: Path = typer.Option(..., "--out", help="Directory for the rebuilt bulletin boards."), db: str | None = DB,
) -> None:
    """Rebuild every published contest's bulletin from the database, check its published SHA-256 and recount
    it as tandau verify does; exit 1 when any contest fails (the drill after a restore)."""
    from tandau.services.operations import recount_all
    from tandau.store import make_engine, session_factory

    engine = make_engine(_url(db))
    try:
        with session_factory(engine)() as session:
            done = recount_all(session, out)
    finally:
        engine.dispose()
    for r in done:
        verdict = "OK  " if r.ok else "FAIL"
        out_console.print(f"{verdict} {r.contest_id} sha256 {r.sha256} "
                          f"(published hash {'matches' if r.hash_matches else 'DIFFERS'}, verify exit {r.verify_exit})")
    out_console.print(f"{len(done)} published contest(s), {sum(not r.ok for r in done)} failed")
    if any(not r.ok for r in done):
        raise typer.Exit(1)


@app.command("ready")
def ready_command(db: str | None = DB) -> None:
    """Whether the database answers and is at the Alembic head (what /readyz says); exit 1 when not."""
    from tandau.services.operations import check_ready
    from tandau.store import make_engine

    engine = make_engine(_url(db))
    try:
        state = check_ready(engine)
    finally:
        engine.dispose()
    if not state.ready:
        err_console.print(f"not ready ({state.reason}): {state.message}")
        raise typer.Exit(1)
    out_console.print(f"ready (revision {state.revision})")
