"""The congress report's data (issue 14, item 6): figures with stable keys, sections, annexes (pure; no I/O).

Every :class:`Figure` carries a stable ``key`` (``primaries.members``; in a region's annex the same key under the
region, ``10/primaries.members``), its value and what it counts (an English msgid of the report's catalogue,
``report.po``, said in the reader's language by :meth:`Figure.describe`), so a reader (or a test with its own
SQL) can recompute it. The services fill these from the database (:mod:`tandau.services.report`); the PDF
(:mod:`tandau.io.report_pdf`), the pages and the API only present them.

>>> f = Figure("primaries.turnout", "Turnout", 0.5, "voters / members on the roll", "share")
>>> f.display(lambda v: f"{v:,}", lambda v: f"{v:.0%}")
'50%'
>>> Figure("lists.young", "Young", 0.2, "entries under %(age)s / entries", "share", {"age": 35}).counts_text
'entries under 35 / entries'
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

#: the sections in the order the report gives them
SECTION_IDS = ("primaries", "lists", "seats", "programmes", "control", "deputies", "appeals", "awards")


def share(part: int, whole: int) -> float | None:
    """``part / whole``, ``None`` when ``whole`` is 0 (a share of nothing is not 0%).

    >>> share(1, 4), share(0, 0)
    (0.25, None)
    """
    return part / whole if whole else None


def say(value: str | int | float | None, as_share: bool, number: Callable[[int | float], str],
        percent: Callable[[float], str]) -> str:
    """A figure or a table's cell in words: ``—`` for None (not applicable), a text as it is, a share by
    ``percent``, any other number by ``number`` (the faces pass their language's formats).

    >>> [say(v, s, str, lambda x: f"{x:.0%}") for v, s in ((None, True), ("x", True), (0.5, True), (3, False))]
    ['—', 'x', '50%', '3']
    """
    if value is None:
        return "—"
    if isinstance(value, str):
        return value
    return percent(float(value)) if as_share else number(value)


@dataclass(frozen=True, slots=True)
class Figure:
    """One figure: stable key, label (an English msgid), value, what it counts (an English msgid whose
    ``%(name)s`` placeholders are filled from ``params``), kind.

    ``kind``: ``count`` (an int), ``share`` (a float in [0, 1]) or ``mean`` (a float, e.g. satisfaction 1-5).
    ``None`` is "not applicable" (a share of nothing)."""

    key: str
    label: str
    value: int | float | None
    counts: str
    kind: str = "count"
    params: Mapping[str, Any] = field(default_factory=dict)

    @property
    def counts_text(self) -> str:
        """What it counts, in English, placeholders filled."""
        return self.counts % dict(self.params) if self.params else self.counts

    def describe(self, translate: Callable[..., str]) -> str:
        """What it counts in the language of ``translate`` (a ``gettext`` taking ``%(name)s`` values).

        >>> ru = {"under %(age)s": "моложе %(age)s лет"}
        >>> Figure("k", "K", 1, "under %(age)s", params={"age": 35}).describe(lambda m, **v: ru.get(m, m) % v)
        'моложе 35 лет'
        """
        return translate(self.counts, **self.params)

    def display(self, number: Callable[[int | float], str], percent: Callable[[float], str]) -> str:
        return say(self.value, self.kind == "share", number, percent)


@dataclass(frozen=True, slots=True)
class Table:
    """A table: its title and column headings (English msgids), rows of cells. ``first`` says what the first
    column holds, for the renderer to name it in its language: ``region`` (a 2-digit KATO prefix or ``KZ``),
    ``programme``, ``status``, ``rule`` (an English rule label), ``award`` (an award's id) or ``text``. Other
    cells are numbers (a float is a
    share, unless its column is in ``means``: a mean such as satisfaction 1-5) or ``None``. ``whys``: a rule
    label's structured reason (:mod:`tandau.core.reasons`), for the renderer to say the rule in its language."""

    title: str
    header: tuple[str, ...]
    rows: tuple[tuple[str | int | float | None, ...], ...]
    first: str = "text"
    whys: Mapping[str, Any] = field(default_factory=dict)
    means: frozenset[int] = frozenset()

    def share_columns(self) -> set[int]:
        """The columns (0-based) whose numbers are shares: those holding a float, less :attr:`means`.

        >>> Table("t", ("a", "b", "c"), (("x", 1, 0.5), ("y", 2, None))).share_columns()
        {2}
        """
        columns = zip(*self.rows, strict=False)
        return {i for i, col in enumerate(columns) if any(isinstance(v, float) for v in col)} - self.means

    def display_rows(self, name: Callable[[Any], str], number: Callable[[int | float], str],
                     percent: Callable[[float], str]) -> list[list[str]]:
        """The rows in words: the first cell by ``name`` (a region's, a rule's name...), the others by :func:`say`
        (a share column by ``percent``).

        >>> Table("t", ("a", "b", "c"), (("x", 1, 0.5), ("y", 2, None))).display_rows(str.upper, str, str)
        [['X', '1', '0.5'], ['Y', '2', '—']]
        """
        shares = self.share_columns()
        return [[name(r[0]), *(say(v, i in shares, number, percent) for i, v in enumerate(r[1:], start=1))]
                for r in self.rows]


@dataclass(frozen=True, slots=True)
class Chart:
    """Horizontal bars: title (English msgid), (label, value) pairs, whether values are shares, what the first
    column names (as :attr:`Table.first`)."""

    title: str
    bars: tuple[tuple[str, float], ...]
    shares: bool = False
    first: str = "text"
    whys: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Section:
    """A section: id (one of :data:`SECTION_IDS`), its figures, tables and charts, and notes (English msgids):
    where its data come from, or that its module has nothing recorded."""

    id: str
    figures: tuple[Figure, ...] = ()
    tables: tuple[Table, ...] = ()
    charts: tuple[Chart, ...] = ()
    notes: tuple[str, ...] = ()

    @property
    def empty(self) -> bool:
        return not self.figures and not self.tables


@dataclass(frozen=True, slots=True)
class Annex:
    """A region's annex: its 2-digit KATO prefix and its sections."""

    region: str
    sections: tuple[Section, ...]


@dataclass(frozen=True, slots=True)
class CongressReport:
    """The national report on a cycle: the national sections and one annex per region."""

    cycle_id: str
    cycle_name: str
    election_date: str | None
    system: str
    control_as_of: str | None
    sections: tuple[Section, ...]
    annexes: tuple[Annex, ...] = field(default=())

    def figures(self) -> Iterator[Figure]:
        """Every figure, national then the annexes' (their keys prefixed by the region: ``10/primaries.members``)."""
        for s in self.sections:
            yield from s.figures
        for annex in self.annexes:
            for s in annex.sections:
                for f in s.figures:
                    yield Figure(f"{annex.region}/{f.key}", f.label, f.value, f.counts, f.kind, f.params)

    def figure(self, key: str) -> Figure:
        """The figure with ``key`` (KeyError when there is none)."""
        for f in self.figures():
            if f.key == key:
                return f
        raise KeyError(key)

    def annex(self, region: str) -> Annex | None:
        return next((a for a in self.annexes if a.region == region), None)
