"""The congress report's world: the session's small demo (tests/conftest.py: Abai Region and the Majilis, deputies,
appeals and awards included), shared with the browser tests rather than built again for this package."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy.orm import Session, sessionmaker

from tandau.store import make_engine, session_factory
from tests.conftest import SmallDemo


@dataclass
class World:
    db: Path
    work: Path
    Session: sessionmaker[Session]


@pytest.fixture(scope="package")
def world(small_demo: SmallDemo) -> World:
    engine = make_engine(f"sqlite:///{small_demo.db}")
    return World(small_demo.db, small_demo.work, session_factory(engine))
