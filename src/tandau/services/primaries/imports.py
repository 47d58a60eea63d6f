"""Imports from an uploaded file (the web pages and the API): the roll and the nominations of a contest.

The same services as the command line (:mod:`~tandau.services.primaries.roll`,
:mod:`~tandau.services.primaries.nominations`) on bytes instead of a path, with what an upload adds:

- who may upload at all is decided before the file is read (central office; a secretary for the roll and for
  contests of their territory; anyone else gets :class:`PermissionDeniedError`);
- a size limit (:data:`MAX_BYTES`, :class:`UploadTooLargeError`);
- a dry run (``apply=False``): the whole file is validated and counted, nothing is written;
- at most :data:`MAX_REPORTED` problems are listed, then one line says how many more there are.

A large file is imported by a background job instead (:data:`BACKGROUND_BYTES`, :data:`BACKGROUND_ROWS`,
:func:`in_background`; :mod:`tandau.services.jobs.uploads`): the same functions, with ``on_apply`` recording the
job's step in the import's own transaction.

A successful import writes one audit entry (``roll.import`` / ``nomination.import``) with the file name, its
SHA-256 and the counts, never its contents; :func:`recorded_import` reads that entry back for the page shown
after the import.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import PureWindowsPath

from sqlalchemy import select
from sqlalchemy.orm import InstrumentedAttribute, Session

from tandau.errors import InputError
from tandau.services.primaries import nominations, roll
from tandau.services.primaries._tabular import Table, parse_table
from tandau.services.primaries.access import Action, Actor, allowed_somewhere, require
from tandau.services.primaries.contests import get_contest
from tandau.services.primaries.errors import ImportRejectedError, PermissionDeniedError
from tandau.services.primaries.problems import located, problem
from tandau.store.models import audit_log

MAX_BYTES = 20 * 1024 * 1024  # about 200,000 roll rows as CSV
MAX_REPORTED = 1000
MAX_NAME = 200  # the audit log's target column
AUDIT_ACTIONS = {"roll.import": "roll", "nomination.import": "nominations"}
#: an import larger than this (bytes, or data rows) runs as a background job from the web page. Measured on the
#: 2-core development machine: 5,000 new members (0.2 MB) 0.3 s on SQLite, 0.2 s on PostgreSQL; 50,000 (2.2 MB)
#: 2.2 s and 1.6 s — so over the threshold a request would hold a worker thread for a second or more (longer under
#: load, or with frozen-roll rows audited one by one), under it the synchronous import keeps the page's answer
BACKGROUND_BYTES = 1024 * 1024
BACKGROUND_ROWS = 5000

#: ``on_apply(session)``: called in the import's transaction just before its rows are read and written, so what it
#: records (a background job's step) commits with the import or not at all
OnApply = Callable[[Session], None]


def in_background(data: bytes) -> bool:
    """Whether an upload is large enough to be imported by a background job (over :data:`BACKGROUND_BYTES`, or a
    text file of over :data:`BACKGROUND_ROWS` rows).

    >>> in_background(b"id,name" + b"\\nm1,A" * 10), in_background(b"id,name" + b"\\nm1,A" * 6000)
    (False, True)
    """
    return len(data) > BACKGROUND_BYTES or data.count(b"\n") > BACKGROUND_ROWS


def no_file_chosen() -> InputError:
    """The upload form was sent without a file (the ``file`` parameter)."""
    why = problem("no_file", "choose a CSV or XLSX file to upload")
    return InputError(why, parameter="file", code=why.code, params=why.params)


class UploadTooLargeError(InputError):
    """An uploaded file over the size limit (answered 413); nothing was read or imported."""

    def __init__(self, file: str, limit: int) -> None:
        self.limit = limit
        mib = limit // 2**20
        why = problem("file_too_large", f"the file is larger than the limit of {mib} MiB ({limit} bytes)",
                      mib=mib, limit=limit)
        super().__init__(why, file=file, code=why.code, params=why.params)


@dataclass(frozen=True, slots=True)
class ImportOutcome:
    """What an upload did (``applied``) or would do: ``added``/``updated`` members, or ``added`` nominations."""

    kind: str  # "roll" | "nominations"
    file: str
    sha256: str
    applied: bool
    added: int
    updated: int = 0
    contests: tuple[str, ...] = ()
    frozen: int = 0  # roll rows that change the frozen roll of an open or closed contest
    frozen_contests: tuple[str, ...] = ()


def clean_name(raw: str | None) -> str:
    """The file name an upload reports, without any directory part, cut to :data:`MAX_NAME` characters.

    >>> clean_name("C:\\\\Users\\\\a\\\\roll.csv"), clean_name("../x/roll.xlsx"), clean_name(None)
    ('roll.csv', 'roll.xlsx', 'upload')
    """
    name = PureWindowsPath((raw or "").strip()).name  # splits on both / and \\
    name = "".join(ch for ch in name if ch.isprintable()).strip()
    return (name or "upload")[-MAX_NAME:]


def may_import_roll(actor: Actor) -> bool:
    """Whether ``actor`` may import members anywhere at all (central office, or a secretary somewhere)."""
    return allowed_somewhere(actor, Action.ROLL_IMPORT)


def require_roll_import(actor: Actor) -> None:
    """Refuse (:class:`PermissionDeniedError`) an actor who may import members nowhere."""
    if not may_import_roll(actor):
        raise PermissionDeniedError(actor.subject_id, Action.ROLL_IMPORT.value, None)


def require_nomination_import(session: Session, actor: Actor, contest_id: str) -> None:
    """Refuse an actor who may not register nominations in ``contest_id`` (``NotFoundError`` if none)."""
    require(actor, Action.NOMINATION_REGISTER, get_contest(session, contest_id).kato)
    session.rollback()  # end the read transaction


def imported_ids(session: Session, column: InstrumentedAttribute[str | None], ids: Sequence[str]) -> set[str]:
    """Which of ``ids`` a column of the sender's own row ids already holds (the appeals' and proposals' imports
    refuse a row imported before), read 500 at a time."""
    known: set[str] = set()
    for start in range(0, len(ids), 500):
        known.update(i for i in session.scalars(select(column).where(column.in_(ids[start:start + 500]))) if i)
    return known


def refuse_problems(problems: list[InputError]) -> None:
    """:class:`ImportRejectedError` with the first :data:`MAX_REPORTED` ``problems`` by row and column, when there
    is any (the appeals' and proposals' imports: all or nothing)."""
    if problems:
        problems.sort(key=lambda e: (e.row or 0, e.column or ""))
        raise ImportRejectedError(problems[:MAX_REPORTED])


def _table(data: bytes, name: str, limit: int, required: tuple[str, ...]) -> Table:
    if len(data) > limit:
        raise UploadTooLargeError(name, limit)
    return parse_table(data, name, required)


def _capped(exc: ImportRejectedError) -> ImportRejectedError:
    if len(exc.errors) <= MAX_REPORTED:
        return exc
    rest = len(exc.errors) - MAX_REPORTED
    text = f"{rest} more problem(s) not listed; fix these and check again"
    more = located(problem("more_problems", text, count=rest), file=exc.errors[0].file)
    return ImportRejectedError([*exc.errors[:MAX_REPORTED], more])


def roll_upload(
    session: Session,
    actor: Actor,
    name: str | None,
    data: bytes,
    *,
    apply: bool,
    limit: int = MAX_BYTES,
    today: date | None = None,
    reason: str | None = None,
    on_apply: OnApply | None = None,
) -> ImportOutcome:
    """Check (``apply=False``) or import an uploaded roll; a secretary's rows must lie in their territory, and
    rows that change the frozen roll of an open or closed contest need the central office and ``reason``."""
    require_roll_import(actor)
    table = _table(data, clean_name(name), limit, roll.COLUMNS)
    if apply and on_apply is not None:
        on_apply(session)
    try:
        done = roll.import_roll_table(session, actor, table, apply=apply, today=today, reason=reason)
    except ImportRejectedError as exc:
        raise _capped(exc) from None
    return ImportOutcome("roll", done.file, done.sha256, done.applied, done.added, done.updated,
                         frozen=done.frozen, frozen_contests=done.frozen_contests)


def nominations_upload(
    session: Session,
    actor: Actor,
    contest_id: str,
    name: str | None,
    data: bytes,
    *,
    apply: bool,
    limit: int = MAX_BYTES,
    on_apply: OnApply | None = None,
) -> ImportOutcome:
    """Check or import uploaded nominations into ``contest_id`` (the secretary of its territory or central)."""
    require_nomination_import(session, actor, contest_id)
    table = _table(data, clean_name(name), limit, nominations.CONTEST_COLUMNS)
    if apply and on_apply is not None:
        on_apply(session)
    try:
        done = nominations.import_nomination_table(session, actor, table, contest_id=contest_id, apply=apply)
    except ImportRejectedError as exc:
        raise _capped(exc) from None
    return ImportOutcome("nominations", done.file, done.sha256, done.applied, done.count, 0, done.contests)


def recorded_import(session: Session, actor: Actor, seq: int) -> ImportOutcome | None:
    """The import that audit entry ``seq`` records, if ``actor`` made it (else None)."""
    row = session.execute(select(audit_log).where(audit_log.c.seq == seq)).first()
    session.rollback()
    if row is None or row.actor != actor.subject_id or row.action not in AUDIT_ACTIONS:
        return None
    details = json.loads(row.details)
    kind = AUDIT_ACTIONS[row.action]
    added = int(details.get("added", details.get("count", 0)))
    frozen = int(details.get("frozen", 0))
    return ImportOutcome(
        kind,
        row.target,
        str(details.get("sha256", "")),
        True,
        added,
        int(details.get("updated", 0)),
        tuple(details.get("contests", ())) if kind == "nominations" else (),
        frozen,
        tuple(details.get("contests", ())) if frozen else (),
    )


def last_import_seq(session: Session, actor: Actor) -> int | None:
    """The sequence number of ``actor``'s newest import entry in the audit log."""
    seq = session.scalar(
        select(audit_log.c.seq)
        .where(audit_log.c.actor == actor.subject_id, audit_log.c.action.in_(list(AUDIT_ACTIONS)))
        .order_by(audit_log.c.seq.desc())
        .limit(1)
    )
    session.rollback()
    return None if seq is None else int(seq)
