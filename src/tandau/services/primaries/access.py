"""Roles and the authorization matrix: who may do what, where.

Roles: member, candidate, branch secretary and control-commission member (each scoped to a territory and
everything under it, see :func:`~tandau.services.primaries.kato.covers`), central office (everywhere), observer
(read-only, everywhere). Every service action consults :func:`require` with the territory it touches; ``None`` is the
whole country (the national list), which only national-scope grants cover.

This module is the one place that decides by role: services, pages and the API ask :func:`is_allowed`,
:func:`require`, :func:`allowed_somewhere` or :func:`territories` with an :class:`Action`, never compare
roles themselves (``tests/unit/test_authorization_single_source.py`` checks it).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Literal

from tandau.services.primaries.errors import PermissionDeniedError
from tandau.services.primaries.kato import covers


class Role(StrEnum):
    MEMBER = "member"
    CANDIDATE = "candidate"
    SECRETARY = "secretary"
    CENTRAL = "central"
    OBSERVER = "observer"
    KEYHOLDER = "keyholder"
    CONTROL = "control"  # a member of a branch's control commission, with the commission's territory
    MODERATOR = "moderator"  # moderates citizens' proposals of a territory (issue 13)
    DEPUTY = "deputy"
    APPEAL_HANDLER = "appeal_handler"


class Action(StrEnum):
    CYCLE_CREATE = "create a cycle"
    CONTEST_CREATE = "create a contest"
    CONTEST_OPEN = "open a contest"
    CONTEST_EXTEND = "extend a contest"
    CONTEST_CLOSE = "close a contest"
    CONTEST_PUBLISH = "publish results"
    ROLL_IMPORT = "import the member roll"
    ROLE_GRANT = "grant a role"
    NOMINATION_REGISTER = "register a nomination"
    NOMINATION_WITHDRAW = "withdraw a nomination"
    NOMINATION_DISQUALIFY = "disqualify a candidate"
    TURNOUT_VIEW = "view turnout"
    AUDIT_VERIFY = "verify the audit log"
    RESULTS_VIEW = "view published results"
    TRACKER_CHECK = "check a tracking code"
    BALLOT_CAST = "cast a ballot"
    KEY_CEREMONY = "hold an election key ceremony"
    SHARE_HAND_IN = "hand in a share of an election key"
    BALLOTS_DECRYPT = "decrypt the ballots of a closed contest"
    CANDIDATE_EXCLUDE = "exclude a candidate from the count after close"
    TIE_LOT = "resolve a tie by lot on the committed seed"
    ROLL_CHANGE_FROZEN = "change the roll of a contest that is open or closed"
    NOMINATION_CHANGE_FROZEN = "change the nominations of a contest that is open"
    CONTEST_VIEW_DRAFT = "view a draft contest"
    WORKSPACE_VIEW = "view the staff workspace"
    WORKSPACE_EDIT = "change a council's list"
    CASE_OPEN = "open a control case"
    CASE_VIEW = "view control cases"
    CASE_ACT = "act on a control case"
    CASE_ACT_ESCALATED = "act on a control case escalated to the central office"
    CONTROL_VIEW = "view the control board"
    CONTROL_IMPORT = "import programme targets, reports and procurement data"
    PROPOSAL_VIEW = "view citizens' proposals and their dashboards"
    PROPOSAL_IMPORT = "import proposals collected offline"
    PROPOSAL_MODERATE = "moderate citizens' proposals"
    PROPOSAL_LINK = "link proposals to programme commitments"
    PROGRAMME_VIEW = "view draft election programmes"
    PROGRAMME_EDIT = "draft and edit an election programme"
    PROGRAMME_SUBMIT = "submit an election programme to the central office"
    PROGRAMME_REVIEW = "approve or return an election programme"
    PROGRAMME_PUBLISH = "publish an election programme"
    DEVELOPMENT_IMPORT = "import a territory's development programme indicators"
    DEPUTY_VIEW = "view the party's deputies, akims and their activity"
    DEPUTY_MANAGE = "import election results, fill vacancies, record akims and deputies' activity"
    APPEAL_VIEW = "view public reception appeals (without personal data) and their dashboards"
    APPEAL_INTAKE = "register and import public reception appeals"
    APPEAL_ROUTE = "route an appeal and assign its handler"
    APPEAL_HANDLE = "extend, redirect and answer an appeal"
    APPEAL_PERSONAL = "see an appeal's applicant (name and contact)"
    APPEAL_EXPORT = "export appeals pseudonymised"
    APPEAL_ADMIN = "escalate overdue appeals and purge personal data after retention"
    REPORT_VIEW = "read the congress report (a branch: its region's annex)"
    SCORECARD_VIEW = "read the scorecards of deputies, factions, branches and akims"
    AWARD_NOMINATE = "nominate an active member for a party award"
    AWARD_REVIEW = "approve or reject a nomination for a party award"
    JOB_VIEW = "view background jobs and their progress"
    JOB_CANCEL = "cancel a background job"
    JOB_SUBMIT = "start a background job"


Scope = Literal["anywhere", "territory", "self"]

# action -> role -> how far the grant reaches. Missing role: not allowed at all.
POLICY: dict[Action, dict[Role, Scope]] = {
    Action.CYCLE_CREATE: {Role.CENTRAL: "anywhere"},
    Action.CONTEST_CREATE: {Role.CENTRAL: "anywhere", Role.SECRETARY: "territory"},
    Action.CONTEST_OPEN: {Role.CENTRAL: "anywhere", Role.SECRETARY: "territory"},
    Action.CONTEST_EXTEND: {Role.CENTRAL: "anywhere", Role.SECRETARY: "territory"},
    Action.CONTEST_CLOSE: {Role.CENTRAL: "anywhere", Role.SECRETARY: "territory"},
    Action.CONTEST_PUBLISH: {Role.CENTRAL: "anywhere", Role.SECRETARY: "territory"},
    Action.ROLL_IMPORT: {Role.CENTRAL: "anywhere", Role.SECRETARY: "territory"},
    Action.ROLE_GRANT: {Role.CENTRAL: "anywhere"},
    Action.NOMINATION_REGISTER: {Role.CENTRAL: "anywhere", Role.SECRETARY: "territory"},
    Action.NOMINATION_WITHDRAW: {Role.CENTRAL: "anywhere", Role.SECRETARY: "territory", Role.CANDIDATE: "self"},
    Action.NOMINATION_DISQUALIFY: {Role.CENTRAL: "anywhere", Role.SECRETARY: "territory"},
    Action.TURNOUT_VIEW: {Role.CENTRAL: "anywhere", Role.SECRETARY: "territory", Role.OBSERVER: "anywhere"},
    Action.AUDIT_VERIFY: {Role.CENTRAL: "anywhere", Role.OBSERVER: "anywhere"},
    Action.RESULTS_VIEW: dict.fromkeys(Role, "anywhere"),
    Action.TRACKER_CHECK: dict.fromkeys(Role, "anywhere"),
    Action.BALLOT_CAST: {Role.MEMBER: "self", Role.CANDIDATE: "self"},
    # ballot secrecy (docs/security.md): the central office holds the ceremony and starts a decryption; key
    # holders (a role of its own: central office, observer, commission...) hand in their shares
    Action.KEY_CEREMONY: {Role.CENTRAL: "anywhere"},
    Action.SHARE_HAND_IN: {Role.KEYHOLDER: "anywhere"},
    Action.BALLOTS_DECRYPT: {Role.CENTRAL: "anywhere", Role.KEYHOLDER: "anywhere"},
    Action.CANDIDATE_EXCLUDE: {Role.CENTRAL: "anywhere"},
    Action.TIE_LOT: {Role.CENTRAL: "anywhere"},
    # from opening until publication the roll and the nominations of a contest are frozen (issue 10):
    # only the central office changes them, with a reason, each row audited with before and after
    Action.ROLL_CHANGE_FROZEN: {Role.CENTRAL: "anywhere"},
    Action.NOMINATION_CHANGE_FROZEN: {Role.CENTRAL: "anywhere"},
    # a draft contest (its candidates before registration closes) is staff's business: the central office
    # and observers everywhere, a secretary inside their territory; anyone else is told it does not exist
    Action.CONTEST_VIEW_DRAFT: {Role.CENTRAL: "anywhere", Role.SECRETARY: "territory", Role.OBSERVER: "anywhere"},
    Action.WORKSPACE_VIEW: {Role.CENTRAL: "anywhere", Role.SECRETARY: "territory", Role.OBSERVER: "anywhere"},
    Action.WORKSPACE_EDIT: {Role.CENTRAL: "anywhere", Role.SECRETARY: "territory"},
    # control cases (issue 12): the branch's control commission and its secretary open and follow the cases of
    # their territory, the central office everywhere; observers read; an escalated case is the central office's
    Action.CASE_OPEN: {Role.CENTRAL: "anywhere", Role.SECRETARY: "territory", Role.CONTROL: "territory"},
    Action.CASE_VIEW: {Role.CENTRAL: "anywhere", Role.SECRETARY: "territory", Role.CONTROL: "territory",
                       Role.OBSERVER: "anywhere"},
    Action.CASE_ACT: {Role.CENTRAL: "anywhere", Role.SECRETARY: "territory", Role.CONTROL: "territory"},
    Action.CASE_ACT_ESCALATED: {Role.CENTRAL: "anywhere"},
    # the control board: a region's follow-up to its branch (secretary, control commission), every region to
    # the central office and observers; the national series (KZ) only to those who see everywhere. The data
    # (targets, reports, OCDS, link rules) are the central office's to import.
    Action.CONTROL_VIEW: {Role.CENTRAL: "anywhere", Role.SECRETARY: "territory", Role.CONTROL: "territory",
                          Role.OBSERVER: "anywhere"},
    Action.CONTROL_IMPORT: {Role.CENTRAL: "anywhere"},
    # election programmes and citizens' proposals (issue 13): a branch drafts its councils' programmes and submits
    # them; the central office approves or returns them and publishes; moderators (a role of their own, with a
    # territory) hide abuse and personal data; observers read. Reading proposals shows no contact details to anyone
    # but moderators and the central office (the service decides what a reader sees).
    Action.PROPOSAL_VIEW: {Role.CENTRAL: "anywhere", Role.SECRETARY: "territory", Role.MODERATOR: "territory",
                           Role.OBSERVER: "anywhere"},
    Action.PROPOSAL_IMPORT: {Role.CENTRAL: "anywhere", Role.SECRETARY: "territory", Role.MODERATOR: "territory"},
    Action.PROPOSAL_MODERATE: {Role.CENTRAL: "anywhere", Role.MODERATOR: "territory"},
    Action.PROPOSAL_LINK: {Role.CENTRAL: "anywhere", Role.SECRETARY: "territory"},
    Action.PROGRAMME_VIEW: {Role.CENTRAL: "anywhere", Role.SECRETARY: "territory", Role.OBSERVER: "anywhere"},
    Action.PROGRAMME_EDIT: {Role.CENTRAL: "anywhere", Role.SECRETARY: "territory"},
    Action.PROGRAMME_SUBMIT: {Role.CENTRAL: "anywhere", Role.SECRETARY: "territory"},
    Action.PROGRAMME_REVIEW: {Role.CENTRAL: "anywhere"},
    Action.PROGRAMME_PUBLISH: {Role.CENTRAL: "anywhere"},
    # a territory's development programme (its indicators, which the programmes are drafted from): imported by the
    # central office anywhere and by a branch's secretary for their territory; read as the draft programmes are
    Action.DEVELOPMENT_IMPORT: {Role.CENTRAL: "anywhere", Role.SECRETARY: "territory"},
    # deputies and akims (issue 14): a branch keeps its councils' deputies, vacancies, akims and activity records;
    # the central office everywhere (the Majilis is the whole country's); deputies read their council's territory
    Action.DEPUTY_VIEW: {Role.CENTRAL: "anywhere", Role.SECRETARY: "territory", Role.CONTROL: "territory",
                         Role.DEPUTY: "territory", Role.OBSERVER: "anywhere"},
    Action.DEPUTY_MANAGE: {Role.CENTRAL: "anywhere", Role.SECRETARY: "territory"},
    # public reception appeals (issue 14, docs/appeals.md): the branch (secretary) and appeal handlers of a
    # territory register and read; the secretary routes; a case's own handler or deputy ("self": the appeal's
    # handler) acts on it, as does the branch secretary and the central office; the applicant's name and contact
    # only to the case's handler, the secretary of its territory and the central office
    Action.APPEAL_VIEW: {Role.CENTRAL: "anywhere", Role.SECRETARY: "territory", Role.APPEAL_HANDLER: "territory",
                         Role.DEPUTY: "territory", Role.OBSERVER: "anywhere"},
    Action.APPEAL_INTAKE: {Role.CENTRAL: "anywhere", Role.SECRETARY: "territory", Role.APPEAL_HANDLER: "territory"},
    Action.APPEAL_ROUTE: {Role.CENTRAL: "anywhere", Role.SECRETARY: "territory"},
    Action.APPEAL_HANDLE: {Role.CENTRAL: "anywhere", Role.SECRETARY: "territory", Role.APPEAL_HANDLER: "self",
                           Role.DEPUTY: "self"},
    Action.APPEAL_PERSONAL: {Role.CENTRAL: "anywhere", Role.SECRETARY: "territory", Role.APPEAL_HANDLER: "self",
                             Role.DEPUTY: "self"},
    Action.APPEAL_EXPORT: {Role.CENTRAL: "anywhere", Role.SECRETARY: "territory"},
    Action.APPEAL_ADMIN: {Role.CENTRAL: "anywhere"},
    # the congress report (issue 14, item 6): the national report and every annex to the central office and
    # observers; a branch secretary reads their region's annex
    Action.REPORT_VIEW: {Role.CENTRAL: "anywhere", Role.SECRETARY: "territory", Role.OBSERVER: "anywhere"},
    # scorecards (issue 14, item 4; docs/scorecards.md): whoever reads deputies reads their scorecards, on the same
    # reach; awards (item 5): a branch (secretary) nominates in its territory, the central office reviews
    Action.SCORECARD_VIEW: {Role.CENTRAL: "anywhere", Role.SECRETARY: "territory", Role.CONTROL: "territory",
                            Role.DEPUTY: "territory", Role.OBSERVER: "anywhere"},
    Action.AWARD_NOMINATE: {Role.CENTRAL: "anywhere", Role.SECRETARY: "territory"},
    Action.AWARD_REVIEW: {Role.CENTRAL: "anywhere"},
    # background jobs (issue 15, item 2): the central office sees and cancels every job, a branch secretary the
    # jobs of their territory, observers read; starting a job takes both the right to act (the central office, a
    # secretary in their territory: an observer who may read the report may not spend the workers on it) and the
    # action of the work it does (the kind's)
    Action.JOB_VIEW: {Role.CENTRAL: "anywhere", Role.SECRETARY: "territory", Role.OBSERVER: "anywhere"},
    Action.JOB_CANCEL: {Role.CENTRAL: "anywhere", Role.SECRETARY: "territory"},
    Action.JOB_SUBMIT: {Role.CENTRAL: "anywhere", Role.SECRETARY: "territory"},
}


@dataclass(frozen=True, slots=True)
class Grant:
    """One role of a subject; ``kato`` limits a secretary (``None``: no territorial limit)."""

    role: Role
    kato: str | None = None


@dataclass(frozen=True, slots=True)
class Actor:
    """Who is acting: a subject id (member id or staff login) and its grants."""

    subject_id: str
    grants: tuple[Grant, ...]

    @staticmethod
    def central(subject_id: str = "central-office") -> Actor:
        """An actor with the central office role (the CLI acts as one)."""
        return Actor(subject_id, (Grant(Role.CENTRAL),))


def grants_record(actor: Actor) -> list[list[str | None]]:
    """The actor's grants as JSON-ready pairs, so work done later on their behalf (a background job) is authorised
    as they would be now.

    >>> grants_record(Actor("s1", (Grant(Role.SECRETARY, "750000000"),)))
    [['secretary', '750000000']]
    """
    return [[g.role.value, g.kato] for g in actor.grants]


def actor_from_record(subject_id: str, record: list[list[str | None]]) -> Actor:
    """The actor that :func:`grants_record` recorded (an unknown role is refused with ValueError)."""
    return Actor(subject_id, tuple(Grant(Role(str(role)), kato) for role, kato in record))


def is_allowed(actor: Actor, action: Action, territory: str | None, *, subject: str | None = None) -> bool:
    """Whether ``actor`` may perform ``action`` on ``territory`` (``subject``: whose record, for "self").

    >>> sec = Actor("s1", (Grant(Role.SECRETARY, "750000000"),))
    >>> is_allowed(sec, Action.CONTEST_CLOSE, "751110000"), is_allowed(sec, Action.CONTEST_CLOSE, "710000000")
    (True, False)
    """
    rules = POLICY[action]
    for grant in actor.grants:
        scope = rules.get(grant.role)
        if scope == "anywhere":
            return True
        if scope == "territory" and grant.kato is not None and covers(grant.kato, territory):
            return True
        if scope == "self" and subject is not None and subject == actor.subject_id:
            return True
    return False


def require(actor: Actor, action: Action, territory: str | None, *, subject: str | None = None) -> None:
    """Raise :class:`PermissionDeniedError` unless :func:`is_allowed`."""
    if not is_allowed(actor, action, territory, subject=subject):
        raise PermissionDeniedError(actor.subject_id, action.value, territory)


def territories(actor: Actor, action: Action) -> list[str | None]:
    """The territories where ``actor`` may perform ``action`` on others' records (``[None]``: everywhere;
    ``[]``: nowhere), for filtering lists and for deciding whether a page is theirs at all.

    >>> territories(Actor("s1", (Grant(Role.SECRETARY, "750000000"),)), Action.ROLL_IMPORT)
    ['750000000']
    >>> observer = Actor("o", (Grant(Role.OBSERVER),))
    >>> territories(Actor.central(), Action.ROLL_IMPORT), territories(observer, Action.ROLL_IMPORT)
    ([None], [])
    """
    scopes: list[str | None] = []
    for grant in actor.grants:
        scope = POLICY[action].get(grant.role)
        if scope == "anywhere":
            return [None]
        if scope == "territory" and grant.kato is not None:
            scopes.append(grant.kato)
    return scopes


def allowed_somewhere(actor: Actor, action: Action) -> bool:
    """Whether ``actor`` may perform ``action`` on some territory (a page or an upload form is theirs at all)."""
    return bool(territories(actor, action))


def roll_actor(subject_id: str, status: str, kato: str) -> Actor | None:
    """The actor an entry of the roll makes of its member: an active member holds the member grant in their
    territory of residence (what :func:`~tandau.services.primaries.auth.actor_for` also gives); None when the
    membership is suspended or ended."""
    return Actor(subject_id, (Grant(Role.MEMBER, kato),)) if status == "active" else None
