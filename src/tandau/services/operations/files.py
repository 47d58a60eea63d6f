"""Housekeeping of the file store: the one-time import of files written to a host's disk before it (migration
0017), and the removal of orphan objects from its S3 bucket.

Bulletin boards were written to ``TANDAU_BULLETIN_DIR`` on the host that published them. ``tandau files
import-bulletins DIR`` stores each ``<contest>.jsonl`` whose SHA-256 is the one published for that contest;
any other file is reported and left alone. It can be run again: a bulletin already stored is skipped. A
bulletin never imported is still served: it is rebuilt from the database on first request (and stored).

With the S3 backend an object is written before its row, so a transaction that rolls back leaves an object no row
points to. ``tandau files gc`` (:func:`collect_orphans`) lists the objects under ``TANDAU_S3_PREFIX`` and deletes
those without a row that are older than a grace period (24 hours by default: an upload whose transaction is still
open is never taken for an orphan). It reads the metadata rows and deletes only objects, never a row.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from tandau.errors import InputError
from tandau.services.primaries import publish
from tandau.store.files import BucketObject, FileStore, S3Bucket, default_store
from tandau.store.files_models import StoredFile
from tandau.store.models import Publication

GRACE = timedelta(hours=24)
BATCH = 500


@dataclass(frozen=True, slots=True)
class Imported:
    """What happened to one file of the folder: ``stored``, ``already`` stored, or ``skipped`` (and why)."""

    file: str
    outcome: str
    detail: str = ""


def import_bulletins(session: Session, folder: Path, *, store: FileStore | None = None) -> list[Imported]:
    """Store every published bulletin of ``folder`` that matches its published SHA-256; commit."""
    files = store or default_store()
    done: list[Imported] = []
    for path in sorted(folder.glob("*.jsonl")):
        contest_id = path.stem
        pub = session.get(Publication, contest_id)
        if pub is None:
            done.append(Imported(path.name, "skipped", "no published contest of this id"))
            continue
        data = path.read_bytes()
        digest = hashlib.sha256(data).hexdigest()
        if digest != pub.bulletin_sha256:
            done.append(Imported(path.name, "skipped", f"SHA-256 {digest[:16]}… is not the published "
                                                       f"{pub.bulletin_sha256[:16]}…"))
            continue
        key = publish.bulletin_key(contest_id)
        if files.info(session, key) is not None:
            done.append(Imported(path.name, "already", key))
            continue
        files.put(session, key, data, content_type=publish.BULLETIN_TYPE, owner_kind="contest", owner_id=contest_id,
                  now=pub.published_at)
        session.commit()
        done.append(Imported(path.name, "stored", key))
    return done


@dataclass(frozen=True, slots=True)
class Collected:
    """What :func:`collect_orphans` found: objects listed, those kept for being younger than the grace period, and
    the orphans deleted (or, in a dry run, that would be)."""

    listed: int
    young: int
    orphans: tuple[BucketObject, ...]
    deleted: bool


def _rowless(session: Session, objects: list[BucketObject]) -> list[BucketObject]:
    keys = {o.key for o in objects}
    known = set(session.scalars(select(StoredFile.key).where(StoredFile.key.in_(keys))))
    return [o for o in objects if o.key not in known]


def _batches(objects: Iterable[BucketObject]) -> Iterable[list[BucketObject]]:
    batch: list[BucketObject] = []
    for item in objects:
        batch.append(item)
        if len(batch) == BATCH:
            yield batch
            batch = []
    if batch:
        yield batch


def collect_orphans(session: Session, bucket: S3Bucket, *, older_than: timedelta = GRACE,
                    now: datetime | None = None, dry_run: bool = False) -> Collected:
    """Delete the objects under ``bucket``'s prefix that no ``files`` row names and that are older than
    ``older_than`` (``dry_run``: only list them). Refused with an empty prefix: the bucket could hold objects
    Tandau did not write."""
    if not bucket.prefix:
        raise InputError("TANDAU_S3_PREFIX is empty, so every object of the bucket would be a candidate, including "
                         "objects Tandau did not write; give Tandau's objects a prefix of their own",
                         parameter="TANDAU_S3_PREFIX")
    if older_than < timedelta(0):
        raise InputError("the grace period cannot be negative", parameter="--older-than")
    cutoff = (now or datetime.now(UTC)) - older_than
    listed = young = 0
    orphans: list[BucketObject] = []
    for batch in _batches(bucket.objects()):
        listed += len(batch)
        old = [o for o in batch if o.modified.astimezone(UTC) <= cutoff]
        young += len(batch) - len(old)
        orphans += _rowless(session, old)
        session.rollback()
    if not dry_run:
        for orphan in orphans:
            bucket.delete(orphan.key)
    return Collected(listed, young, tuple(orphans), not dry_run)
