"""``tandau primaries keys``: the election key ceremony and the decryption of closed contests.

Shares are shown on the terminal once, at the ceremony, and read back from the terminal (hidden) or from
standard input at decryption; they are never written to a file, the database or a log by Tandau.
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

import typer

from tandau.cli._app import err_console, new_app, out_console
from tandau.cli._db import ACTOR, DB
from tandau.errors import InputError
from tandau.services.primaries import keys, sealing
from tandau.services.primaries.contests import get_contest
from tandau.services.primaries.errors import StateError
from tandau.store.engine import database_url, make_engine

if TYPE_CHECKING:
    from nacl.public import PrivateKey
    from sqlalchemy.orm import Session

    from tandau.services.primaries.access import Actor

app = new_app("Election keys: the key ceremony before voting opens, decryption after it closes.")



@app.command("ceremony")
def ceremony(
    holders: str = typer.Option(..., "--holders", help="Key holders, comma-separated (e.g. central,observer,"
                                "commission); each gets one share."),
    threshold: int = typer.Option(2, "--threshold", help="How many shares rebuild the key (e.g. 2 of 3)."),
    cycle: str | None = typer.Option(None, "--cycle", help="Make one key for every contest of this cycle."),
    contest: str | None = typer.Option(None, "--contest", help="Make a key for this contest only."),
    db: str | None = DB,
    actor: str = ACTOR,
) -> None:
    """Make an election key; print each holder's share ONCE (copy it to paper or a password manager)."""
    from tandau.cli._db import session_scope
    from tandau.cli.primaries import _actor

    with session_scope(db) as session:
        done = keys.hold_ceremony(session, _actor(actor), holders=holders.split(","), threshold=threshold,
                                  cycle_id=cycle, contest_id=contest)
    out_console.print(f"election key {done.key.id}, fingerprint {done.key.fingerprint}, "
                      f"{done.key.threshold} of {len(done.shares)} shares rebuild it")
    for holder, share in done.shares:
        out_console.print(f"share of {holder}: {share.text()}", soft_wrap=True)
    out_console.print("Each holder keeps their share offline; Tandau keeps no copy.")


def _read_shares(session_key: keys.DecryptionSession, from_stdin: bool) -> None:
    """Fill the decryption session: ``HOLDER SHARE`` lines from standard input, or each holder asked in turn."""
    if from_stdin:
        for no, line in enumerate(sys.stdin, start=1):
            if not line.strip():
                continue
            holder, _, text = line.strip().partition(" ")
            session_key.add(holder, sealing.parse_share(text, parameter=f"stdin line {no}"))
            if session_key.ready:
                return
        raise InputError(f"{len(session_key.given)} share(s) given; {session_key.threshold} are needed",
                         parameter="stdin")
    for holder in session_key.holders:
        if session_key.ready:
            return
        text = typer.prompt(f"share of {holder} (empty to skip)", default="", hide_input=True, show_default=False)
        if text.strip():
            session_key.add(holder, sealing.parse_share(text, parameter=f"share of {holder}"))
    if not session_key.ready:
        raise InputError(f"{len(session_key.given)} share(s) given; {session_key.threshold} are needed",
                         parameter="share")


@app.command("decrypt")
def decrypt(
    contests: list[str] = typer.Argument(..., help="Closed contests sealed to the same election key."),
    stdin: bool = typer.Option(False, "--stdin", help="Read 'HOLDER SHARE' lines from standard input instead of "
                               "asking each holder."),
    job: bool = typer.Option(False, "--job", help="Run each contest as a background job of this process (closing it "
                             "first if still open): its progress shows in 'tandau jobs' and on /jobs; the key stays "
                             "in this process's memory."),
    db: str | None = DB,
    actor: str = ACTOR,
) -> None:
    """Rebuild the key from the holders' shares in this process, open the sealed ballots of the contests into
    shuffled anonymous rows, drop the sealed rows, then forget the key."""
    from tandau.cli._db import session_scope
    from tandau.cli.primaries import _actor

    with session_scope(db) as session:
        first = get_contest(session, contests[0])
        key = keys.key_for(session, first) if first.key_id is not None else None
        if key is None:
            raise StateError(f"contest {contests[0]!r} has no sealed ballots")
        pending = keys.DecryptionSession(key.id, key.public_key, key.threshold, tuple(keys.holders_of(key)))
        try:
            _read_shares(pending, stdin)
            private = pending.key()
        finally:
            pending.wipe()
        try:
            if job:
                _decrypt_as_jobs(session, _actor(actor), contests, private)
                contests = []
            for contest_id in contests:
                done = keys.decrypt_contest(session, _actor(actor), contest_id, private)
                out_console.print(f"{contest_id}: {done.counted} ballot(s) decrypted and shuffled, "
                                  f"{done.replaced} replaced, seed revealed {done.seed or '-'}")
        finally:
            del private
    _purge(db, force=False)


def _decrypt_as_jobs(session: Session, actor: Actor, contests: list[str], private: PrivateKey) -> None:
    """Each contest as a ``contest.close-decrypt`` job run here, the key its in-memory input (never stored)."""
    from tandau.services.jobs import get_job, run_job, submit

    failed = []
    for contest_id in contests:
        queued = submit(session, actor, "contest.close-decrypt", {"contest_id": contest_id}, dispatch=False)
        run_job(session.get_bind(), queued.id, inputs={"key": private})  # type: ignore[arg-type]
        session.expire_all()
        done = get_job(session, actor, queued.id)
        out_console.print(f"{contest_id}: job {done.id} {done.status}"
                          + (f": {done.result}" if done.result else "") + (f": {done.error}" if done.error else ""),
                          markup=False)
        if done.status != "succeeded":
            failed.append(contest_id)
    if failed:
        raise StateError(f"not decrypted: {', '.join(failed)} (see 'tandau jobs list')")


def _purge(db: str | None, *, force: bool) -> None:
    engine = make_engine(database_url(db))
    try:
        if keys.purge_sealed(engine, force=force):
            out_console.print("sealed-ballot table rewritten: no deleted box remains in its pages")
        else:
            out_console.print("contests are still open: run 'tandau primaries keys purge' when voting has ended "
                              "(the rewrite locks the sealed-ballot table)")
    except Exception as exc:  # the ballots are decrypted; a failed rewrite is reported, not fatal
        err_console.print(f"the sealed-ballot table could not be rewritten now ({exc.__class__.__name__}); "
                          "run 'tandau primaries keys purge' later")
    finally:
        engine.dispose()


@app.command("purge")
def purge(
    force: bool = typer.Option(False, "--force", help="Rewrite even while sealed contests are open (their "
                               "ballots wait for the rewrite)."),
    db: str | None = DB,
) -> None:
    """Rewrite the sealed-ballot table so that boxes of decrypted contests leave no bytes behind."""
    _purge(db, force=force)
