"""Sealed ballots: the election key and its shares, re-voting, idempotent retries, the committed seed, open
exclusions, the lot on a tie, and the bulletin (format 2) that ``tandau verify`` recounts (issue 10)."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest
from sqlalchemy import func, select

from tandau.errors import InputError, TieError
from tandau.services.primaries import audit, contests, keys, nominations, publish, sealing, voting
from tandau.services.primaries.auth import actor_for
from tandau.services.primaries.errors import AlreadyVotedError, StateError
from tandau.services.verify import verify_bulletin
from tandau.store import Ballot, Contest
from tandau.store.models import ElectionKey, ReplacedTracker, SealedBallot

from .conftest import AFTER, CENTRAL, CLOSES, DURING, OPENS, World, decrypt_with


def _vote(world: World, member: str, contest: str, selection: list[str], **kw: object) -> voting.Receipt:
    with world.session() as s:
        return voting.cast_ballot(s, actor_for(s, member), contest, selection, now=DURING, **kw)  # type: ignore[arg-type]


def _revote_contest(world: World, contest_id: str = "almaty-revote", *, ties: str = "nomination-order") -> str:
    with world.session() as s:
        contests.create_contest(s, CENTRAL, contests.ContestSpec(
            contest_id, "2026", "Almaty city (re-voting)", "city", "Almaty", "approval", 1, OPENS, CLOSES,
            council_id="ms-75-revote", kato="750000000", max_marks=1, tie_policy=ties, revote=True))
        for m in ("m1", "m2", "m4"):
            nominations.register_nomination(s, CENTRAL, nominations.NominationRequest(contest_id, m))
        contests.open_contest(s, CENTRAL, contest_id)
    return contest_id


def _publish(world: World, contest_id: str, out: Path, **kw: object) -> publish.ContestResult:
    world.close(contest_id)
    with world.session() as s:
        return publish.publish_contest(s, CENTRAL, contest_id, out, **kw)  # type: ignore[arg-type]


def test_a_ballot_is_sealed_on_arrival_and_opens_only_with_the_key(world: World) -> None:
    receipt = _vote(world, "m1", "almaty-city", ["m2", "m1"])
    with world.session() as s:
        assert s.scalar(select(func.count()).select_from(Ballot)) == 0  # nothing in clear while voting runs
        row = s.scalars(select(SealedBallot)).one()
        key = s.scalars(select(ElectionKey)).one()
    shares = [share for _, share in world.shares]
    for pair in ([shares[0], shares[1]], [shares[0], shares[2]], [shares[1], shares[2]]):
        private = sealing.combine(pair, key.public_key)  # any two of the three holders
        assert sealing.unseal(private, row.box) == (receipt.tracker, ["m1", "m2"])
    with pytest.raises(InputError, match="do not rebuild"):
        sealing.combine(shares[:1], key.public_key)  # one share alone is not the key
    other = sealing.make_key(2, 3)
    with pytest.raises(InputError, match="different keys"):
        sealing.combine([shares[0], other.shares[1]], key.public_key)
    bad = sealing.Share(shares[0].key_id, shares[0].index, bytes(32))
    with pytest.raises(InputError, match="do not rebuild"):
        sealing.combine([bad, shares[1]], key.public_key)
    typo = shares[0].text()[:-1] + ("0" if shares[0].text()[-1] != "0" else "1")
    with pytest.raises(InputError, match="checksum"):
        sealing.parse_share(typo)


def test_every_box_of_a_contest_has_one_size(world: World) -> None:
    _vote(world, "m1", "national", ["m1"])
    _vote(world, "m2", "national", ["m1", "m2", "m3"])
    with world.session() as s:
        sizes = set(s.scalars(select(func.length(SealedBallot.box)).where(SealedBallot.contest_id == "national")))
    assert len(sizes) == 1


def test_a_contest_without_a_key_cannot_open(world: World) -> None:
    with world.session() as s:
        contests.create_cycle(s, CENTRAL, "2031", "Next", None)
        contests.create_contest(s, CENTRAL, contests.ContestSpec(
            "later", "2031", "Later", "national", "Kazakhstan", "approval", 1, OPENS, CLOSES))
        with pytest.raises(StateError, match="key ceremony"):
            contests.open_contest(s, CENTRAL, "later")


def test_counting_waits_for_decryption_and_a_wrong_key_is_refused(world: World, tmp_path: Path) -> None:
    _vote(world, "m1", "national", ["m1"])
    with world.session() as s:
        contests.close_contest(s, CENTRAL, "national", now=AFTER)
        with pytest.raises(StateError, match="sealed"):
            publish.publish_contest(s, CENTRAL, "national", tmp_path / "b.jsonl")
        with pytest.raises(InputError, match="not the contest's election key"):
            keys.decrypt_contest(s, CENTRAL, "national", sealing.PrivateKey.generate())
    done = world.decrypt("national")
    assert (done.counted, done.replaced) == (1, 0)
    with world.session() as s, pytest.raises(StateError, match="decrypted already"):
        keys.decrypt_contest(s, CENTRAL, "national", sealing.PrivateKey.generate())


def test_decryption_shuffles_and_strips_identities(world: World) -> None:
    members = ["m1", "m2", "m3", "m4", "m7"]
    receipts = {m: _vote(world, m, "national", [m if m in ("m1", "m2", "m3") else "m1"]).tracker for m in members}
    world.close("national")
    with world.session() as s:
        rows = s.execute(select(Ballot.tracker, Ballot.selection).where(Ballot.contest_id == "national")).all()
        assert s.scalar(select(func.count()).select_from(SealedBallot)) == 0
    assert {t for t, _ in rows} == set(receipts.values())
    assert all(not any(m in sel for m in ("m4", "m7")) for _, sel in rows)  # rows hold no voter


def test_revoting_counts_the_last_ballot_and_shows_the_replaced_code(world: World, tmp_path: Path) -> None:
    contest = _revote_contest(world)
    first = _vote(world, "m2", contest, ["m1"])
    second = _vote(world, "m2", contest, ["m4"])  # the coerced vote is replaced in private
    _vote(world, "m7", contest, ["m1"])
    result = _publish(world, contest, tmp_path / "revote.jsonl")
    assert result.tally.ballots == 2
    with world.session() as s:
        assert s.scalars(select(ReplacedTracker.tracker)).all() == [first.tracker]
        assert publish.tracker_status(s, contest, first.tracker) == "replaced"
        assert publish.tracker_status(s, contest, second.tracker) == "counted"
    report = verify_bulletin(tmp_path / "revote.jsonl", tracker=first.tracker)
    assert report.exit_code == 0 and report.tracker_status == "replaced" and not report.tracker_found
    assert {n: ok for n, ok, _ in report.checks}["replaced codes are not counted"]


def test_a_retry_with_the_same_key_gets_the_first_receipt_and_replaces_nothing(world: World, tmp_path: Path) -> None:
    contest = _revote_contest(world)
    first = _vote(world, "m1", contest, ["m1"], idempotency_key="k" * 24)
    again = _vote(world, "m1", contest, ["m4"], idempotency_key="k" * 24)  # a retry (or a double click)
    assert again == first
    with world.session() as s:
        assert s.scalar(select(func.count()).select_from(SealedBallot)) == 1
    later = _vote(world, "m1", contest, ["m2"], idempotency_key="j" * 24)  # a new ballot replaces it
    assert later.tracker != first.tracker
    # without re-voting a retry still gets its receipt, and a different ballot is refused
    receipt = _vote(world, "m1", "national", ["m1"], idempotency_key="z" * 24)
    assert _vote(world, "m1", "national", ["m2"], idempotency_key="z" * 24) == receipt
    with pytest.raises(AlreadyVotedError):
        _vote(world, "m1", "national", ["m2"], idempotency_key="y" * 24)


def test_the_seed_is_committed_at_opening_and_checked_by_verify(world: World, tmp_path: Path) -> None:
    with world.session() as s:
        contest = s.get(Contest, "national")
        assert contest is not None and contest.seed is None  # nobody can read the seed while voting runs
        commitment = contest.seed_commitment
        opened = [e for e in audit.entries(s) if e.action == "contest.open" and e.target == "national"]
    assert commitment is not None and opened[0].details["seed_commitment"] == commitment
    _vote(world, "m1", "national", ["m1"])
    _publish(world, "national", tmp_path / "n.jsonl")
    header = json.loads((tmp_path / "n.jsonl").read_text(encoding="utf-8").splitlines()[0])
    assert header["format"] == "tandau-bulletin/2" and header["seed_commitment"] == commitment
    assert hashlib.sha256(bytes.fromhex(header["seed"])).hexdigest() == commitment
    assert verify_bulletin(tmp_path / "n.jsonl", commitment=commitment).exit_code == 0
    # a seed changed after opening (with the header's commitment changed to match) is caught against the
    # commitment published at opening
    forged = dict(header, seed="00" * 32, seed_commitment=hashlib.sha256(bytes(32)).hexdigest())
    lines = (tmp_path / "n.jsonl").read_text(encoding="utf-8").splitlines()
    (tmp_path / "forged.jsonl").write_text("\n".join([json.dumps(forged), *lines[1:]]) + "\n", encoding="utf-8")
    assert verify_bulletin(tmp_path / "forged.jsonl").exit_code == 0  # consistent with itself...
    assert verify_bulletin(tmp_path / "forged.jsonl", commitment=commitment).exit_code == 1  # ...not with opening
    unopened = dict(header, seed="11" * 32)
    (tmp_path / "bad.jsonl").write_text("\n".join([json.dumps(unopened), *lines[1:]]) + "\n", encoding="utf-8")
    assert verify_bulletin(tmp_path / "bad.jsonl").exit_code == 1


def test_a_tie_under_refuse_is_decided_by_lot_on_the_committed_seed(world: World, tmp_path: Path) -> None:
    contest = _revote_contest(world, "tie", ties="refuse")
    _vote(world, "m1", contest, ["m1"])
    _vote(world, "m2", contest, ["m2"])
    world.close(contest)
    with world.session() as s:
        with pytest.raises(TieError):
            publish.publish_contest(s, CENTRAL, contest, tmp_path / "t.jsonl")
        s.rollback()
        result = publish.publish_contest(s, CENTRAL, contest, tmp_path / "t.jsonl", lot_on_tie=True)
        assert result.tally.tie_policy == "lot" and result.tally.ties
        assert any(e.action == "contest.tie_lot" for e in audit.entries(s))
        commitment = s.get(Contest, contest).seed_commitment  # type: ignore[union-attr]
    report = verify_bulletin(tmp_path / "t.jsonl", commitment=commitment)
    assert report.exit_code == 0, report.checks


def test_an_exclusion_after_close_is_open_on_the_bulletin(world: World, tmp_path: Path) -> None:
    for member, marks in (("m1", ["m1", "m2"]), ("m2", ["m2"]), ("m4", ["m2", "m4"])):
        _vote(world, member, "almaty-city", marks)
    world.close("almaty-city")
    with world.session() as s:
        with pytest.raises(Exception, match=r"disqualif|closed|published"):
            nominations.disqualify(s, CENTRAL, "almaty-city", "m2", "too late")
        s.rollback()
        publish.exclude_candidate(s, CENTRAL, "almaty-city", "m2", "expelled by the party court")
        result = publish.publish_contest(s, CENTRAL, "almaty-city", tmp_path / "x.jsonl")
        public = nominations.public_ids(s, "almaty-city")
    assert "m2" not in result.tally.ranking
    lines = (tmp_path / "x.jsonl").read_text(encoding="utf-8").splitlines()
    header = json.loads(lines[0])
    assert header["excluded"] == [{"id": public["m2"], "reason": "expelled by the party court"}]
    assert sum(public["m2"] in json.loads(line)["marks"] for line in lines[1:]) == 3  # ballots as cast
    report = verify_bulletin(tmp_path / "x.jsonl")
    assert report.exit_code == 0, report.checks


def test_the_bulletin_names_no_member_and_no_birth_date(world: World, tmp_path: Path) -> None:
    _vote(world, "m1", "national", ["m1", "m3"])
    _publish(world, "national", tmp_path / "p.jsonl")
    text = (tmp_path / "p.jsonl").read_text(encoding="utf-8")
    for secret in ("m1", "m2", "m3", "1990-05-01", "1980-01-02", "1995-07-07", "birth_date"):
        assert f'"{secret}' not in text, secret
    header = json.loads(text.splitlines()[0])
    assert {c["under_35"] for c in header["candidates"]} == {True, False}


def test_shares_handed_in_one_by_one_decrypt_once_the_threshold_is_met(world: World) -> None:
    from tandau.services.primaries.access import Actor, Grant, Role

    _vote(world, "m1", "national", ["m1"])
    with world.session() as s:
        contests.close_contest(s, CENTRAL, "national", now=AFTER)
        key = s.scalars(select(ElectionKey)).one()
    holders = {name: Actor(name, (Grant(Role.KEYHOLDER),)) for name, _ in world.shares}
    shares = dict(world.shares)
    with world.session() as s:
        with pytest.raises(InputError, match="not the share handed"):
            keys.hand_in(s, holders["observer"], key.id, shares["central"].text())
        first = keys.hand_in(s, holders["observer"], key.id, shares["observer"].text())
        assert first.given == ("observer",) and not first.decrypted
        done = keys.hand_in(s, holders["commission"], key.id, shares["commission"].text())
    assert [d.contest_id for d in done.decrypted] == ["national"]
    assert keys.decryption_session(key).given == {}  # the shares are forgotten
    with pytest.raises(StateError):
        decrypt_with(world.db, "national", [shares["central"], shares["observer"]])


def test_a_member_who_joined_after_opening_is_neither_offered_the_contest_nor_counted_as_entitled(world: World
                                                                                                   ) -> None:
    from datetime import timedelta

    from sqlalchemy import update

    from tandau.store import Member

    with world.session() as s:
        before = voting.turnout(s, CENTRAL, "national").eligible
        s.execute(update(Member).where(Member.id == "m7").values(on_roll_since=OPENS + timedelta(hours=1)))
        s.commit()
        assert "national" not in [v.contest.id for v in voting.contests_for_member(s, "m7", now=DURING)]
        assert voting.turnout(s, CENTRAL, "national").eligible == before - 1


def test_the_sealed_table_is_rewritten_only_when_no_sealed_contest_is_open(world: World) -> None:
    _vote(world, "m1", "national", ["m1"])
    world.close("national")
    assert keys.purge_sealed(world.db.engine) is False  # the other contests still take ballots
    assert keys.purge_sealed(world.db.engine, force=True) is True
    for contest in ("almaty-city", "almaty-region"):
        world.close(contest)
    assert keys.purge_sealed(world.db.engine) is True


def test_racing_ballots_of_one_member_in_a_revoting_contest_are_both_taken(world: World) -> None:
    import threading

    contest = _revote_contest(world)
    receipts: list[str] = []
    barrier = threading.Barrier(3)

    def vote(choice: str) -> None:
        barrier.wait()
        receipts.append(_vote(world, "m1", contest, [choice]).tracker)

    threads = [threading.Thread(target=vote, args=(c,)) for c in ("m1", "m2", "m4")]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert len(receipts) == 3
    opened = world.sealed(contest)
    assert sorted(b.cast_no for b in opened) == [1, 2, 3]
    assert {b.tracker for b in opened} == set(receipts)
