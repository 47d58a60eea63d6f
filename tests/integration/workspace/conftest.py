"""Small demo worlds (one region and the Majilis, ballots cast through the voting service), each built once:
``world`` under kz-2023 (the demo's default: district contests for city and district maslikhats, list and
district contests for the regional maslikhat and the Majilis) and ``world_2021`` under kz-2021 (every council
a list contest)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy.orm import Session, sessionmaker

from tandau.services.demo import DemoReport, prepare_demo
from tandau.store import make_engine, session_factory

# a seed whose small world has a list move the engine explains by a rule in Abai Region's list (the reasons tests
# translate one); the seed changes the synthetic people only, not the territory or the contests
SEED = 2021


@dataclass
class World:
    report: DemoReport
    db: Path
    Session: sessionmaker[Session]
    steps: list[tuple[str, float]]  # what prepare_demo told its ``timed`` callback, in order


def _world(work: Path, **options: object) -> World:
    steps: list[tuple[str, float]] = []
    report = prepare_demo(work / "demo.db", work, scale=0.004, timed=lambda step, s: steps.append((step, s)),
                          **options)  # type: ignore[arg-type]
    engine = make_engine(f"sqlite:///{work / 'demo.db'}")
    return World(report, work / "demo.db", session_factory(engine), steps)


@pytest.fixture(scope="package")
def world(tmp_path_factory: pytest.TempPathFactory) -> World:
    return _world(tmp_path_factory.mktemp("workspace-demo"), seed=SEED, voters=60, only_region="10",
                  system="kz-2023")


@pytest.fixture(scope="package")
def world_2021(tmp_path_factory: pytest.TempPathFactory) -> World:
    """North Kazakhstan (KATO 59: Petropavl and 13 districts) in the 2021 layout, all-list."""
    return _world(tmp_path_factory.mktemp("workspace-demo-2021"), seed=SEED, voters=60, only_region="59",
                  system="kz-2021")
