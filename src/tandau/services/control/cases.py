"""Control cases (issue 12, scope 6): a flag, a citizen's signal or a deputy opens a case that is followed to its end.

The workflow (:data:`STEPS`)::

    open --send_inquiry--> inquiry_sent --record_answer--> answer_received --resolve--> resolved --close--> closed
      \\____________________ escalate (open, inquiry_sent, answer_received) --> escalated
    answer_received --send_inquiry--> inquiry_sent (a follow-up question)
    escalated --send_inquiry | resolve--> (the central office only)

Resolving names the outcome (``confirmed`` or ``not_confirmed``) and needs the resolution note; escalating needs
a note (why). Every step sets the deadline of the next one (:data:`DEADLINE_DAYS`, or a date given with the
step); a case that is not closed and is past its deadline is *overdue* and comes first on the board. Every step
is stored in ``control_case_steps`` and appended to the hash-chained audit log (``case.open``, ``case.step``,
``case.attach``: the note and the files by their SHA-256).

Who: :data:`~tandau.services.primaries.access.POLICY` (``CASE_OPEN``, ``CASE_VIEW``, ``CASE_ACT``,
``CASE_ACT_ESCALATED``): a control-commission member or a secretary on their territory, the central office
everywhere, observers read. A case of the whole country (no territory) is the central office's.

Evidence files live in the database (``control_case_files``), so every app process serves them. A file is
refused over the size limit (``TANDAU_CASE_FILE_MAX_BYTES``, default 10 MiB) and unless its content is of an
allowed type that agrees with its extension (:data:`FILE_TYPES`: PDF, PNG, JPEG, XLSX, CSV, plain text).
"""

from __future__ import annotations

import hashlib
import io
import re
import secrets
import unicodedata
import zipfile
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, timezone
from pathlib import PurePosixPath, PureWindowsPath

from sqlalchemy import select
from sqlalchemy.orm import Session

from tandau.errors import InputError
from tandau.services.primaries import audit
from tandau.services.primaries.access import Action, Actor, is_allowed, require, territories
from tandau.services.primaries.errors import NotFoundError, PermissionDeniedError, StateError
from tandau.services.primaries.imports import UploadTooLargeError
from tandau.services.primaries.kato import kato_prefix
from tandau.store.control_models import ControlCase, ControlCaseFile, ControlCaseStep, evidence_key
from tandau.store.files import FileStore, default_store

SOURCES = ("flag", "signal", "deputy")
FLAG_KINDS = ("programme", "procurement")
OWNER_KINDS = ("commission", "deputy")
STATUSES = ("open", "inquiry_sent", "answer_received", "escalated", "resolved", "closed")
OUTCOMES = ("confirmed", "not_confirmed")
# step -> (the statuses it may be taken from, the status it leads to)
STEPS: dict[str, tuple[tuple[str, ...], str]] = {
    "send_inquiry": (("open", "answer_received", "escalated"), "inquiry_sent"),
    "record_answer": (("inquiry_sent",), "answer_received"),
    "resolve": (("answer_received", "escalated"), "resolved"),
    "escalate": (("open", "inquiry_sent", "answer_received"), "escalated"),
    "close": (("resolved",), "closed"),
}
# days allowed for the next step once a case reaches a status (closed: no deadline)
DEADLINE_DAYS: dict[str, int] = {"open": 10, "inquiry_sent": 30, "answer_received": 10, "escalated": 30,
                                 "resolved": 5}
DEFAULT_MAX_BYTES = 10 * 1024 * 1024
# extension -> media type; the content must be of that type (checked by its first bytes, or as UTF-8 text)
FILE_TYPES: dict[str, str] = {
    ".pdf": "application/pdf",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".csv": "text/csv",
    ".txt": "text/plain",
}
# a day given as a deadline ends at midnight in Kazakhstan (UTC+5)
LOCAL = timezone(timedelta(hours=5))
MAX_TITLE = 200
MAX_NOTE = 20_000
_KATO = re.compile(r"\d{9}")


