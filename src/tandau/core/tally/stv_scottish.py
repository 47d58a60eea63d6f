"""Scottish STV: The Scottish Local Government Elections Order 2007 (SSI 2007/42), Schedule 1, rules 45–52.

Exact integer arithmetic in units of 1/100000 vote:

- quota (rule 46): ``floor(valid papers / (seats + 1)) + 1`` whole votes;
- transfer value (rule 48(3)): ``value × surplus / total``, computed in one step and truncated to five decimal
  places for each paper (``(w * s) // t`` on units); the value lost by truncation is recorded as ``residual``;
- ties (rules 49(2)–(3), 51(2)): the most recent preceding stage at which the tied candidates had unequal votes,
  then the tie policy (the statute prescribes lot: use ``lot`` with a recorded seed for a statutory count).

>>> from tandau.core.tally.ballots import Contestant, RankedProfile
>>> from tandau.core.tally.ties import TieBreaker
>>> cs = [Contestant(x, x.upper()) for x in "abc"]
>>> p = RankedProfile.build(cs, [((0, 1), 6), ((1,), 2), ((2,), 3)])
>>> r = stv_scottish(p, 2, TieBreaker("refuse"))
>>> r.elected, r.quota
(('a', 'b'), Fraction(4, 1))
"""

from __future__ import annotations

from fractions import Fraction

from tandau.core.tally.ballots import RankedProfile
from tandau.core.tally.gregory import gregory_count
from tandau.core.tally.registry import register
from tandau.core.tally.result import TallyResult
from tandau.core.tally.ties import TieBreaker

UNIT = 100_000  # one vote, in units of the fifth decimal place (rule 48(3))
SOURCE = "The Scottish Local Government Elections Order 2007 (SSI 2007/42), Schedule 1, rules 45-52"


def scottish_quota(valid_papers: int, seats: int) -> int:
    """Rule 46: the integer Droop quota, in whole votes.

    >>> scottish_quota(5199, 3)
    1300
    """
    return valid_papers // (seats + 1) + 1


def _truncate(weight: int, surplus: int, total: int) -> int:
    return weight * surplus // total


def _units_to_votes(units: int) -> Fraction:
    return Fraction(units, UNIT)


@register("stv-scottish", name="Scottish STV (SSI 2007/42)", ballot="ranked", source=SOURCE)
def stv_scottish(profile: RankedProfile, seats: int, ties: TieBreaker) -> TallyResult:
    """Count ranked ballots by the Scottish rules (see the module docstring)."""
    return gregory_count(
        profile, seats, ties, method="stv-scottish", one=UNIT,
        quota=scottish_quota(profile.total, seats) * UNIT, scale=_truncate, to_votes=_units_to_votes,
    )
