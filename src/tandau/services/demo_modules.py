"""The demo's accountability modules, after the primaries and the lists: party control, election programmes,
citizens' proposals, deputies, public reception appeals and awards — each through its own service, all SYNTHETIC.

The proposals and appeals scale with the members on the demo's roll (the default demo's 16,000 members give about
20,000 proposals and 50,000 appeals, which larger rolls keep; a one-region test demo a few hundred); each module
commits its own work. :class:`ModuleSizes` sets them (and party control's procurement releases) outright:
:data:`LEAN`, the least that still populates every page, is the browser tests' world.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlalchemy.orm import Session

from tandau.services.appeals.demo import DemoAppeals, prepare_appeals
from tandau.services.awards.demo import DemoAwards, prepare_awards
from tandau.services.demo_control import ControlDemo, prepare_control
from tandau.services.deputies.demo import DemoDeputies, prepare_deputies
from tandau.services.primaries.access import Actor
from tandau.services.programmes.demo import DemoProgrammes, prepare_programmes
from tandau.services.proposals.demo import DemoProposals, prepare_proposals

PROPOSALS_PER_MEMBER = 1.25  # 16,000 members (the default demo) -> 20,000 synthetic proposals
APPEALS_PER_MEMBER = 3.125  # -> 50,000 synthetic public reception appeals
# larger rolls keep the default demo's numbers: the national run (800,000 members) is about the primaries, and
# the appeals' and proposals' own benchmarks measure their modules at those sizes
PROPOSALS_MAX = 20_000
APPEALS_MAX = 50_000
PROPOSALS_MIN = 300
APPEALS_MIN = 500


@dataclass(frozen=True, slots=True)
class ModuleSizes:
    """How much the modules' demos make: party control's SYNTHETIC procurement releases (at least 1,000, the
    fewest in which every planted procurement indicator still fires alone: tandau.core.control.synthetic_ocds),
    and the proposals and appeals (None: scaled with the members on the roll)."""

    releases: int = 3000
    proposals: int | None = None
    appeals: int | None = None

    def proposals_for(self, members: int) -> int:
        if self.proposals is not None:
            return self.proposals
        return min(PROPOSALS_MAX, max(PROPOSALS_MIN, round(PROPOSALS_PER_MEMBER * members)))

    def appeals_for(self, members: int) -> int:
        if self.appeals is not None:
            return self.appeals
        return min(APPEALS_MAX, max(APPEALS_MIN, round(APPEALS_PER_MEMBER * members)))


#: the least that still fills every page on a one-region world (the browser tests' small demo): every planted
#: procurement flag; appeals repeated, redirected, extended and escalated (500: 22, 13, 31, 17). The proposals stay
#: scaled with the roll (300 would leave none merged or answered)
LEAN = ModuleSizes(releases=1000, appeals=APPEALS_MIN)


@dataclass(slots=True)
class ModulesDemo:
    """What each module's demo made."""

    control: ControlDemo
    programmes: DemoProgrammes
    proposals: DemoProposals
    deputies: DemoDeputies
    appeals: DemoAppeals
    awards: DemoAwards


def prepare_modules(session: Session, central: Actor, work_dir: Path, *, seed: int, members: int, now: datetime,
                    step: Callable[[str, int, int], None], lap: Callable[[str], None],
                    sizes: ModuleSizes = ModuleSizes()) -> ModulesDemo:
    """Run every module's demo in order (deputies before programmes: commitments name their responsible deputies;
    programmes before proposals: proposals are answered by commitments; deputies before appeals and awards),
    timing each with ``lap``."""
    step("control", 0, 1)
    control = prepare_control(session, central, work_dir, seed=seed, now=now, releases=sizes.releases)
    lap("control")
    step("deputies", 0, 1)
    deputies = prepare_deputies(session, central, work_dir, seed=seed, now=now)
    session.commit()
    lap("deputies")
    step("programmes", 0, 1)
    programmes = prepare_programmes(session, central, work_dir, seed=seed, now=now)
    session.commit()
    lap("programmes")
    step("proposals", 0, 1)
    proposals = prepare_proposals(session, central, work_dir, seed=seed, now=now,
                                  count=sizes.proposals_for(members))
    session.commit()
    lap("proposals")
    step("appeals", 0, 1)
    appeals = prepare_appeals(session, central, work_dir, seed=seed, now=now, count=sizes.appeals_for(members))
    session.commit()
    lap("appeals")
    awards = prepare_awards(session, central, seed=seed, now=now)
    session.commit()
    lap("awards")
    return ModulesDemo(control, programmes, proposals, deputies, appeals, awards)
