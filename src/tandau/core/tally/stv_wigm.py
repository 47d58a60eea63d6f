"""Weighted inclusive Gregory STV (WIGM) with exact fractions.

The Scottish procedure (SSI 2007/42 rules 45–52, see :mod:`tandau.core.tally.gregory`) without its rounding:
integer Droop quota ``floor(papers / (seats + 1)) + 1``; every paper of an elected candidate moves on at
``value × surplus / total`` computed exactly (Tideman, "The Single Transferable Vote", J. Econ. Perspectives
9(1), 1995; Scottish and WIGM differ only in the truncation to five decimals).

>>> from tandau.core.tally.ballots import Contestant, RankedProfile
>>> from tandau.core.tally.ties import TieBreaker
>>> cs = [Contestant(x, x.upper()) for x in "abc"]
>>> p = RankedProfile.build(cs, [((0, 1), 6), ((1,), 2), ((2,), 3)])
>>> stv_wigm(p, 2, TieBreaker("refuse")).elected
('a', 'b')
"""

from __future__ import annotations

from fractions import Fraction

from tandau.core.tally.ballots import RankedProfile
from tandau.core.tally.gregory import gregory_count
from tandau.core.tally.registry import register
from tandau.core.tally.result import TallyResult
from tandau.core.tally.ties import TieBreaker

SOURCE = "Weighted inclusive Gregory: SSI 2007/42 rules 45-52 with exact arithmetic; Tideman (1995)"


def _exact(weight: Fraction, surplus: Fraction, total: Fraction) -> Fraction:
    return weight * surplus / total


def _same(x: Fraction) -> Fraction:
    return x


@register("stv-wigm", name="STV, weighted inclusive Gregory (exact)", ballot="ranked", source=SOURCE)
def stv_wigm(profile: RankedProfile, seats: int, ties: TieBreaker) -> TallyResult:
    """Count ranked ballots by weighted inclusive Gregory with exact fractions."""
    quota = Fraction(profile.total // (seats + 1) + 1)
    return gregory_count(profile, seats, ties, method="stv-wigm", one=Fraction(1), quota=quota,
                         scale=_exact, to_votes=_same)
