"""Append-only, hash-chained audit log of every administrative action.

Each entry stores the previous entry's hash; its own hash is SHA-256 over the canonical JSON (sorted keys,
no spaces, UTF-8) of its fields and that previous hash, as in a Merkle-Damgård chain (Haber & Stornetta,
"How to time-stamp a digital document", J. Cryptology 3(2), 1991). Changing, removing or reordering any
entry breaks every later link, which :func:`verify` detects. Votes are never audited here: an entry names an
actor, so it must never hold a ballot's content.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, insert, select, text
from sqlalchemy.orm import Session

from tandau.store.models import audit_log

GENESIS = "0" * 64
_PG_LOCK_KEY = 0x7A4D17  # advisory lock serialising appends on PostgreSQL


def canonical_json(value: Any) -> str:
    """Canonical JSON: sorted keys, no whitespace, UTF-8 characters kept.

    >>> canonical_json({"b": 1, "a": [1, "é"]})
    '{"a":[1,"é"],"b":1}'
    """
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def entry_hash(seq: int, at: datetime, actor: str, action: str, target: str, details: Any, prev_hash: str) -> str:
    """The SHA-256 (hex) of one entry, chained to ``prev_hash``."""
    body = {
        "seq": seq,
        "at": at.astimezone(UTC).isoformat(),
        "actor": actor,
        "action": action,
        "target": target,
        "details": details,
        "prev": prev_hash,
    }
    return hashlib.sha256(canonical_json(body).encode("utf-8")).hexdigest()


@dataclass(frozen=True, slots=True)
class AuditEntry:
    seq: int
    at: datetime
    actor: str
    action: str
    target: str
    details: Mapping[str, Any]
    prev_hash: str
    hash: str


def append(
    session: Session,
    *,
    actor: str,
    action: str,
    target: str,
    details: Mapping[str, Any] | None = None,
    now: datetime | None = None,
) -> AuditEntry:
    """Add an entry inside the caller's transaction, so the action and its record commit together."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": _PG_LOCK_KEY})
    last = session.execute(select(audit_log.c.seq, audit_log.c.hash).order_by(audit_log.c.seq.desc()).limit(1)).first()
    seq, prev = (1, GENESIS) if last is None else (last.seq + 1, last.hash)
    at = (now or datetime.now(UTC)).astimezone(UTC)
    payload = dict(details or {})
    digest = entry_hash(seq, at, actor, action, target, payload, prev)
    session.execute(
        insert(audit_log).values(
            seq=seq,
            at=at,
            actor=actor,
            action=action,
            target=target,
            details=canonical_json(payload),
            prev_hash=prev,
            hash=digest,
        )
    )
    return AuditEntry(seq, at, actor, action, target, payload, prev, digest)


def entries(conn: Session | Connection) -> list[AuditEntry]:
    """Every entry in order (read-only)."""
    rows = conn.execute(select(audit_log).order_by(audit_log.c.seq)).all()
    return [
        AuditEntry(r.seq, r.at, r.actor, r.action, r.target, json.loads(r.details), r.prev_hash, r.hash) for r in rows
    ]


@dataclass(frozen=True, slots=True)
class ChainReport:
    """The result of :func:`verify`: ``problems`` is empty when the chain is intact."""

    entries: int
    head: str
    problems: tuple[str, ...]

    @property
    def ok(self) -> bool:
        return not self.problems


def verify(conn: Session | Connection) -> ChainReport:
    """Recompute the whole chain; report every entry whose link or hash does not match."""
    problems: list[str] = []
    prev = GENESIS
    expected_seq = 1
    count = 0
    for row in conn.execute(select(audit_log).order_by(audit_log.c.seq)):
        count += 1
        if row.seq != expected_seq:
            problems.append(f"entry {row.seq}: expected sequence number {expected_seq} (an entry is missing)")
        if row.prev_hash != prev:
            problems.append(f"entry {row.seq}: previous-hash link broken")
        try:
            details = json.loads(row.details)
        except ValueError:
            problems.append(f"entry {row.seq}: details are not JSON")
            details = row.details
        if entry_hash(row.seq, row.at, row.actor, row.action, row.target, details, row.prev_hash) != row.hash:
            problems.append(f"entry {row.seq}: hash does not match its content (altered)")
        prev = row.hash
        expected_seq = row.seq + 1
    return ChainReport(count, prev, tuple(problems))
