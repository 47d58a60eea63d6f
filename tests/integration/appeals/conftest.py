"""Fixtures for appeals: a database with staff only, on SQLite and PostgreSQL, the web app on it, the proposals'
deterministic stand-in for the theme model, and a fixed clock (Monday 2 March 2026, 09:00 in Almaty).

Staff: ``central``; ``sec-almaty`` (secretary of Almaty city, 750000000); ``sec-region`` (secretary of Almaty
region, 190000000); ``handler-a`` and ``handler-b`` (appeal handlers of Almaty city); ``deputy-1`` (a deputy of
Almaty city); ``observer``; ``keyholder`` (no right on appeals).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from fastapi import FastAPI

from tandau.services.appeals.intake import Keys
from tandau.services.primaries.access import Actor, Grant, Role
from tandau.services.proposals import themes
from tandau.store.models import RoleGrant
from tests.integration.primaries.conftest import Db, empty_database
from tests.integration.proposals.conftest import FakeModel
from tests.integration.web.conftest import SECRET, WebClient, make_app

CITY, REGION = "750000000", "190000000"
DISTRICT = "751210000"  # Alatau district of Almaty city
NOW = datetime(2026, 3, 2, 4, 0, tzinfo=UTC)  # Monday 2 March 2026, 09:00 in Almaty
STAFF = {"central": (Role.CENTRAL, None), "sec-almaty": (Role.SECRETARY, CITY), "sec-region": (Role.SECRETARY, REGION),
         "handler-a": (Role.APPEAL_HANDLER, CITY), "handler-b": (Role.APPEAL_HANDLER, CITY),
         "deputy-1": (Role.DEPUTY, CITY), "observer": (Role.OBSERVER, None), "keyholder": (Role.KEYHOLDER, None)}
ACTORS = {subject: Actor(subject, (Grant(role, kato),)) for subject, (role, kato) in STAFF.items()}
KEYS = Keys.of(SECRET)


@pytest.fixture(autouse=True)
def fake_model(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(themes, "_model", lambda: FakeModel())


@pytest.fixture(params=["sqlite", "postgresql"])
def appeals_db(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Db]:
    for db in empty_database(str(request.param), tmp_path):
        with db.Session() as s:
            for subject, (role, kato) in STAFF.items():
                s.add(RoleGrant(subject_id=subject, role=role.value, kato=kato))
            s.commit()
        yield db


@pytest.fixture
def app(appeals_db: Db, tmp_path: Path) -> Iterator[FastAPI]:
    application = make_app(appeals_db, tmp_path)
    yield application
    application.state.engine.dispose()


@pytest.fixture
def client(app: FastAPI) -> Iterator[WebClient]:
    with WebClient(app, base_url="http://testserver", headers={"Accept-Language": "en"}) as c:
        c.login(None)
        yield c
