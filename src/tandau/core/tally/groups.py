"""Rankings within a group of candidates (women, young candidates, a tag such as ``compatriot``).

A group ranking is the overall ranking restricted to the group's members, with each member's overall position:
the votes are the same, only the view changes (as the 2020 primaries published separate lists for women and
for the young). Groups are written ``ATTR=VALUE``:

- ``sex=F`` / ``sex=M``;
- ``age_under=35``: younger than 35 on the election day (completed years, Art. 89(4) of the Constitutional Law
  on Elections; candidates with no birth date are not members);
- ``age_at_least=60``: the complement by age;
- ``tag=youth``: candidates carrying that tag.

>>> from datetime import date
>>> from tandau.core.tally.ballots import Contestant
>>> g = parse_group("age_under=35")
>>> g.contains(Contestant("a", "A", birth_date=date(1995, 6, 1)), date(2025, 5, 31))
True
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from tandau.core.candidates import age_on
from tandau.core.tally.ballots import Contestant
from tandau.core.tally.result import TallyResult
from tandau.errors import InputError

GROUP_ATTRIBUTES: tuple[str, ...] = ("sex", "age_under", "age_at_least", "tag")


@dataclass(frozen=True, slots=True)
class GroupFilter:
    """A group of candidates, by one attribute."""

    attr: str
    value: str

    @property
    def label(self) -> str:
        return f"{self.attr}={self.value}"

    def contains(self, c: Contestant, day: date | None) -> bool:
        """Whether candidate ``c`` belongs to the group (age is measured on ``day``)."""
        if self.attr == "sex":
            return c.sex == self.value
        if self.attr == "tag":
            return self.value in c.tags
        if day is None:
            raise InputError("an age group needs the election date", parameter="group")
        if c.birth_date is None:
            return False
        age = age_on(c.birth_date, day)
        return age < int(self.value) if self.attr == "age_under" else age >= int(self.value)


def parse_group(text: str) -> GroupFilter:
    """Parse ``ATTR=VALUE``; raises :class:`InputError` naming the valid attributes."""
    attr, sep, value = text.partition("=")
    attr, value = attr.strip(), value.strip()
    if not sep or not value:
        raise InputError(f"a group is ATTR=VALUE, got {text!r}", parameter="group")
    if attr not in GROUP_ATTRIBUTES:
        raise InputError(f"unknown group attribute {attr!r}; valid: {', '.join(GROUP_ATTRIBUTES)}", parameter="group")
    if attr == "sex" and value not in ("F", "M"):
        raise InputError(f"sex must be F or M, got {value!r}", parameter="group")
    if attr.startswith("age") and not value.isdigit():
        raise InputError(f"{attr} needs a whole number of years, got {value!r}", parameter="group")
    return GroupFilter(attr, value)


@dataclass(frozen=True, slots=True)
class GroupRanking:
    """The members of a group in overall order, with their overall positions (1-based) and who was elected."""

    group: str
    ranking: tuple[str, ...]
    positions: tuple[int, ...]
    elected: tuple[str, ...]


def group_ranking(result: TallyResult, group: GroupFilter, day: date | None) -> GroupRanking:
    """Restrict ``result``'s ranking to the members of ``group``."""
    by_id = {c.id: c for c in result.candidates}
    members = [(pos + 1, cid) for pos, cid in enumerate(result.ranking) if group.contains(by_id[cid], day)]
    elected = set(result.elected)
    return GroupRanking(
        group=group.label, ranking=tuple(cid for _, cid in members), positions=tuple(p for p, _ in members),
        elected=tuple(cid for _, cid in members if cid in elected),
    )
