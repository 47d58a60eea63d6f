"""The congress report's figures, recomputed here with our own SQL on the demo database (sqlite3, not the ORM)."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from datetime import UTC, date, datetime

import pytest

from tandau.core.report import CongressReport
from tandau.services.primaries.access import Actor, Grant, Role
from tandau.services.primaries.errors import PermissionDeniedError
from tandau.services.report import congress_report
from tandau.web.i18n import catalogue

from .conftest import World


@pytest.fixture(scope="module")
def report(world: World) -> CongressReport:
    with world.Session() as session:
        return congress_report(session, Actor.central(), today=date(2025, 1, 1))


@pytest.fixture(scope="module")
def sql(world: World) -> Iterator[sqlite3.Connection]:
    con = sqlite3.connect(world.db)
    yield con
    con.close()


def one(con: sqlite3.Connection, query: str, *args: object) -> int:
    return int(con.execute(query, args).fetchone()[0] or 0)


def under_35(born: str, day: date) -> bool:
    b = date.fromisoformat(born)
    return day.year - b.year - ((day.month, day.day) < (b.month, b.day)) < 35


def test_the_latest_cycle_is_the_published_one_not_the_practice_cycle(report: CongressReport) -> None:
    assert report.cycle_id == "kz-2023" and report.election_date == "2023-03-19"


def test_primaries_figures_recomputed(report: CongressReport, sql: sqlite3.Connection) -> None:
    cyc = "(SELECT id FROM contests WHERE cycle_id = 'kz-2023')"
    expect = {
        "primaries.members": one(sql, "SELECT count(*) FROM members WHERE status = 'active'"),
        "primaries.voters": one(sql, f"SELECT count(DISTINCT member_id) FROM participation WHERE contest_id IN {cyc}"),
        "primaries.ballots_cast": one(sql, f"SELECT sum(casts) FROM participation WHERE contest_id IN {cyc}"),
        "primaries.ballots_counted": one(sql, f"SELECT count(*) FROM ballots WHERE contest_id IN {cyc}"),
        "primaries.published": one(sql, "SELECT count(*) FROM contests WHERE cycle_id = 'kz-2023' "
                                        "AND status = 'published'"),
        "10/primaries.members": one(sql, "SELECT count(*) FROM members WHERE status = 'active' AND kato LIKE '10%'"),
        "10/primaries.voters": one(sql, "SELECT count(DISTINCT p.member_id) FROM participation p JOIN members m "
                                        f"ON m.id = p.member_id WHERE m.kato LIKE '10%' AND p.contest_id IN {cyc}"),
    }
    for key, value in expect.items():
        assert report.figure(key).value == value, key
    assert expect["primaries.voters"] > 0 and expect["primaries.ballots_cast"] >= expect["primaries.voters"]
    people = sql.execute("SELECT DISTINCT m.id, m.sex, m.birth_date FROM nominations n JOIN members m "
                         f"ON m.id = n.member_id WHERE n.status = 'registered' AND n.contest_id IN {cyc}").fetchall()
    assert report.figure("primaries.candidates").value == len(people)
    women = sum(sex == "F" for _, sex, _ in people) / len(people)
    young = sum(under_35(b, date(2023, 3, 19)) for _, _, b in people) / len(people)
    assert report.figure("primaries.candidates_women").value == pytest.approx(women)
    assert report.figure("primaries.candidates_young").value == pytest.approx(young)
    turnout = report.figure("primaries.turnout").value
    assert turnout == pytest.approx(expect["primaries.voters"] / expect["primaries.members"])


def test_lists_seats_programmes_control_deputies_appeals_recomputed(report: CongressReport,
                                                                     sql: sqlite3.Connection) -> None:
    import json

    entries = [e for (result,) in sql.execute("SELECT result FROM workspace_lists w JOIN contests c "
                                              "ON c.id = w.contest_id WHERE c.cycle_id = 'kz-2023'")
               for e in json.loads(result)["entries"]]
    assert report.figure("lists.places").value == len(entries) > 0
    assert report.figure("lists.women").value == pytest.approx(sum(e["sex"] == "F" for e in entries) / len(entries))
    elected = one(sql, "SELECT count(*) FROM deputies d JOIN deputy_councils c ON c.council_id = d.council_id "
                       "WHERE c.election_day = '2023-03-19' AND d.succeeds IS NULL")
    assert report.figure("seats.elected").value == elected > 0
    assert any("deputies' tables" in n for s in report.sections if s.id == "seats" for n in s.notes)
    assert report.figure("deputies.active").value == one(sql, "SELECT count(*) FROM deputies WHERE status = 'active'")
    assert report.figure("programmes.programmes").value == one(
        sql, "SELECT count(*) FROM programmes WHERE cycle_id = 'kz-2023'")
    assert report.figure("proposals.answered").value == one(sql, "SELECT count(*) FROM proposals "
                                                                 "WHERE status = 'answered'")
    assert report.figure("proposals.linked").value == one(sql, "SELECT count(DISTINCT proposal_id) "
                                                               "FROM proposal_links") > 0
    assert report.figure("10/proposals.received").value == one(sql, "SELECT count(*) FROM proposals "
                                                                    "WHERE kato LIKE '10%'")
    assert report.figure("control.cases_opened").value == one(sql, "SELECT count(*) FROM control_cases")
    assert report.figure("control.series").value == one(
        sql, "SELECT count(*) FROM (SELECT DISTINCT programme, indicator, region FROM control_targets)")
    received, answered, on_time, mean = sql.execute(
        "SELECT count(*), count(answered_on), sum(answered_on <= due_on), avg(satisfaction) FROM appeals").fetchone()
    assert report.figure("appeals.received").value == received > 0
    assert report.figure("appeals.answered").value == answered > 0
    assert report.figure("appeals.on_time").value == pytest.approx(on_time / answered)
    assert report.figure("appeals.satisfaction").value == pytest.approx(mean)
    assert report.figure("10/appeals.received").value == one(sql, "SELECT count(*) FROM appeals "
                                                                   "WHERE kato LIKE '10%'")


def test_every_region_has_an_annex_and_awards_are_recomputed(report: CongressReport, sql: sqlite3.Connection) -> None:
    assert [a.region for a in report.annexes][:1] == ["10"] and len(report.annexes) == 20
    assert report.figure("awards.nominations").value == one(sql, "SELECT count(*) FROM award_nominations") > 0
    assert report.figure("awards.approved").value == one(sql, "SELECT count(*) FROM award_nominations "
                                                              "WHERE status = 'approved'")
    keys = [f.key for f in report.figures()]
    assert len(keys) == len(set(keys))


def test_a_secretary_reads_their_regions_annex_only(world: World) -> None:
    secretary = Actor("s", (Grant(Role.SECRETARY, "100000000"),))
    with world.Session() as session:
        annex = congress_report(session, secretary, region="10")
        assert not annex.sections and [a.region for a in annex.annexes] == ["10"]
        with pytest.raises(PermissionDeniedError):
            congress_report(session, secretary)
        with pytest.raises(PermissionDeniedError):
            congress_report(session, secretary, region="11")
        with pytest.raises(PermissionDeniedError):
            congress_report(session, Actor("m", (Grant(Role.MEMBER, "100000000"),)), region="10")


def test_every_text_of_the_report_is_translated(report: CongressReport) -> None:
    texts = {f.label for f in report.figures()} | {f.counts for f in report.figures()}
    for s in [*report.sections, *(s for a in report.annexes for s in a.sections)]:
        texts |= set(s.notes) | {t.title for t in s.tables} | {h for t in s.tables for h in t.header}
        texts |= {c.title for c in s.charts} | {b for c in s.charts if c.first == "text" for b, _ in c.bars}
    texts.add("No deputies recorded for this cycle: seats are projected from the lists (the first places of each "
              "list, as many as its council's seats).")
    texts.add("the first places of each formed list, up to its council's seats")
    for lang in ("kk", "ru"):
        table = catalogue(lang)
        assert not sorted(t for t in texts if not table.get(t)), lang


def test_an_empty_database_says_what_is_not_recorded_then_awards_are_counted(tmp_path: object) -> None:
    from pathlib import Path

    from tandau.io.report_pdf import congress_pdf
    from tandau.store import make_engine, session_factory
    from tandau.store.awards_models import AwardNomination
    from tandau.store.migrate import upgrade
    from tandau.store.models import Cycle

    engine = make_engine(f"sqlite:///{Path(str(tmp_path)) / 'empty.db'}")
    upgrade(engine)
    with session_factory(engine)() as session:
        session.add(Cycle(id="c1", name="Cycle one", election_date=date(2026, 3, 15), system="kz-2023"))
        session.commit()
        report = congress_report(session, Actor.central())
        moment = datetime(2026, 5, 1, tzinfo=UTC)
        for ident, kato, status in (("n1", "750000000", "approved"), ("n2", "751110000", "nominated"),
                                    ("n3", "190000000", "rejected")):
            session.add(AwardNomination(id=ident, member_id=ident, member_name="A", award="letter-of-thanks",
                                        branch_kato=kato, activity="x", status=status, nominated_by="s",
                                        nominated_at=moment))
        session.commit()
        awarded = congress_report(session, Actor.central())
    engine.dispose()
    assert [awarded.figure(k).value for k in ("awards.nominations", "awards.approved", "awards.rejected",
                                                "awards.pending", "75/awards.nominations")] == [3, 1, 1, 1, 2]
    awards = next(s for s in awarded.sections if s.id == "awards")
    assert awards.tables[0].rows == (("letter-of-thanks", 3, 1),) and awards.tables[0].first == "award"
    notes = {s.id: s.notes for s in report.sections}
    assert report.figure("primaries.members").value == 0 and report.figure("primaries.turnout").value is None
    assert notes["lists"] == ("No list of this cycle is stored in the workspace.",)
    assert "projected from the lists" in notes["seats"][0]
    assert notes["control"] == ("No control data recorded.",) and notes["appeals"] == ("No appeals recorded.",)
    assert notes["deputies"] == ("No deputies recorded.",) and not report.annexes
    assert notes["awards"] == ("No awards recorded.",)
    assert congress_pdf(report, "en").startswith(b"%PDF")


def test_national_sections_tabulate_their_figures_by_region(report: CongressReport, sql: sqlite3.Connection) -> None:
    appeals = next(s for s in report.sections if s.id == "appeals")
    table = next(t for t in appeals.tables if t.title == "By region")
    row = next(r for r in table.rows if r[0] == "10")
    assert row[1] == one(sql, "SELECT count(*) FROM appeals WHERE kato LIKE '10%'")
    satisfaction = table.header.index("Mean satisfaction (1-5)")
    assert row[satisfaction] == report.figure("10/appeals.satisfaction").value
    assert satisfaction in table.means and satisfaction not in table.share_columns()
    assert table.header.index("Answered on time") in table.share_columns()
    deputies = next(s for s in report.sections if s.id == "deputies")
    assert any(c.first == "region" for c in deputies.charts)
