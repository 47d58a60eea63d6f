"""Fixtures for scorecards and awards: a database with staff and a small world whose figures are worked out by
hand in the tests (docs/scorecards.md has the same worked example).

Staff: ``central``; ``sec-almaty`` (secretary of Almaty city, 750000000); ``sec-region`` (secretary of Almaty
region, 190000000); ``dep-almaty`` (a deputy of Almaty city); ``observer``; ``keyholder`` (no right here).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from fastapi import FastAPI
from sqlalchemy.orm import Session

from tandau.services.primaries import auth
from tandau.services.primaries.access import Actor, Grant, Role
from tandau.store.appeals_models import Appeal
from tandau.store.control_models import ControlCase
from tandau.store.deputies_models import Akim, DeputyActivity, DeputyCouncil, DeputyRow
from tandau.store.models import Member
from tests.integration.primaries.conftest import CENTRAL, Db, empty_database
from tests.integration.web.conftest import WebClient, make_app

CITY, REGION = "750000000", "190000000"
AS_OF = date(2026, 3, 31)  # the period: 2025-04-01 .. 2026-03-31
MOMENT = datetime(2026, 3, 1, tzinfo=UTC)
STAFF = {"central": (Role.CENTRAL, None), "sec-almaty": (Role.SECRETARY, CITY), "sec-region": (Role.SECRETARY, REGION),
         "dep-almaty": (Role.DEPUTY, CITY), "observer": (Role.OBSERVER, None), "keyholder": (Role.KEYHOLDER, None)}
ACTORS = {subject: Actor(subject, (Grant(role, kato),)) for subject, (role, kato) in STAFF.items()}
TERM = (date(2023, 3, 19), date(2028, 3, 18))


def _council(s: Session, ident: str, kato: str) -> None:
    s.add(DeputyCouncil(council_id=ident, kato=kato, name=f"Council {ident}", system="kz-2023", party="P",
                        election_day=TERM[0], term_end=TERM[1], seats=2, list_seats=1, party_list_seats=1,
                        mandate_rule="kz-law-2022", votes="[]", other_valid_votes=0, party_list="[]",
                        list_source="none", imported_at=MOMENT, imported_by="central"))
    s.flush()


def _deputy(s: Session, ident: str, council: str, kato: str, person: str) -> None:
    s.add(DeputyRow(id=ident, council_id=council, kato=kato, person_id=person, name=f"Deputy {ident}", sex="F",
                    birth_date=None, mandate="list", district_id="", position=1, term_start=TERM[0],
                    term_end=TERM[1], status="active", created_at=MOMENT))
    s.flush()


def _act(s: Session, deputy: str, kind: str, n: int, *, attended: bool | None = None,
         answered: bool = False) -> None:
    for k in range(n):
        s.add(DeputyActivity(deputy_id=deputy, kind=kind, day=date(2025, 6, 1) + timedelta(days=k),
                             attended=attended, answered_on=date(2025, 7, 1) if answered else None,
                             people=5 if kind == "reception" else None, imported_at=MOMENT, imported_by="central"))


def _appeal(s: Session, ident: str, kato: str, *, kind: str | None, to: str | None, answered: date | None,
            rating: int | None = None) -> None:
    s.add(Appeal(id=ident, channel="office", received_at=MOMENT, received_on=date(2025, 10, 1), kato=kato, lang="ru",
                 text="Отремонтируйте дорогу", status="answered" if answered else "in_progress",
                 due_on=date(2025, 10, 22), route_kind=kind, route_to=to, handler=to if kind == "deputy" else None,
                 answered_on=answered, satisfaction=rating, escalated=False, synthetic=False, updated_at=MOMENT))


def _case(s: Session, ident: str, kato: str, owner_kind: str, owner: str, status: str) -> None:
    s.add(ControlCase(id=ident, title="t", kato=kato, source="signal", owner_kind=owner_kind, owner=owner,
                      status=status, opened_at=datetime(2025, 9, 1, tzinfo=UTC), opened_by="central",
                      updated_at=MOMENT))


def seed(s: Session) -> None:
    """The hand-worked world (see test_scorecards_formula.py for the sums)."""
    _council(s, "M-75", CITY)
    _council(s, "M-19", REGION)
    _deputy(s, "M-75-L01", "M-75", CITY, "p1")
    _deputy(s, "M-75-L02", "M-75", CITY, "p2")
    _deputy(s, "M-19-L01", "M-19", REGION, "p9")
    # M-75-L01: 8 sessions (6 attended), 2 inquiries (1 answered), 3 receptions
    _act(s, "M-75-L01", "session", 6, attended=True)
    _act(s, "M-75-L01", "session", 2, attended=False)
    _act(s, "M-75-L01", "inquiry", 1, answered=True)
    _act(s, "M-75-L01", "inquiry", 1)
    _act(s, "M-75-L01", "reception", 3)
    # M-75-L02: 3 sessions, all attended
    _act(s, "M-75-L02", "session", 3, attended=True)
    # appeals routed to p1: 4 answered (3 on time), 1 open; ratings 5 and 4
    on_time, late = date(2025, 10, 20), date(2025, 11, 5)
    for k, (answered, rating) in enumerate([(on_time, 5), (on_time, 4), (on_time, None), (late, None), (None, None)]):
        _appeal(s, f"a-dep-{k}", "751110000", kind="deputy", to="p1", answered=answered, rating=rating)
    # appeals routed to the branch of Almaty city: 2 answered on time
    for k in range(2):
        _appeal(s, f"a-br-{k}", "751110000", kind="branch", to="751110000", answered=on_time)
    # an appeal sent on to a state body of 751110000, answered late
    _appeal(s, "a-state", "751110000", kind="state_body", to="akimat", answered=late)
    # cases: two owned by M-75-L01 (one resolved), one by the city's commission (open)
    _case(s, "c1", CITY, "deputy", "M-75-L01", "resolved")
    _case(s, "c2", CITY, "deputy", "M-75-L01", "inquiry_sent")
    _case(s, "c3", "751110000", "commission", "commission", "open")
    s.add(Akim(id="akim-1", kato="751110000", person_id="", name="Akim of a district", appointed_at=date(2024, 1, 1),
               left_at=None, created_at=MOMENT, created_by="central"))
    s.add(Member(id="m1", name="Әлия Қанатқызы", sex="F", birth_date=date(1990, 5, 1), kato="751110000",
                 contact=None, status="active"))
    s.add(Member(id="m2", name="Serik Bolatov", sex="M", birth_date=date(1985, 5, 1), kato="191010000",
                 contact=None, status="active"))
    s.add(Member(id="m3", name="Suspended One", sex="M", birth_date=date(1985, 5, 1), kato="751110000",
                 contact=None, status="suspended"))
    s.commit()


def seeded(tmp_path: Path) -> Iterator[Db]:
    """A database with the staff and the hand-worked world (:func:`seed`)."""
    for database in empty_database("sqlite", tmp_path):
        with database.Session() as s:
            for subject, (role, kato) in STAFF.items():
                auth.grant_role(s, CENTRAL, subject, role, kato)
            seed(s)
        yield database


@pytest.fixture
def db(tmp_path: Path) -> Iterator[Db]:
    yield from seeded(tmp_path)


@pytest.fixture
def app(db: Db, tmp_path: Path) -> Iterator[FastAPI]:
    application = make_app(db, tmp_path)
    yield application
    application.state.engine.dispose()


@pytest.fixture
def client(app: FastAPI) -> Iterator[WebClient]:
    with WebClient(app, base_url="http://testserver", headers={"Accept-Language": "en"}) as c:
        yield c


@pytest.fixture(scope="module")
def reader(tmp_path_factory: pytest.TempPathFactory) -> Iterator[WebClient]:
    """A client of one app on the hand-worked world for the tests of a module that only read it: each web app
    costs a quarter of a second to route its first request."""
    tmp_path = tmp_path_factory.mktemp("scorecards-read")
    for database in seeded(tmp_path):
        application = make_app(database, tmp_path)
        with WebClient(application, base_url="http://testserver", headers={"Accept-Language": "en"}) as c:
            yield c
        application.state.engine.dispose()
