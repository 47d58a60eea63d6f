"""The ``exports.lists`` kind: every formed list of a cycle (or a region) as XLSX and PDF in one ZIP archive, the
job's output in the files store; stored once; only the lists the requester reads; bad arguments refused."""

from __future__ import annotations

import io
import zipfile

import pytest
from openpyxl import load_workbook

from tandau.errors import InputError
from tandau.services.jobs import get_job, job_output, run_job, submit
from tandau.services.primaries.access import Actor, Grant, Role
from tandau.services.primaries.errors import PermissionDeniedError

from ..primaries.conftest import CENTRAL, World
from .conftest import vote_and_close

pytestmark = pytest.mark.parametrize("backend", ["sqlite"], indirect=True)
SEC_ALMATY = Actor("sec-almaty", (Grant(Role.SECRETARY, "750000000"),))


def _names(data: bytes) -> list[str]:
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        return sorted(zf.namelist())


def test_every_list_of_a_cycle_in_one_archive(world: World) -> None:
    vote_and_close(world)
    with world.session() as s:
        formed = submit(s, CENTRAL, "lists.form-all", {"cycle_id": "2026"}, dispatch=False)
    assert run_job(world.db.engine, formed.id) == "succeeded"
    with world.session() as s:
        job = submit(s, CENTRAL, "exports.lists", {"cycle_id": "2026", "lang": "ru"}, dispatch=False)
        mine = submit(s, SEC_ALMATY, "exports.lists", {"cycle_id": "2026", "region": "75", "formats": "xlsx",
                                                       "lang": "kk"}, dispatch=False)
        with pytest.raises(PermissionDeniedError):  # a region not theirs
            submit(s, SEC_ALMATY, "exports.lists", {"cycle_id": "2026", "region": "19"}, dispatch=False)
        with pytest.raises(InputError, match="region"):
            submit(s, CENTRAL, "exports.lists", {"cycle_id": "2026", "region": "7"}, dispatch=False)
        with pytest.raises(PermissionDeniedError):  # observers read, they start no job
            submit(s, Actor("observer", (Grant(Role.OBSERVER, None),)), "exports.lists", {"cycle_id": "2026"},
                   dispatch=False)
    assert run_job(world.db.engine, job.id) == "succeeded"
    with world.session() as s:
        done = get_job(s, CENTRAL, job.id)
        data, name, _media = job_output(s, CENTRAL, job.id)
    assert done.output_name == name == "lists-2026-ru.zip" and done.result is not None
    # almaty-region's list was infeasible when formed: named, not exported
    assert done.result["missing"] == ["almaty-region"] and done.result["files"] == 2
    assert _names(data) == ["list-almaty-city.pdf", "list-almaty-city.xlsx"]
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        sheet = load_workbook(io.BytesIO(zf.read("list-almaty-city.xlsx"))).active
        assert zf.read("list-almaty-city.pdf").startswith(b"%PDF")
    assert sheet is not None and "Место" in [c.value for c in sheet[1]] + [c.value for c in sheet[2]]
    with world.session() as s:  # as if the runner died after storing: nothing stored twice
        from sqlalchemy import update

        from tandau.store.jobs_models import Job

        s.execute(update(Job).where(Job.id == job.id).values(status="running"))
        s.commit()
    assert run_job(world.db.engine, job.id, resume=True) == "succeeded"
    assert run_job(world.db.engine, mine.id) == "succeeded"
    with world.session() as s:
        assert get_job(s, CENTRAL, job.id).result == {"cycle_id": "2026", "stored": "already, by an earlier attempt"}
        theirs = get_job(s, SEC_ALMATY, mine.id)
        only, _, _ = job_output(s, SEC_ALMATY, mine.id)
    assert theirs.territory == "750000000" and _names(only) == ["list-almaty-city.xlsx"]
