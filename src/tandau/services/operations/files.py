"""One-time import of files written to a host's disk before the file store (migration 0017).

Bulletin boards were written to ``TANDAU_BULLETIN_DIR`` on the host that published them. ``tandau files
import-bulletins DIR`` stores each ``<contest>.jsonl`` whose SHA-256 is the one published for that contest;
any other file is reported and left alone. It can be run again: a bulletin already stored is skipped. A
bulletin never imported is still served: it is rebuilt from the database on first request (and stored).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.orm import Session

from tandau.services.primaries import publish
from tandau.store.files import FileStore, default_store
from tandau.store.models import Publication


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
