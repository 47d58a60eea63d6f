"""Use cases of counting: load ballots in any supported format, count, merge paper totals, verify a bulletin."""

from __future__ import annotations

import csv
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path
from typing import Any

from tandau.core.tally import ApprovalProfile, RankedProfile, TallyResult, count, get_rule, group_ranking, parse_group
from tandau.core.tally.ballots import Contestant
from tandau.errors import InputError
from tandau.io.ballots_csv import read_ballots_csv, read_candidates_csv
from tandau.io.blt import read_blt
from tandau.io.bulletin import read_bulletin
from tandau.io.preflib import read_preflib

Profile = RankedProfile | ApprovalProfile


@dataclass(frozen=True, slots=True)
class Contest:
    """One contest read from a file: its id, profile and the seats the file declares (if any)."""

    id: str
    profile: Profile
    seats: int | None = None
    notes: tuple[str, ...] = ()


def _blt(path: Path, **_: Any) -> list[Contest]:
    e = read_blt(path)
    notes = (f"withdrawn: {', '.join(e.withdrawn)}",) if e.withdrawn else ()
    return [Contest(e.profile.title or path.stem, e.profile, e.seats, notes)]


def _preflib(path: Path, **_: Any) -> list[Contest]:
    e = read_preflib(path)
    notes = (f"{e.truncated} ballot(s) cut before tied preferences",) if e.truncated else ()
    return [Contest(path.stem, e.profile, None, notes)]


def _csv(path: Path, *, candidates: Path | None = None, max_marks: int | None = None, method: str = "approval",
         **_: Any) -> list[Contest]:
    cands = read_candidates_csv(candidates) if candidates else None
    fast = method in ("approval", "plurality")
    limit = 1 if method == "plurality" and max_marks is None else max_marks
    profiles = read_ballots_csv(path, candidates=cands, max_marks=limit, need_ballots=not fast)
    return [Contest(k, p) for k, p in sorted(profiles.items())]


def _bulletin(path: Path, **_: Any) -> list[Contest]:
    b = read_bulletin(path)
    problems = list(b.malformed) + list(b.tracker_problems)
    if problems:
        from tandau.io.blt import BallotFileError

        raise BallotFileError(str(path), sorted(problems))
    return [Contest(b.contest_id, b.profile, b.seats)]


READERS: dict[str, Callable[..., list[Contest]]] = {
    ".blt": _blt, ".soi": _preflib, ".toi": _preflib, ".toc": _preflib, ".soc": _preflib, ".csv": _csv,
    ".jsonl": _bulletin,
}


def load_contests(path: str | Path, **options: Any) -> list[Contest]:
    """Read a ballot file; the format follows the extension (``READERS``)."""
    p = Path(path)
    reader = READERS.get(p.suffix.lower())
    if reader is None:
        raise InputError(f"unknown ballot format {p.suffix!r}; valid: {', '.join(sorted(READERS))}", file=str(p))
    if not p.is_file():
        raise InputError("no such file", file=str(p))
    return reader(p, **options)


def read_paper_totals(path: str | Path, candidates: tuple[Contestant, ...]) -> dict[str, tuple[int, list[int]]]:
    """Paper totals by polling station: header ``station,ballots,ID...``; a station may appear only once."""
    ids = [c.id for c in candidates]
    out: dict[str, tuple[int, list[int]]] = {}
    with Path(path).open(newline="", encoding="utf-8") as fh:
        reader = csv.reader(fh)
        header = next(reader, [])
        if header[:2] != ["station", "ballots"] or sorted(header[2:]) != sorted(ids):
            raise InputError(f"header must be station,ballots and every candidate id ({', '.join(ids)})",
                             file=str(path), row=1)
        cols = [header.index(i) for i in ids]
        for row_no, row in enumerate(reader, start=2):
            station = row[0].strip() if row else ""
            if not station:
                raise InputError("missing station id", file=str(path), row=row_no, column="station")
            if station in out:
                raise InputError(f"station {station!r} counted twice", file=str(path), row=row_no)
            try:
                nums = [int(row[1])] + [int(row[j]) for j in cols]
            except (ValueError, IndexError):
                raise InputError("ballots and marks must be whole numbers", file=str(path), row=row_no) from None
            if min(nums) < 0:
                raise InputError("negative count", file=str(path), row=row_no)
            out[station] = (nums[0], nums[1:])
    return out


