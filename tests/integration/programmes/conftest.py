"""Fixtures for election programmes: a database with staff only, on SQLite and PostgreSQL, and a cycle whose
councils were elected on 19 March 2023 (term 2023-03-20 .. 2028-03-19, for C04).

Staff: ``central``; ``sec-north`` (secretary of North Kazakhstan Region, 590000000); ``sec-almaty`` (Almaty city,
750000000); ``observer``; ``keyholder`` (a staff role with no right on programmes). :func:`clean_records` is the
clean vector programme of North Kazakhstan Region (council M-59); ``app``/``client`` the web app on that database.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI

from tandau.io.programme_csv import read_programme
from tandau.services.primaries import auth
from tandau.services.primaries.access import Actor, Grant, Role
from tandau.services.programmes.records import record_of
from tandau.store.models import Cycle
from tests.integration.primaries.conftest import CENTRAL, Db, empty_database
from tests.integration.web.conftest import WebClient, make_app

VECTORS = Path(__file__).resolve().parents[2] / "vectors" / "programmes"
NORTH, CITY = "590000000", "750000000"
CYCLE = "2023"
NOW = datetime(2026, 4, 1, 6, 0, tzinfo=UTC)
STAFF = {"central": (Role.CENTRAL, None), "sec-north": (Role.SECRETARY, NORTH), "sec-almaty": (Role.SECRETARY, CITY),
         "observer": (Role.OBSERVER, None), "keyholder": (Role.KEYHOLDER, None)}
ACTORS = {subject: Actor(subject, (Grant(role, kato),)) for subject, (role, kato) in STAFF.items()}


def clean_records() -> list[dict[str, Any]]:
    return [record_of(c) for c in read_programme(VECTORS / "clean.csv").commitments]


@pytest.fixture(params=["sqlite", "postgresql"])
def pdb(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Db]:
    for db in empty_database(str(request.param), tmp_path):
        with db.Session() as s:
            for subject, (role, kato) in STAFF.items():
                auth.grant_role(s, CENTRAL, subject, role, kato)
            s.add(Cycle(id=CYCLE, name="Maslikhat elections 2023", election_date=date(2023, 3, 19),
                        system="kz-2023"))
            s.commit()
        yield db


@pytest.fixture
def app(pdb: Db, tmp_path: Path) -> Iterator[FastAPI]:
    application = make_app(pdb, tmp_path)
    yield application
    application.state.engine.dispose()


@pytest.fixture
def client(app: FastAPI) -> Iterator[WebClient]:
    with WebClient(app, base_url="http://testserver", headers={"Accept-Language": "en"}) as c:
        yield c
