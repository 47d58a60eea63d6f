"""``contests.publish-all``: publish every counted contest of a cycle — the count, the bulletin board in the files
store and the published result (:func:`tandau.services.primaries.publish.publish_contest`), one contest per step.

Each step records the job's progress in the publication's own transaction, and a contest already published is
skipped, so a retry after a crash publishes each contest exactly once. A contest whose count is a tie its policy
refuses to break stops the job (the central office decides it by lot from the contest's page or the CLI).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy import select

from tandau.core.jobs import RetryPolicy
from tandau.io.catalogues import N_
from tandau.services.jobs.registry import register
from tandau.services.jobs.runner import Context
from tandau.services.primaries.access import Action
from tandau.store.models import Contest


@register("contests.publish-all", title=N_("Publish every counted contest of a cycle"), action=Action.CONTEST_PUBLISH,
          arguments=("cycle_id",), retry=RetryPolicy(max_attempts=3, base=5.0, cap=120.0))
def publish_all(context: Context) -> Mapping[str, Any]:
    from tandau.services.primaries.publish import publish_contest

    cycle_id = str(context.arguments["cycle_id"])
    with context.session() as s:
        todo = [str(c) for c in s.scalars(select(Contest.id).where(
            Contest.cycle_id == cycle_id, Contest.status.in_(("closed", "published"))).order_by(Contest.id))]
    total, published, already = len(todo), 0, 0
    for i, contest_id in enumerate(todo):
        if i < context.done:
            continue
        context.check()
        with context.session() as s:
            context.advance(s, i + 1, total, f"published {contest_id}")
            status = s.scalar(select(Contest.status).where(Contest.id == contest_id))
            if status == "published":  # by hand, or before this job: only the step is recorded
                s.commit()
                already += 1
                continue
            publish_contest(s, context.actor, contest_id)  # commits the result, the bulletin and the step
            published += 1
    return {"cycle_id": cycle_id, "contests": total, "published_now": published, "published_before": already}
