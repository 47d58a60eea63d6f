"""An uploaded roll or nominations file imported by a background job (issue 15, item 2; docs/deployment.md,
"Background jobs and workers").

:func:`submit_import` checks who may import before anything is kept (as the synchronous import does), stores the
file in the files store (``uploads/<token>/<name>``: the database, or the S3 option), so any worker reads it
without a path shared between hosts, and queues ``roll.import`` or ``nominations.import``
(:mod:`tandau.services.jobs.kinds.imports`) — the file and the job commit together or not at all. The job
imports through :func:`tandau.services.primaries.imports.roll_upload` / ``nominations_upload`` and removes the
upload once it is imported or refused: the roll is personal data and is kept no longer than the work needs.

:func:`submit_control_import` does the same for the control data's files (targets, reports, a Fiscal Data
Package, OCDS releases, link rules and corrections: ``control.import``,
:mod:`tandau.services.jobs.kinds.control`), every file of one import under one token.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable, Mapping

from sqlalchemy.orm import Session

from tandau.errors import InputError
from tandau.services.jobs import JobView, submit
from tandau.services.primaries import imports
from tandau.services.primaries.access import Action, Actor, require, territories
from tandau.services.primaries.contests import get_contest
from tandau.store.files import default_store

UPLOAD_OWNER = "upload"
KINDS = {"roll": "roll.import", "nominations": "nominations.import"}
PREFIX = "uploads/"
#: the files of a control import (``tandau control import``'s options): ``budget_data`` is the CSV a Fiscal Data
#: Package's ``datapackage.json`` (``budget``) names, uploaded under that name
CONTROL_FILES = ("targets", "reports", "budget", "budget_data", "releases", "link_rules", "links")


def upload_key(token: str, part: str = "file") -> str:
    """Where an upload waits for its job (``part``: which file of the job).

    >>> upload_key("ab12"), upload_key("ab12", "targets")
    ('uploads/ab12/file', 'uploads/ab12/targets')
    """
    return f"{PREFIX}{token}/{part}"


def name_argument(part: str) -> str:
    """The job argument holding the name ``part`` was uploaded under (arguments are scalars).

    >>> name_argument("targets")
    'targets_name'
    """
    return f"{part}_name"


def uploaded_key(value: object, parameter: str) -> str:
    """A job's argument naming its upload, refused unless it is one (a job reads and then removes it, so it must
    never name another stored file).

    >>> uploaded_key("uploads/ab12/file", "upload")
    'uploads/ab12/file'
    """
    key = str(value)
    if not key.startswith(PREFIX):
        raise InputError(f"not an uploaded file: {key!r}", parameter=parameter)
    return key


def keep(session: Session, key: str, data: bytes, token: str) -> None:
    """Store an upload in ``session``'s transaction (committed with its job's row)."""
    default_store().put(session, key, data, content_type="application/octet-stream", owner_kind=UPLOAD_OWNER,
                        owner_id=token)


def discard(sessions: Callable[[], Session], *keys: str) -> None:
    """Remove a job's uploads once imported or refused, in a transaction of their own."""
    with sessions() as s:
        for key in keys:
            default_store().delete(s, key)
        s.commit()


def submit_import(session: Session, actor: Actor, kind: str, name: str | None, data: bytes, *,
                  contest_id: str | None = None, reason: str | None = None,
                  limit: int = imports.MAX_BYTES, dispatch: bool = True) -> JobView:
    """Keep ``data`` in the files store and queue its import (``kind``: ``roll`` or ``nominations``); refused
    (nothing kept) for whoever may not import it, or a file over ``limit`` bytes. ``dispatch=False``: recorded,
    not handed to a runner (the caller runs it: :func:`tandau.services.jobs.run_job`)."""
    if kind not in KINDS:
        raise ValueError(f"unknown import {kind!r}")
    clean = imports.clean_name(name)
    arguments: dict[str, str] = {"name": clean}
    if kind == "roll":
        imports.require_roll_import(actor)
        reach = territories(actor, Action.ROLL_IMPORT)
        territory = None if None in reach else reach[0]  # a secretary's job belongs to their territory
        if reason:
            arguments["reason"] = reason
    else:
        if not contest_id:
            raise InputError("choose the contest the nominations are for", parameter="contest")
        imports.require_nomination_import(session, actor, contest_id)
        territory = get_contest(session, contest_id).kato
        session.rollback()
        arguments["contest_id"] = contest_id
    if territory is not None:
        arguments["territory"] = territory
    if len(data) > limit:
        raise imports.UploadTooLargeError(clean, limit)
    token = secrets.token_hex(16)
    arguments["upload"] = upload_key(token)
    try:
        keep(session, arguments["upload"], data, token)
        # commits the file with the job
        return submit(session, actor, KINDS[kind], arguments, dispatch=dispatch, uploaded=True)
    except Exception:
        session.rollback()
        raise


def require_control_import(actor: Actor) -> None:
    """Refused (:class:`PermissionDeniedError`) unless ``actor`` may import control data: checked before a file is
    read or kept."""
    require(actor, Action.CONTROL_IMPORT, None)


def submit_control_import(session: Session, actor: Actor, files: Mapping[str, tuple[str | None, bytes]], *,
                          limit: int = imports.MAX_BYTES, dispatch: bool = True) -> JobView:
    """Keep the control data's ``files`` (by :data:`CONTROL_FILES` name: ``(file name, bytes)``) in the files store
    and queue ``control.import``; refused, nothing kept, for anyone but the central office
    (:data:`Action.CONTROL_IMPORT`), for no file or an unknown one, a budget package without its reports or its
    CSV, or a file over ``limit`` bytes."""
    require_control_import(actor)
    unknown = sorted(set(files) - set(CONTROL_FILES))
    if unknown:
        raise InputError(f"unknown control file {unknown[0]!r}; valid: {', '.join(CONTROL_FILES)}",
                         parameter=unknown[0])
    if not files:
        raise InputError(f"nothing to import: give one of {', '.join(CONTROL_FILES)}", parameter="targets")
    if "budget" in files and "reports" not in files:
        raise InputError("a budget package fills the money columns of the reports imported with it: give the "
                         "reports too", parameter="budget")
    if ("budget" in files) != ("budget_data" in files):
        raise InputError("a budget package is its datapackage.json (budget) and the CSV it names (budget_data): "
                         "give both", parameter="budget_data" if "budget" in files else "budget")
    names = {part: imports.clean_name(name) for part, (name, _) in files.items()}
    for part, (_, data) in files.items():
        if len(data) > limit:
            raise imports.UploadTooLargeError(names[part], limit)
    token = secrets.token_hex(16)
    arguments = {part: upload_key(token, part) for part in files}
    arguments.update({name_argument(part): name for part, name in names.items()})
    try:
        for part, (_, data) in files.items():
            keep(session, upload_key(token, part), data, token)
        # commits the files with the job
        return submit(session, actor, "control.import", arguments, dispatch=dispatch, uploaded=True)
    except Exception:
        session.rollback()
        raise
