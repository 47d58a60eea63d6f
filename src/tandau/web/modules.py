"""The workspace's modules: one navigation for the whole product, shown by role.

The header lists the modules a user may use (voting; primaries with the election keys; lists; seats; programmes
with the citizens' proposals; control; deputies with the public reception's appeals, scorecards and awards; reports:
the issue's eight, so the header holds one line at 1366 px); the module of the current page shows its own pages in a
second row. Who sees a module is asked of :data:`tandau.services.primaries.access.POLICY` (an action the user may
perform somewhere), never decided here by role. Templates call ``navigation(user, path)``.
"""

from __future__ import annotations

from dataclasses import dataclass

from jinja2 import Environment

from tandau.services.primaries.access import Action, Actor, allowed_somewhere
from tandau.web.i18n import N_


@dataclass(frozen=True, slots=True)
class Page:
    """A page of a module: its label (translated in the template), address, and the actions that make it
    visible (any one allowed somewhere; none: whoever sees the module)."""

    label: str
    href: str
    actions: tuple[Action, ...] = ()

    def visible_to(self, user: Actor | None) -> bool:
        return not self.actions or (user is not None and any(allowed_somewhere(user, a) for a in self.actions))


@dataclass(frozen=True, slots=True)
class Module:
    """A module: label, landing page, the addresses it owns, its pages, and the actions that make it visible
    (any one of them allowed somewhere; none: everyone, signed in or not)."""

    id: str
    label: str
    href: str
    prefixes: tuple[str, ...]
    pages: tuple[Page, ...]
    actions: tuple[Action, ...] = ()
    signed_in: bool = False

    def visible_to(self, user: Actor | None) -> bool:
        if not self.actions:
            return user is not None or not self.signed_in
        return user is not None and any(allowed_somewhere(user, a) for a in self.actions)


