"""The case workflow: every allowed and refused step, deadlines and overdue cases, territory, the audit log."""

from __future__ import annotations

import hashlib
from datetime import date, timedelta

import pytest

from tandau.errors import InputError
from tandau.services.control import cases
from tandau.services.primaries import audit
from tandau.services.primaries.errors import NotFoundError, PermissionDeniedError, StateError
from tests.integration.primaries.conftest import Db

from .conftest import ACTORS, CITY, NOW, REGION

CENTRAL = ACTORS["central"]
STATUSES = ("open", "inquiry_sent", "answer_received", "escalated", "resolved", "closed")
STEPS = ("send_inquiry", "record_answer", "resolve", "escalate", "close")
# written out here, independently of cases.STEPS: (status, step) -> the status it leads to
ALLOWED = {
    ("open", "send_inquiry"): "inquiry_sent", ("open", "escalate"): "escalated",
    ("inquiry_sent", "record_answer"): "answer_received", ("inquiry_sent", "escalate"): "escalated",
    ("answer_received", "resolve"): "resolved", ("answer_received", "send_inquiry"): "inquiry_sent",
    ("answer_received", "escalate"): "escalated",
    ("escalated", "send_inquiry"): "inquiry_sent", ("escalated", "resolve"): "resolved",
    ("resolved", "close"): "closed",
}
PATH = {"open": [], "inquiry_sent": ["send_inquiry"], "answer_received": ["send_inquiry", "record_answer"],
        "escalated": ["escalate"], "resolved": ["send_inquiry", "record_answer", "resolve"],
        "closed": ["send_inquiry", "record_answer", "resolve", "close"]}
ARGS = {"resolve": {"note": "the works were paid twice", "outcome": "confirmed"}, "escalate": {"note": "no answer"}}


def _open(db: Db, kato: str | None = CITY, *, actor: str = "central", **kw: object) -> str:
    request = cases.CaseRequest(title=str(kw.pop("title", "Water pipe in Almaty")), kato=kato,
                                source=str(kw.pop("source", "signal")), **kw)  # type: ignore[arg-type]
    with db.Session() as s:
        return cases.open_case(s, ACTORS[actor], request, now=NOW).id


def _walk(db: Db, case_id: str, steps: list[str]) -> None:
    with db.Session() as s:
        for step in steps:
            cases.take_step(s, CENTRAL, case_id, step, now=NOW, **ARGS.get(step, {}))  # type: ignore[arg-type]


def test_every_allowed_and_refused_transition(cases_db: Db) -> None:
    for status in STATUSES:
        for step in STEPS:
            case_id = _open(cases_db)
            _walk(cases_db, case_id, PATH[status])
            with cases_db.Session() as s:
                assert cases.get(s, case_id).status == status
                expected = {st for st in STEPS if (status, st) in ALLOWED}
                assert set(cases.next_steps(CENTRAL, cases.get(s, case_id))) == expected
                if (status, step) in ALLOWED:
                    done = cases.take_step(s, CENTRAL, case_id, step, now=NOW, **ARGS.get(step, {}))  # type: ignore[arg-type]
                    assert done.status == ALLOWED[(status, step)], (status, step)
                else:
                    with pytest.raises(StateError, match=f"is {status}: it cannot {step}; allowed now"):
                        cases.take_step(s, CENTRAL, case_id, step, now=NOW, **ARGS.get(step, {}))  # type: ignore[arg-type]
                    s.rollback()
                    assert cases.get(s, case_id).status == status


