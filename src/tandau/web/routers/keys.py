"""Key holders' page and API: the election key ceremony (central office) and the hand-in of shares after close.

The shares handed in are held by THIS process only (:class:`tandau.services.primaries.keys.DecryptionSession`):
with several server processes, key holders use the CLI (``tandau primaries keys decrypt``) or a server started
with one worker for the decryption (docs/security.md). Pages are plain forms; every answer that shows a share
is ``no-store``.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from pydantic import BaseModel, Field
from starlette.responses import Response

from tandau.services.primaries import keys
from tandau.web.deps import CurrentUser, SessionDep
from tandau.web.templating import render
from tandau.web.text_input import STORABLE
from tandau.web.text_input import Text as JsonText

router = APIRouter()
api = APIRouter(prefix="/api/v1/keys", tags=["keys"])
Text = Annotated[str, Form()]


class KeyPublic(BaseModel):
    id: str
    fingerprint: str
    public_key: str
    threshold: int
    holders: list[str]
    cycle_id: str | None
    contest_id: str | None
    handed_in: list[str] = Field(description="holders whose share this server process holds now")
    waiting: list[str] = Field(description="closed contests sealed to this key, not decrypted yet")


class ShareCreate(BaseModel):
    share: Annotated[str, Field(max_length=200), STORABLE] = Field(
        description="the signed-in holder's share, as shown at the ceremony")


class DecryptedPublic(BaseModel):
    contest_id: str
    counted: int
    replaced: int
    seed: str | None


class HandInPublic(BaseModel):
    key_id: str
    handed_in: list[str]
    threshold: int
    decrypted: list[DecryptedPublic]


class CeremonyCreate(BaseModel):
    holders: list[JsonText] = Field(min_length=2, max_length=20, description="staff logins of the key holders")
    threshold: int = Field(ge=2, le=20)
    cycle_id: JsonText | None = None
    contest_id: JsonText | None = None


class CeremonyPublic(BaseModel):
    key: KeyPublic
    shares: dict[str, str] = Field(description="holder -> share; shown once, never stored")


def _key_public(status: keys.KeyStatus) -> KeyPublic:
    k = status.key
    return KeyPublic(id=k.id, fingerprint=k.fingerprint, public_key=k.public_key, threshold=k.threshold,
                     holders=list(status.holders), cycle_id=k.cycle_id, contest_id=k.contest_id,
                     handed_in=list(status.given), waiting=list(status.waiting))


def _no_store(response: Response) -> Response:
    response.headers["cache-control"] = "no-store"
    return response


@router.get("/keys", include_in_schema=False)
def keys_page(request: Request, session: SessionDep, user: CurrentUser) -> Response:
    return render(request, "keys/index.html", {"statuses": keys.key_statuses(session, user)})


@router.post("/keys/{key_id}/shares", include_in_schema=False)
def hand_in_page(request: Request, session: SessionDep, user: CurrentUser, key_id: str, share: Text) -> Response:
    done = keys.hand_in(session, user, key_id, share)
    context = {"statuses": keys.key_statuses(session, user), "done": done}
    return _no_store(render(request, "keys/index.html", context))


@router.post("/keys/ceremony", include_in_schema=False)
def ceremony_page(request: Request, session: SessionDep, user: CurrentUser, holders: Text, threshold: Text,
                  scope: Text, target: Text) -> Response:
    from tandau.errors import InputError

    try:
        number = int(threshold)
    except ValueError:
        raise InputError("the threshold is a whole number", parameter="threshold") from None
    made = keys.hold_ceremony(session, user, holders=[h for h in holders.split(",") if h.strip()],
                              threshold=number, cycle_id=target if scope == "cycle" else None,
                              contest_id=target if scope == "contest" else None)
    context = {"statuses": keys.key_statuses(session, user),
               "ceremony": {"key": made.key, "shares": [(h, s.text()) for h, s in made.shares]}}
    return _no_store(render(request, "keys/index.html", context))


@api.get("")
def list_keys(session: SessionDep, user: CurrentUser) -> list[KeyPublic]:
    """Election keys (public halves only), who has handed in a share to this process, contests waiting."""
    return [_key_public(st) for st in keys.key_statuses(session, user)]


@api.post("/{key_id}/shares")
def hand_in(session: SessionDep, user: CurrentUser, key_id: str, body: ShareCreate) -> HandInPublic:
    """Hand in the signed-in key holder's share; once the threshold is met, every closed contest sealed to
    the key is decrypted in this process (``decrypted``) and the shares are forgotten."""
    done = keys.hand_in(session, user, key_id, body.share)
    return HandInPublic(key_id=done.key_id, handed_in=list(done.given), threshold=done.threshold,
                        decrypted=[DecryptedPublic(contest_id=d.contest_id, counted=d.counted, replaced=d.replaced,
                                                   seed=d.seed) for d in done.decrypted])


@api.post("/ceremony", status_code=201)
def ceremony(response: Response, session: SessionDep, user: CurrentUser, body: CeremonyCreate) -> CeremonyPublic:
    """Make an election key (central office); the answer carries each holder's share, once."""
    made = keys.hold_ceremony(session, user, holders=body.holders, threshold=body.threshold,
                              cycle_id=body.cycle_id, contest_id=body.contest_id)
    response.headers["cache-control"] = "no-store"
    status = keys.KeyStatus(made.key, tuple(keys.holders_of(made.key)), (), ())
    return CeremonyPublic(key=_key_public(status), shares={h: s.text() for h, s in made.shares})


router.include_router(api)
