"""The workflow of an election programme (issue 13, item 5): create, edit (a new version each save, linted),
submit, return with reasons or approve, publish; comments; reading and the diff of two versions.

::

    draft --submit--> submitted --approve--> approved --publish--> published
    returned <--return-- submitted | approved;  returned --submit--> submitted

Who (:data:`~tandau.services.primaries.access.POLICY`): the branch's secretary drafts, edits and submits the
programmes of their territory (``PROGRAMME_EDIT``, ``PROGRAMME_SUBMIT``), the central office everywhere and alone
returns, approves (``PROGRAMME_REVIEW``) and publishes (``PROGRAMME_PUBLISH``); observers read
(``PROGRAMME_VIEW``); a published programme is everyone's. The Majilis and the wings' programmes are the whole
country's (``KZ``): only national grants cover them. Commitments are edited only in ``draft`` or ``returned``.
Every version is linted with the checks C01-C10 (its findings stored with it); approving is refused while the
current version has an error-level finding. Every step is a row of ``programme_steps`` and an entry of the
hash-chained audit log (``programme.create``, ``programme.version``, ``programme.step``, ``programme.comment``).
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from tandau.core.programmes import Finding, Programme, Term, lint
from tandau.core.programmes.diff import VersionDiff, diff_versions
from tandau.errors import InputError
from tandau.services.primaries import audit
from tandau.services.primaries.access import Action, Actor, is_allowed, require, territories
from tandau.services.primaries.errors import NotFoundError, PermissionDeniedError, StateError
from tandau.services.primaries.kato import kato_prefix
from tandau.services.programmes import responsible
from tandau.services.programmes.records import Owner, commitment_of, council_owner, scope, territory_ok, wing_owner
from tandau.store.models import Council, Cycle
from tandau.store.programme_models import ProgrammeComment, ProgrammeRow, ProgrammeStep, ProgrammeVersion

STATUSES = ("draft", "submitted", "returned", "approved", "published")
EDITABLE = ("draft", "returned")
# step -> (the statuses it may be taken from, the status it leads to, the action it needs)
STEPS: dict[str, tuple[tuple[str, ...], str, Action]] = {
    "submit": (("draft", "returned"), "submitted", Action.PROGRAMME_SUBMIT),
    "return": (("submitted", "approved"), "returned", Action.PROGRAMME_REVIEW),
    "approve": (("submitted",), "approved", Action.PROGRAMME_REVIEW),
    "publish": (("approved",), "published", Action.PROGRAMME_PUBLISH),
}
TERM_YEARS = 5  # a maslikhat and the Majilis are elected for five years
MAX_NOTE = 20_000


@dataclass(frozen=True, slots=True)
class Detail:
    """A programme as its page shows it to one reader."""

    programme: ProgrammeRow
    version: ProgrammeVersion
    records: tuple[dict[str, Any], ...]
    findings: tuple[Finding, ...]
    versions: tuple[ProgrammeVersion, ...]
    comments: tuple[ProgrammeComment, ...]
    steps: tuple[ProgrammeStep, ...]
    next_steps: tuple[str, ...]
    may_edit: bool
    may_comment: bool
    may_to_control: bool


def _now(now: datetime | None) -> datetime:
    return (now or datetime.now(UTC)).astimezone(UTC)


def _sha(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _note(value: str | None, parameter: str = "note", *, required: bool = False) -> str:
    text = (value or "").strip()
    if required and not text:
        raise InputError(f"{parameter} is required", parameter=parameter)
    if len(text) > MAX_NOTE:
        raise InputError(f"{parameter} is longer than {MAX_NOTE} characters", parameter=parameter)
    return text


def get(session: Session, programme_id: str) -> ProgrammeRow:
    """The programme ``programme_id`` (:class:`NotFoundError` if none)."""
    row = session.get(ProgrammeRow, programme_id)
    if row is None:
        raise NotFoundError("programme", programme_id)
    return row


def may_read(actor: Actor | None, row: ProgrammeRow) -> bool:
    """A published programme is everyone's; a draft, its territory's staff and the central office's."""
    return row.status == "published" or (actor is not None and is_allowed(actor, Action.PROGRAMME_VIEW,
                                                                          scope(row.kato)))


def visible(session: Session, actor: Actor | None, programme_id: str) -> ProgrammeRow:
    """The programme if ``actor`` may read it; otherwise refused (not signed in: not found)."""
    row = get(session, programme_id)
    if not may_read(actor, row):
        if actor is None:
            raise NotFoundError("programme", programme_id)
        raise PermissionDeniedError(actor.subject_id, Action.PROGRAMME_VIEW.value, scope(row.kato))
    return row


