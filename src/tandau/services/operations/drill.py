"""The restore drill: rebuild every published bulletin board from a database and recount it.

After a restore, each published contest's bulletin is rebuilt from the restored rows
(:func:`~tandau.services.primaries.publish.recount_published`), its SHA-256 compared with the one stored at
publication, written to a directory and recounted by ``tandau verify``
(:func:`~tandau.services.verify.verify_bulletin`). A restore is good when every contest passes and its
bulletin equals, byte for byte, the one rebuilt from the original database.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from tandau.services.primaries import publish
from tandau.services.verify import OK, verify_bulletin
from tandau.store import Publication


@dataclass(frozen=True, slots=True)
class Recounted:
    """One published contest after the drill: where its bulletin went, whether the rebuilt bulletin hashes to
    the published SHA-256, and ``tandau verify``'s exit code (0: the recount equals the declared result)."""

    contest_id: str
    path: Path
    sha256: str
    hash_matches: bool
    verify_exit: int

    @property
    def ok(self) -> bool:
        return self.hash_matches and self.verify_exit == OK


def recount_all(session: Session, out_dir: Path) -> list[Recounted]:
    """Rebuild, write (``out_dir/<contest>.jsonl``) and recount every published contest, in id order."""
    out_dir.mkdir(parents=True, exist_ok=True)
    done: list[Recounted] = []
    for pub in session.scalars(select(Publication).order_by(Publication.contest_id)):
        result = publish.recount_published(session, pub.contest_id)
        data = ("\n".join(result.lines) + "\n").encode("utf-8")
        digest = hashlib.sha256(data).hexdigest()
        path = out_dir / f"{pub.contest_id}.jsonl"
        path.write_bytes(data)
        report = verify_bulletin(path)
        done.append(Recounted(pub.contest_id, path, digest, digest == pub.bulletin_sha256, report.exit_code))
    return done
