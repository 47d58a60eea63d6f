"""BLT ballot files (Hill, Wichmann & Woodall 1987; the format of ERS, OpenSTV and droop): read and write.

Layout: ``ncandidates nseats``; optional withdrawn line of negative numbers (``-2 -5``); one line per ballot
group ``weight pref pref ... 0`` (candidates numbered from 1); a line ``0``; one quoted name per candidate;
a quoted title. Candidates get ids ``"1"``, ``"2"``, ... (their BLT numbers); withdrawn candidates are
removed and skipped on every ballot. A ballot naming an unknown candidate, naming one twice, with a bad weight
or not ending in ``0`` is rejected with its line number; if any line is rejected nothing is counted.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from tandau.core.tally.ballots import Contestant, RankedProfile
from tandau.errors import InputError

MAX_REPORTED = 20


class BallotFileError(InputError):
    """Rejected ballot lines; the file is not counted. ``rejections`` holds ``(line number, reason)``."""

    def __init__(self, file: str, rejections: list[tuple[int, str]]) -> None:
        self.rejections = tuple(rejections)
        shown = "; ".join(f"line {n}: {why}" for n, why in rejections[:MAX_REPORTED])
        more = f"; and {len(rejections) - MAX_REPORTED} more" if len(rejections) > MAX_REPORTED else ""
        super().__init__(f"{len(rejections)} bad line(s), nothing counted: {shown}{more}", file=file)


@dataclass(frozen=True, slots=True)
class BltElection:
    """A parsed BLT file: the profile, the number of seats and the withdrawn candidates' names."""

    profile: RankedProfile
    seats: int
    withdrawn: tuple[str, ...] = ()


def _quoted(line: str) -> str:
    s = line.strip()
    if len(s) >= 2 and s[0] == '"' and s[-1] == '"':
        return s[1:-1]
    return s


def parse_blt(text: str, *, file: str = "<blt>") -> BltElection:
    """Parse BLT text; raises :class:`BallotFileError` listing every bad line."""
    lines = text.splitlines()
    numbered = [(i + 1, ln.split("#", 1)[0].strip() if not ln.lstrip().startswith('"') else ln.strip())
                for i, ln in enumerate(lines)]
    numbered = [(i, ln) for i, ln in numbered if ln]
    if not numbered:
        raise InputError("empty BLT file", file=file)
    head_no, head = numbered[0]
    try:
        ncand, seats = (int(x) for x in head.split())
    except ValueError:
        raise InputError(f"first line must be 'candidates seats', got {head!r}", file=file, row=head_no) from None
    if ncand < 1 or seats < 1:
        raise InputError("candidates and seats must be positive", file=file, row=head_no)
    k = 1
    withdrawn: set[int] = set()
    if k < len(numbered) and numbered[k][1].startswith("-"):
        try:
            withdrawn = {-int(x) for x in numbered[k][1].split()}
        except ValueError:
            raise InputError("bad withdrawn-candidates line", file=file, row=numbered[k][0]) from None
        k += 1
    rejections: list[tuple[int, str]] = []
    raw: list[tuple[list[int], int]] = []
    while k < len(numbered) and numbered[k][1] != "0":
        no, ln = numbered[k]
        k += 1
        tokens = ln.split()
        if tokens and tokens[0].startswith("("):  # optional ballot id "(id)"
            tokens = tokens[1:]
        try:
            nums = [int(t) for t in tokens]
        except ValueError:
            rejections.append((no, f"not a ballot line (numbers only, '=' ties unsupported): {ln!r}"))
            continue
        if len(nums) < 2 or nums[-1] != 0:
            rejections.append((no, "a ballot line is 'weight prefs... 0'"))
            continue
        weight, prefs = nums[0], nums[1:-1]
        bad = [p for p in prefs if not 1 <= p <= ncand]
        if weight < 1:
            rejections.append((no, f"weight must be a positive integer, got {weight}"))
        elif bad:
            rejections.append((no, f"unknown candidate number(s) {bad} (1..{ncand})"))
        elif len(set(prefs)) != len(prefs):
            rejections.append((no, "a candidate is ranked twice"))
        else:
            raw.append((prefs, weight))
    if k >= len(numbered):
        raise InputError("missing the '0' line that ends the ballots", file=file)
    names_block = numbered[k + 1:]
    if len(names_block) < ncand:
        raise InputError(f"expected {ncand} candidate names after the ballots, found {len(names_block)}",
                         file=file)
    if rejections:
        raise BallotFileError(file, rejections)
    names = [_quoted(ln) for _, ln in names_block[:ncand]]
    title = _quoted(names_block[ncand][1]) if len(names_block) > ncand else ""
    keep = [i for i in range(1, ncand + 1) if i not in withdrawn]
    index = {blt_no: j for j, blt_no in enumerate(keep)}
    cands = [Contestant(str(i), names[i - 1]) for i in keep]
    ballots = [([index[p] for p in prefs if p in index], w) for prefs, w in raw]
    profile = RankedProfile.build(cands, ballots, title=title, merge=False)
    return BltElection(profile, seats, tuple(names[i - 1] for i in sorted(withdrawn) if 1 <= i <= ncand))


def read_blt(path: str | Path) -> BltElection:
    """Read a BLT file (UTF-8, Latin-1 accepted)."""
    p = Path(path)
    data = p.read_bytes()
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        text = data.decode("latin-1")
    return parse_blt(text, file=str(p))


def format_blt(profile: RankedProfile, seats: int) -> str:
    """BLT text for a profile (candidates numbered in profile order).

    >>> from tandau.core.tally.ballots import Contestant, RankedProfile
    >>> p = RankedProfile.build([Contestant("a", "Ann"), Contestant("b", "Bo")], [((1, 0), 3)], title="T")
    >>> print(format_blt(p, 1))
    2 1
    3 2 1 0
    0
    "Ann"
    "Bo"
    "T"
    <BLANKLINE>
    """
    out = [f"{profile.n_candidates} {seats}"]
    out += [" ".join([str(c), *(str(i + 1) for i in r), "0"]) for r, c in profile.ballots]
    out.append("0")
    out += ['"' + re.sub(r'"', "'", c.name) + '"' for c in profile.candidates]
    out.append('"' + profile.title.replace('"', "'") + '"')
    return "\n".join(out) + "\n"


def write_blt(path: str | Path, profile: RankedProfile, seats: int) -> None:
    """Write a profile as a BLT file."""
    Path(path).write_text(format_blt(profile, seats), encoding="utf-8")
