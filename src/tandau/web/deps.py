"""Typed dependencies for routes: the database session, the signed-in actor, role and territory checks.

    @router.get("/x")
    def page(session: SessionDep, actor: CurrentUser) -> ...: ...

``SessionDep`` is an SQLAlchemy session from the app's engine, closed after the response. ``CurrentUser``
is the signed-in :class:`~tandau.services.primaries.access.Actor` (grants read from the database on every
request, so a revoked role takes effect at once); without a signed-in user a page redirects to
``/signin`` and the API answers 401. ``OptionalUser`` is the actor or None. ``StaffUser`` requires a staff
role (secretary, central office or observer). Territory checks stay in the services
(``access.require(actor, action, territory)``); :func:`allowed` asks the same policy for display decisions.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy.orm import Session
from starlette.datastructures import FormData

from tandau.services.primaries.access import Action, Actor, Role, is_allowed, roll_actor
from tandau.services.primaries.access import territories as access_territories
from tandau.services.primaries.auth import actor_for
from tandau.services.primaries.errors import PermissionDeniedError
from tandau.store.models import Member
from tandau.web.errors import SignInRequired
from tandau.web.security import session_of

STAFF_ROLES = frozenset({Role.SECRETARY, Role.CENTRAL, Role.OBSERVER})


def get_session(request: Request) -> Iterator[Session]:
    """A database session for one request."""
    with request.app.state.sessions() as session:
        yield session


SessionDep = Annotated[Session, Depends(get_session)]


async def form_data(request: Request) -> FormData:
    """The parsed form (lets a sync route read fields whose names are dynamic, e.g. ``rank_<id>``)."""
    return await request.form()


FormDep = Annotated[FormData, Depends(form_data)]


def optional_actor(request: Request, session: SessionDep) -> Actor | None:
    """The signed-in actor (also put in ``request.state.actor`` for templates), or None."""
    subject = session_of(request).get("sub")
    if not isinstance(subject, str) or not subject:
        request.state.actor = None
        return None
    actor = actor_for(session, subject)
    session.rollback()  # end the read transaction; services open their own
    if not actor.grants:  # expelled member or revoked staff: the session is worth nothing
        request.state.actor = None
        return None
    request.state.actor = actor
    return actor


OptionalUser = Annotated[Actor | None, Depends(optional_actor)]


async def signed_subject(request: Request) -> str:
    """The subject id in the signed session cookie, without a database read (401 when there is none); the
    ballot path checks the member in the database itself."""
    subject = session_of(request).get("sub")
    if not isinstance(subject, str) or not subject:
        raise SignInRequired()
    return subject


SignedSubject = Annotated[str, Depends(signed_subject)]


def voter_actor(session: Session, subject_id: str) -> Actor | None:
    """The actor casting a ballot, from one read of the member row: an active member holds the member grant
    (:func:`~tandau.services.primaries.access.roll_actor`), and when ``access.POLICY`` lets that grant cast in
    the member's territory, other grants play no part. Anyone else is looked up in full
    (:func:`~tandau.services.primaries.auth.actor_for`); None when they hold no grant (answered 401)."""
    member = session.get(Member, subject_id)
    if member is not None:
        lean = roll_actor(subject_id, member.status, member.kato)
        if lean is not None and is_allowed(lean, Action.BALLOT_CAST, member.kato, subject=subject_id):
            return lean  # the policy lets the roll's member grant cast: no need to read the other grants
    actor = actor_for(session, subject_id)
    return actor if actor.grants else None


def current_actor(actor: OptionalUser) -> Actor:
    if actor is None:
        raise SignInRequired()
    return actor


CurrentUser = Annotated[Actor, Depends(current_actor)]


def roles_of(actor: Actor) -> frozenset[Role]:
    return frozenset(g.role for g in actor.grants)


def require_roles(*roles: Role) -> Callable[[Actor], Actor]:
    """A dependency: the signed-in actor if they hold one of ``roles``, else 403 (PermissionDeniedError)."""
    wanted = frozenset(roles)

    def dependency(actor: CurrentUser) -> Actor:
        if not roles_of(actor) & wanted:
            raise PermissionDeniedError(actor.subject_id, "use this page (" + ", ".join(sorted(wanted)) + ")", None)
        return actor

    return dependency


StaffUser = Annotated[Actor, Depends(require_roles(*STAFF_ROLES))]
CentralUser = Annotated[Actor, Depends(require_roles(Role.CENTRAL))]


def allowed(actor: Actor | None, action: Action, territory: str | None) -> bool:
    """Whether to show a control for ``action`` on ``territory`` (the service still checks on submit)."""
    return actor is not None and is_allowed(actor, action, territory)


def territories(actor: Actor, action: Action) -> list[str | None]:
    """The territories where ``actor`` may perform ``action`` ([None] means everywhere), for filtering lists
    (:func:`tandau.services.primaries.access.territories`)."""
    return access_territories(actor, action)
