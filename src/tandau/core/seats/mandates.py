"""Who takes a party's seats: the mandate holders, mandate-level quota corrections and vacancies.

Rules (stable ids):

- ``list-order``: the first ``S`` names of the list.
- ``kz-law-2022``: at least ``ceil(0.30·S)`` of a party's mandates go to women, persons under 29 on election day
  or persons with a disability (tag ``disability``), each counted once (Law 105-VII of 7 Feb 2022; quota-rules.md).
  The law does not say how a shortfall is corrected; we apply, and document, this correction: the last elected
  person outside the group is replaced by the next group member below the elected block, repeated until the
  minimum is met or no group member is left (then ``met`` is false and the shortfall is reported).
- ``xk-2008``: if women hold fewer than 30% of a party's seats, the last elected man is replaced by the next
  woman on the list, repeated (Kosovo, Law 03/L-073 on General Elections, art. 111.6).
- ``cl-2021``: candidates are ranked by their own votes; while one sex holds more than half of the party's mandates
  plus one, the least-voted elected of that sex is replaced by the best-voted non-elected of the other sex from
  the same party (Chile, Ley 21.216 art. 2, applied here per party).

Vacancies: ``next-on-list`` (the first non-elected name) or ``same-group`` (the first non-elected name of the
vacating person's group, falling back to the next on the list).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date

from tandau.core.candidates import Candidate
from tandau.core.rules.groups import WOMEN, Group
from tandau.core.rules.presets import KZ_2022_GROUP
from tandau.errors import InputError, UnknownIdError

Predicate = Callable[[Candidate], bool]


def _member(group: Group, day: date | None, cands: Sequence[Candidate]) -> Predicate:
    """Membership in a quota group (tandau.core.rules.groups) on election day, as a predicate; a group that
    counts ages needs the day and every birth date."""
    if group.needs_age:
        if day is None:
            raise InputError(f"the group {group.name!r} counts ages: give the election day", parameter="election_day")
        missing = [c.id for c in cands if c.birth_date is None]
        if missing:
            raise InputError(f"the group {group.name!r} counts ages but {', '.join(missing[:5])} have no birth date",
                             parameter="birth_date")
    return lambda c: group.contains(c, day)


@dataclass(frozen=True, slots=True)
class Replacement:
    """``out`` (elected by list order or votes) gave way to ``into``."""

    out: str
    into: str
    reason: str


@dataclass(frozen=True, slots=True)
class Mandates:
    """A party's mandate holders in list order, with the corrections made and whether the rule is met."""

    rule: str
    seats: int
    elected: tuple[Candidate, ...]
    replacements: tuple[Replacement, ...]
    needed: int
    held: int
    met: bool

    def as_data(self) -> dict[str, object]:
        """Plain data for JSON."""
        return {"rule": self.rule, "seats": self.seats, "elected": [c.id for c in self.elected],
                "replacements": [{"out": r.out, "in": r.into, "reason": r.reason} for r in self.replacements],
                "group_needed": self.needed, "group_held": self.held, "met": self.met}


def _promote(ranked: list[Candidate], seats: int, group: Predicate, needed: int, rule: str,
             reason: str) -> Mandates:
    elected = ranked[:seats]
    rest = ranked[seats:]
    moves: list[Replacement] = []
    while sum(map(group, elected)) < needed:
        out_idx = next((i for i in range(len(elected) - 1, -1, -1) if not group(elected[i])), None)
        in_idx = next((i for i, c in enumerate(rest) if group(c)), None)
        if out_idx is None or in_idx is None:
            break
        out, into = elected.pop(out_idx), rest.pop(in_idx)
        elected.append(into)
        rest.insert(0, out)
        moves.append(Replacement(out.id, into.id, reason))
    order = {c.id: i for i, c in enumerate(ranked)}
    elected.sort(key=lambda c: order[c.id])
    held = sum(map(group, elected))
    return Mandates(rule, seats, tuple(elected), tuple(moves), needed, held, held >= needed)


def _list_order(cands: Sequence[Candidate], seats: int, day: date | None) -> Mandates:
    return Mandates("list-order", seats, tuple(cands[:seats]), (), 0, 0, True)


def _kz_2022(cands: Sequence[Candidate], seats: int, day: date | None) -> Mandates:
    return _promote(list(cands), seats, _member(KZ_2022_GROUP, day, cands), math.ceil(seats * 3 / 10), "kz-law-2022",
                    "kz-law-2022: fewer than ceil(30% of seats) women, under-29s or persons with disabilities")


