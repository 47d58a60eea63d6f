"""Sign-in by argon2id password or one-time code; roles follow from the roll, nominations and grants."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from tandau.services.primaries import auth
from tandau.services.primaries.access import Role
from tandau.services.primaries.errors import AuthenticationError
from tandau.store import Credential, OneTimeCode

from .conftest import CENTRAL, DURING, FAST_HASHER, World


def test_password_sign_in(world: World) -> None:
    with world.session() as s:
        auth.set_password(s, "m1", "correct horse battery", hasher=FAST_HASHER)
        stored = s.scalars(select(Credential.password_hash)).one()
        assert stored.startswith("$argon2id$")
        assert "correct" not in stored
        actor = auth.sign_in_password(s, "m1", "correct horse battery", hasher=FAST_HASHER)
        assert {g.role for g in actor.grants} == {Role.MEMBER, Role.CANDIDATE}
        for who, pw in (("m1", "wrong password!"), ("nobody", "correct horse battery")):
            with pytest.raises(AuthenticationError):
                auth.sign_in_password(s, who, pw, hasher=FAST_HASHER)


def test_one_time_code(world: World) -> None:
    with world.session() as s:
        code = auth.issue_code(s, "m5", now=DURING, hasher=FAST_HASHER)
        assert len(code) == 8
        assert code.isdigit()
        assert code not in s.scalars(select(OneTimeCode.code_hash)).one()
        with pytest.raises(AuthenticationError):  # expired
            auth.sign_in_code(s, "m5", code, now=DURING + timedelta(hours=1), hasher=FAST_HASHER)
        assert auth.sign_in_code(s, "m5", code, now=DURING, hasher=FAST_HASHER).subject_id == "m5"
        with pytest.raises(AuthenticationError):  # used once
            auth.sign_in_code(s, "m5", code, now=DURING, hasher=FAST_HASHER)
        fresh = auth.issue_code(s, "m5", now=DURING, hasher=FAST_HASHER)
        for _ in range(5):
            with pytest.raises(AuthenticationError):
                auth.sign_in_code(s, "m5", "00000000" if fresh != "00000000" else "11111111", now=DURING,
                                  hasher=FAST_HASHER)
        with pytest.raises(AuthenticationError):  # locked after 5 wrong tries
            auth.sign_in_code(s, "m5", fresh, now=DURING, hasher=FAST_HASHER)


def test_grant_role(world: World) -> None:
    with world.session() as s:
        auth.grant_role(s, CENTRAL, "staff-1", Role.SECRETARY, "190000000")
        actor = auth.actor_for(s, "staff-1")
    assert [(g.role, g.kato) for g in actor.grants] == [(Role.SECRETARY, "190000000")]


def test_a_member_holds_at_most_max_live_codes(world: World) -> None:
    from tandau.services.primaries.errors import TooManyCodesError

    with world.session() as s:
        codes = [auth.issue_code(s, "m5", now=DURING + timedelta(seconds=i), hasher=FAST_HASHER, max_live=3)
                 for i in range(3)]
        with pytest.raises(TooManyCodesError) as refused:
            auth.issue_code(s, "m5", now=DURING + timedelta(seconds=10), hasher=FAST_HASHER, max_live=3)
        # the oldest expires 600 s after DURING: 590 s after the refused request
        assert refused.value.retry_after == 590
        assert s.scalars(select(OneTimeCode).where(OneTimeCode.subject_id == "m5")).all().__len__() == 3
        # a used code no longer counts, nor does an expired one
        auth.sign_in_code(s, "m5", codes[2], now=DURING + timedelta(seconds=20), hasher=FAST_HASHER)
        assert len(auth.issue_code(s, "m5", now=DURING + timedelta(seconds=30), hasher=FAST_HASHER, max_live=3)) == 8
        with pytest.raises(TooManyCodesError):
            auth.issue_code(s, "m5", now=DURING + timedelta(seconds=40), hasher=FAST_HASHER, max_live=3)
        assert auth.issue_code(s, "m5", now=DURING + timedelta(seconds=601), hasher=FAST_HASHER, max_live=3)
        # another member is not affected
        assert auth.issue_code(s, "m4", now=DURING + timedelta(seconds=40), hasher=FAST_HASHER, max_live=3)
