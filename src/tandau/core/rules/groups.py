"""Groups of candidates: predicates over sex, age on election day and tags.

A group is what a quota counts: "women", "people under 35", or a union such as the Kazakh legal quota
"women or under 29 or persons with disabilities, each person counted once" (Constitutional Law on Elections,
Art. 89(4) as amended by Law 105-VII of 7 Feb 2022).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from tandau.core.candidates import Candidate, Sex
from tandau.core.reasons import Reason, reason


@dataclass(frozen=True, slots=True)
class Group:
    """A named predicate. Exactly one of ``sex``, ``age_under``, ``tag``, ``any_of``, ``all_of`` is set.

    ``age_under=35`` means strictly younger than 35 on election day; ``negate`` takes the complement.

    >>> women = Group("women", sex="F")
    >>> women.contains(Candidate("1", "A", "F", None), None)
    True
    """

    name: str
    sex: Sex | None = None
    age_under: int | None = None
    tag: str | None = None
    any_of: tuple[Group, ...] = ()
    all_of: tuple[Group, ...] = ()
    negate: bool = False

    def contains(self, candidate: Candidate, election_date: date | None) -> bool:
        """Whether ``candidate`` belongs to the group on ``election_date``."""
        return self._test(candidate, election_date) != self.negate

    def _test(self, candidate: Candidate, election_date: date | None) -> bool:
        if self.sex is not None:
            return candidate.sex == self.sex
        if self.age_under is not None:
            if election_date is None or candidate.birth_date is None:
                raise ValueError(f"group {self.name!r} needs an election date and birth dates")
            age = candidate.age_on(election_date)
            return age is not None and age < self.age_under
        if self.tag is not None:
            return self.tag in candidate.tags
        if self.any_of:
            return any(g.contains(candidate, election_date) for g in self.any_of)
        return all(g.contains(candidate, election_date) for g in self.all_of)

    @property
    def needs_age(self) -> bool:
        """True when membership depends on age, so an election date is required."""
        return self.age_under is not None or any(g.needs_age for g in self.any_of + self.all_of)

    def describe(self) -> str:
        """A plain-language definition of the group."""
        return self.reason().text

    def reason(self) -> Reason:
        """The definition as a structured reason (code ``group_*``), for faces in other languages."""
        if self.sex is not None:
            base = reason("group_women", "women") if self.sex == "F" else reason("group_men", "men")
        elif self.age_under is not None:
            base = reason("group_under_age", f"people under {self.age_under}", age=self.age_under)
        elif self.tag is not None:
            base = reason("group_tagged", f"people tagged {self.tag!r}", tag=self.tag)
        elif self.any_of:
            parts = tuple(g.reason() for g in self.any_of)
            base = reason("group_any", " or ".join(p.text for p in parts) + " (each person counted once)",
                          groups=parts)
        else:
            parts = tuple(g.reason() for g in self.all_of)
            base = reason("group_all", " and ".join(p.text for p in parts), groups=parts)
        return reason("group_not", f"not ({base.text})", group=base) if self.negate else base


WOMEN = Group("women", sex="F")
MEN = Group("men", sex="M")


def under(age: int, name: str | None = None) -> Group:
    """People strictly younger than ``age`` on election day."""
    return Group(name or f"under-{age}", age_under=age)


def tagged(tag: str, name: str | None = None) -> Group:
    """People carrying ``tag`` (e.g. ``disability``, ``repatriate``)."""
    return Group(name or tag, tag=tag)


def union(name: str, *groups: Group) -> Group:
    """Anyone in at least one of ``groups``, counted once."""
    return Group(name, any_of=tuple(groups))