@dataclass(frozen=True, slots=True)
class CaseRequest:
    """What opens a case: where, what, from which source (a flag: its kind, code and the series or process it
    fired on), and its owner (a commission: the case's territory; a deputy: their name)."""

    title: str
    kato: str | None
    source: str
    description: str = ""
    flag_kind: str | None = None
    flag_code: str | None = None
    flag_ref: str | None = None
    owner_kind: str = "commission"
    owner: str | None = None
    due: date | None = None


@dataclass(frozen=True, slots=True)
class CaseRow:
    """A case on the board: the row and whether it is past its deadline."""

    case: ControlCase
    overdue: bool


@dataclass(frozen=True, slots=True)
class FileInfo:
    """An evidence file without its bytes."""

    id: str
    name: str
    media_type: str
    size: int
    sha256: str
    uploaded_at: datetime
    uploaded_by: str


@dataclass(frozen=True, slots=True)
class Evidence:
    """An evidence file with its bytes (read from the file store)."""

    id: str
    name: str
    media_type: str
    sha256: str
    content: bytes


@dataclass(frozen=True, slots=True)
class CaseDetail:
    """A case with its history, its evidence and the steps the reader may take next."""

    case: ControlCase
    overdue: bool
    steps: tuple[ControlCaseStep, ...]
    files: tuple[FileInfo, ...]
    next_steps: tuple[str, ...]
    may_attach: bool


def _now(now: datetime | None) -> datetime:
    return (now or datetime.now(UTC)).astimezone(UTC)


def is_overdue(case: ControlCase, now: datetime) -> bool:
    """Past its deadline and not closed."""
    return case.status != "closed" and case.due_at is not None and case.due_at < now


def deadline(day: date) -> datetime:
    """The end of ``day`` in Kazakhstan, in UTC."""
    return datetime.combine(day + timedelta(days=1), time(0, 0), tzinfo=LOCAL).astimezone(UTC)


def _choice(value: str | None, valid: tuple[str, ...], parameter: str) -> str:
    if value not in valid:
        raise InputError(f"unknown {parameter} {value!r}; valid: {', '.join(valid)}", parameter=parameter)
    return value


def _text(value: str | None, parameter: str, limit: int, *, required: bool) -> str:
    text = (value or "").strip()
    if required and not text:
        raise InputError(f"{parameter} is required", parameter=parameter)
    if len(text) > limit:
        raise InputError(f"{parameter} is longer than {limit} characters", parameter=parameter)
    return text


def _due(day: date | None, status: str, now: datetime) -> datetime | None:
    if day is not None:
        moment = deadline(day)
        if moment <= now:
            raise InputError(f"the deadline {day.isoformat()} has passed; give a later day", parameter="due")
        return moment
    days = DEADLINE_DAYS.get(status)
    return None if days is None else now + timedelta(days=days)


def _act_action(case: ControlCase) -> Action:
    return Action.CASE_ACT_ESCALATED if case.status == "escalated" else Action.CASE_ACT


def get(session: Session, case_id: str) -> ControlCase:
    """The case ``case_id`` (:class:`NotFoundError` if none)."""
    case = session.get(ControlCase, case_id)
    if case is None:
        raise NotFoundError("control case", case_id)
    return case


def _visible(session: Session, actor: Actor, case_id: str) -> ControlCase:
    case = get(session, case_id)
    require(actor, Action.CASE_VIEW, case.kato)
    return case