def test_resolution_needs_an_outcome_and_a_note(cases_db: Db) -> None:
    case_id = _open(cases_db)
    _walk(cases_db, case_id, ["send_inquiry", "record_answer"])
    with cases_db.Session() as s:
        with pytest.raises(InputError, match="note is required"):
            cases.take_step(s, CENTRAL, case_id, "resolve", outcome="confirmed", now=NOW)
        with pytest.raises(InputError, match="valid: confirmed, not_confirmed"):
            cases.take_step(s, CENTRAL, case_id, "resolve", note="n", outcome="maybe", now=NOW)
        s.rollback()
        with pytest.raises(InputError, match="only when resolving"):
            cases.take_step(s, CENTRAL, case_id, "send_inquiry", outcome="confirmed", now=NOW)
        s.rollback()
        with pytest.raises(InputError, match="unknown step 'reopen'"):
            cases.take_step(s, CENTRAL, case_id, "reopen", now=NOW)
        with pytest.raises(InputError, match="note is required"):
            cases.take_step(s, CENTRAL, case_id, "escalate", now=NOW)
        s.rollback()
        done = cases.take_step(s, CENTRAL, case_id, "resolve", note="not found on site", outcome="not_confirmed",
                               now=NOW)
        assert (done.status, done.outcome, done.resolution) == ("resolved", "not_confirmed", "not found on site")


def test_opening_is_validated(cases_db: Db) -> None:
    with cases_db.Session() as s:
        for request, parameter in (
            (cases.CaseRequest("t", "75", "signal"), "kato"),
            (cases.CaseRequest(" ", CITY, "signal"), "title"),
            (cases.CaseRequest("t", CITY, "rumour"), "source"),
            (cases.CaseRequest("t", CITY, "flag", flag_kind="programme", flag_code="P04"), "flag_ref"),
            (cases.CaseRequest("t", CITY, "flag", flag_kind="budget", flag_code="P04", flag_ref="x"), "flag_kind"),
            (cases.CaseRequest("t", CITY, "deputy", owner_kind="deputy"), "owner"),
            (cases.CaseRequest("t", CITY, "signal", due=date(2026, 3, 1)), "due"),
        ):
            with pytest.raises(InputError) as info:
                cases.open_case(s, CENTRAL, request, now=NOW)
            assert info.value.parameter == parameter
            s.rollback()
    case_id = _open(cases_db, source="flag", flag_kind="procurement", flag_code="R018", flag_ref="ocds-1-0001",
                    owner_kind="deputy", owner="A. Deputy")
    region = _open(cases_db, kato=REGION)
    with cases_db.Session() as s:
        case = cases.get(s, case_id)
        assert (case.flag_kind, case.flag_code, case.flag_ref, case.owner_kind, case.owner) == (
            "procurement", "R018", "ocds-1-0001", "deputy", "A. Deputy")
        assert cases.get(s, region).owner == REGION  # the territory's commission


def test_deadlines_and_overdue_cases_first(cases_db: Db) -> None:
    late = _open(cases_db, title="late")
    settled = _open(cases_db, title="settled")
    _walk(cases_db, settled, PATH["closed"])
    with cases_db.Session() as s:
        fresh = cases.open_case(s, CENTRAL, cases.CaseRequest("fresh", CITY, "signal", due=date(2026, 6, 30)),
                                now=NOW + timedelta(days=5))
        assert fresh.due_at == cases.deadline(date(2026, 6, 30))
        assert cases.deadline(date(2026, 6, 30)).isoformat() == "2026-06-30T19:00:00+00:00"  # midnight UTC+5
        assert cases.get(s, late).due_at == NOW + timedelta(days=10)
        assert cases.get(s, settled).due_at is None  # closed
        later = NOW + timedelta(days=11)
        rows = cases.list_cases(s, CENTRAL, now=later)
        assert [(r.case.title, r.overdue) for r in rows] == [("late", True), ("fresh", False), ("settled", False)]
        assert cases.overdue_count(s, CENTRAL, now=later) == 1
        assert cases.overdue_count(s, ACTORS["ctl-region"], now=later) == 0
        assert cases.overdue_count(s, ACTORS["keyholder"], now=later) == 0
        assert [r.case.title for r in cases.list_cases(s, CENTRAL, overdue=True, now=later)] == ["late"]
        assert [r.case.title for r in cases.list_cases(s, CENTRAL, status="closed", now=later)] == ["settled"]
        # a step resets the deadline for the next one: an answer is due 30 days after the inquiry
        step = cases.take_step(s, CENTRAL, late, "send_inquiry", now=later)
        assert step.due_at == later + timedelta(days=30)
        assert not cases.list_cases(s, CENTRAL, overdue=True, now=later)


