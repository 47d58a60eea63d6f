"""An uploaded roll or nominations file imported by a background job (issue 15, item 2; docs/deployment.md,
"Background jobs and workers").

:func:`submit_import` checks who may import before anything is kept (as the synchronous import does), stores the
file in the files store (``uploads/<token>/<name>``: the database, or the S3 option), so any worker reads it
without a path shared between hosts, and queues ``roll.import`` or ``nominations.import``
(:mod:`tandau.services.jobs.kinds.imports`) — the file and the job commit together or not at all. The job
imports through :func:`tandau.services.primaries.imports.roll_upload` / ``nominations_upload`` and removes the
upload once it is imported or refused: the roll is personal data and is kept no longer than the work needs.
"""

from __future__ import annotations

import secrets

from sqlalchemy.orm import Session

from tandau.services.jobs import JobView, submit
from tandau.services.primaries import imports
from tandau.services.primaries.access import Action, Actor, territories
from tandau.services.primaries.contests import get_contest
from tandau.store.files import default_store

UPLOAD_OWNER = "upload"
KINDS = {"roll": "roll.import", "nominations": "nominations.import"}


def upload_key(token: str) -> str:
    """Where an upload waits for its job.

    >>> upload_key("ab12")
    'uploads/ab12/file'
    """
    return f"uploads/{token}/file"


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
            from tandau.errors import InputError

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
        default_store().put(session, arguments["upload"], data, content_type="application/octet-stream",
                            owner_kind=UPLOAD_OWNER, owner_id=token)
        # commits the file with the job
        return submit(session, actor, KINDS[kind], arguments, dispatch=dispatch, uploaded=True)
    except Exception:
        session.rollback()
        raise