def open_case(session: Session, actor: Actor, request: CaseRequest, *, now: datetime | None = None) -> ControlCase:
    """Open a case (audited as ``case.open``) and commit; the actor must be allowed to open one on its territory."""
    kato = (request.kato or "").strip() or None
    if kato is not None and not _KATO.fullmatch(kato):
        raise InputError(f"a territory is a 9-digit KATO code, got {kato!r}", parameter="kato")
    require(actor, Action.CASE_OPEN, kato)
    moment = _now(now)
    title = _text(request.title, "title", MAX_TITLE, required=True)
    description = _text(request.description, "description", MAX_NOTE, required=False)
    source = _choice(request.source, SOURCES, "source")
    flag_kind = flag_code = flag_ref = None
    if source == "flag":
        flag_kind = _choice(request.flag_kind, FLAG_KINDS, "flag_kind")
        flag_code = _text(request.flag_code, "flag_code", 16, required=True)
        flag_ref = _text(request.flag_ref, "flag_ref", 200, required=True)
    owner_kind = _choice(request.owner_kind, OWNER_KINDS, "owner_kind")
    # a deputy by name, or the control commission of the case's territory
    owner = _text(request.owner, "owner", 200, required=True) if owner_kind == "deputy" else kato or "KZ"
    case = ControlCase(id="case-" + secrets.token_hex(4), title=title, description=description, kato=kato,
                       source=source, flag_kind=flag_kind, flag_code=flag_code, flag_ref=flag_ref,
                       owner_kind=owner_kind, owner=owner, status="open", due_at=_due(request.due, "open", moment),
                       opened_at=moment, opened_by=actor.subject_id, updated_at=moment)
    session.add(case)
    session.add(ControlCaseStep(case_id=case.id, step="open", from_status=None, to_status="open", note=description,
                                due_at=case.due_at, at=moment, actor=actor.subject_id))
    audit.append(session, actor=actor.subject_id, action="case.open", target=case.id, now=moment, details={
        "kato": kato, "title": title, "source": source, "flag": None if flag_kind is None else {
            "kind": flag_kind, "code": flag_code, "ref": flag_ref},
        "owner": {"kind": owner_kind, "id": owner}, "due": None if case.due_at is None else case.due_at.isoformat()})
    session.commit()
    return case


def list_cases(session: Session, actor: Actor, *, status: str | None = None, territory: str | None = None,
               overdue: bool | None = None, now: datetime | None = None) -> list[CaseRow]:
    """The cases ``actor`` may read (filtered by status, territory and overdue): overdue first, then the open
    ones by deadline, then resolved and closed ones, the newest first."""
    if not territories(actor, Action.CASE_VIEW):
        raise PermissionDeniedError(actor.subject_id, Action.CASE_VIEW.value, None)
    moment = _now(now)
    query = select(ControlCase)
    if status:
        query = query.where(ControlCase.status == _choice(status, STATUSES, "status"))
    if territory:
        if not _KATO.fullmatch(territory):
            raise InputError(f"a territory is a 9-digit KATO code, got {territory!r}", parameter="territory")
        query = query.where(ControlCase.kato.startswith(kato_prefix(territory)))
    rows = [CaseRow(c, is_overdue(c, moment)) for c in session.scalars(query)
            if is_allowed(actor, Action.CASE_VIEW, c.kato)]
    if overdue is not None:
        rows = [r for r in rows if r.overdue == overdue]
    far = datetime.max.replace(tzinfo=UTC)

    def order(row: CaseRow) -> tuple[int, datetime, float]:
        settled = row.case.status in ("resolved", "closed")
        rank = 0 if row.overdue else (2 if settled else 1)
        return rank, far if settled else (row.case.due_at or far), -row.case.opened_at.timestamp()

    return sorted(rows, key=order)


def overdue_count(session: Session, actor: Actor, *, now: datetime | None = None) -> int:
    """How many of the cases ``actor`` may read are overdue (0 for who may read none): for the dashboards."""
    if not territories(actor, Action.CASE_VIEW):
        return 0
    return len(list_cases(session, actor, overdue=True, now=now))


def next_steps(actor: Actor, case: ControlCase) -> tuple[str, ...]:
    """The steps ``actor`` may take on ``case`` now."""
    if not is_allowed(actor, _act_action(case), case.kato):
        return ()
    return tuple(step for step, (sources, _to) in STEPS.items() if case.status in sources)


