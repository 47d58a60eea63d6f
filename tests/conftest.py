"""Fixtures and hooks shared across test packages.

``small_demo``: one small demo world (Abai Region and the Majilis, 150 members voting, every module's synthetic
data at its lean sizes, ``demo_modules.LEAN``), built once per session (per worker under xdist) and shared by the
browser tests' live server (tests/e2e/conftest.py) and the congress report's tests (tests/integration/report):
building it takes 6-10 s, so it is built once, not per package. Tests that share it read what is there when they
run (the browser tests add to it: an appeal, a programme edit); none may assume it is untouched.

``make test`` spreads the tests over one process per core (pytest-xdist, ``--dist loadgroup``): tests that share a
costly session or package fixture are put in one group so that one process builds it once; every other test
module is a group of its own. Each process keeps the PostgreSQL schemas it emptied for reuse
(tests/integration/primaries/conftest.py) and drops them when its session ends.

Once the tests are collected, every object then alive (the modules of the product, its dependencies and the
tests: about 235,000) is moved out of the garbage collector's reach (``gc.freeze``, as the web app's lifespan does
in a server): each app a test creates leaves tens of thousands of objects to collect, and every full collection
walked those modules too (issue 14's tests: 11 of 92 s in 48 full collections, 9 s with the freeze).
"""

from __future__ import annotations

import gc
from dataclasses import dataclass
from pathlib import Path

import pytest

from tandau.services.demo import DemoReport, prepare_demo
from tandau.services.demo_modules import LEAN

TESTS = Path(__file__).resolve().parent
# the browser tests and the report's (one small demo), the workspace's (its package's demo worlds), the
# classifier's unit tests (one trained model)
SHARED = {"e2e": "small-demo", "integration/report": "small-demo", "integration/workspace": "workspace-demo",
          "unit/proposals": "classifier"}


@dataclass(frozen=True)
class SmallDemo:
    db: Path
    work: Path
    report: DemoReport


@pytest.fixture(scope="session")
def small_demo(tmp_path_factory: pytest.TempPathFactory) -> SmallDemo:
    work = tmp_path_factory.mktemp("small-demo")
    report = prepare_demo(work / "demo.db", work, scale=0.004, voters=150, only_region="10", system="kz-2023",
                          sizes=LEAN)
    return SmallDemo(work / "demo.db", work, report)


def _group(path: Path) -> str:
    relative = path.relative_to(TESTS).as_posix()
    for prefix, group in SHARED.items():
        if relative.startswith(prefix + "/"):
            return group
    return relative


def pytest_configure(config: pytest.Config) -> None:
    # pytest-xdist registers it too; here as well so that --strict-markers accepts it under -p no:xdist
    config.addinivalue_line("markers", "xdist_group(name): tests one xdist process runs together (--dist loadgroup)")


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if item.path.is_relative_to(TESTS):
            item.add_marker(pytest.mark.xdist_group(_group(item.path)))


def pytest_collection_finish(session: pytest.Session) -> None:
    gc.collect()
    gc.freeze()


def pytest_sessionfinish(session: pytest.Session) -> None:
    from tests.integration.primaries.conftest import drop_pooled_schemas

    drop_pooled_schemas()
