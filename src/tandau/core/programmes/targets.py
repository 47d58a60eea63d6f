"""A commitment becomes a control target in one action (issue 13; the control module of issue 12, docs/control.md).

The control module follows series of programme × indicator × region, a region being one of the 20 regions and
cities of republican significance. So:

- **programme**: the id of the council whose programme holds the commitment (``M-5910``, :func:`council_of`), or
  the id given. A district's series then never collide with its region's own (``M-59``) nor with another
  district's.
- **indicator**: the commitment's indicator, as written.
- **region**: the commitment's region (its KATO code's first two digits); a district's or city's commitment is a
  series of its region under the district's council, the district named in ``source``.
- **baseline date**: 31 December of ``baseline_year``; kind, direction, budget and unit as written.

What cannot become a target is refused with every reason at once (:class:`NotATargetError`): a missing
indicator, unit, baseline, target or deadline; a deadline not after the baseline date; a target on the wrong side
of the baseline; a cumulative commitment to decrease (set ``kind`` to ``level``); a negative budget; two
commitments on one series, indicators compared without case and spacing (the control module holds one target per
series: pick one with ``--commitment``).

>>> from datetime import date
>>> from decimal import Decimal as D
>>> c = Commitment("R-1", "591000000", "roads", "", "Жолдар", "roads_repaired", "km", D(0), 2022, D(40),
...                date(2027, 12, 31), budget_kzt=D("1.5E9"))
>>> t = commitment_target(c)
>>> t.programme, t.indicator, t.region, t.baseline_date, t.source
('M-5910', 'roads_repaired', '590000000', datetime.date(2022, 12, 31), 'election programme M-5910, commitment R-1, \
territory 591000000')
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from tandau.core.control.programmes.model import Target
from tandau.core.programmes.model import Commitment, council_of, is_region_code, normalise_text, region_of
from tandau.errors import TandauError


class NotATargetError(TandauError):
    """Commitments that cannot become control targets, each with its reasons."""

    def __init__(self, refused: Sequence[tuple[str, Sequence[str]]]) -> None:
        self.refused = tuple((cid, tuple(reasons)) for cid, reasons in refused)
        lines = [f"commitment {cid}: {'; '.join(reasons)}" for cid, reasons in self.refused]
        super().__init__("cannot become a control target:\n  " + "\n  ".join(lines))


def _reasons(c: Commitment) -> list[str]:
    reasons = [f"no {name}" for name, value in (("indicator", c.indicator), ("unit", c.unit),
                                                ("baseline", c.baseline), ("baseline_year", c.baseline_year),
                                                ("target", c.target), ("deadline", c.deadline))
               if value is None or value == ""]
    if c.deadline is not None and c.baseline_date is not None and c.deadline <= c.baseline_date:
        reasons.append(f"the deadline {c.deadline} is not after the baseline date {c.baseline_date}")
    if c.baseline is not None and c.target is not None and (c.target - c.baseline) * c.sign < 0:
        reasons.append(f"the target {c.target} is on the wrong side of the baseline {c.baseline} for a target to "
                       f"{c.direction}")
    if c.kind == "cumulative" and c.direction == "decrease":
        reasons.append("a cumulative indicator only grows: to decrease, set kind to level")
    if c.budget_kzt is not None and c.budget_kzt < 0:
        reasons.append(f"the budget {c.budget_kzt} is negative")
    return reasons


def _source(c: Commitment, programme: str) -> str:
    parts = [f"election programme {programme}", f"commitment {c.commitment}", f"territory {c.territory}"]
    if c.development_indicator:
        parts.append(f"development indicator {c.development_indicator}")
    return ", ".join(parts)


def commitment_target(c: Commitment, programme: str | None = None) -> Target:
    """The control target of one commitment (see the module's docstring); :class:`NotATargetError` if it has
    none."""
    reasons = _reasons(c)
    baseline, target, deadline, baseline_date = c.baseline, c.target, c.deadline, c.baseline_date
    if reasons or baseline is None or target is None or deadline is None or baseline_date is None:
        raise NotATargetError([(c.commitment, reasons)])
    pid = programme or council_of(c.territory)
    region = c.territory if is_region_code(c.territory) else region_of(c.territory)
    return Target(pid, c.indicator, region, c.unit, c.kind, c.direction, baseline, baseline_date, target, deadline,
                  c.budget_kzt, _source(c, pid))


def commitment_targets(commitments: Iterable[Commitment], programme: str | None = None) -> tuple[Target, ...]:
    """The targets of several commitments, all or none: every refusal is reported at once."""
    refused: list[tuple[str, Sequence[str]]] = []
    out: list[Target] = []
    series: dict[tuple[str, str, str], str] = {}
    for c in commitments:
        try:
            t = commitment_target(c, programme)
        except NotATargetError as exc:
            refused.extend(exc.refused)
            continue
        other = series.setdefault((t.programme, normalise_text(t.indicator), t.region), c.commitment)
        if other != c.commitment:
            refused.append((c.commitment, [f"the series {'/'.join(t.key)} already comes from commitment {other}; "
                                           "the control module holds one target per programme × indicator × "
                                           "region (choose one with --commitment)"]))
            continue
        out.append(t)
    if refused:
        raise NotATargetError(refused)
    return tuple(out)