def may_attach(actor: Actor, case: ControlCase) -> bool:
    """Whether ``actor`` may add evidence to ``case`` (who may act on it, until it is closed)."""
    return case.status != "closed" and is_allowed(actor, _act_action(case), case.kato)


def _file_info(f: ControlCaseFile) -> FileInfo:
    return FileInfo(f.id, f.name, f.media_type, f.size, f.sha256, f.uploaded_at, f.uploaded_by)


def detail(session: Session, actor: Actor, case_id: str, *, now: datetime | None = None) -> CaseDetail:
    """A case with its history and evidence (without the files' bytes), as ``actor`` may read it."""
    case = _visible(session, actor, case_id)
    steps = session.scalars(select(ControlCaseStep).where(ControlCaseStep.case_id == case_id)
                            .order_by(ControlCaseStep.id)).all()
    files = session.execute(select(ControlCaseFile.id, ControlCaseFile.name, ControlCaseFile.media_type,
                                   ControlCaseFile.size, ControlCaseFile.sha256, ControlCaseFile.uploaded_at,
                                   ControlCaseFile.uploaded_by).where(ControlCaseFile.case_id == case_id)
                            .order_by(ControlCaseFile.uploaded_at, ControlCaseFile.id)).all()
    return CaseDetail(case, is_overdue(case, _now(now)), tuple(steps), tuple(FileInfo(*f) for f in files),
                      next_steps(actor, case), may_attach(actor, case))


def take_step(session: Session, actor: Actor, case_id: str, step: str, *, note: str = "",
              outcome: str | None = None, due: date | None = None, now: datetime | None = None) -> ControlCase:
    """Move a case one step (audited as ``case.step``) and commit; refused with a message naming the allowed
    steps when the case's status does not allow ``step``."""
    case = get(session, case_id)
    require(actor, Action.CASE_VIEW, case.kato)
    require(actor, _act_action(case), case.kato)
    if step not in STEPS:
        raise InputError(f"unknown step {step!r}; valid: {', '.join(STEPS)}", parameter="step")
    sources, to = STEPS[step]
    if case.status not in sources:
        allowed = [s for s, (f, _t) in STEPS.items() if case.status in f]
        raise StateError(f"case {case.id} is {case.status}: it cannot {step}; "
                         f"allowed now: {', '.join(allowed) or 'nothing (the case is closed)'}")
    moment = _now(now)
    text = _text(note, "note", MAX_NOTE, required=step in ("resolve", "escalate"))
    if step == "resolve":
        case.outcome = _choice(outcome, OUTCOMES, "outcome")
        case.resolution = text
    elif outcome:
        raise InputError("an outcome is given only when resolving", parameter="outcome")
    before = case.status
    case.status = to
    case.due_at = _due(due, to, moment) if to != "closed" else None
    case.updated_at = moment
    session.add(ControlCaseStep(case_id=case.id, step=step, from_status=before, to_status=to, note=text,
                                due_at=case.due_at, at=moment, actor=actor.subject_id))
    audit.append(session, actor=actor.subject_id, action="case.step", target=case.id, now=moment, details={
        "step": step, "from": before, "to": to, "outcome": case.outcome if step == "resolve" else None,
        "due": None if case.due_at is None else case.due_at.isoformat(),
        "note_sha256": hashlib.sha256(text.encode("utf-8")).hexdigest()})
    session.commit()
    return case


def require_attach(session: Session, actor: Actor, case_id: str) -> ControlCase:
    """Refuse (404, 403, 409) before an upload is read when ``actor`` may not add evidence to the case."""
    case = _visible(session, actor, case_id)
    require(actor, _act_action(case), case.kato)
    if case.status == "closed":
        raise StateError(f"case {case.id} is closed: it takes no more evidence")
    return case


