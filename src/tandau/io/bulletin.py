"""The bulletin board of a published primary: JSON Lines, ``tandau-bulletin/2`` or ``/1`` (docs/formats-ballots.md).

Line 1 is the header (contest, rule, seats, max_marks, candidates, election_date, ballot_count, declared result;
format 2 adds the tie policy, the seed and the commitment to it, the candidates excluded from the count and the
replaced tracking codes, and gives candidates opaque ids with flags instead of birth dates);
each further line is one anonymous ballot ``{"tracker": CODE, "marks": [...]}`` or ``{"tracker": CODE,
"ranking": [...]}``. Reading never stops at the first problem: structural problems (bad JSON, unknown candidates,
repeated marks, overvotes) and tracker problems (malformed, duplicated) are collected separately, so that
``tandau verify`` can tell malformed input (exit 2) from a failed check (exit 1).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from tandau.core.tally.ballots import ApprovalProfile, Contestant, RankedProfile
from tandau.core.tally.registry import get_rule
from tandau.core.tally.tracking import is_tracking_code
from tandau.errors import InputError, TandauError

FORMAT = "tandau-bulletin/2"
FORMATS = ("tandau-bulletin/1", FORMAT)


@dataclass(frozen=True, slots=True)
class Declared:
    """The declared result: elected ids, full ranking, and optionally the counts per candidate."""

    elected: tuple[str, ...]
    ranking: tuple[str, ...]
    counts: Mapping[str, float | int | str] | None


@dataclass(frozen=True, slots=True)
class Bulletin:
    """A parsed bulletin: header fields, the profile, the trackers, and the problems found per line."""

    contest_id: str
    contest_name: str
    rule: str
    seats: int
    max_marks: int | None
    candidates: tuple[Contestant, ...]
    election_date: date | None
    ballot_count: int
    declared: Declared
    profile: RankedProfile | ApprovalProfile
    trackers: tuple[str, ...]
    malformed: tuple[tuple[int, str], ...]
    tracker_problems: tuple[tuple[int, str], ...]
    format: str = FORMAT
    tie_policy: str | None = None
    seed: int | None = None
    seed_commitment: str | None = None
    excluded: tuple[tuple[str, str], ...] = ()
    replaced: tuple[str, ...] = ()

    @property
    def seed_bytes(self) -> bytes | None:
        """The seed as the 32 bytes whose SHA-256 was committed to when voting opened."""
        return None if self.seed is None else self.seed.to_bytes(32, "big")


def _date(value: Any, what: str, file: str) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except (TypeError, ValueError):
        raise InputError(f"{what} must be YYYY-MM-DD or null, got {value!r}", file=file, row=1) from None


def _header(obj: Any, file: str) -> tuple[dict[str, Any], tuple[Contestant, ...], Declared]:
    if not isinstance(obj, dict) or obj.get("format") not in FORMATS:
        raise InputError(f"line 1 must be a header with \"format\": one of {', '.join(FORMATS)}", file=file, row=1)
    need = ("contest", "rule", "seats", "max_marks", "candidates", "ballot_count", "declared")
    missing = [k for k in need if k not in obj]
    if missing:
        raise InputError(f"header misses {missing}", file=file, row=1)
    contest = obj["contest"]
    if not isinstance(contest, dict) or not isinstance(contest.get("id"), str):
        raise InputError("contest must be {\"id\": str, \"name\": str}", file=file, row=1)
    for key in ("seats", "ballot_count"):
        if not isinstance(obj[key], int) or isinstance(obj[key], bool) or obj[key] < 0:
            raise InputError(f"{key} must be a non-negative integer", file=file, row=1)
    if obj["max_marks"] is not None and (not isinstance(obj["max_marks"], int) or obj["max_marks"] < 1):
        raise InputError("max_marks must be a positive integer or null", file=file, row=1)
    cands: list[Contestant] = []
    for c in obj["candidates"] if isinstance(obj["candidates"], list) else [None]:
        if not isinstance(c, dict) or not isinstance(c.get("id"), str) or not isinstance(c.get("name"), str):
            raise InputError("each candidate needs string id and name", file=file, row=1)
        if c.get("sex") not in (None, "F", "M"):
            raise InputError(f"candidate {c['id']}: sex must be F, M or null", file=file, row=1)
        tags = c.get("tags") or []
        if not isinstance(tags, list) or not all(isinstance(t, str) for t in tags):
            raise InputError(f"candidate {c['id']}: tags must be a list of strings", file=file, row=1)
        cands.append(Contestant(c["id"], c["name"], c.get("sex"), _date(c.get("birth_date"), "birth_date", file),
                                frozenset(tags)))
    if len({c.id for c in cands}) != len(cands):
        raise InputError("duplicate candidate ids in the header", file=file, row=1)
    d = obj["declared"]
    if not isinstance(d, dict) or not isinstance(d.get("elected"), list) or not isinstance(d.get("ranking"), list):
        raise InputError("declared must hold elected and ranking lists", file=file, row=1)
    counts = d.get("counts")
    if counts is not None and not isinstance(counts, dict):
        raise InputError("declared.counts must be an object or null", file=file, row=1)
    return obj, tuple(cands), Declared(tuple(d["elected"]), tuple(d["ranking"]), counts)


@dataclass(frozen=True, slots=True)
class _Format2:
    tie_policy: str | None
    seed: int | None
    seed_commitment: str | None
    excluded: tuple[tuple[str, str], ...]
    replaced: tuple[str, ...]


def _format2(head: dict[str, Any], cands: tuple[Contestant, ...], file: str) -> _Format2:
    """The fields format 2 adds to the header, checked."""
    if head["format"] != FORMAT:
        return _Format2(None, None, None, (), ())
    seed, commitment = head.get("seed"), head.get("seed_commitment")
    for name, value in (("seed", seed), ("seed_commitment", commitment)):
        if value is not None and (not isinstance(value, str) or len(value) != 64
                                  or any(ch not in "0123456789abcdef" for ch in value)):
            raise InputError(f"{name} must be 64 lowercase hex digits or null", file=file, row=1)
    ids = {c.id for c in cands}
    excluded = head.get("excluded") or []
    if not isinstance(excluded, list) or not all(
            isinstance(e, dict) and e.get("id") in ids and isinstance(e.get("reason"), str) for e in excluded):
        raise InputError("excluded must list {\"id\": candidate id, \"reason\": text}", file=file, row=1)
    replaced = head.get("replaced") or []
    if not isinstance(replaced, list) or not all(isinstance(t, str) and is_tracking_code(t) for t in replaced):
        raise InputError("replaced must list tracking codes", file=file, row=1)
    policy = head.get("tie_policy")
    if policy is not None and not isinstance(policy, str):
        raise InputError("tie_policy must be a string", file=file, row=1)
    return _Format2(policy, None if seed is None else int(seed, 16), commitment,
                    tuple((str(e["id"]), str(e["reason"])) for e in excluded), tuple(replaced))


def parse_bulletin(lines: Iterable[str], *, file: str = "<bulletin>") -> Bulletin:
    """Parse bulletin lines; header errors raise :class:`InputError`, ballot problems are collected.

    Format 2 keeps ballots as cast: marks for a candidate the header lists as excluded are valid on a ballot
    and left out of the profile that is counted (and the excluded candidates out of its candidates)."""
    it = iter(lines)
    first = next(it, "")
    try:
        head_obj = json.loads(first)
    except json.JSONDecodeError as exc:
        raise InputError(f"header is not JSON: {exc.msg}", file=file, row=1) from None
    head, every, declared = _header(head_obj, file)
    extra = _format2(head, every, file)
    try:
        kind = get_rule(head["rule"]).ballot
    except TandauError as exc:
        raise InputError(str(exc), file=file, row=1) from None
    left_out = {cid for cid, _ in extra.excluded}
    cands = tuple(c for c in every if c.id not in left_out)
    known = {c.id for c in every}
    index = {c.id: i for i, c in enumerate(cands)}
    key = "marks" if kind == "approval" else "ranking"
    max_marks = head["max_marks"]
    malformed: list[tuple[int, str]] = []
    tracker_problems: list[tuple[int, str]] = []
    seen: dict[str, int] = {}
    ballots: list[tuple[list[int], int]] = []
    for no, line in enumerate(it, start=2):
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as exc:
            malformed.append((no, f"not JSON: {exc.msg}"))
            continue
        if not isinstance(obj, dict) or set(obj) != {"tracker", key} or not isinstance(obj[key], list):
            malformed.append((no, f"a ballot is {{\"tracker\": CODE, \"{key}\": [ids]}}"))
            continue
        tracker, marks = obj["tracker"], obj[key]
        if not is_tracking_code(tracker):
            tracker_problems.append((no, f"malformed tracking code {tracker!r}"))
        elif tracker in seen:
            tracker_problems.append((no, f"tracking code {tracker} already on line {seen[tracker]}"))
        else:
            seen[tracker] = no
        unknown = [m for m in marks if not isinstance(m, str) or m not in known]
        if unknown:
            malformed.append((no, f"unknown candidate(s) {unknown}"))
        elif len(set(marks)) != len(marks):
            malformed.append((no, "a candidate appears twice"))
        elif key == "marks" and max_marks is not None and len(marks) > max_marks:
            malformed.append((no, f"overvote: {len(marks)} marks, at most {max_marks}"))
        else:
            ballots.append(([index[m] for m in marks if m in index], 1))
    profile: RankedProfile | ApprovalProfile
    if kind == "approval":
        profile = ApprovalProfile.build(cands, ballots, max_marks=max_marks,
                                        election_date=_date(head.get("election_date"), "election_date", file))
        profile = ApprovalProfile(profile.candidates, profile.ballots, max_marks, profile.election_date,
                                  ballot_total=len(ballots))
    else:
        profile = RankedProfile.build(cands, ballots,
                                      election_date=_date(head.get("election_date"), "election_date", file))
    return Bulletin(
        contest_id=head["contest"]["id"], contest_name=str(head["contest"].get("name", "")), rule=head["rule"],
        seats=head["seats"], max_marks=max_marks, candidates=cands, election_date=profile.election_date,
        ballot_count=head["ballot_count"], declared=declared, profile=profile, trackers=tuple(seen),
        malformed=tuple(malformed), tracker_problems=tuple(tracker_problems), format=head["format"],
        tie_policy=extra.tie_policy, seed=extra.seed, seed_commitment=extra.seed_commitment,
        excluded=extra.excluded, replaced=extra.replaced,
    )


def read_bulletin(path: str | Path) -> Bulletin:
    """Read a bulletin file."""
    with Path(path).open(encoding="utf-8") as fh:
        return parse_bulletin(fh, file=str(path))


def header_object(
    *, contest_id: str, contest_name: str, rule: str, seats: int, max_marks: int | None,
    candidates: Iterable[Contestant], election_date: date | None, ballot_count: int,
    elected: Iterable[str], ranking: Iterable[str], counts: Mapping[str, float | int | str] | None,
) -> dict[str, Any]:
    """The header object of a bulletin, with the shared field names."""
    return {
        "format": FORMATS[0], "contest": {"id": contest_id, "name": contest_name}, "rule": rule, "seats": seats,
        "max_marks": max_marks,
        "candidates": [{"id": c.id, "name": c.name, "sex": c.sex,
                        "birth_date": c.birth_date.isoformat() if c.birth_date else None, "tags": sorted(c.tags)}
                       for c in candidates],
        "election_date": election_date.isoformat() if election_date else None, "ballot_count": ballot_count,
        "declared": {"elected": list(elected), "ranking": list(ranking), "counts": counts},
    }


def write_bulletin(path: str | Path, header: Mapping[str, Any], ballots: Iterable[tuple[str, list[str]]]) -> None:
    """Write a bulletin: the header, then one ``(tracker, ids)`` ballot a line."""
    key = "marks" if get_rule(header["rule"]).ballot == "approval" else "ranking"
    with Path(path).open("w", encoding="utf-8") as fh:
        fh.write(json.dumps(header, ensure_ascii=False) + "\n")
        for tracker, ids in ballots:
            fh.write(json.dumps({"tracker": tracker, key: ids}, ensure_ascii=False) + "\n")