def merge_paper(profile: ApprovalProfile, totals: Mapping[str, tuple[int, list[int]]]) -> ApprovalProfile:
    """Add per-station paper totals to online approval counts (each station once; online ballots carry none)."""
    scores = list(profile.approvals())
    for _, marks in totals.values():
        scores = [a + b for a, b in zip(scores, marks, strict=True)]
    return ApprovalProfile(profile.candidates, profile.ballots, profile.max_marks, profile.election_date,
                           profile.title, scores=tuple(scores),
                           ballot_total=profile.total + sum(b for b, _ in totals.values()))


def number(x: Fraction | int) -> int | str:
    """JSON form of an exact number: an int, or an exact decimal string, or ``"p/q"``."""
    f = Fraction(x)
    if f.denominator == 1:
        return f.numerator
    for digits in range(1, 13):
        scaled = f * 10**digits
        if scaled.denominator == 1:
            sign = "-" if scaled < 0 else ""
            a = abs(scaled.numerator)
            return f"{sign}{a // 10**digits}.{a % 10**digits:0{digits}d}"
    return f"{f.numerator}/{f.denominator}"


@dataclass(frozen=True, slots=True)
class Outcome:
    """A counted contest with its group rankings, ready to print."""

    contest: Contest
    result: TallyResult
    groups: tuple[Any, ...] = field(default=())


def tally_file(
    path: str | Path, *, method: str, seats: int | None = None, groups: tuple[str, ...] = (),
    tie_policy: str = "nomination-order", seed: int | None = None, candidates: Path | None = None,
    max_marks: int | None = None, contest: str | None = None, paper: Path | None = None,
) -> list[Outcome]:
    """Read, count and rank within groups; the file is validated whole before anything is counted."""
    get_rule(method)
    filters = [parse_group(g) for g in groups]
    contests = load_contests(path, candidates=candidates, max_marks=max_marks, method=method)
    if contest is not None:
        contests = [c for c in contests if c.id == contest]
        if not contests:
            raise InputError(f"no contest {contest!r} in the file", parameter="contest")
    outcomes = []
    for c in contests:
        n_seats = seats if seats is not None else c.seats
        if n_seats is None:
            raise InputError("the file does not say how many seats; give --seats", parameter="seats")
        profile = c.profile
        if paper is not None:
            if not isinstance(profile, ApprovalProfile) or method not in ("approval", "plurality"):
                raise InputError("paper totals merge only into approval or plurality counts", parameter="paper")
            profile = merge_paper(profile, read_paper_totals(paper, profile.candidates))
        result = count(method, profile, n_seats, tie_policy=tie_policy, seed=seed)
        grs = tuple(group_ranking(result, f, profile.election_date) for f in filters)
        outcomes.append(Outcome(c, result, grs))
    return outcomes


def result_json(outcome: Outcome) -> dict[str, Any]:
    """The JSON object of one counted contest: elected and ranking (ids, with names), scores, ties and trace."""
    r = outcome.result
    out: dict[str, Any] = {
        "contest": outcome.contest.id, "method": r.method, "seats": r.seats, "ballots": r.ballots,
        "elected": list(r.elected), "elected_names": [r.name_of(c) for c in r.elected],
        "ranking": list(r.ranking), "ranking_names": [r.name_of(c) for c in r.ranking],
        "scores": {k: number(v) for k, v in (r.scores or {}).items()},
        "quota": None if r.quota is None else number(r.quota),
        "tie_policy": r.tie_policy, "seed": r.seed,
        "ties": [{"what": t.what, "tied": list(t.tied), "chosen": t.chosen, "method": t.method} for t in r.ties],
        "notes": list(outcome.contest.notes) + list(r.notes),
        "groups": [{"group": g.group, "ranking": list(g.ranking), "positions": list(g.positions),
                    "elected": list(g.elected)} for g in outcome.groups],
    }
    if r.stages:
        out["trace"] = [{
            "stage": s.number, "action": s.action, "subject": s.subject, "reason": s.reason,
            "votes": {k: number(v) for k, v in s.votes.items()},
            "transfers": {k: number(v) for k, v in s.transfers.items()},
            "surplus": number(s.surplus), "exhausted": number(s.exhausted), "residual": number(s.residual),
            "elected": list(s.elected), "excluded": list(s.excluded),
        } for s in r.stages]
    else:
        out["trace"] = [{"round": x.number, "chosen": x.chosen, "value": number(x.value), "reason": x.reason,
                         "values": {k: number(v) for k, v in x.values.items()}} for x in r.rounds]
    return out


# Recounting a bulletin lives in tandau.services.verify (formats 1 and 2, seed commitments); kept importable here.
from tandau.services.verify import MALFORMED, MISMATCH, OK, VerifyReport, verify_bulletin  # noqa: E402

__all__ = ["MALFORMED", "MISMATCH", "OK", "VerifyReport", "verify_bulletin"]
