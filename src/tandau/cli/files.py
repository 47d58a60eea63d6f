"""``tandau files``: the file store (bulletins, case evidence, job outputs) — list, get, import old bulletins,
delete the S3 bucket's orphan objects."""

from __future__ import annotations

from pathlib import Path

import typer

from tandau.cli._app import new_app, out_console
from tandau.cli._db import DB, session_scope

app = new_app("The file store: list stored files, write one to a file, import bulletins from an old folder, "
              "delete orphan objects of the S3 bucket.")


@app.command("list")
def list_command(owner_kind: str | None = typer.Option(None, "--owner-kind", help="Only files of this owner kind "
                                                        "(contest, case, job...)."), db: str | None = DB) -> None:
    """Every stored file: key, size, SHA-256, where its bytes are (database or s3), owner."""
    from tandau.store.files import default_store

    with session_scope(db) as session:
        rows = default_store().listing(session, owner_kind)
    for f in rows:
        out_console.print(f"{f.key}  {f.size} B  {f.content_type}  sha256 {f.sha256}  {f.backend}  "
                          f"{f.owner_kind}:{f.owner_id}", markup=False)
    out_console.print(f"{len(rows)} file(s)")


@app.command("get")
def get_command(
    key: str = typer.Argument(..., help="The file's key, e.g. bulletins/almaty-city.jsonl."),
    out: Path = typer.Option(..., "--out", help="File to write (replaced atomically)."),
    db: str | None = DB,
) -> None:
    """Write a stored file to OUT, its SHA-256 checked."""
    from tandau.services.primaries.errors import NotFoundError
    from tandau.services.primaries.publish import write_atomic
    from tandau.store.files import default_store

    with session_scope(db) as session:
        store = default_store()
        if store.info(session, key) is None:
            raise NotFoundError("stored file", key)
        data = store.read(session, key)
    write_atomic(out, data)
    out_console.print(f"{out} ({len(data)} bytes)", markup=False)


@app.command("import-bulletins")
def import_bulletins_command(
    folder: Path = typer.Argument(..., help="The old TANDAU_BULLETIN_DIR (files <contest>.jsonl).",
                                  exists=True, file_okay=False),
    db: str | None = DB,
) -> None:
    """Store the bulletins published before the file store (migration 0017) whose SHA-256 is the published one;
    others are listed and left alone. Safe to run again."""
    from tandau.services.operations.files import import_bulletins

    with session_scope(db) as session:
        done = import_bulletins(session, folder)
    for item in done:
        out_console.print(f"{item.outcome:8} {item.file}  {item.detail}", markup=False)
    stored = sum(i.outcome == "stored" for i in done)
    out_console.print(f"{stored} stored, {sum(i.outcome == 'already' for i in done)} already stored, "
                      f"{sum(i.outcome == 'skipped' for i in done)} skipped")


@app.command("gc")
def gc_command(
    older_than: float = typer.Option(24.0, "--older-than", min=0.0, help="Grace period in hours: only objects "
                                     "older than this are deleted (an upload still in its transaction is younger)."),
    dry_run: bool = typer.Option(False, "--dry-run", help="List the orphan objects, delete nothing."),
    db: str | None = DB,
) -> None:
    """Delete the S3 bucket's orphan objects: under TANDAU_S3_PREFIX, named by no stored file's row (their
    transaction rolled back), older than the grace period. Nothing to do with the database backend."""
    from datetime import timedelta

    from tandau.services.operations.files import collect_orphans
    from tandau.store.files import default_store

    store = default_store()
    if store.bucket is None:
        out_console.print("the files store keeps its bytes in the database (TANDAU_FILES_BACKEND=database): "
                          "no bucket, no orphan objects; nothing to do", markup=False)
        return
    with session_scope(db) as session:
        done = collect_orphans(session, store.bucket, older_than=timedelta(hours=older_than), dry_run=dry_run)
    verb = "deleted" if done.deleted else "would delete"
    for orphan in done.orphans:
        out_console.print(f"{verb} {orphan.key}  {orphan.size} B  {orphan.modified.isoformat()}", markup=False)
    out_console.print(f"{done.listed} object(s) under {store.bucket.prefix!r}: {len(done.orphans)} orphan(s) older "
                      f"than {older_than:g} h {verb} ({sum(o.size for o in done.orphans)} bytes), "
                      f"{done.young} younger kept", markup=False)
