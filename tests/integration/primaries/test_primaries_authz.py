"""Authorization matrix: every action x role, in and out of the role's territory; and the services obey it."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

import pytest

from tandau.services.primaries import contests, imports, nominations, publish, voting
from tandau.services.primaries.access import Action, Actor, Grant, Role, is_allowed
from tandau.services.primaries.errors import ImportRejectedError, PermissionDeniedError

from .conftest import CLOSES, Db, World, build_world

REGION_A, REGION_B, A_DISTRICT = "750000000", "190000000", "751110000"
ADMIN = {Action.CONTEST_CREATE, Action.CONTEST_OPEN, Action.CONTEST_EXTEND, Action.CONTEST_CLOSE,
         Action.CONTEST_PUBLISH, Action.ROLL_IMPORT, Action.NOMINATION_REGISTER, Action.NOMINATION_WITHDRAW,
         Action.NOMINATION_DISQUALIFY, Action.TURNOUT_VIEW,
         # issue 10: drafts and the workspace of their territory (a frozen roll or nomination: central only)
         Action.CONTEST_VIEW_DRAFT, Action.WORKSPACE_VIEW, Action.WORKSPACE_EDIT}
# issue 12: control cases and the control board of the territory (an escalated case, imports: central office only)
CASES = {Action.CASE_OPEN, Action.CASE_VIEW, Action.CASE_ACT}
CONTROL = CASES | {Action.CONTROL_VIEW}
# issue 13: a branch reads, imports and links its territory's proposals and drafts and submits its programmes;
# moderators read, import and moderate proposals of theirs; review and publication are the central office's
SECRETARY_13 = {Action.PROPOSAL_VIEW, Action.PROPOSAL_IMPORT, Action.PROPOSAL_LINK, Action.PROGRAMME_VIEW,
                Action.PROGRAMME_EDIT, Action.PROGRAMME_SUBMIT, Action.DEVELOPMENT_IMPORT}
MODERATOR = {Action.PROPOSAL_VIEW, Action.PROPOSAL_IMPORT, Action.PROPOSAL_MODERATE}
# issue 14: a branch keeps its deputies and routes, handles and exports its appeals; a handler or a deputy acts on
# the appeals that are theirs ("self") and reads those of their territory
SECRETARY_14 = {Action.DEPUTY_VIEW, Action.DEPUTY_MANAGE, Action.APPEAL_VIEW, Action.APPEAL_INTAKE,
                Action.APPEAL_ROUTE, Action.APPEAL_HANDLE, Action.APPEAL_PERSONAL, Action.APPEAL_EXPORT}
OWN_APPEAL = {Action.APPEAL_HANDLE, Action.APPEAL_PERSONAL}
# issue 14, item 6: the congress report; a branch reads its region's annex, observers read it all
REPORT = {Action.REPORT_VIEW}
# issue 14, items 4 and 5: scorecards read where deputies are read; a branch nominates for awards in its
# territory, the central office alone reviews
SCORECARD = {Action.SCORECARD_VIEW}
NOMINATE = {Action.AWARD_NOMINATE}
# issue 15, item 2: background jobs; a branch sees, starts and cancels its territory's jobs, observers only read
# them (an observer may read the report but not start its job)
JOBS = {Action.JOB_VIEW, Action.JOB_CANCEL, Action.JOB_SUBMIT}
PUBLIC = {Action.RESULTS_VIEW, Action.TRACKER_CHECK}
OBSERVER_READS = {Action.TURNOUT_VIEW, Action.AUDIT_VERIFY, Action.CONTEST_VIEW_DRAFT, Action.WORKSPACE_VIEW,
                  Action.CASE_VIEW, Action.CONTROL_VIEW, Action.PROPOSAL_VIEW, Action.PROGRAMME_VIEW,
                  Action.DEPUTY_VIEW, Action.APPEAL_VIEW, Action.JOB_VIEW} | REPORT | SCORECARD


def expected(role: Role, action: Action, target: str | None, own: bool) -> bool:
    """The matrix written out independently of access.POLICY."""
    if action in PUBLIC:
        return True
    if role is Role.CENTRAL:
        return action not in {Action.BALLOT_CAST, Action.SHARE_HAND_IN}  # every other action, everywhere
    if role is Role.KEYHOLDER:
        return action in {Action.SHARE_HAND_IN, Action.BALLOTS_DECRYPT}
    if role is Role.OBSERVER:
        return action in OBSERVER_READS
    inside = target is not None and target.startswith("75")
    if role is Role.SECRETARY:
        return (action in ADMIN | CONTROL | SECRETARY_13 | SECRETARY_14 | REPORT | SCORECARD | NOMINATE | JOBS
                and inside)
    if role is Role.CONTROL:  # a control-commission member: the cases, the board and the deputies of its territory
        return action in CONTROL | {Action.DEPUTY_VIEW} | SCORECARD and inside
    if role is Role.MODERATOR:
        return action in MODERATOR and inside
    if role in (Role.DEPUTY, Role.APPEAL_HANDLER):
        reads = {Action.APPEAL_VIEW} | ({Action.DEPUTY_VIEW, Action.SCORECARD_VIEW} if role is Role.DEPUTY
                                        else {Action.APPEAL_INTAKE})
        return (action in reads and inside) or (own and action in OWN_APPEAL)
    if role is Role.CANDIDATE:
        return own and action in {Action.BALLOT_CAST, Action.NOMINATION_WITHDRAW}
    return own and action is Action.BALLOT_CAST  # member


@pytest.mark.parametrize("role", list(Role))
@pytest.mark.parametrize("action", list(Action))
def test_matrix(role: Role, action: Action) -> None:
    territorial = (Role.SECRETARY, Role.CONTROL, Role.MODERATOR, Role.DEPUTY, Role.APPEAL_HANDLER, Role.MEMBER,
                   Role.CANDIDATE)
    actor = Actor("u1", (Grant(role, REGION_A if role in territorial else None),))
    for target in (REGION_A, A_DISTRICT, REGION_B, None):
        for own in (True, False):
            got = is_allowed(actor, action, target, subject="u1" if own else "someone-else")
            assert got == expected(role, action, target, own), (role, action, target, own)


@pytest.fixture
def draft(db: Db, tmp_path: Path) -> World:
    return build_world(db, tmp_path, open_contests=False)


def test_secretary_of_region_a_cannot_reach_region_b(draft: World, tmp_path: Path) -> None:
    sec_a = Actor("sec-a", (Grant(Role.SECRETARY, REGION_A),))
    with draft.session() as s:
        calls: list[Callable[[], object]] = [
            lambda: contests.open_contest(s, sec_a, "almaty-region"),
            lambda: contests.extend_contest(s, sec_a, "almaty-region", CLOSES + timedelta(days=1), reason="r"),
            lambda: nominations.disqualify(s, sec_a, "almaty-region", "m5", "r"),
            lambda: nominations.withdraw(s, sec_a, "almaty-region", "m5", "r"),
            lambda: voting.turnout(s, sec_a, "almaty-region"),
            lambda: voting.turnout(s, sec_a, "national"),
            lambda: contests.close_contest(s, sec_a, "national", early=True),
            lambda: publish.publish_contest(s, sec_a, "almaty-region", tmp_path / "x.jsonl"),
            lambda: imports.nominations_upload(s, sec_a, "almaty-region", "n.csv", b"member,nominated_by\nm6,self\n",
                                               apply=False),
        ]
        for call in calls:
            with pytest.raises(PermissionDeniedError):
                call()
            s.rollback()
        with pytest.raises(PermissionDeniedError):
            nominations.register_nomination(s, sec_a, nominations.NominationRequest("almaty-region", "m6"))
        # the roll: a member of region B (moved into A, or new) is refused, and with it the whole file
        roll_file = (b"id,name,sex,birth_date,territory,contact\n"
                     b"m5,G,F,1970-02-02,751110000,\nb1,B,M,1990-01-01,191010000,\n")
        with pytest.raises(ImportRejectedError) as info:
            imports.roll_upload(s, sec_a, "r.csv", roll_file, apply=True)
        assert [(e.row, e.column) for e in info.value.errors] == [(2, "id"), (3, "territory")]
        s.rollback()
        # inside region A the same secretary may act
        contests.open_contest(s, sec_a, "almaty-city")
        assert voting.turnout(s, sec_a, "almaty-city").eligible == 5


def test_observer_reads_but_cannot_change(draft: World) -> None:
    observer = Actor("obs", (Grant(Role.OBSERVER),))
    with draft.session() as s:
        assert voting.turnout(s, observer, "national").eligible == 7
        with pytest.raises(PermissionDeniedError):
            contests.open_contest(s, observer, "national")
