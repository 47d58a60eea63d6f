"""Fixtures shared across test packages.

``small_demo``: one small demo world (Abai Region and the Majilis, 150 members voting, every module's synthetic
data), built once per session (per worker under xdist) and shared by the browser tests' live server
(tests/e2e/conftest.py) and the congress report's tests (tests/integration/report): building it takes most of a
minute, so it is built once, not per package. Tests that share it read what is there when they run (the browser
tests add to it: an appeal, a programme edit); none may assume it is untouched.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest

from tandau.services.demo import DemoReport, prepare_demo


@dataclass(frozen=True)
class SmallDemo:
    db: Path
    work: Path
    report: DemoReport


@pytest.fixture(scope="session")
def small_demo(tmp_path_factory: pytest.TempPathFactory) -> SmallDemo:
    work = tmp_path_factory.mktemp("small-demo")
    report = prepare_demo(work / "demo.db", work, scale=0.004, voters=150, only_region="10", system="kz-2023")
    return SmallDemo(work / "demo.db", work, report)
