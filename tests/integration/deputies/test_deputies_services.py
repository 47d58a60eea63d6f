"""Results import (errors, the workspace's list, refusals), vacancies, akims, activity import and scoping, on
SQLite and PostgreSQL."""

from __future__ import annotations

import io
from datetime import date

import pytest
from openpyxl import Workbook
from sqlalchemy import select

from tandau.errors import InputError
from tandau.services import workspace_store
from tandau.services.deputies import activity, akims, read, results, vacancy
from tandau.services.primaries import audit
from tandau.services.primaries.errors import ImportRejectedError, NotFoundError, PermissionDeniedError, StateError
from tandau.store.deputies_models import DeputyActivity, DeputyCouncil, DeputyRow
from tests.integration.primaries.conftest import Db

from .conftest import ACTORS, DAY, LIST, NOW, PARTY, results_csv

CENTRAL, SEC, OTHER, DEP, OBS = (ACTORS[k] for k in ("central", "sec-almaty", "sec-region", "dep-almaty",
                                                     "observer"))


def test_the_import_composes_the_faction(imported: Db) -> None:
    with imported.Session() as s:
        rows = read.list_deputies(s, CENTRAL, council="M-75")
        assert [(d.id, d.mandate, d.person_id) for d in rows] == [
            ("M-75-L01", "list", "b1"), ("M-75-L03", "list", "b3"), ("M-75-D15", "district", "w15")]
        council = s.get(DeputyCouncil, "M-75")
        assert council is not None and council.party_list_seats == 2 and council.kato == "750000000"
        assert council.term_end == date(2028, 3, 18) and council.list_source == "file"
        kinds = [e.action for e in audit.entries(s)]
        assert {"deputies.list_allocation", "deputies.list_mandates", "deputies.district_winners"} <= set(kinds)
        with pytest.raises(StateError):  # imported once
            results.import_results(s, CENTRAL, "M-75", results_csv(), "RESULTS.csv", party=PARTY, election_day=DAY,
                                   party_list=results.read_list(LIST, "LIST.csv"))


def test_bad_results_are_refused_with_row_and_column(deputies_db: Db) -> None:
    bad = (b"kind,party,votes,district,winner\nlist,A,12x,,\nlist,A,5,,\nballot,,,,\n"
           b"district,,,,\nagainst_all,,-3,,\n")
    with deputies_db.Session() as s:
        with pytest.raises(ImportRejectedError) as err:
            results.import_results(s, CENTRAL, "M-75", bad, "RESULTS.csv", party="A", election_day=DAY)
        assert {(e.row, e.column) for e in err.value.errors} == {
            (2, "votes"), (3, "party"), (4, "kind"), (5, "district"), (5, "winner"), (6, "votes")}
        with pytest.raises(InputError) as missing:  # list seats won, no list stored and none given
            results.import_results(s, CENTRAL, "M-75", results_csv(), "RESULTS.csv", party=PARTY, election_day=DAY)
        assert "LIST.csv" in str(missing.value)
        with pytest.raises(InputError):  # not a council
            results.import_results(s, CENTRAL, "M-99", results_csv(), "RESULTS.csv", party=PARTY, election_day=DAY)
        with pytest.raises(ImportRejectedError) as listed:
            results.read_list(b"id,name,sex\nx,,F\nx,Two,Q\n", "LIST.csv")
        assert {(e.row, e.column) for e in listed.value.errors} == {(2, "name"), (3, "id"), (3, "sex")}
        assert s.scalars(select(DeputyRow)).first() is None  # nothing half-imported


def test_the_workspace_list_is_used_and_secretaries_are_scoped(deputies_db: Db) -> None:
    entries = [{"id": f"m{k}", "name": f"Member {k}", "sex": "F" if k == 4 else "M", "birth_date": "1980-01-01",
                "tags": []} for k in range(1, 6)]
    with deputies_db.Session() as s:
        workspace_store.save(s, workspace_store.StoredList("M-75", "kz-law-2022", 5, 2, (), (), {},
                                                           {"entries": entries, "error": None}, NOW, "central"))
        with pytest.raises(PermissionDeniedError):  # Almaty region's secretary: not Almaty city
            results.import_results(s, OTHER, "M-75", results_csv(), "RESULTS.csv", party=PARTY, election_day=DAY)
        done = results.import_results(s, SEC, "M-75", results_csv(), "RESULTS.csv", party=PARTY, election_day=DAY)
        assert [d.person_id for d in done.deputies if d.mandate == "list"] == ["m1", "m4"]  # the quota: m4 for m2
        assert done.council.list_source == "workspace"
        assert read.list_deputies(s, OTHER) == [] and len(read.list_deputies(s, DEP)) == 3
        assert len(read.list_deputies(s, OBS)) == 3
        with pytest.raises(PermissionDeniedError):
            read.deputy_detail(s, OTHER, "M-75-L01")
        with pytest.raises(PermissionDeniedError):
            read.list_deputies(s, ACTORS["keyholder"])


