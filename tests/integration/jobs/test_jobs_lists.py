"""The ``lists.form-all`` kind: every council list of a cycle formed through the workspace service, once each."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from tandau.services.jobs import get_job, submit, transports
from tandau.services.primaries import audit
from tandau.store.models import workspace_lists

from ..primaries.conftest import CENTRAL, World
from .conftest import vote_and_close

pytestmark = pytest.mark.parametrize("backend", ["sqlite"], indirect=True)


def test_form_every_list_of_a_cycle_in_process(world: World) -> None:
    vote_and_close(world)
    with world.session() as s:
        job = submit(s, CENTRAL, "lists.form-all", {"cycle_id": "2026"})
    assert transports(world.db.engine)[1].idle(30)
    with world.session() as s:
        done = get_job(s, CENTRAL, job.id)
        formed = sorted(s.execute(select(workspace_lists.c.contest_id)).scalars())
        audited = sorted(e.target for e in audit.entries(s) if e.action == "list.form")
    assert (done.status, done.done, done.total) == ("succeeded", 2, 2), done.error
    assert done.result == {"cycle_id": "2026", "lists": 2, "formed_now": 1, "infeasible_now": 1, "resumed_at": 0}
    assert formed == audited == ["almaty-city", "almaty-region"]  # the council contests, not the national list
