"""A small demo world for the congress report: Abai Region and the Majilis (tests/integration/workspace's approach:
``prepare_demo(only_region=...)``, deputies and appeals included), built once per package."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy.orm import Session, sessionmaker

from tandau.services.demo import prepare_demo
from tandau.store import make_engine, session_factory

SEED = 2021


@dataclass
class World:
    db: Path
    work: Path
    Session: sessionmaker[Session]


@pytest.fixture(scope="package")
def world(tmp_path_factory: pytest.TempPathFactory) -> World:
    work = tmp_path_factory.mktemp("report-demo")
    prepare_demo(work / "demo.db", work, scale=0.004, seed=SEED, voters=60, only_region="10", system="kz-2023")
    engine = make_engine(f"sqlite:///{work / 'demo.db'}")
    return World(work / "demo.db", work, session_factory(engine))