def term_of(session: Session, cycle_id: str) -> Term | None:
    """The term of the councils elected in the cycle: from the day after the election, five years (C04)."""
    cycle = session.get(Cycle, cycle_id)
    if cycle is None or cycle.election_date is None:
        return None
    start = cycle.election_date + timedelta(days=1)
    return Term(start, date(start.year + TERM_YEARS, start.month, 1) + timedelta(days=start.day - 2))


def owner_of(session: Session, *, council: str | None = None, wing: str | None = None) -> Owner:
    """The council (of the territory, or of the ``councils`` table) or the wing a programme is for."""
    if bool(council) == bool(wing):
        raise InputError("name either a council or a wing", parameter="council")
    if wing:
        return wing_owner(wing)
    stored = session.get(Council, council)
    return council_owner(str(council), None if stored is None else (stored.name, stored.kato))


def programme_id_of(owner: Owner, cycle_id: str) -> str:
    """``<council or wing>-<cycle>`` (``M-5910-2026``, ``youth-2026``), 64 characters at most."""
    return re.sub(r"[^A-Za-z0-9_-]", "-", f"{owner.id}-{cycle_id}")[:64]


def _findings_json(findings: Sequence[Finding]) -> str:
    return json.dumps([{"commitment": f.commitment, "code": f.code, "severity": f.severity, "case": f.case,
                        "detail": f.detail_en, "data": f.to_json()["data"]} for f in findings], ensure_ascii=False)


def stored_findings(version: ProgrammeVersion) -> tuple[Finding, ...]:
    """The findings stored with a version, as the core's findings (to say them in any language)."""
    out = []
    for f in json.loads(version.findings):
        data = {k: tuple(v) if isinstance(v, list) else v for k, v in f["data"].items()}
        out.append(Finding(f["commitment"], f["code"], f["severity"], f["detail"], data, f["case"]))
    return tuple(out)


def records_of(version: ProgrammeVersion) -> tuple[dict[str, Any], ...]:
    """The commitments of a version, as stored."""
    return tuple(json.loads(version.commitments))


def _add_version(session: Session, actor: Actor, row: ProgrammeRow, records: Sequence[Mapping[str, Any]],
                 note: str, moment: datetime) -> ProgrammeVersion:
    seen: set[str] = set()
    for r in records:
        cid = str(r["commitment"])
        if cid in seen:
            raise InputError(f"commitment {cid!r} appears twice; ids are unique in a programme", parameter="commitment")
        seen.add(cid)
        if not territory_ok(row.kato, str(r.get("territory") or "")):
            raise InputError(f"commitment {cid}: territory {r.get('territory')} is outside the programme's "
                             f"{row.kato}", parameter="territory")
    previous = records_of(current(session, row)) if row.version else ()
    responsible.check(session, row.kind, row.owner, records, previous)
    result = lint(Programme(tuple(commitment_of(r) for r in records), row.id), term=term_of(session, row.cycle_id))
    text = json.dumps(list(records), ensure_ascii=False)
    errors = sum(f.severity == "error" for f in result.findings)
    row.version += 1
    version = ProgrammeVersion(programme_id=row.id, number=row.version, commitments=text,
                               findings=_findings_json(result.findings), errors=errors,
                               notices=len(result.findings) - errors, note=note, author=actor.subject_id,
                               created_at=moment)
    row.updated_at, row.updated_by = moment, actor.subject_id
    session.add(version)
    audit.append(session, actor=actor.subject_id, action="programme.version", target=row.id, now=moment, details={
        "version": version.number, "commitments": len(records), "errors": errors, "notices": version.notices,
        "sha256": _sha(text), "note_sha256": _sha(note)})
    return version


