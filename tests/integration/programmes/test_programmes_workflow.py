"""The programmes' service: create from PROGRAMME.csv records, versions with lint findings, the workflow with its
refusals (role, territory, order, lint errors, empty), diff, comments, audit, open data and control targets."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import func, select

from tandau.core.programmes import NotATargetError
from tandau.errors import InputError
from tandau.services.control.data import load_targets
from tandau.services.primaries import audit
from tandau.services.primaries.errors import NotFoundError, PermissionDeniedError, StateError
from tandau.services.programmes import publication, workflow
from tandau.services.programmes.records import parse_record
from tandau.services.programmes.to_control import to_control
from tandau.store.control_models import ControlImport
from tandau.store.programme_models import ProgrammeStep
from tests.integration.primaries.conftest import Db

from .conftest import ACTORS, CYCLE, NOW, clean_records

CENTRAL, SEC, OTHER, OBS = ACTORS["central"], ACTORS["sec-north"], ACTORS["sec-almaty"], ACTORS["observer"]


def _create(pdb: Db, who=SEC, council: str = "M-59", records=None) -> str:  # type: ignore[no-untyped-def]
    with pdb.Session() as s:
        owner = workflow.owner_of(s, council=council)
        return workflow.create(s, who, owner, CYCLE, clean_records() if records is None else records, now=NOW).id


def test_the_whole_workflow_with_its_refusals(pdb: Db) -> None:
    pid = _create(pdb)
    assert pid == "M-59-2023"
    with pdb.Session() as s:
        d = workflow.detail(s, SEC, pid)
        assert (d.programme.status, d.programme.version, len(d.records)) == ("draft", 1, 5)
        assert d.programme.title_kk.startswith("Солтүстік Қазақстан облыстық мәслихаты")
        assert d.findings == () and d.next_steps == ("submit",) and d.may_edit
        # wrong territory, wrong role, steps out of order
        with pytest.raises(PermissionDeniedError):
            workflow.take_step(s, OTHER, pid, "submit")
        with pytest.raises(PermissionDeniedError):
            workflow.take_step(s, SEC, pid, "approve")
        with pytest.raises(StateError, match="steps allowed now: submit"):
            workflow.take_step(s, CENTRAL, pid, "publish")
        with pytest.raises(PermissionDeniedError):
            workflow.detail(s, OTHER, pid)
        # an error-level finding: version 2 has a commitment without a target
        records = list(d.records)
        records[0] = dict(records[0], target=None)
        v2 = workflow.save(s, SEC, pid, records, note="target unknown yet", now=NOW)
        assert (v2.number, v2.errors) == (2, 1)
        assert [f.code for f in workflow.stored_findings(v2)] == ["C03"]
        workflow.take_step(s, SEC, pid, "submit", now=NOW)
        with pytest.raises(StateError, match="draft or returned"):
            workflow.save(s, SEC, pid, records)
        with pytest.raises(StateError, match="1 error-level finding"):
            workflow.take_step(s, CENTRAL, pid, "approve")
        with pytest.raises(InputError, match="reason is required"):
            workflow.take_step(s, CENTRAL, pid, "return", reason="  ")
        workflow.take_step(s, CENTRAL, pid, "return", reason="R-1 has no target", now=NOW)
        with pytest.raises(StateError, match="changed since version 1"):
            workflow.save(s, SEC, pid, records, base_version=1)
        fixed = workflow.put_commitment(s, SEC, pid, dict(records[0], target="260"), replaces="R-1", base_version=2,
                                        now=NOW)
        assert (fixed.number, fixed.errors) == (3, 0)
        workflow.take_step(s, SEC, pid, "submit", now=NOW)
        with pytest.raises(PermissionDeniedError):
            workflow.take_step(s, SEC, pid, "approve")
        workflow.take_step(s, CENTRAL, pid, "approve", now=NOW)
        with pytest.raises(PermissionDeniedError):
            workflow.take_step(s, SEC, pid, "publish")
        row = workflow.take_step(s, CENTRAL, pid, "publish", now=NOW)
        assert row.status == "published" and row.published_at is not None
        steps = [(p.step, p.from_status, p.to_status, p.version) for p in s.scalars(
            select(ProgrammeStep).where(ProgrammeStep.programme_id == pid).order_by(ProgrammeStep.id))]
        assert steps == [("create", None, "draft", 1), ("submit", "draft", "submitted", 2),
                         ("return", "submitted", "returned", 2), ("submit", "returned", "submitted", 3),
                         ("approve", "submitted", "approved", 3), ("publish", "approved", "published", 3)]
        # a published programme is everyone's to read, nobody's to edit
        assert workflow.detail(s, None, pid).versions == ()
        assert workflow.detail(s, OTHER, pid).programme.status == "published"
        with pytest.raises(StateError):
            workflow.remove_commitment(s, CENTRAL, pid, "R-1")
        actions = [e.action for e in audit.entries(s) if e.target == pid]
        assert actions == ["programme.create", "programme.version", "programme.version", "programme.step",
                           "programme.step", "programme.version", "programme.step", "programme.step",
                           "programme.step"]
        assert audit.verify(s).ok


def test_versions_diff_and_comments(pdb: Db) -> None:
    pid = _create(pdb)
    with pdb.Session() as s:
        records = list(workflow.detail(s, SEC, pid).records)
        added = parse_record({"commitment": "W-9", "section": "water", "territory": "593200000",
                              "text_ru": "Водопровод",
                              "indicator": "pipes", "unit": "км", "baseline": "0", "baseline_year": "2022",
                              "target": "12,5", "deadline": "2027-12-31", "budget_kzt": "1 000 000",
                              "funding": "republican", "state_programme": "clean-water", "proposals": "P-1; P-2"},
                             "590000000")
        assert (added["target"], added["budget_kzt"], added["proposals"]) == ("12.5", "1000000", ["P-1", "P-2"])
        workflow.save(s, SEC, pid, [dict(records[0], target="210", responsible="Akimat"), *records[1:4], added])
        d = workflow.diff(s, OBS, pid, 1, 2)
        assert [r["commitment"] for r in d.added] == ["W-9"] and [r["commitment"] for r in d.removed] == ["D-3"]
        assert [(c.commitment, [(f.field, f.before, f.after) for f in c.fields]) for c in d.changed] == [
            ("R-1", [("target", "200", "210"), ("responsible",
                                                "Roads department of the akimat of North Kazakhstan Region",
                                                "Akimat")])]
        assert d.unchanged == 3
        assert workflow.diff(s, OBS, pid, 2, 2).empty
        with pytest.raises(NotFoundError):
            workflow.diff(s, OBS, pid, 1, 7)
        with pytest.raises(InputError, match="outside the programme"):
            parse_record({"commitment": "X", "territory": "750000000", "text_kk": "x"}, "590000000")
        with pytest.raises(InputError, match="twice"):
            workflow.save(s, SEC, pid, [records[0], records[0]])
        c = workflow.add_comment(s, CENTRAL, pid, "R-1: say which roads", commitment="R-1", now=NOW)
        assert (c.version, c.commitment) == (2, "R-1")
        with pytest.raises(PermissionDeniedError):
            workflow.add_comment(s, OBS, pid, "observers read only")
        with pytest.raises(PermissionDeniedError):
            workflow.add_comment(s, OTHER, pid, "not my territory")
        with pytest.raises(NotFoundError):
            workflow.add_comment(s, SEC, pid, "?", commitment="nope")
        assert [x.body for x in workflow.detail(s, SEC, pid).comments] == ["R-1: say which roads"]
        assert [e.action for e in audit.entries(s)][-1] == "programme.comment"


def test_creation_rules(pdb: Db) -> None:
    with pdb.Session() as s:
        with pytest.raises(PermissionDeniedError):  # the Majilis is the whole country's: the central office's
            workflow.create(s, SEC, workflow.owner_of(s, council="KZ-MAJILIS"), CYCLE)
        with pytest.raises(PermissionDeniedError):
            workflow.create(s, OTHER, workflow.owner_of(s, council="M-59"), CYCLE)
        with pytest.raises(InputError, match="unknown council"):
            workflow.owner_of(s, council="M-99")
        youth = workflow.create(s, CENTRAL, workflow.owner_of(s, wing="youth"), CYCLE, now=NOW)
        assert (youth.id, youth.kato, youth.kind) == ("youth-2023", "KZ", "wing")
        with pytest.raises(StateError, match="no commitment"):
            workflow.take_step(s, CENTRAL, youth.id, "submit")
        majilis = workflow.create(s, CENTRAL, workflow.owner_of(s, council="KZ-MAJILIS"), CYCLE)
        assert majilis.title_ru.startswith("Мажилис Парламента")
        with pytest.raises(StateError, match="already has a programme"):
            workflow.create(s, CENTRAL, workflow.owner_of(s, council="KZ-MAJILIS"), CYCLE)
        with pytest.raises(PermissionDeniedError):
            workflow.detail(s, SEC, "youth-2023")
        assert [r.id for r in workflow.list_programmes(s, SEC)] == []
        assert [r.id for r in workflow.list_programmes(s, OBS, territory="KZ")] == ["KZ-MAJILIS-2023", "youth-2023"]


def test_lint_uses_the_cycle_term(pdb: Db) -> None:
    records = clean_records()
    records[1] = dict(records[1], deadline="2029-06-30")
    pid = _create(pdb, records=records)
    with pdb.Session() as s:
        [finding] = workflow.detail(s, SEC, pid).findings
        assert (finding.commitment, finding.key, finding.data["term_end"]) == ("R-2", "C04.outside", "2028-03-19")


def test_open_data_shows_only_published_programmes(pdb: Db) -> None:
    pid = _create(pdb)
    draft = _create(pdb, who=OTHER, council="M-75", records=[])
    with pdb.Session() as s:
        for step in ("submit", "approve", "publish"):
            workflow.take_step(s, CENTRAL, pid, step, now=NOW)
        doc = publication.cycle_json(s, CYCLE, now=NOW)
        assert [p["id"] for p in doc["programmes"]] == [pid] and doc["schema"] == "tandau-programmes/1"
        one = doc["programmes"][0]
        assert [x["section"] for x in one["sections"]] == ["water", "roads", "health"]  # the taxonomy's order
        assert one["sections"][1]["name"] == {"en": "Roads and transport", "ru": "Дороги и транспорт",
                                              "kk": "Жолдар және көлік"}
        assert one["commitments"] == 5 and one["budget_kzt"] == "20100000000"
        assert one["sections"][0]["commitments"][0]["funding"] == "republican"
        json.dumps(doc)
        with pytest.raises(NotFoundError):
            publication.programme_json(s, draft)


def test_a_commitment_becomes_a_control_target(pdb: Db) -> None:
    pid = _create(pdb)
    with pdb.Session() as s:
        with pytest.raises(StateError, match="approved or published"):
            to_control(s, CENTRAL, pid, "R-1")
        for step in ("submit", "approve"):
            workflow.take_step(s, CENTRAL, pid, step, now=NOW)
        with pytest.raises(PermissionDeniedError):
            to_control(s, SEC, pid, "R-1")
        made = to_control(s, CENTRAL, pid, "D-1", now=NOW)
        assert made.target.key == ("M-5910", "roads_repaired", "590000000")
        assert made.summary.imported[0].added == 1
        assert to_control(s, CENTRAL, pid, "D-1", now=NOW).summary.imported[0].added == 0  # already stored
        stored = load_targets(s)
        assert stored[("M-5910", "roads_repaired", "590000000")].versions[0].target == 80
        assert s.scalar(select(func.count()).select_from(ControlImport)) == 2
        actions = [e.action for e in audit.entries(s)]
        assert actions[-2:] == ["programme.to_control", "control.import"]
        with pytest.raises(NotFoundError):
            to_control(s, CENTRAL, pid, "nope")
    # a cumulative commitment to decrease passes the checks but is no control target: nothing stored or audited
    records = [dict(clean_records()[0], territory="750000000", direction="decrease", target="50")]
    other = _create(pdb, who=OTHER, council="M-75", records=records)
    with pdb.Session() as s:
        for step in ("submit", "approve"):
            workflow.take_step(s, CENTRAL, other, step)
        before = len(audit.entries(s))
        with pytest.raises(NotATargetError, match="set kind to level"):
            to_control(s, CENTRAL, other, "R-1")
        assert len(audit.entries(s)) == before
        assert s.scalar(select(func.count()).select_from(ControlImport)) == 2
