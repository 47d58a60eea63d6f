"""``roll.import`` and ``nominations.import``: an uploaded file imported in the background
(:mod:`tandau.services.jobs.uploads` keeps it in the files store and queues the job).

The work is the synchronous import's (:func:`tandau.services.primaries.imports.roll_upload`,
``nominations_upload``): every row validated, all or nothing in one transaction, the audit entry with the file's
name and SHA-256. Exactly once: the job's single step is recorded through ``on_apply`` inside that transaction, so
a retry after a crash that followed the commit finds the step done and imports nothing again. The upload is
removed once imported, or once refused (bad rows, a refused permission: trying again cannot help; the job's error
names the first problems by file, row and column).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from sqlalchemy.orm import Session

from tandau.core.jobs import RetryPolicy
from tandau.errors import TandauError
from tandau.io.catalogues import N_
from tandau.services.jobs.registry import register
from tandau.services.jobs.runner import Context
from tandau.services.primaries.access import Action
from tandau.services.primaries.imports import ImportOutcome, nominations_upload, roll_upload

Importer = Callable[[Session, bytes, Callable[[Session], None]], ImportOutcome]
RETRY = RetryPolicy(max_attempts=3, base=10.0, cap=120.0)


def _territory(arguments: Mapping[str, Any]) -> str | None:
    value = arguments.get("territory")
    return None if value in (None, "") else str(value)


def _discard(context: Context, key: str) -> None:
    from tandau.services.jobs.uploads import discard

    discard(context.session, key)


def _run(context: Context, importer: Importer) -> Mapping[str, Any]:
    from tandau.services.jobs.uploads import uploaded_key
    from tandau.store.files import default_store

    key = uploaded_key(context.arguments["upload"], "upload")  # only an upload is read and removed
    if context.done >= 1:  # imported, with this step, by an earlier attempt
        _discard(context, key)
        return {"imported": "already, by an earlier attempt"}
    context.progress(0, 1, "reading the file")
    with context.session() as s:
        data = default_store().read(s, key)
        s.rollback()
    context.check()
    context.progress(0, 1, "checking and importing")
    try:
        with context.session() as s:
            outcome = importer(s, data, lambda tx: context.advance(tx, 1, 1, "imported"))
    except TandauError:  # the file (every problem named) or the requester refused: nothing was written
        _discard(context, key)
        raise
    _discard(context, key)
    return {"file": outcome.file, "sha256": outcome.sha256, "added": outcome.added, "updated": outcome.updated,
            "contests": list(outcome.contests or outcome.frozen_contests), "frozen": outcome.frozen}


@register("roll.import", title=N_("Import the member roll (an uploaded file)"), action=Action.ROLL_IMPORT,
          arguments=("upload", "name", "territory", "reason"), retry=RETRY, territory=_territory,
          uploaded=True)
def roll_import(context: Context) -> Mapping[str, Any]:
    name, reason = str(context.arguments.get("name") or "roll.csv"), context.arguments.get("reason")
    return _run(context, lambda s, data, step: roll_upload(
        s, context.actor, name, data, apply=True, reason=None if reason is None else str(reason), on_apply=step))


@register("nominations.import", title=N_("Import nominations into a contest (an uploaded file)"),
          action=Action.NOMINATION_REGISTER, arguments=("upload", "name", "territory", "contest_id"), retry=RETRY,
          territory=_territory, uploaded=True)
def nominations_import(context: Context) -> Mapping[str, Any]:
    name, contest = str(context.arguments.get("name") or "nominations.csv"), str(context.arguments["contest_id"])
    return _run(context, lambda s, data, step: nominations_upload(
        s, context.actor, contest, name, data, apply=True, on_apply=step))
