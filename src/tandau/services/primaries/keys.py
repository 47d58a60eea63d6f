"""The election key: the ceremony that makes it, and the decryption of a closed contest's sealed ballots.

At the ceremony (central office, before voting opens) an X25519 key pair is made for one contest or for every
contest of a cycle; its private half is split into shares for the key holders (for example the central office,
an observer and the commission, 2 of 3) and printed or shown to them once; only the public half is stored.
When a contest closes, the holders hand in their shares to ONE process (``tandau primaries keys decrypt``, or
the key holders' page, whose :class:`DecryptionSession` lives in that process's memory only): the key is
rebuilt, every sealed ballot opened, the last ballot of each member kept (re-voting), identities stripped,
the ballots shuffled and written as fresh rows in one transaction together with the deletion of the sealed
rows, and the key dropped. Shares and the key never reach the database, a log or a file.
"""

from __future__ import annotations

import json
import random
import secrets
import threading
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime

from nacl.public import PrivateKey
from sqlalchemy import delete, insert, select, text
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from tandau.errors import InputError
from tandau.services.primaries import audit, sealing
from tandau.services.primaries.access import Action, Actor, is_allowed, require
from tandau.services.primaries.contests import get_contest, utcnow
from tandau.services.primaries.errors import NotFoundError, StateError
from tandau.store.models import Ballot, Contest, Cycle, ElectionKey, ReplacedTracker, SealedBallot

_SYSTEM_RNG = random.SystemRandom()


@dataclass(frozen=True, slots=True)
class Ceremony:
    """The outcome of a key ceremony: the stored public key and each holder's share (shown once)."""

    key: ElectionKey
    shares: tuple[tuple[str, sealing.Share], ...]  # (holder, share)


def hold_ceremony(
    session: Session, actor: Actor, *, holders: Sequence[str], threshold: int, cycle_id: str | None = None,
    contest_id: str | None = None, now: datetime | None = None,
) -> Ceremony:
    """Make the election key of a contest (``contest_id``) or of every contest of a cycle (``cycle_id``)."""
    require(actor, Action.KEY_CEREMONY, None)
    names = [h.strip() for h in holders]
    if (cycle_id is None) == (contest_id is None):
        raise InputError("give either a cycle or a contest", parameter="--cycle/--contest")
    if len(names) < 2 or any(not n for n in names) or len(set(names)) != len(names):
        raise InputError("name at least two different key holders", parameter="--holders")
    if not 2 <= threshold <= len(names):
        raise InputError(f"the threshold must be between 2 and {len(names)} (the number of holders)",
                         parameter="--threshold")
    if contest_id is not None:
        contest = get_contest(session, contest_id)
        if contest.status != "draft":
            raise StateError(f"contest {contest_id!r} is {contest.status}; its key is made before it opens")
        taken = session.scalar(select(ElectionKey.id).where(ElectionKey.contest_id == contest_id))
    else:
        if session.get(Cycle, cycle_id) is None:
            raise NotFoundError("cycle", str(cycle_id))
        taken = session.scalar(select(ElectionKey.id).where(ElectionKey.cycle_id == cycle_id,
                                                            ElectionKey.contest_id.is_(None)))
    if taken is not None:
        raise StateError(f"an election key ({taken}) exists already for this {'contest' if contest_id else 'cycle'}")
    made = sealing.make_key(threshold, len(names))
    key = ElectionKey(id=made.key_id, cycle_id=cycle_id, contest_id=contest_id, public_key=made.public_key,
                      fingerprint=sealing.fingerprint(made.public_key), threshold=threshold,
                      holders=json.dumps(names, ensure_ascii=False), created_at=now or utcnow())
    session.add(key)
    audit.append(session, actor=actor.subject_id, action="key.ceremony", target=contest_id or f"cycle:{cycle_id}",
                 now=now, details={"key": made.key_id, "fingerprint": key.fingerprint, "threshold": threshold,
                                   "holders": names})
    session.commit()
    return Ceremony(key, tuple(zip(names, made.shares, strict=True)))


def key_for(session: Session, contest: Contest) -> ElectionKey | None:
    """The key a contest's ballots are (or will be) sealed to: its own, else its cycle's; None if none."""
    if contest.key_id is not None:
        return session.get(ElectionKey, contest.key_id)
    own = session.scalar(select(ElectionKey).where(ElectionKey.contest_id == contest.id))
    if own is not None:
        return own
    return session.scalar(select(ElectionKey).where(ElectionKey.cycle_id == contest.cycle_id,
                                                    ElectionKey.contest_id.is_(None)))