def _xk_2008(cands: Sequence[Candidate], seats: int, day: date | None) -> Mandates:
    return _promote(list(cands), seats, _member(WOMEN, day, cands), math.ceil(seats * 3 / 10), "xk-2008",
                    "xk-2008: women below 30% of the party's seats")


def _cl_2021(cands: Sequence[Candidate], seats: int, day: date | None) -> Mandates:
    ranked = sorted(cands, key=lambda c: (-c.votes, c.order))
    elected, rest = ranked[:seats], ranked[seats:]
    moves: list[Replacement] = []
    cap = seats // 2 + seats % 2  # at most half (rounded up) of one sex: |women - men| <= 1
    while True:
        counts = {s: sum(c.sex == s for c in elected) for s in ("F", "M")}
        over = next((s for s, k in counts.items() if k > cap), None)
        if over is None:
            break
        out = min((c for c in elected if c.sex == over), key=lambda c: (c.votes, -c.order))
        into = next((c for c in rest if c.sex != over), None)
        if into is None:
            break
        elected.remove(out)
        rest.remove(into)
        elected.append(into)
        rest.append(out)
        moves.append(Replacement(out.id, into.id, f"cl-2021: {over} over-represented; least-voted replaced"))
    women = sum(c.sex == "F" for c in elected)
    elected.sort(key=lambda c: (-c.votes, c.order))
    return Mandates("cl-2021", seats, tuple(elected), tuple(moves), seats - cap, women,
                    abs(2 * women - seats) <= 1)


MANDATE_RULES: dict[str, tuple[str, str, Callable[[Sequence[Candidate], int, date | None], Mandates]]] = {
    "list-order": ("First S names of the list", "closed-list practice", _list_order),
    "kz-law-2022": ("Kazakhstan 2022: >= 30% of mandates to women, under-29s or persons with disabilities",
                    "Law 105-VII of 7 Feb 2022 (Constitutional Law on Elections, Art. 89(4))", _kz_2022),
    "xk-2008": ("Kosovo: women >= 30% of a party's seats, last elected man replaced by the next woman",
                "Law 03/L-073 on General Elections, art. 111.6", _xk_2008),
    "cl-2021": ("Chile 2021: parity among a party's mandates by replacing the least-voted of the over-represented sex",
                "Ley 21.216 (2020), art. 2; Ley 21.298", _cl_2021),
}


def assign_mandates(candidates: Sequence[Candidate], seats: int, rule: str = "list-order",
                    election_day: date | None = None) -> Mandates:
    """Mandate holders of one party under ``rule``.

    >>> from tandau.core.candidates import Candidate
    >>> L = [Candidate(str(i), f"c{i}", "M" if i < 4 else "F", None) for i in range(6)]
    >>> m = assign_mandates(L, 4, "xk-2008")
    >>> [c.id for c in m.elected], m.met
    (['0', '1', '4', '5'], True)
    """
    try:
        fn = MANDATE_RULES[rule][2]
    except KeyError:
        raise UnknownIdError("mandate rule", rule, sorted(MANDATE_RULES)) from None
    if seats < 0:
        raise InputError(f"seats must be non-negative, got {seats}", parameter="seats")
    if seats > len(candidates):
        raise InputError(f"the list has {len(candidates)} names for {seats} seats", parameter="seats")
    return fn(candidates, seats, election_day)


def fill_vacancy(candidates: Sequence[Candidate], holders: Sequence[str], vacating: str,
                 policy: str = "next-on-list", group: Group = WOMEN,
                 election_day: date | None = None) -> Candidate | None:
    """Successor of ``vacating`` among the names not holding a mandate (None when the list is exhausted).

    Under ``same-group`` a member of ``group`` (women by default; an age group needs ``election_day``) is
    succeeded by the next member of that group when there is one.
    """
    if policy not in ("next-on-list", "same-group"):
        raise UnknownIdError("vacancy policy", policy, ["next-on-list", "same-group"])
    by_id = {c.id: c for c in candidates}
    if vacating not in by_id:
        raise InputError(f"{vacating!r} is not on the list", parameter="vacating")
    taken = set(holders) | {vacating}
    free = [c for c in candidates if c.id not in taken]
    if policy == "same-group":
        pred = _member(group, election_day, candidates)
        if pred(by_id[vacating]):
            same = next((c for c in free if pred(c)), None)
            if same is not None:
                return same
    return free[0] if free else None
