"""Tandau's job kinds through their services (the control import: test_jobs_control.py): closing and decrypting
a contest with the key only in memory, and the congress report's PDF kept in the job's row."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select, update

from tandau.errors import InputError
from tandau.services.jobs import get_job, job_output, run_job, submit, transports
from tandau.services.primaries import audit
from tandau.store.files import FileStore
from tandau.store.jobs_models import Job

from ..primaries.conftest import CENTRAL, Db, World
from .conftest import vote_and_close

pytestmark = pytest.mark.parametrize("backend", ["sqlite"], indirect=True)


def _count(db: Db, model: type) -> int:
    with db.Session() as s:
        return int(s.scalar(select(func.count()).select_from(model)) or 0)


def test_close_and_decrypt_with_the_key_only_in_memory(world: World) -> None:
    from tandau.services.primaries.auth import actor_for
    from tandau.services.primaries.voting import cast_ballot

    from ..primaries.conftest import DURING

    for member, marks in (("m1", ["m1"]), ("m2", ["m2", "m4"])):
        with world.session() as s:
            cast_ballot(s, actor_for(s, member), "almaty-city", marks, now=DURING)
    key = world.private_key("almaty-city")
    with world.session() as s:
        with pytest.raises(InputError, match="inputs"):
            submit(s, CENTRAL, "contest.close-decrypt", {"contest_id": "almaty-city"})
        lost = submit(s, CENTRAL, "contest.close-decrypt", {"contest_id": "national"}, dispatch=False)
        job = submit(s, CENTRAL, "contest.close-decrypt", {"contest_id": "almaty-city"}, inputs={"key": key})
    assert transports(world.db.engine)[1].idle(30)
    assert run_job(world.db.engine, lost.id) == "failed"  # another process, without the key: never retried there
    with world.session() as s:
        done = get_job(s, CENTRAL, job.id)
        assert "hand them in again" in (get_job(s, CENTRAL, lost.id).error or "")
        stored = s.execute(select(Job.arguments, Job.result)).all()
        actions = [e.action for e in audit.entries(s) if e.target == "almaty-city"]
    assert (done.status, done.done, done.result) == ("succeeded", 2, {"contest_id": "almaty-city", "counted": 2,
                                                                      "replaced": 0}), done.error
    assert actions.count("contest.close") == 1 and actions.count("contest.decrypt") == 1
    assert not any(bytes(key).hex() in str(row) for row in stored)


def test_congress_report_pdf_is_kept_in_the_job(world: World) -> None:
    vote_and_close(world)
    with world.session() as s:
        job = submit(s, CENTRAL, "report.congress", {"cycle_id": "2026", "lang": "en"}, dispatch=False)
    assert run_job(world.db.engine, job.id) == "succeeded"
    with world.session() as s:
        data, name, media_type = job_output(s, CENTRAL, job.id)
        done = get_job(s, CENTRAL, job.id)
    assert data.startswith(b"%PDF") and name == "congress-report-2026-en.pdf" and media_type == "application/pdf"
    assert done.result is not None and done.result["bytes"] == len(data) and done.has_output
    with world.session() as s:  # in the files store every process reads, not in the jobs row
        stored = FileStore().info(s, f"jobs/{job.id}/{name}")
        assert stored is not None and stored.size == len(data)
        assert s.execute(select(Job.output).where(Job.id == job.id)).scalar() is None
        s.execute(update(Job).where(Job.id == job.id).values(status="running"))  # died after the commit
        s.commit()
    again = run_job(world.db.engine, job.id, resume=True)
    with world.session() as s:
        assert again == "succeeded", get_job(s, CENTRAL, job.id).error  # nothing rendered or stored twice


def test_cli_decrypts_each_contest_as_a_job(world: World) -> None:
    from typer.testing import CliRunner

    from tandau.cli.main import build_app

    lines = "".join(f"{holder} {share.text()}\n" for holder, share in world.shares[:2])
    result = CliRunner().invoke(build_app(), ["primaries", "keys", "decrypt", "almaty-city", "national", "--stdin",
                                              "--job", "--db", world.db.url], input=lines)
    assert result.exit_code == 0, result.output
    assert result.output.count(" succeeded: ") == 2
    with world.session() as s:
        jobs = s.execute(select(Job.kind, Job.status, Job.done)).all()
        assert "share" not in str(s.execute(select(Job.arguments, Job.result, Job.step)).all())
    assert sorted(jobs) == [("contest.close-decrypt", "succeeded", 2)] * 2


def test_publish_every_contest_of_a_cycle_once(world: World) -> None:
    from tandau.services.primaries.publish import publish_contest
    from tandau.store.files_models import StoredFile

    vote_and_close(world)
    with world.session() as s:
        publish_contest(s, CENTRAL, "national")  # by hand before the job: skipped by it
        job = submit(s, CENTRAL, "contests.publish-all", {"cycle_id": "2026"}, dispatch=False)
    assert run_job(world.db.engine, job.id) == "succeeded"
    with world.session() as s:
        s.execute(update(Job).where(Job.id == job.id).values(status="running", done=1))  # as if died after step 1
        s.commit()
    assert run_job(world.db.engine, job.id, resume=True) == "succeeded"
    with world.session() as s:
        done = get_job(s, CENTRAL, job.id)
        published = sorted(e.target for e in audit.entries(s) if e.action == "contest.publish")
        bulletins = int(s.scalar(select(func.count()).select_from(StoredFile)) or 0)
    assert published == ["almaty-city", "almaty-region", "national"] and bulletins == 3
    assert done.result == {"cycle_id": "2026", "contests": 3, "published_now": 0, "published_before": 2}