def create(session: Session, actor: Actor, owner: Owner, cycle_id: str, records: Sequence[Mapping[str, Any]] = (),
           *, note: str = "", now: datetime | None = None) -> ProgrammeRow:
    """A new programme in ``draft`` with its first version (``records``, possibly none), audited; committed."""
    require(actor, Action.PROGRAMME_EDIT, scope(owner.kato))
    cycle = (cycle_id or "").strip()
    if not cycle or len(cycle) > 64:
        raise InputError("a cycle id is required (at most 64 characters)", parameter="cycle")
    existing = session.scalar(select(ProgrammeRow).where(ProgrammeRow.cycle_id == cycle,
                                                         ProgrammeRow.owner == owner.id))
    if existing is not None:
        raise StateError(f"{owner.id} already has a programme in cycle {cycle}: {existing.id}")
    moment = _now(now)
    row = ProgrammeRow(id=programme_id_of(owner, cycle), cycle_id=cycle, kind=owner.kind, owner=owner.id,
                       kato=owner.kato, title_kk=owner.title_kk[:300], title_ru=owner.title_ru[:300], status="draft",
                       version=0, created_at=moment, created_by=actor.subject_id, updated_at=moment,
                       updated_by=actor.subject_id)
    if session.get(ProgrammeRow, row.id) is not None:
        raise StateError(f"a programme {row.id} already exists")
    session.add(row)
    try:
        session.flush()
    except IntegrityError:  # created at the same moment by another request
        session.rollback()
        raise StateError(f"{owner.id} already has a programme in cycle {cycle}") from None
    try:
        audit.append(session, actor=actor.subject_id, action="programme.create", target=row.id, now=moment,
                     details={"cycle": cycle, "kind": owner.kind, "owner": owner.id, "kato": owner.kato})
        _add_version(session, actor, row, records, _note(note), moment)
        session.add(ProgrammeStep(programme_id=row.id, step="create", from_status=None, to_status="draft",
                                  version=row.version, reason="", actor=actor.subject_id, at=moment))
        session.commit()
    except BaseException:
        session.rollback()
        raise
    return row


def require_edit(actor: Actor, kato: str) -> None:
    """Refuse who may not draft or edit a programme of territory ``kato`` (before its commitments are read)."""
    require(actor, Action.PROGRAMME_EDIT, scope(kato))


def _editable(session: Session, actor: Actor, programme_id: str, base_version: int | None) -> ProgrammeRow:
    row = get(session, programme_id)
    require(actor, Action.PROGRAMME_EDIT, scope(row.kato))
    if row.status not in EDITABLE:
        raise StateError(f"programme {row.id} is {row.status}: commitments are edited only in draft or returned "
                         "(the central office returns a programme to change it)")
    if base_version is not None and base_version != row.version:
        raise StateError(f"programme {row.id} changed since version {base_version}: it is at version {row.version}; "
                         "reload and edit again")
    return row


def current(session: Session, row: ProgrammeRow) -> ProgrammeVersion:
    """The programme's current version."""
    return version(session, row, row.version)


def version(session: Session, row: ProgrammeRow, number: int) -> ProgrammeVersion:
    """Version ``number`` of the programme (:class:`NotFoundError` if none)."""
    found = session.scalar(select(ProgrammeVersion).where(ProgrammeVersion.programme_id == row.id,
                                                          ProgrammeVersion.number == number))
    if found is None:
        raise NotFoundError("programme version", f"{row.id} v{number}")
    return found


def save(session: Session, actor: Actor, programme_id: str, records: Sequence[Mapping[str, Any]], *, note: str = "",
         base_version: int | None = None, now: datetime | None = None) -> ProgrammeVersion:
    """Save the whole list of commitments as a new version (linted, audited); committed."""
    row = _editable(session, actor, programme_id, base_version)
    try:
        saved = _add_version(session, actor, row, records, _note(note), _now(now))
        session.commit()
    except BaseException:
        session.rollback()
        raise
    return saved


def put_commitment(session: Session, actor: Actor, programme_id: str, record: Mapping[str, Any], *,
                   replaces: str | None = None, note: str = "", base_version: int | None = None,
                   now: datetime | None = None) -> ProgrammeVersion:
    """Add a commitment, or replace the one with id ``replaces`` (in its place), as a new version."""
    row = _editable(session, actor, programme_id, base_version)
    records = list(records_of(current(session, row)))
    place = next((i for i, r in enumerate(records) if r["commitment"] == replaces), None) if replaces else None
    if replaces and place is None:
        raise NotFoundError("commitment", replaces)
    if place is None:
        records.append(dict(record))
    else:
        records[place] = dict(record)
    what = f"commitment {record['commitment']} " + ("changed" if place is not None else "added")
    return save(session, actor, programme_id, records, note=note or what, base_version=row.version, now=now)


def remove_commitment(session: Session, actor: Actor, programme_id: str, commitment: str, *, note: str = "",
                      base_version: int | None = None, now: datetime | None = None) -> ProgrammeVersion:
    """Remove a commitment, as a new version."""
    row = _editable(session, actor, programme_id, base_version)
    records = [r for r in records_of(current(session, row)) if r["commitment"] != commitment]
    if len(records) == len(records_of(current(session, row))):
        raise NotFoundError("commitment", commitment)
    return save(session, actor, programme_id, records, note=note or f"commitment {commitment} removed",
                base_version=row.version, now=now)


