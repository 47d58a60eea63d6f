"""Fixtures for control cases: a database with staff only (no roll, no contests), on SQLite and PostgreSQL.

Staff: ``central``; ``sec-almaty`` (secretary of Almaty city, KATO 750000000); ``ctl-almaty`` and ``ctl-region``
(control-commission members of Almaty city and of Almaty region, 190000000); ``observer``; ``keyholder`` (a
staff role with no right on cases). ``app`` and ``client`` are the web app on that database.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from fastapi import FastAPI

from tandau.services.primaries import auth
from tandau.services.primaries.access import Actor, Grant, Role
from tests.integration.primaries.conftest import CENTRAL, Db, empty_database
from tests.integration.web.conftest import WebClient, make_app

CITY, REGION = "750000000", "190000000"
NOW = datetime(2026, 4, 1, 6, 0, tzinfo=UTC)
STAFF = {"central": (Role.CENTRAL, None), "sec-almaty": (Role.SECRETARY, CITY), "ctl-almaty": (Role.CONTROL, CITY),
         "ctl-region": (Role.CONTROL, REGION), "observer": (Role.OBSERVER, None), "keyholder": (Role.KEYHOLDER, None)}
ACTORS = {subject: Actor(subject, (Grant(role, kato),)) for subject, (role, kato) in STAFF.items()}


@pytest.fixture(params=["sqlite", "postgresql"])
def cases_db(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Db]:
    for db in empty_database(str(request.param), tmp_path):
        with db.Session() as s:
            for subject, (role, kato) in STAFF.items():
                auth.grant_role(s, CENTRAL, subject, role, kato)
        yield db


@pytest.fixture
def app(cases_db: Db, tmp_path: Path) -> Iterator[FastAPI]:

    application = make_app(cases_db, tmp_path)
    yield application
    application.state.engine.dispose()


@pytest.fixture
def client(app: FastAPI) -> Iterator[WebClient]:
    with WebClient(app, base_url="http://testserver", headers={"Accept-Language": "en"}) as c:
        yield c