def _clean_name(name: str) -> str:
    base = PureWindowsPath(PurePosixPath(name).name).name
    base = "".join(ch for ch in base if unicodedata.category(ch)[0] != "C").strip()
    if not base:
        raise InputError("the file has no name", parameter="file")
    if len(base) > MAX_TITLE:
        stem, dot, ext = base.rpartition(".")
        base = (stem[: MAX_TITLE - len(ext) - 1] + dot + ext) if dot and len(ext) < 10 else base[:MAX_TITLE]
    return base


def sniff(data: bytes) -> str | None:
    """The media type of ``data`` by its content, among :data:`FILE_TYPES` (None: none of them).

    >>> sniff(b"%PDF-1.7 ..."), sniff(b"a,b\\n1,2\\n"), sniff(b"\\x00\\x01")
    ('application/pdf', 'text/plain', None)
    """
    if data.startswith(b"%PDF-"):
        return "application/pdf"
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if data.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if data.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as workbook:
                names = set(workbook.namelist())
        except (zipfile.BadZipFile, ValueError):
            return None
        return FILE_TYPES[".xlsx"] if "xl/workbook.xml" in names else None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return None
    if any(unicodedata.category(ch) == "Cc" and ch not in "\t\n\r\f" for ch in text):
        return None
    return "text/plain"


def check_file(name: str, data: bytes, limit: int) -> tuple[str, str]:
    """The cleaned name and media type of an evidence file; refused over ``limit`` bytes, empty, with an
    extension outside :data:`FILE_TYPES` or content that is not of the extension's type."""
    if len(data) > limit:
        raise UploadTooLargeError(name, limit)
    clean = _clean_name(name)
    if not data:
        raise InputError("the file is empty", parameter="file")
    suffix = PurePosixPath(clean.lower()).suffix
    expected = FILE_TYPES.get(suffix)
    valid = "PDF, PNG, JPEG, XLSX, CSV, plain text (" + ", ".join(FILE_TYPES) + ")"
    if expected is None:
        raise InputError(f"files of type {suffix or '(none)'!r} are not accepted; valid: {valid}", parameter="file")
    found = sniff(data)
    if found is None or found != (expected if not expected.startswith("text/") else "text/plain"):
        raise InputError(f"the content of {clean!r} is not a {suffix[1:].upper()} file; valid: {valid}",
                         parameter="file")
    return clean, expected


def attach(session: Session, actor: Actor, case_id: str, name: str, data: bytes, *,
           limit: int = DEFAULT_MAX_BYTES, now: datetime | None = None, store: FileStore | None = None) -> FileInfo:
    """Store an evidence file in the file store (:mod:`tandau.store.files`: the database or the S3 bucket) with
    its SHA-256, in one transaction with its record (audited as ``case.attach``), and commit."""
    case = require_attach(session, actor, case_id)
    clean, media_type = check_file(name, data, limit)
    moment = _now(now)
    row = ControlCaseFile(id="f-" + secrets.token_hex(6), case_id=case.id, name=clean, media_type=media_type,
                          size=len(data), sha256=hashlib.sha256(data).hexdigest(),
                          uploaded_at=moment, uploaded_by=actor.subject_id)
    (store or default_store()).put(session, evidence_key(row.id), data, content_type=media_type, owner_kind="case",
                                   owner_id=case.id, now=moment)
    session.add(row)
    case.updated_at = moment
    audit.append(session, actor=actor.subject_id, action="case.attach", target=case.id, now=moment, details={
        "file": row.id, "name": clean, "type": media_type, "size": row.size, "sha256": row.sha256})
    session.commit()
    return _file_info(row)


def read_file(session: Session, actor: Actor, case_id: str, file_id: str, *,
              store: FileStore | None = None) -> Evidence:
    """An evidence file with its bytes (SHA-256 checked), for whoever may read the case."""
    _visible(session, actor, case_id)
    row = session.get(ControlCaseFile, file_id)
    if row is None or row.case_id != case_id:
        raise NotFoundError("file", file_id)
    data = (store or default_store()).read(session, evidence_key(row.id))
    return Evidence(row.id, row.name, row.media_type, row.sha256, data)
