"""Fixtures for proposals: a database with staff only, on SQLite and PostgreSQL, the web app on it, and a
deterministic stand-in for the theme model (the classifier is tested on its own; here its answers are fixed).

Staff: ``central``; ``sec-almaty`` (secretary of Almaty city, 750000000); ``mod-almaty`` and ``mod-region``
(moderators of Almaty city and of Almaty region, 190000000); ``observer``; ``keyholder`` (no right on proposals).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from fastapi import FastAPI

from tandau.core.programmes.model import Commitment
from tandau.services.primaries import auth
from tandau.services.primaries.access import Actor, Grant, Role
from tandau.services.programmes import workflow
from tandau.services.programmes.records import council_owner, record_of
from tandau.services.proposals import themes
from tests.integration.primaries.conftest import CENTRAL, Db, empty_database
from tests.integration.web.conftest import SECRET, WebClient, make_app

CITY, REGION = "750000000", "190000000"
DISTRICT = "751210000"  # Alatau district of Almaty city
STAFF = {"central": (Role.CENTRAL, None), "sec-almaty": (Role.SECRETARY, CITY), "mod-almaty": (Role.MODERATOR, CITY),
         "mod-region": (Role.MODERATOR, REGION), "observer": (Role.OBSERVER, None), "keyholder": (Role.KEYHOLDER, None)}
ACTORS = {subject: Actor(subject, (Grant(role, kato),)) for subject, (role, kato) in STAFF.items()}


@dataclass(frozen=True)
class FakePrediction:
    theme: str
    confidence: float


class FakeModel:
    """Roads for a text about a road, schools for one about a school, else other."""

    def predict(self, texts: Sequence[str]) -> list[FakePrediction]:
        out = []
        for text in texts:
            low = text.lower()
            theme = "roads" if ("дорог" in low or "жол" in low) else "education" if (
                "школ" in low or "мектеп" in low) else "other"
            out.append(FakePrediction(theme, 0.87 if theme != "other" else 0.41))
        return out


@pytest.fixture(autouse=True)
def fake_model(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(themes, "_model", lambda: FakeModel())


COMMITMENTS = ("75-roads-01", "75-roads-02", "75-sport-03", "75-sport-04")
PROGRAMME = "M-75-2023"


@pytest.fixture(params=["sqlite", "postgresql"])
def proposals_db(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Db]:
    for db in empty_database(str(request.param), tmp_path):
        with db.Session() as s:
            for subject, (role, kato) in STAFF.items():
                auth.grant_role(s, CENTRAL, subject, role, kato)
            # Almaty city's programme: the commitments proposals are answered by (PROGRAMME/COMMITMENT)
            records = [record_of(Commitment(c, "750000000", "roads" if "roads" in c else "culture_sport", "",
                                            f"Обязательство {c}", "km_repaired", "km", Decimal(10), 2022,
                                            Decimal(20), date(2027, 12, 31), responsible="акимат"))
                       for c in COMMITMENTS]
            workflow.create(s, CENTRAL, council_owner("M-75"), "2023", records)
        yield db


@pytest.fixture
def app(proposals_db: Db, tmp_path: Path) -> Iterator[FastAPI]:
    application = make_app(proposals_db, tmp_path)
    yield application
    application.state.engine.dispose()


@pytest.fixture
def client(app: FastAPI) -> Iterator[WebClient]:
    with WebClient(app, base_url="http://testserver", headers={"Accept-Language": "en"}) as c:
        c.login(None)
        yield c


KEY = SECRET
