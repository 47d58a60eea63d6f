"""Frozen contests (issue 10): from opening until publication the roll of a contest's territory and its
nominations change only by the central office, with a reason, each change audited before and after; members
added after opening do not vote in it; no candidate is withdrawn or disqualified after close."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import select

from tandau.errors import InputError
from tandau.services.primaries import imports, nominations, roll
from tandau.services.primaries.access import Actor, Grant, Role
from tandau.services.primaries.errors import FrozenError, ImportRejectedError, PermissionDeniedError, StateError
from tandau.store.models import Contest, Member, Nomination, audit_log

from .conftest import AFTER, CENTRAL, ON_ROLL, OPENS, Db, World, build_world

SECRETARY = Actor("sec-almaty", (Grant(Role.SECRETARY, "750000000"),))
HEADER = b"id,name,sex,birth_date,territory,contact\n"
M1_NEW_CONTACT = HEADER + b"m1,Aigerim,F,1990-05-01,751110000,+77019999999\n"
NEW_MEMBER = HEADER + b"m8,Nurlan,M,1991-01-01,751110000,+77010000008\n"
LATER = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)  # after the contests opened


def _entries(s: object, action: str) -> list[dict[str, object]]:
    rows = s.execute(select(audit_log).where(audit_log.c.action == action).order_by(audit_log.c.seq)).all()  # type: ignore[attr-defined]
    return [{"target": r.target, "actor": r.actor, **json.loads(r.details)} for r in rows]


def _set_status(world: World, status: str, *ids: str) -> None:
    with world.session() as s:
        for cid in ids or ("almaty-city", "almaty-region", "national"):
            s.get(Contest, cid).status = status  # type: ignore[union-attr]
        s.commit()


def test_a_secretary_is_refused_a_change_to_the_roll_of_an_open_contest(world: World) -> None:
    with world.session() as s:
        for data in (M1_NEW_CONTACT, NEW_MEMBER):
            with pytest.raises(ImportRejectedError) as info:
                imports.roll_upload(s, SECRETARY, "r.csv", data, apply=True)
            (error,) = info.value.errors
            assert error.code == "roll_frozen" and error.column == "id" and error.row == 2
            assert error.params["contest"] == "almaty-city" and error.params["status"] == "open"
            assert "contest 'almaty-city' is open" in str(error) and "only the central office" in str(error)
        # an unchanged row is no change: it passes
        same = HEADER + b"m1,Aigerim,F,1990-05-01,751110000,+77010000001\n"
        assert imports.roll_upload(s, SECRETARY, "same.csv", same, apply=True).updated == 1
        assert s.get(Member, "m1").contact == "+77010000001"  # type: ignore[union-attr]
        assert s.get(Member, "m8") is None


def test_the_roll_stays_frozen_while_closed_and_thaws_at_publication(world: World) -> None:
    _set_status(world, "closed")
    with world.session() as s, pytest.raises(ImportRejectedError) as info:
        imports.roll_upload(s, SECRETARY, "r.csv", M1_NEW_CONTACT, apply=True)
    assert info.value.errors[0].params["status"] == "closed"
    _set_status(world, "published")
    with world.session() as s:
        assert imports.roll_upload(s, SECRETARY, "r.csv", M1_NEW_CONTACT, apply=True).frozen == 0
        assert s.get(Member, "m1").contact == "+77019999999"  # type: ignore[union-attr]


def test_a_draft_does_not_freeze_the_roll(db: Db, tmp_path: Path) -> None:
    build_world(db, tmp_path, open_contests=False)
    with db.Session() as s:
        done = imports.roll_upload(s, SECRETARY, "r.csv", M1_NEW_CONTACT + b"m8,N,M,1991-01-01,751110000,\n",
                                   apply=True)
        assert (done.added, done.updated, done.frozen) == (1, 1, 0)


def test_the_central_office_changes_a_frozen_roll_only_with_a_reason_and_each_row_is_audited(world: World) -> None:
    data = (M1_NEW_CONTACT + b"m8,Nurlan,M,1991-01-01,751110000,+77010000008\n"
            b"m2,Bolat,M,1980-01-02,751110000,+77010000002\n")
    with world.session() as s:
        checked = imports.roll_upload(s, CENTRAL, "r.csv", data, apply=False)  # a check needs no reason
        assert (checked.frozen, checked.frozen_contests) == (2, ("almaty-city", "national"))
        with pytest.raises(InputError) as info:
            imports.roll_upload(s, CENTRAL, "r.csv", data, apply=True)
        assert info.value.parameter == "reason" and "almaty-city" in str(info.value)
        assert s.get(Member, "m8") is None
        with pytest.raises(InputError):
            imports.roll_upload(s, CENTRAL, "r.csv", data, apply=True, reason="   ")
        done = roll.import_roll_table(s, CENTRAL, imports._table(data, "r.csv", imports.MAX_BYTES, roll.COLUMNS),
                                      reason="court order 12/3: contact corrected; member reinstated", now=LATER)
        assert (done.added, done.updated, done.frozen) == (1, 2, 2)
        changes = _entries(s, "roll.change_frozen")
        assert [c["target"] for c in changes] == ["m1", "m8"]  # m2 is unchanged: no entry
        m1, m8 = changes
        assert m1["reason"] == "court order 12/3: contact corrected; member reinstated"
        assert m1["contests"] == ["almaty-city", "national"]
        assert m1["before"] == {"name": "Aigerim", "sex": "F", "birth_date": "1990-05-01", "kato": "751110000",
                                "contact": "+77010000001", "status": "active"}
        assert m1["after"] == {**m1["before"], "contact": "+77019999999"}  # type: ignore[dict-item]
        assert m8["before"] is None and m8["after"]["contact"] == "+77010000008"  # type: ignore[index]
        (summary,) = _entries(s, "roll.import")[-1:]
        assert summary["frozen"] == 2 and summary["reason"].startswith("court order")  # type: ignore[union-attr]


def test_members_added_after_opening_are_not_eligible_in_it(world: World) -> None:
    with world.session() as s:
        roll.import_roll_table(s, CENTRAL, imports._table(NEW_MEMBER, "r.csv", imports.MAX_BYTES, roll.COLUMNS),
                               reason="late registration", now=LATER)
        city = s.get(Contest, "almaty-city")
        m1, m8 = s.get(Member, "m1"), s.get(Member, "m8")
        assert city is not None and m1 is not None and m8 is not None
        assert m1.on_roll_since == ON_ROLL and m8.on_roll_since == LATER
        assert roll.eligible_at_opening(m1, city)
        assert not roll.eligible_at_opening(m8, city)
        # on the roll at the very moment of opening still counts
        m8.on_roll_since = OPENS
        assert roll.eligible_at_opening(m8, city)


def test_new_members_are_dated_by_the_server_clock(db: Db, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(roll, "utcnow", lambda: AFTER)
    with db.Session() as s:
        imports.roll_upload(s, CENTRAL, "r.csv", NEW_MEMBER, apply=True)
        assert s.get(Member, "m8").on_roll_since == AFTER  # type: ignore[union-attr]


# ---- nominations ------------------------------------------------------------------------------------------------


def test_while_open_only_the_central_office_withdraws_or_disqualifies(world: World) -> None:
    candidate = Actor("m4", (Grant(Role.CANDIDATE, "751110000"),))
    with world.session() as s:
        with pytest.raises(FrozenError) as info:
            nominations.disqualify(s, SECRETARY, "almaty-city", "m2", "late papers")
        assert "contest 'almaty-city' is open" in str(info.value) and "only the central office" in str(info.value)
        assert isinstance(info.value, PermissionDeniedError)
        s.rollback()
        with pytest.raises(FrozenError):
            nominations.withdraw(s, candidate, "almaty-city", "m4", "personal reasons")
        s.rollback()
        with pytest.raises(InputError):
            nominations.disqualify(s, CENTRAL, "almaty-city", "m2", " ")
        s.rollback()
        nominations.disqualify(s, CENTRAL, "almaty-city", "m2", "forged signatures")
        (entry,) = _entries(s, "nomination.disqualified")
        assert entry["member"] == "m2" and entry["reason"] == "forged signatures" and entry["frozen"] is True
        assert entry["before"]["status"] == "registered" and entry["before"]["reason"] is None  # type: ignore[index]
        assert entry["after"]["status"] == "disqualified"  # type: ignore[index]
        assert entry["after"]["reason"] == "forged signatures"  # type: ignore[index]


@pytest.mark.parametrize("status", ["closed", "published"])
def test_no_candidate_is_disqualified_or_withdrawn_after_close(world: World, status: str) -> None:
    _set_status(world, status, "almaty-city")
    with world.session() as s:
        for call in (nominations.disqualify, nominations.withdraw):
            with pytest.raises(StateError) as info:
                call(s, CENTRAL, "almaty-city", "m2", "too late")
            assert f"contest 'almaty-city' is {status}" in str(info.value)
            assert "can no longer be" in str(info.value)
            s.rollback()
        n = s.scalar(select(Nomination).where(Nomination.contest_id == "almaty-city", Nomination.member_id == "m2"))
        assert n is not None and n.status == "registered"


def test_in_a_draft_the_secretary_still_withdraws(db: Db, tmp_path: Path) -> None:
    build_world(db, tmp_path, open_contests=False)
    with db.Session() as s:
        assert nominations.withdraw(s, SECRETARY, "almaty-city", "m4", "asked to").status == "withdrawn"


def test_public_ids_map_members_to_opaque_candidate_ids_and_back(world: World) -> None:
    with world.session() as s:
        ids = nominations.public_ids(s, "almaty-city")
        assert set(ids) == {"m1", "m2", "m4"}
        assert all(len(v) == 32 and int(v, 16) >= 0 for v in ids.values())
        assert nominations.member_ids(s, "almaty-city") == {v: k for k, v in ids.items()}
        assert nominations.public_ids(s, "national")["m1"] != ids["m1"]  # per contest


def test_the_cli_roll_import_takes_the_reason(world: World, tmp_path: Path) -> None:
    if world.db.backend != "sqlite":
        pytest.skip("the command line opens the SQLite file; the service is the same on PostgreSQL")
    from typer.testing import CliRunner

    from tandau.cli.primaries import app

    (tmp_path / "change.csv").write_bytes(M1_NEW_CONTACT)
    args = ["roll", "import", str(tmp_path / "change.csv"), "--db", world.db.url]
    refused = CliRunner().invoke(app, args)
    assert refused.exit_code != 0 and "reason" in refused.output
    done = CliRunner().invoke(app, [*args, "--reason", "member asked to update the phone"])
    assert done.exit_code == 0, done.output
    assert "1 in frozen rolls (almaty-city, national)" in done.output
    with world.session() as s:
        (entry,) = _entries(s, "roll.change_frozen")
        assert entry["actor"] == "cli:cli" and entry["reason"] == "member asked to update the phone"