def holders_of(key: ElectionKey) -> list[str]:
    return [str(h) for h in json.loads(key.holders)]


@dataclass(frozen=True, slots=True)
class Decrypted:
    """What a decryption produced: counted ballots, replaced ballots (re-voting), and the revealed seed."""

    contest_id: str
    counted: int
    replaced: int
    seed: str | None


def decrypt_contest(
    session: Session, actor: Actor, contest_id: str, private: PrivateKey, *, now: datetime | None = None,
    rng: random.Random | None = None,
) -> Decrypted:
    """Open the sealed ballots of a closed contest into fresh, shuffled, anonymous rows (one transaction)."""
    contest = get_contest(session, contest_id)
    require(actor, Action.BALLOTS_DECRYPT, contest.kato)
    if contest.key_id is None:
        raise StateError(f"contest {contest_id!r} was opened before sealed ballots; it has nothing to decrypt")
    if contest.status != "closed" or contest.decrypted_at is not None:
        state = "decrypted already" if contest.decrypted_at is not None else contest.status
        raise StateError(f"contest {contest_id!r} is {state}; ballots are decrypted once, after it closes")
    key = session.get(ElectionKey, contest.key_id)
    if key is None or bytes(private.public_key).hex() != key.public_key:
        raise InputError("this is not the contest's election key", parameter="share")
    rows = session.execute(
        select(SealedBallot.member_id, SealedBallot.cast_no, SealedBallot.box)
        .where(SealedBallot.contest_id == contest_id).order_by(SealedBallot.member_id, SealedBallot.cast_no)
    ).all()
    last: dict[str, bytes] = {}
    earlier: list[bytes] = []
    for member_id, _cast_no, box in rows:  # ordered: the member's last cast comes last
        if member_id in last:
            earlier.append(last[member_id])
        last[member_id] = bytes(box)
    counted = [sealing.unseal(private, box) for box in last.values()]
    replaced = [sealing.unseal(private, box)[0] for box in earlier]
    del last, earlier, rows
    shuffle = rng or _SYSTEM_RNG
    shuffle.shuffle(counted)
    shuffle.shuffle(replaced)
    seed_hex = None
    if contest.seed_box is not None:
        seed = sealing.unseal_seed(private, contest.seed_box)
        if sealing.commitment(seed) != contest.seed_commitment:
            raise StateError(f"the sealed seed of {contest_id!r} does not match its published commitment")
        seed_hex = seed.hex()
    trackers = [t for t, _ in counted] + replaced
    if len(set(trackers)) != len(trackers):
        raise StateError("two ballots carry the same tracking code (80 random bits: report this)")
    if counted:
        session.execute(insert(Ballot), [
            {"id": secrets.token_hex(16), "contest_id": contest_id, "tracker": t,
             "selection": json.dumps(sel, ensure_ascii=False)} for t, sel in counted])
    if replaced:
        session.execute(insert(ReplacedTracker), [{"contest_id": contest_id, "tracker": t} for t in replaced])
    session.execute(delete(SealedBallot).where(SealedBallot.contest_id == contest_id))
    moment = now or utcnow()
    contest.decrypted_at = moment
    contest.seed = seed_hex
    audit.append(session, actor=actor.subject_id, action="contest.decrypt", target=contest_id, now=moment,
                 details={"key": key.id, "counted": len(counted), "replaced": len(replaced), "seed": seed_hex})
    session.commit()
    return Decrypted(contest_id, len(counted), len(replaced), seed_hex)


def purge_sealed(engine: Engine, *, force: bool = False) -> bool:
    """Rewrite the sealed-ballot table so the deleted boxes leave no bytes in its pages (PostgreSQL
    ``VACUUM FULL``; SQLite ``VACUUM``). The rewrite takes the table's exclusive lock, which would stall the
    ballots of contests still open: unless ``force``, it runs only when no sealed contest is open, and says
    whether it ran (``tandau primaries keys purge`` runs it later)."""
    if not force:
        with engine.connect() as conn:
            still_open = conn.execute(select(Contest.id).where(
                Contest.status == "open", Contest.key_id.is_not(None)).limit(1)).first()
        if still_open is not None:
            return False
    if engine.dialect.name == "postgresql":
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(text("VACUUM (FULL) sealed_ballots"))
    elif engine.dialect.name == "sqlite":
        raw = engine.raw_connection()  # outside SQLAlchemy's transaction handling: VACUUM needs none open
        try:
            driver = raw.driver_connection
            assert driver is not None
            previous = driver.isolation_level
            driver.isolation_level = None
            try:
                driver.execute("VACUUM")
            finally:
                driver.isolation_level = previous
        finally:
            raw.close()
    return True