def assign_deputies(session: Session, actor: Actor, programme_id: str, commitment: str, deputies: Sequence[str], *,
                    now: datetime | None = None) -> ProgrammeVersion:
    """Name a commitment's responsible deputies in any status (issue 14, item 2: after the election the faction
    shares out the commitments of a programme already approved or published): a new version equal to the current
    one but for that commitment's ``deputies`` (checked by :func:`responsible.check`), the status kept; audited as
    ``programme.deputies`` with the version. Who: ``PROGRAMME_EDIT`` on the programme's territory. Unchanged: no
    new version."""
    row = get(session, programme_id)
    require(actor, Action.PROGRAMME_EDIT, scope(row.kato))
    if row.kind != "council":
        raise StateError(f"programme {row.id} is a wing's: it has no faction to name deputies from")
    records = [dict(r) for r in records_of(current(session, row))]
    place = next((i for i, r in enumerate(records) if r["commitment"] == commitment), None)
    if place is None:
        raise NotFoundError("commitment", commitment)
    ids = list(dict.fromkeys(d.strip() for d in deputies if d.strip()))
    if len(ids) > 50 or any(len(d) > 32 for d in ids):
        raise InputError("deputies: at most 50 deputy ids of at most 32 characters", parameter="deputies")
    before = [str(d) for d in records[place].get("deputies") or ()]
    if ids == before:
        return current(session, row)
    records[place]["deputies"] = ids
    moment = _now(now)
    try:
        saved = _add_version(session, actor, row, records, f"responsible deputies of {commitment}: "
                             f"{', '.join(ids) or 'none'}", moment)
        audit.append(session, actor=actor.subject_id, action="programme.deputies", target=row.id, now=moment,
                     details={"version": saved.number, "commitment": commitment, "deputies": ids, "before": before,
                              "status": row.status})
        session.commit()
    except BaseException:
        session.rollback()
        raise
    return saved


def allowed_steps(actor: Actor | None, row: ProgrammeRow) -> tuple[str, ...]:
    """The steps ``actor`` may take on the programme now."""
    if actor is None:
        return ()
    return tuple(step for step, (sources, _, action) in STEPS.items()
                 if row.status in sources and is_allowed(actor, action, scope(row.kato)))


def take_step(session: Session, actor: Actor, programme_id: str, step: str, *, reason: str = "",
              now: datetime | None = None) -> ProgrammeRow:
    """Take a workflow step (see the module's docstring); a return needs its reasons; approving is refused while
    the current version has an error-level finding, and submitting or approving an empty programme."""
    if step not in STEPS:
        raise InputError(f"unknown step {step!r}; valid: {', '.join(STEPS)}", parameter="step")
    row = get(session, programme_id)
    sources, target, action = STEPS[step]
    require(actor, action, scope(row.kato))
    if row.status not in sources:
        allowed = [s for s, (src, _, _) in STEPS.items() if row.status in src]
        raise StateError(f"programme {row.id} is {row.status}: cannot {step}; steps allowed now: "
                         f"{', '.join(allowed) or 'none'}")
    text = _note(reason, "reason", required=step == "return")
    head = current(session, row)
    if step in ("submit", "approve") and not records_of(head):
        raise StateError(f"programme {row.id} has no commitment: add commitments first")
    if step == "approve" and head.errors:
        raise StateError(f"programme {row.id} version {head.number} has {head.errors} error-level finding(s) of "
                         "the quality checks: return it to be corrected")
    moment = _now(now)
    before = row.status
    row.status, row.updated_at, row.updated_by = target, moment, actor.subject_id
    if target == "published":
        row.published_at = moment
    session.add(ProgrammeStep(programme_id=row.id, step=step, from_status=before, to_status=target,
                              version=row.version, reason=text, actor=actor.subject_id, at=moment))
    audit.append(session, actor=actor.subject_id, action="programme.step", target=row.id, now=moment, details={
        "step": step, "from": before, "to": target, "version": row.version, "reason_sha256": _sha(text)})
    session.commit()
    return row


def may_comment(actor: Actor | None, row: ProgrammeRow) -> bool:
    """Who drafts or reviews the programme comments on it."""
    return actor is not None and any(is_allowed(actor, a, scope(row.kato))
                                     for a in (Action.PROGRAMME_EDIT, Action.PROGRAMME_REVIEW))


