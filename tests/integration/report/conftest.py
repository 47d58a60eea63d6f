"""A small demo world for the congress report: Abai Region and the Majilis (tests/integration/workspace's approach:
``prepare_demo(only_region=...)``), with the deputies' demo and three appeals added, built once per package."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from sqlalchemy.orm import Session, sessionmaker

from tandau.services.demo import prepare_demo
from tandau.services.primaries.access import Actor
from tandau.store import make_engine, session_factory

SEED = 2021


@dataclass
class World:
    db: Path
    work: Path
    Session: sessionmaker[Session]


def _appeals(session: Session) -> None:
    """Three appeals in Abai Region: one answered on time and rated 4, one answered late and rated 2, one open."""
    from tandau.store.appeals_models import Appeal

    now = datetime(2024, 3, 1, 9, tzinfo=UTC)
    rows = [("A1", date(2024, 3, 20), date(2024, 3, 10), 4), ("A2", date(2024, 3, 20), date(2024, 3, 25), 2),
            ("A3", date(2024, 3, 20), None, None)]
    for ident, due, answered, rating in rows:
        session.add(Appeal(id=ident, channel="office", received_at=now, received_on=now.date(), kato="101010000",
                           lang="kk", text="Жол жөндеу туралы", status="closed" if answered else "registered",
                           due_on=due, answered_on=answered, satisfaction=rating, updated_at=now, synthetic=True))
    session.commit()


@pytest.fixture(scope="package")
def world(tmp_path_factory: pytest.TempPathFactory) -> World:
    from tandau.services.deputies.demo import prepare_deputies

    work = tmp_path_factory.mktemp("report-demo")
    prepare_demo(work / "demo.db", work, scale=0.004, seed=SEED, voters=60, only_region="10", system="kz-2023")
    engine = make_engine(f"sqlite:///{work / 'demo.db'}")
    make = session_factory(engine)
    with make() as session:
        prepare_deputies(session, Actor.central("central"), work, seed=SEED, now=datetime.now(UTC))
        session.commit()
        _appeals(session)
    return World(work / "demo.db", work, make)
