"""``contest.close-decrypt``: close a contest and decrypt its sealed ballots (:func:`tandau.services.primaries.
contests.close_contest`, :func:`tandau.services.primaries.keys.decrypt_contest`), with progress and cancel.

The election key rebuilt from the holders' shares never leaves the process that rebuilt it (docs/security.md): it
is the job's in-memory input (``inputs={"key": PrivateKey}``), never written to the ``jobs`` table or the queue, so
the kind is *local-only* — it runs on a thread of the submitting process, also with PostgreSQL. If that process
dies, the job fails with "hand the shares in again" instead of being retried elsewhere. Each step is idempotent:
a contest already closed is not closed again, one already decrypted is not decrypted again.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy.engine import Engine

from tandau.core.jobs import RetryPolicy
from tandau.io.catalogues import N_
from tandau.services.jobs.registry import register
from tandau.services.jobs.runner import Context
from tandau.services.primaries.access import Action


@register("contest.close-decrypt", title=N_("Close and decrypt a contest"), action=Action.BALLOTS_DECRYPT,
          arguments=("contest_id", "early"), retry=RetryPolicy(max_attempts=1, base=1.0, cap=1.0), local_only=True)
def close_decrypt(context: Context) -> Mapping[str, Any]:
    from tandau.services.primaries import contests, keys

    contest_id = str(context.arguments["contest_id"])
    private = context.inputs["key"]
    with context.session() as s:
        contest = contests.get_contest(s, contest_id)
        if contest.status == "open":
            context.advance(s, 1, 2, "closed")
            contests.close_contest(s, context.actor, contest_id, early=bool(context.arguments.get("early")))
        else:
            s.rollback()
            context.progress(1, 2, f"was {contest.status} already")
    context.check()
    with context.session() as s:
        contest = contests.get_contest(s, contest_id)
        if contest.decrypted_at is None:
            context.advance(s, 2, 2, "decrypted")
            done = keys.decrypt_contest(s, context.actor, contest_id, private)  # commits with the step
            counted, replaced = done.counted, done.replaced
        else:
            s.rollback()
            counted = replaced = -1
        bind = s.get_bind()
    if counted >= 0 and isinstance(bind, Engine):
        keys.purge_sealed(bind)
    return {"contest_id": contest_id, "counted": counted, "replaced": replaced}
