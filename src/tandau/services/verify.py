"""Recounting a published bulletin board (``tandau verify``): formats ``tandau-bulletin/1`` and ``/2``.

Format 2 is recounted under the tie policy it declares; a lot is replayed from the seed it reveals, and the
seed is checked against the commitment published when voting opened: the one in the header and, with
``commitment``, the one the verifier took from where it was published (the contest page or the audit log
at opening; not from the bulletin, which whoever changed the seed could also change). Candidates the header
lists as excluded are left out of the recount openly; ballots are kept as cast.
"""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass
from pathlib import Path

from tandau.core.tally import count
from tandau.core.tally.tracking import is_tracking_code
from tandau.errors import InputError, TieError
from tandau.io.bulletin import Bulletin, read_bulletin

OK, MISMATCH, MALFORMED = 0, 1, 2


@dataclass(frozen=True, slots=True)
class VerifyReport:
    """What was checked, what failed, and the exit code (0 all match, 1 mismatch, 2 malformed input)."""

    exit_code: int
    checks: tuple[tuple[str, bool, str], ...]
    tracker: str | None = None
    tracker_found: bool | None = None
    tracker_status: str | None = None  # counted | replaced | None (not on the bulletin)


def _seed_checks(b: Bulletin, commitment: str | None) -> list[tuple[str, bool, str]]:
    checks: list[tuple[str, bool, str]] = []
    if commitment is not None:
        given = commitment.strip().lower()
        if len(given) != 64 or any(ch not in "0123456789abcdef" for ch in given):
            raise InputError("a commitment is 64 hex digits (SHA-256)", parameter="--commitment")
        checks.append(("seed commitment matches the one published at opening",
                       b.seed_commitment is not None and hmac.compare_digest(given, b.seed_commitment),
                       f"published {given[:16]}…, bulletin {(b.seed_commitment or '-')[:16]}…"))
    if b.seed_commitment is not None:
        seed = b.seed_bytes
        ok = seed is not None and hashlib.sha256(seed).hexdigest() == b.seed_commitment
        detail = "SHA-256(seed) = commitment" if ok else "the seed is missing or does not hash to the commitment"
        checks.append(("seed opens its commitment", ok, detail))
    elif commitment is not None:
        checks.append(("seed opens its commitment", False, "the bulletin carries no seed commitment"))
    return checks


def verify_bulletin(path: str | Path, *, tracker: str | None = None, commitment: str | None = None) -> VerifyReport:
    """Recount a bulletin from its ballots and compare with its header (see docs/formats-ballots.md)."""
    from tandau.services.tally import number

    b = read_bulletin(path)
    checks: list[tuple[str, bool, str]] = []
    if b.malformed:
        shown = "; ".join(f"line {n}: {why}" for n, why in b.malformed[:10])
        return VerifyReport(MALFORMED, (("ballots well-formed", False, shown),))
    lines = len(b.trackers) + len(b.tracker_problems)  # every well-formed ballot line yields one of the two
    checks.append(("tracking codes well-formed and unique", not b.tracker_problems,
                   "; ".join(f"line {n}: {why}" for n, why in b.tracker_problems[:10]) or f"{len(b.trackers)} codes"))
    checks.append(("ballot_count matches the ballots", lines == b.ballot_count,
                   f"header {b.ballot_count}, ballots {lines}"))
    overlap = set(b.replaced) & set(b.trackers)
    if b.replaced:
        detail = f"{len(b.replaced)} replaced" if not overlap else f"counted and replaced: {sorted(overlap)[:5]}"
        checks.append(("replaced codes are not counted", not overlap, detail))
    checks += _seed_checks(b, commitment)
    policy = b.tie_policy or "nomination-order"
    seed = b.seed if policy == "lot" else None
    if policy == "lot" and seed is None:
        checks.append(("lot replayable", False, "the tie policy is lot but the bulletin reveals no seed"))
        policy = "nomination-order"
    try:
        result = count(b.rule, b.profile, b.seats, tie_policy=policy, seed=seed)
    except TieError as tie:  # the declared policy refuses a tie these ballots have: they do not give the result
        checks.append((f"recount under the declared tie policy ({policy})", False,
                       f"{tie.what}: tied {', '.join(tie.tied)}; a declared result cannot come from these ballots"))
        return VerifyReport(MISMATCH, tuple(checks), *_tracker(b, tracker))
    if b.excluded:
        checks.append(("excluded from the count, openly", True,
                       "; ".join(f"{cid}: {why}" for cid, why in b.excluded)))
    checks.append(("elected", set(result.elected) == set(b.declared.elected),
                   f"recount {list(result.elected)}, declared {list(b.declared.elected)}"))
    checks.append(("ranking", tuple(result.ranking) == b.declared.ranking,
                   f"recount {list(result.ranking)}, declared {list(b.declared.ranking)}"))
    if b.declared.counts is not None:
        mine = {k: number(v) for k, v in (result.scores or {}).items()}
        theirs = {k: number(v) if isinstance(v, int) else v for k, v in b.declared.counts.items()}
        diff = sorted(k for k in set(mine) | set(theirs) if str(mine.get(k)) != str(theirs.get(k)))
        checks.append(("counts", not diff, "all equal" if not diff else f"differ for {diff}"))
    if result.ties:
        checks.append((f"ties in the recount ({policy})", True,
                       "; ".join(f"{t.what}: {t.chosen}" for t in result.ties[:5])))
    ok = all(passed for _, passed, _ in checks)
    return VerifyReport(OK if ok else MISMATCH, tuple(checks), *_tracker(b, tracker))


def _tracker(b: Bulletin, tracker: str | None) -> tuple[str | None, bool | None, str | None]:
    """(tracker, found among the counted ballots, counted | replaced | None) for the report."""
    if tracker is None:
        return None, None, None
    code = tracker.strip().upper()
    counted = is_tracking_code(code) and code in set(b.trackers)
    return tracker, counted, "counted" if counted else "replaced" if code in set(b.replaced) else None