@dataclass
class DecryptionSession:
    """Shares handed in for one key, held in this process's memory until the threshold is met."""

    key_id: str
    public_key: str
    threshold: int
    holders: tuple[str, ...]
    given: dict[str, sealing.Share] = field(default_factory=dict)  # holder -> share

    def add(self, holder: str, share: sealing.Share) -> None:
        if holder not in self.holders:
            raise InputError(f"{holder!r} holds no share of key {self.key_id}", parameter="holder")
        if share.key_id != self.key_id:
            raise InputError(f"this share belongs to key {share.key_id}, not {self.key_id}", parameter="share")
        if share.index != self.holders.index(holder) + 1:
            raise InputError(f"this is not the share handed to {holder!r} at the ceremony", parameter="share")
        self.given[holder] = share

    @property
    def ready(self) -> bool:
        return len(self.given) >= self.threshold

    def key(self) -> PrivateKey:
        return sealing.combine(list(self.given.values())[: self.threshold], self.public_key)

    def wipe(self) -> None:
        self.given.clear()


_SESSIONS: dict[str, DecryptionSession] = {}
_LOCK = threading.Lock()


def decryption_session(key: ElectionKey) -> DecryptionSession:
    """This process's decryption session for ``key`` (made on first use)."""
    with _LOCK:
        found = _SESSIONS.get(key.id)
        if found is None:
            found = DecryptionSession(key.id, key.public_key, key.threshold, tuple(holders_of(key)))
            _SESSIONS[key.id] = found
        return found


def end_decryption_session(key_id: str) -> None:
    """Forget the shares handed in for ``key_id`` in this process."""
    with _LOCK:
        found = _SESSIONS.pop(key_id, None)
    if found is not None:
        found.wipe()


@dataclass(frozen=True, slots=True)
class KeyStatus:
    """An election key as the key holders' page shows it: who holds shares, who has handed theirs in to this
    process, and the closed contests waiting for decryption."""

    key: ElectionKey
    holders: tuple[str, ...]
    given: tuple[str, ...]
    waiting: tuple[str, ...]


def key_statuses(session: Session, actor: Actor) -> list[KeyStatus]:
    """Every election key with the contests sealed to it that are closed and not yet decrypted."""
    if not (is_allowed(actor, Action.SHARE_HAND_IN, None) or is_allowed(actor, Action.BALLOTS_DECRYPT, None)):
        require(actor, Action.SHARE_HAND_IN, None)
    statuses = []
    for key in session.scalars(select(ElectionKey).order_by(ElectionKey.created_at)):
        waiting = tuple(session.scalars(select(Contest.id).where(
            Contest.key_id == key.id, Contest.status == "closed", Contest.decrypted_at.is_(None)).order_by(Contest.id)))
        with _LOCK:
            found = _SESSIONS.get(key.id)
            given = tuple(found.given) if found is not None else ()
        statuses.append(KeyStatus(key, tuple(holders_of(key)), given, waiting))
    return statuses


@dataclass(frozen=True, slots=True)
class HandIn:
    """After a share was handed in: the holders who have, the threshold, and what was decrypted (once met)."""

    key_id: str
    given: tuple[str, ...]
    threshold: int
    decrypted: tuple[Decrypted, ...]


def hand_in(session: Session, actor: Actor, key_id: str, share_text: str) -> HandIn:
    """A key holder hands in their share (the signed-in holder's own: a holder is a staff login named at the
    ceremony). Once ``threshold`` shares are in, the key is rebuilt in this process, every closed contest
    sealed to it is decrypted, and the shares and the key are forgotten."""
    require(actor, Action.SHARE_HAND_IN, None)
    key = session.get(ElectionKey, key_id)
    if key is None:
        raise NotFoundError("election key", key_id)
    pending = decryption_session(key)
    pending.add(actor.subject_id, sealing.parse_share(share_text))
    audit.append(session, actor=actor.subject_id, action="key.share", target=key.id, details={})
    session.commit()
    if not pending.ready:
        return HandIn(key.id, tuple(pending.given), key.threshold, ())
    try:
        private = pending.key()
    finally:
        end_decryption_session(key.id)
    done = []
    waiting = list(session.scalars(select(Contest.id).where(
        Contest.key_id == key.id, Contest.status == "closed", Contest.decrypted_at.is_(None)).order_by(Contest.id)))
    try:
        for contest_id in waiting:
            done.append(decrypt_contest(session, actor, contest_id, private))
    finally:
        del private
    bind = session.get_bind()
    if done and isinstance(bind, Engine):
        purge_sealed(bind)
    return HandIn(key.id, (), key.threshold, tuple(done))