def test_territory_scoping(cases_db: Db) -> None:
    city = _open(cases_db, actor="ctl-almaty")
    region = _open(cases_db, kato="191010000", actor="ctl-region")
    national = _open(cases_db, kato=None)
    with cases_db.Session() as s:
        def seen(who: str, **kw: str) -> set[str]:
            return {r.case.id for r in cases.list_cases(s, ACTORS[who], now=NOW, **kw)}  # type: ignore[arg-type]

        assert seen("central") == seen("observer") == {city, region, national}
        assert seen("ctl-almaty") == seen("sec-almaty") == {city}
        assert seen("ctl-region") == {region}
        assert seen("central", territory=REGION) == {region}
        with pytest.raises(PermissionDeniedError):
            cases.list_cases(s, ACTORS["keyholder"])
        for who, case_id in (("ctl-region", city), ("ctl-almaty", region), ("ctl-almaty", national)):
            with pytest.raises(PermissionDeniedError):
                cases.detail(s, ACTORS[who], case_id)
            with pytest.raises(PermissionDeniedError):
                cases.take_step(s, ACTORS[who], case_id, "send_inquiry", now=NOW)
        with pytest.raises(PermissionDeniedError):
            cases.open_case(s, ACTORS["ctl-almaty"], cases.CaseRequest("t", REGION, "signal"), now=NOW)
        with pytest.raises(PermissionDeniedError):
            cases.open_case(s, ACTORS["observer"], cases.CaseRequest("t", CITY, "signal"), now=NOW)
        with pytest.raises(PermissionDeniedError):
            cases.take_step(s, ACTORS["observer"], city, "send_inquiry", now=NOW)
        assert cases.detail(s, ACTORS["observer"], city).next_steps == ()
        with pytest.raises(NotFoundError):
            cases.detail(s, CENTRAL, "case-none")
        # the commission of the city acts on its case; once escalated only the central office does
        cases.take_step(s, ACTORS["ctl-almaty"], city, "escalate", note="the akimat does not answer", now=NOW)
        assert cases.detail(s, ACTORS["ctl-almaty"], city).next_steps == ()
        with pytest.raises(PermissionDeniedError):
            cases.take_step(s, ACTORS["sec-almaty"], city, "resolve", note="n", outcome="confirmed", now=NOW)
        s.rollback()
        assert cases.take_step(s, CENTRAL, city, "resolve", note="n", outcome="confirmed", now=NOW).status == "resolved"
        cases.take_step(s, ACTORS["ctl-almaty"], city, "close", now=NOW)


def test_every_step_is_in_the_audit_log(cases_db: Db) -> None:
    case_id = _open(cases_db, actor="ctl-almaty", source="flag", flag_kind="programme", flag_code="P04",
                    flag_ref="water/access/750000000")
    _walk(cases_db, case_id, ["send_inquiry", "record_answer", "resolve", "close"])
    with cases_db.Session() as s:
        entries = [e for e in audit.entries(s) if e.target == case_id]
        assert [(e.action, e.details.get("step")) for e in entries] == [
            ("case.open", None), ("case.step", "send_inquiry"), ("case.step", "record_answer"),
            ("case.step", "resolve"), ("case.step", "close")]
        assert entries[0].actor == "ctl-almaty"
        assert entries[0].details["flag"] == {"kind": "programme", "code": "P04", "ref": "water/access/750000000"}
        resolve = entries[3].details
        assert (resolve["from"], resolve["to"], resolve["outcome"]) == ("answer_received", "resolved", "confirmed")
        assert resolve["note_sha256"] == hashlib.sha256(b"the works were paid twice").hexdigest()
        assert audit.verify(s).ok
        history = cases.detail(s, CENTRAL, case_id).steps
        assert [(h.step, h.from_status, h.to_status) for h in history] == [
            ("open", None, "open"), ("send_inquiry", "open", "inquiry_sent"),
            ("record_answer", "inquiry_sent", "answer_received"), ("resolve", "answer_received", "resolved"),
            ("close", "resolved", "closed")]