def test_vacancies_and_by_elections(imported: Db) -> None:
    with imported.Session() as s:
        with pytest.raises(PermissionDeniedError):
            vacancy.vacate(s, DEP, "M-75-L03", reason="x", on=date(2024, 1, 1))
        with pytest.raises(InputError):
            vacancy.vacate(s, SEC, "M-75-L03", reason=" ", on=date(2024, 1, 1))
        with pytest.raises(InputError):
            vacancy.vacate(s, SEC, "M-75-L03", reason="resigned", on=date(2030, 1, 1))
        out = vacancy.vacate(s, SEC, "M-75-L03", reason="resigned", on=date(2024, 1, 10), now=NOW)
        # the woman leaves: b1 remains (not of the group) and no group member is left below (b2, b4 are men), so
        # the next name takes the seat and the quota is reported unmet
        assert out.successor is not None and out.successor.person_id == "b2"
        assert out.succession is not None and not out.succession.quota_met
        with pytest.raises(StateError):
            vacancy.vacate(s, SEC, "M-75-L03", reason="again", on=date(2024, 1, 11))
        nxt = vacancy.vacate(s, SEC, "M-75-L02", reason="died", on=date(2024, 3, 1), now=NOW)
        assert nxt.successor is not None and nxt.successor.person_id == "b4"
        last = vacancy.vacate(s, SEC, "M-75-L04", reason="resigned", on=date(2024, 4, 1), now=NOW)
        assert last.successor is None and last.succession is not None and last.succession.reason == "exhausted"
        with pytest.raises(StateError):  # the district is held
            vacancy.by_election(s, SEC, "M-75", "15", winner="X", party=PARTY, day=date(2024, 5, 1))
        vacancy.vacate(s, SEC, "M-75-D15", reason="appointed akim", on=date(2024, 2, 1), now=NOW)
        with pytest.raises(InputError):
            vacancy.by_election(s, SEC, "M-75", "99", winner="X", party=PARTY, day=date(2024, 5, 1))
        rival = vacancy.by_election(s, SEC, "M-75", "15", winner="Rival", party="Amanat", day=date(2024, 5, 1))
        assert rival is None
        f = read.faction(s, CENTRAL, "M-75")
        assert [d.id for d in f.deputies] == ["M-75-L01"] and len(f.former) == 4
        assert [d.kind for d in f.decisions][-2:] == ["vacancy", "by_election"]
        assert audit.verify(s).ok


def test_akims(deputies_db: Db) -> None:
    with deputies_db.Session() as s:
        a = akims.add_akim(s, SEC, "751110000", "Synthetic Akim", date(2022, 5, 1), now=NOW)
        with pytest.raises(StateError):
            akims.add_akim(s, SEC, "751110000", "Another", date(2023, 5, 1))
        with pytest.raises(PermissionDeniedError):
            akims.add_akim(s, OTHER, "751110000", "Another", date(2023, 5, 1))
        with pytest.raises(InputError):
            akims.add_akim(s, SEC, "75111", "Short code", date(2023, 5, 1))
        with pytest.raises(InputError):
            akims.end_akim(s, SEC, a.id, date(2020, 1, 1))
        akims.end_akim(s, SEC, a.id, date(2024, 1, 31), now=NOW)
        b = akims.add_akim(s, CENTRAL, "751110000", "Next Akim", date(2024, 2, 1), now=NOW)
        akims.add_akim(s, CENTRAL, "191610000", "Region Akim", date(2021, 1, 1), now=NOW)
        assert [r.name for r in akims.list_akims(s, SEC)] == ["Synthetic Akim", "Next Akim"]
        assert [r.name for r in akims.list_akims(s, OTHER)] == ["Region Akim"]
        assert [r.id for r in akims.list_akims(s, CENTRAL, territory="750000000", current=True)] == [b.id]
        with pytest.raises(NotFoundError):
            akims.end_akim(s, SEC, "nope", date(2024, 1, 1))


