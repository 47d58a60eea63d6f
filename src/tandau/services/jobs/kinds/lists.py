"""``lists.form-all``: form every council's list of a cycle from its counted primary.

Each contest is one step: :func:`tandau.services.workspace_lists.form_contest_list` stores the list and its
audit entry and commits; the job's progress is written in that same transaction (:meth:`Context.advance`), so
after a crash the retry resumes at the first contest whose list is not yet formed by this job — each list formed
and audited exactly once.
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
from tandau.services.workspace_lists import DEFAULT_RULES, form_contest_list
from tandau.store.models import Contest

COUNTED = ("closed", "published")


def contests_to_form(context: Context, cycle_id: str) -> list[tuple[str, int]]:
    """The cycle's council contests that are counted (closed or published), in a stable order, with seats."""
    with context.session() as s:
        rows = s.execute(select(Contest.id, Contest.seats)
                         .where(Contest.cycle_id == cycle_id, Contest.council_id.is_not(None),
                                Contest.status.in_(COUNTED))
                         .order_by(Contest.id)).all()
    return [(str(i), int(n)) for i, n in rows]


@register("lists.form-all", title=N_("Form every list of a cycle"), action=Action.WORKSPACE_EDIT,
          arguments=("cycle_id", "rules"), retry=RetryPolicy(max_attempts=3, base=5.0, cap=120.0))
def form_all(context: Context) -> Mapping[str, Any]:
    cycle_id = str(context.arguments["cycle_id"])
    rules = str(context.arguments.get("rules") or DEFAULT_RULES)
    todo = contests_to_form(context, cycle_id)
    total = len(todo)
    start = context.done
    formed = infeasible = 0
    if context.done == 0:
        context.progress(0, total, f"{total} lists to form")
    for i, (contest_id, seats) in enumerate(todo):
        if i < context.done:
            continue  # formed by an earlier attempt, in the transaction that recorded it
        context.check()
        with context.session() as s:
            context.advance(s, i + 1, total, f"list of {contest_id}")
            stored = form_contest_list(s, context.actor, contest_id, seats=seats, rules=rules)  # commits
        formed += stored.result.get("error") is None
        infeasible += stored.result.get("error") is not None
    return {"cycle_id": cycle_id, "lists": total, "formed_now": formed, "infeasible_now": infeasible,
            "resumed_at": start}
