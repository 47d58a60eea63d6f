"""Fixtures for deputies: a database with staff only, on SQLite and PostgreSQL, and Almaty city's 2023 result
(official list votes; the lists and district winners synthetic) imported for a party.

Staff: ``central``; ``sec-almaty`` (secretary of Almaty city, 750000000); ``sec-region`` (secretary of Almaty
region, 190000000); ``dep-almaty`` (a deputy of Almaty city); ``observer``; ``keyholder`` (no right on deputies).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from tandau.services.deputies import results
from tandau.services.primaries import auth
from tandau.services.primaries.access import Actor, Grant, Role
from tests.integration.primaries.conftest import CENTRAL, Db, empty_database
from tests.integration.web.conftest import WebClient, make_app

CITY, REGION = "750000000", "190000000"
NOW = datetime(2026, 4, 1, 6, 0, tzinfo=UTC)
DAY = date(2023, 3, 19)
PARTY = "Baytaq"
STAFF = {"central": (Role.CENTRAL, None), "sec-almaty": (Role.SECRETARY, CITY), "sec-region": (Role.SECRETARY, REGION),
         "dep-almaty": (Role.DEPUTY, CITY), "observer": (Role.OBSERVER, None), "keyholder": (Role.KEYHOLDER, None)}
ACTORS = {subject: Actor(subject, (Grant(role, kato),)) for subject, (role, kato) in STAFF.items()}

# Almaty city 2023: the city commission's list votes (tests/vectors/seats/mixed); 21 districts, synthetic winners
VOTES = {"Amanat": 151531, "Respublica": 38369, "People's Party of Kazakhstan": 38563, "Baytaq": 23266,
         "Ak Zhol": 15273, "Auyl": 8264}
WINNERS = ["Amanat"] * 12 + ["Respublica"] * 2 + ["Baytaq", "Ak Zhol"] + [""] * 5
LIST = b"id,name,sex,birth_date\nb1,Synthetic One,M,1970-01-01\nb2,Synthetic Two,M,1971-01-01\n" \
       b"b3,Synthetic Three,F,1980-01-01\nb4,Synthetic Four,M,1990-01-01\n"


def results_csv() -> bytes:
    lines = ["kind,party,votes,district,winner,id,sex"] + [f"list,{p},{v},,,," for p, v in VOTES.items()]
    lines.append("against_all,,16490,,,,")
    lines += [f"district,{p},,{k},District winner {k},w{k},M" for k, p in enumerate(WINNERS, start=1)]
    return ("\n".join(lines) + "\n").encode()


def _staffed(backend: str, tmp_path: Path) -> Iterator[Db]:
    for db in empty_database(backend, tmp_path):
        with db.Session() as s:
            for subject, (role, kato) in STAFF.items():
                auth.grant_role(s, CENTRAL, subject, role, kato)
        yield db


def _import_city(db: Db) -> Db:
    with db.Session() as s:
        results.import_results(s, ACTORS["central"], "M-75", results_csv(), "RESULTS.csv", party=PARTY,
                               election_day=DAY, party_list=results.read_list(LIST, "LIST.csv"), now=NOW)
    return db


def _client(db: Db, tmp_path: Path) -> Iterator[WebClient]:
    application = make_app(db, tmp_path)
    with WebClient(application, base_url="http://testserver", headers={"Accept-Language": "en"}) as c:
        yield c
    application.state.engine.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def deputies_db(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Db]:
    yield from _staffed(str(request.param), tmp_path)


@pytest.fixture
def imported(deputies_db: Db) -> Db:
    return _import_city(deputies_db)


@pytest.fixture
def client(imported: Db, tmp_path: Path) -> Iterator[WebClient]:
    yield from _client(imported, tmp_path)


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def reader(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[WebClient]:
    """A client of one app on the imported city for the tests of a module that only read (a refused request
    included): each web app costs a quarter of a second to route its first request."""
    tmp_path = tmp_path_factory.mktemp("deputies-read")
    for db in _staffed(str(request.param), tmp_path):
        yield from _client(_import_city(db), tmp_path)