ACTIVITY = ("deputy,kind,date,attended,choice,answered_on,people,details\n"
            "M-75-L01,session,2023-04-10,yes,,,,first session\n"
            "M-75-L01,vote,2023-04-10,,for,,,budget\n"
            "M-75-L01,inquiry,2023-05-01,,,2023-05-20,,roads\n"
            "M-75-L03,inquiry,2023-05-02,,,,,water\n"
            "M-75-L03,reception,2023-06-01,,,,14,\n"
            "M-75-D15,report_to_voters,2023-12-01,,,,120,\n")


def test_activity_import(imported: Db) -> None:
    with imported.Session() as s:
        done = activity.import_activity(s, SEC, ACTIVITY.encode(), "ACTIVITY.csv", now=NOW)
        assert done.stored == 6 and done.per_kind == {"session": 1, "vote": 1, "inquiry": 2, "reception": 1,
                                                      "report_to_voters": 1}
        d = read.deputy_detail(s, DEP, "M-75-L01")
        assert (d.summary.sessions_attended, d.summary.votes_cast, d.summary.inquiries_answered) == (1, 1, 1)
        assert not d.may_manage and read.deputy_detail(s, SEC, "M-75-L01").may_manage
        wb = Workbook()
        ws = wb.active
        assert ws is not None
        ws.append(["Deputy", "Kind", "Date", "People"])
        ws.append(["M-75-L03", "reception", date(2023, 7, 1), 9])
        buf = io.BytesIO()
        wb.save(buf)
        assert activity.import_activity(s, SEC, buf.getvalue(), "ACTIVITY.xlsx").stored == 1


def test_activity_errors_are_all_or_nothing(imported: Db) -> None:
    bad = ("deputy,kind,date,attended,choice,answered_on,people\n"
           "M-75-L01,session,2023-04-10,maybe,,,\n"
           "nobody,vote,2023-04-10,,for,,\n"
           "M-75-L01,vote,2023-04-10,,yes,,\n"
           "M-75-L01,inquiry,2023-05-01,,,2023-04-01,\n"
           "M-75-L01,reception,2023-06-01,,,,many\n"
           "M-75-L01,speech,2023-06-01,,,,\n"
           "M-75-L01,session,2022-01-01,yes,,,\n"
           "M-75-L01,session,01.02.2024,yes,,,\n")
    with imported.Session() as s:
        with pytest.raises(ImportRejectedError) as err:
            activity.import_activity(s, SEC, bad.encode(), "ACTIVITY.csv")
        assert [(e.row, e.column) for e in err.value.errors] == [
            (2, "attended"), (3, "deputy"), (4, "choice"), (5, "answered_on"), (6, "people"), (7, "kind"),
            (8, "date"), (9, "date")]
        with pytest.raises(ImportRejectedError) as other:  # another territory's deputy, row by row
            activity.import_activity(s, OTHER, ACTIVITY.encode(), "ACTIVITY.csv")
        assert {e.column for e in other.value.errors} == {"deputy"}
        with pytest.raises(InputError) as header:
            activity.import_activity(s, SEC, b"deputy,kind\nM-75-L01,session\n", "ACTIVITY.csv")
        assert (header.value.row, header.value.column) == (1, "date")
        with pytest.raises(PermissionDeniedError):
            activity.import_activity(s, DEP, ACTIVITY.encode(), "ACTIVITY.csv")
        assert s.scalars(select(DeputyActivity)).first() is None


def test_a_deputys_page_lists_the_appeals_routed_to_them(imported: Db) -> None:
    from datetime import UTC, datetime

    from tandau.store.appeals_models import Appeal

    moment = datetime(2026, 3, 2, 6, 0, tzinfo=UTC)
    with imported.Session() as s:
        deputy = s.get(DeputyRow, "M-75-D15")
        assert deputy is not None
        common = {"channel": "office", "received_at": moment, "received_on": moment.date(), "kato": "751110000",
                  "lang": "ru", "text": "Нет света на улице", "status": "in_progress", "due_on": date(2026, 3, 23),
                  "updated_at": moment, "theme": "roads"}
        s.add_all([Appeal(id="a-1", route_kind="deputy", route_to=deputy.person_id, handler=None, **common),
                   Appeal(id="a-2", route_kind="branch", route_to="750000000", handler="M-75-D15", **common),
                   Appeal(id="a-3", route_kind="deputy", route_to="someone-else", handler=None, **common)])
        s.commit()
        owned = read.deputy_detail(s, CENTRAL, "M-75-D15").owned
        assert [i for i, _ in owned.appeals] == ["a-1", "a-2"] and owned.appeals[0][1] == "roads"
