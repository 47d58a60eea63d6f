"""PrefLib ordinal files: ``.soi`` (strict, incomplete), ``.toi`` (ties, incomplete), ``.toc`` (ties, complete).

Reads the PrefLib format of 2022 (``# NUMBER ALTERNATIVES``, ``# ALTERNATIVE NAME i``, then ``count: 1,{2,3},4``
lines; Mattei & Walsh, "PrefLib: A Library for Preferences", ADT 2013; https://preflib.github.io/PrefLib-Jekyll/format).
Candidates get ids ``"1"``, ``"2"``, ... (their PrefLib numbers). The STV rules here read strict rankings, so a
ballot with tied alternatives is cut before the first tied group (as a paper with equal preferences is not
transferable past that point); ``truncated`` counts such ballots.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from tandau.core.tally.ballots import Contestant, RankedProfile
from tandau.errors import InputError
from tandau.io.blt import BallotFileError

_TOKEN = re.compile(r"\{[^}]*\}|[^,\s]+")


@dataclass(frozen=True, slots=True)
class PreflibElection:
    """A parsed PrefLib file: the profile and the number of ballots cut at a tie."""

    profile: RankedProfile
    data_type: str
    truncated: int


def parse_preflib(text: str, *, file: str = "<preflib>") -> PreflibElection:
    """Parse PrefLib ``soi``/``toi``/``toc`` text; bad lines raise :class:`BallotFileError` with line numbers."""
    n_alt: int | None = None
    names: dict[int, str] = {}
    data_type = ""
    rows: list[tuple[int, str]] = []
    for no, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line:
            continue
        if line.startswith("#"):
            key, _, value = line[1:].partition(":")
            key = key.strip().upper()
            if key == "NUMBER ALTERNATIVES":
                n_alt = int(value)
            elif key.startswith("ALTERNATIVE NAME"):
                names[int(key.split()[-1])] = value.strip()
            elif key == "DATA TYPE":
                data_type = value.strip().lower()
            continue
        rows.append((no, line))
    if n_alt is None:
        raise InputError("missing '# NUMBER ALTERNATIVES' header", file=file)
    if data_type and data_type not in ("soi", "toi", "toc", "soc"):
        raise InputError(f"data type {data_type!r} is not ordinal (soi, toi, toc, soc)", file=file)
    rejections: list[tuple[int, str]] = []
    ballots: list[tuple[list[int], int]] = []
    truncated = 0
    for no, line in rows:
        count_text, sep, order = line.partition(":")
        if not sep or not count_text.strip().isdigit() or int(count_text) < 1:
            rejections.append((no, "expected 'count: a,b,{c,d},...'"))
            continue
        ranking: list[int] = []
        seen: set[int] = set()
        cut = False
        bad = ""
        for tok in _TOKEN.findall(order):
            group = tok.strip("{}").split(",") if tok.startswith("{") else [tok]
            try:
                alts = [int(a) for a in group if a.strip()]
            except ValueError:
                bad = f"not an alternative number: {tok!r}"
                break
            if any(not 1 <= a <= n_alt for a in alts) or seen & set(alts) or len(set(alts)) != len(alts):
                bad = f"unknown or repeated alternative in {tok!r}"
                break
            seen.update(alts)
            if len(alts) > 1:
                cut = True
            if not cut:
                ranking.extend(a - 1 for a in alts)
        if bad:
            rejections.append((no, bad))
            continue
        truncated += int(count_text) if cut else 0
        ballots.append((ranking, int(count_text)))
    if rejections:
        raise BallotFileError(file, rejections)
    cands = [Contestant(str(i), names.get(i, f"Alternative {i}")) for i in range(1, n_alt + 1)]
    return PreflibElection(RankedProfile.build(cands, ballots), data_type, truncated)


def read_preflib(path: str | Path) -> PreflibElection:
    """Read a PrefLib ordinal file."""
    p = Path(path)
    return parse_preflib(p.read_text(encoding="utf-8"), file=str(p))