def add_comment(session: Session, actor: Actor, programme_id: str, body: str, *, commitment: str | None = None,
                now: datetime | None = None) -> ProgrammeComment:
    """A comment on the current version (and one of its commitments, if named); audited; committed."""
    row = get(session, programme_id)
    if not may_comment(actor, row):
        raise PermissionDeniedError(actor.subject_id, Action.PROGRAMME_EDIT.value, scope(row.kato))
    text = _note(body, "comment", required=True)
    cid = (commitment or "").strip() or None
    if cid is not None and all(r["commitment"] != cid for r in records_of(current(session, row))):
        raise NotFoundError("commitment", cid)
    moment = _now(now)
    comment = ProgrammeComment(programme_id=row.id, version=row.version, commitment=cid, body=text,
                               author=actor.subject_id, created_at=moment)
    session.add(comment)
    audit.append(session, actor=actor.subject_id, action="programme.comment", target=row.id, now=moment,
                 details={"version": row.version, "commitment": cid, "sha256": _sha(text)})
    session.commit()
    return comment


def list_programmes(session: Session, actor: Actor | None, *, status: str | None = None, cycle: str | None = None,
                    territory: str | None = None) -> list[ProgrammeRow]:
    """The programmes ``actor`` may read (published ones: everyone), filtered by status, cycle and territory (a
    KATO code: the programmes inside it; ``KZ``: the national ones), in territory order."""
    query = select(ProgrammeRow)
    if status:
        if status not in STATUSES:
            raise InputError(f"unknown status {status!r}; valid: {', '.join(STATUSES)}", parameter="status")
        query = query.where(ProgrammeRow.status == status)
    if cycle:
        query = query.where(ProgrammeRow.cycle_id == cycle)
    if territory:
        if territory == "KZ":
            query = query.where(ProgrammeRow.kato == "KZ")
        elif re.fullmatch(r"\d{9}", territory):
            query = query.where(ProgrammeRow.kato.startswith(kato_prefix(territory)))
        else:
            raise InputError(f"a territory is a 9-digit KATO code or KZ, got {territory!r}", parameter="territory")
    rows = [r for r in session.scalars(query) if may_read(actor, r)]
    return sorted(rows, key=lambda r: (r.kato != "KZ", r.kato, r.kind, r.owner, r.cycle_id))


def may_view_drafts(actor: Actor | None) -> bool:
    """Whether the list shows anyone's drafts to ``actor``."""
    return actor is not None and bool(territories(actor, Action.PROGRAMME_VIEW))


def detail(session: Session, actor: Actor | None, programme_id: str) -> Detail:
    """A programme with its current commitments and findings, versions, comments, history and what the reader
    may do next."""
    row = visible(session, actor, programme_id)
    head = current(session, row)
    versions = tuple(session.scalars(select(ProgrammeVersion).where(ProgrammeVersion.programme_id == row.id)
                                     .order_by(ProgrammeVersion.number.desc())))
    comments = tuple(session.scalars(select(ProgrammeComment).where(ProgrammeComment.programme_id == row.id)
                                     .order_by(ProgrammeComment.id)))
    steps = tuple(session.scalars(select(ProgrammeStep).where(ProgrammeStep.programme_id == row.id)
                                  .order_by(ProgrammeStep.id)))
    staff = actor is not None and is_allowed(actor, Action.PROGRAMME_VIEW, scope(row.kato))
    return Detail(row, head, records_of(head), stored_findings(head), versions if staff else (),
                  comments if staff else (), steps, allowed_steps(actor, row),
                  actor is not None and row.status in EDITABLE and is_allowed(actor, Action.PROGRAMME_EDIT,
                                                                              scope(row.kato)),
                  may_comment(actor, row),
                  actor is not None and row.status in ("approved", "published")
                  and is_allowed(actor, Action.CONTROL_IMPORT, None))


def diff(session: Session, actor: Actor | None, programme_id: str, before: int, after: int) -> VersionDiff:
    """The readable difference between two versions of a programme the actor may read as staff."""
    row = visible(session, actor, programme_id)
    if actor is None or not is_allowed(actor, Action.PROGRAMME_VIEW, scope(row.kato)):
        raise PermissionDeniedError(actor.subject_id if actor else "anonymous", Action.PROGRAMME_VIEW.value,
                                    scope(row.kato))
    return diff_versions(records_of(version(session, row, before)), records_of(version(session, row, after)))