MODULES: tuple[Module, ...] = (
    Module("voting", N_("Voting"), "/contests", ("/contests", "/results", "/verify", "/password"), (
        Page(N_("My contests"), "/contests"), Page(N_("Results"), "/results"),
        Page(N_("Check a tracking code"), "/verify")), signed_in=False),
    # the primaries with their election keys (the key ceremony and the holders' hand-in page)
    Module("primaries", N_("Primaries"), "/admin", ("/admin", "/staff/primaries", "/keys"), (
        Page(N_("Contests"), "/admin", (Action.TURNOUT_VIEW, Action.ROLL_IMPORT)),
        Page(N_("Imports"), "/admin/imports", (Action.ROLL_IMPORT, Action.NOMINATION_REGISTER)),
        Page(N_("Primaries results"), "/staff/primaries", (Action.TURNOUT_VIEW, Action.ROLL_IMPORT)),
        Page(N_("Election keys"), "/keys", (Action.KEY_CEREMONY, Action.SHARE_HAND_IN)),
        Page(N_("Sessions"), "/admin/access", (Action.ROLE_GRANT,))),
        (Action.TURNOUT_VIEW, Action.ROLL_IMPORT, Action.KEY_CEREMONY, Action.SHARE_HAND_IN)),
    Module("lists", N_("Lists"), "/staff", ("/staff/lists", "/staff/nominees", "/staff"), (
        Page(N_("National overview"), "/staff"), Page(N_("Single-member nominees"), "/staff/nominees")),
        (Action.WORKSPACE_VIEW,)),
    Module("seats", N_("Seats"), "/staff/simulator", ("/staff/simulator",), (), (Action.WORKSPACE_VIEW,)),
    # election programmes with the citizens' proposals that feed them
    Module("programmes", N_("Programmes"), "/programmes", (
        "/programmes", "/proposals/dashboard", "/proposals/queue", "/proposals/item", "/proposals/import"), (
        Page(N_("Election programmes"), "/programmes", (Action.PROGRAMME_VIEW, Action.PROGRAMME_EDIT)),
        Page(N_("Proposals"), "/proposals/dashboard", (Action.PROPOSAL_VIEW,)),
        Page(N_("Moderation queue"), "/proposals/queue", (Action.PROPOSAL_VIEW,)),
        Page(N_("Import proposals"), "/proposals/import", (Action.PROPOSAL_IMPORT,)),
        Page(N_("Make a proposal"), "/proposals/new")),
        (Action.PROGRAMME_VIEW, Action.PROGRAMME_EDIT, Action.PROPOSAL_VIEW, Action.PROPOSAL_IMPORT)),
    Module("control", N_("Control"), "/control", ("/control",), (
        Page(N_("Control board"), "/control", (Action.CONTROL_VIEW,)),
        Page(N_("Control cases"), "/control/cases", (Action.CASE_VIEW,))), (Action.CONTROL_VIEW, Action.CASE_VIEW)),
    # deputies and akims answerable: mandates, activity, the public reception's appeals, scorecards, awards
    Module("deputies", N_("Deputies"), "/deputies", ("/deputies", "/appeals/queue", "/appeals/a", "/appeals/dashboard",
                                                     "/appeals/entry", "/appeals/import"), (
        Page(N_("Deputies"), "/deputies", (Action.DEPUTY_VIEW,)), Page(N_("Akims"), "/deputies/akims",
                                                                      (Action.DEPUTY_VIEW,)),
        Page(N_("Appeals"), "/appeals/queue", (Action.APPEAL_VIEW, Action.APPEAL_INTAKE, Action.APPEAL_HANDLE)),
        Page(N_("Appeals dashboard"), "/appeals/dashboard", (Action.APPEAL_VIEW,)),
        Page(N_("Register an appeal"), "/appeals/entry", (Action.APPEAL_INTAKE,)),
        Page(N_("Scorecards"), "/deputies/scorecards", (Action.SCORECARD_VIEW,)),
        Page(N_("Awards"), "/deputies/awards", (Action.AWARD_NOMINATE, Action.AWARD_REVIEW))),
        (Action.DEPUTY_VIEW, Action.APPEAL_VIEW, Action.APPEAL_INTAKE, Action.APPEAL_HANDLE)),
    Module("reports", N_("Reports"), "/report", ("/report", "/jobs"), (
        Page(N_("Congress report"), "/report", (Action.REPORT_VIEW,)),
        Page(N_("Background jobs"), "/jobs", (Action.JOB_VIEW,))), (Action.REPORT_VIEW, Action.JOB_VIEW)),
)


@dataclass(frozen=True, slots=True)
class Navigation:
    """What the header shows: the visible modules, the current one (or None) and its pages."""

    modules: tuple[Module, ...]
    current: Module | None
    pages: tuple[Page, ...]


def _owns(prefix: str, path: str) -> bool:
    return path == prefix or path.startswith(prefix.rstrip("/") + "/")


def navigation(user: Actor | None, path: str) -> Navigation:
    """The modules ``user`` may use and the one that owns ``path`` (the longest matching address wins).

    >>> navigation(None, "/verify").current.id, [m.id for m in navigation(None, "/").modules]
    ('voting', ['voting'])
    >>> navigation(Actor.central(), "/staff/simulator").current.id
    'seats'
    """
    visible = tuple(m for m in MODULES if m.visible_to(user))
    best: tuple[int, Module | None] = (0, None)
    for module in visible:
        for prefix in module.prefixes:
            if _owns(prefix, path) and len(prefix) > best[0]:
                best = (len(prefix), module)
    current = best[1]
    pages = tuple(p for p in current.pages if p.visible_to(user)) if current is not None else ()
    return Navigation(visible, current, pages)


def current_page(nav: Navigation, path: str) -> str | None:
    """The href of the module page that ``path`` is (or lies under), for ``aria-current``."""
    hrefs = [p.href for p in nav.pages if _owns(p.href, path)]
    return max(hrefs, key=len) if hrefs else None


def install(env: Environment) -> None:
    """Make ``navigation(user, path)`` and ``current_page(nav, path)`` available to every template."""
    env.globals.update(navigation=navigation, current_page=current_page)
