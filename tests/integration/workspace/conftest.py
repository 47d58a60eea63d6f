"""A small demo world (one region and the Majilis, ballots cast through the voting service), built once."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy.orm import Session, sessionmaker

from tandau.services.demo import DemoReport, prepare_demo
from tandau.store import make_engine, session_factory


@dataclass
class World:
    report: DemoReport
    db: Path
    Session: sessionmaker[Session]


@pytest.fixture(scope="package")
def world(tmp_path_factory: pytest.TempPathFactory) -> World:
    work = tmp_path_factory.mktemp("workspace-demo")
    report = prepare_demo(work / "demo.db", work, scale=0.004, voters=60, only_region="10")
    engine = make_engine(f"sqlite:///{work / 'demo.db'}")
    return World(report, work / "demo.db", session_factory(engine))
