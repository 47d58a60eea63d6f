"""The readable difference between two versions of a programme (issue 13, item 5).

A version is a sequence of commitment records (mappings of field -> JSON value) with a stable id under
``"commitment"``: the id a commitment keeps within its programme across versions. The difference says which
commitments were added, which removed, and for each commitment in both, which fields changed from what to what,
in the order of the newer version (removed ones in the order of the older).

>>> old = [{"commitment": "W-1", "target": "90", "unit": "%"}, {"commitment": "R-1", "target": "40"}]
>>> new = [{"commitment": "W-1", "target": "95", "unit": "%"}, {"commitment": "H-1", "target": "100"}]
>>> d = diff_versions(old, new)
>>> [c["commitment"] for c in d.added], [c["commitment"] for c in d.removed]
(['H-1'], ['R-1'])
>>> [(c.commitment, [(f.field, f.before, f.after) for f in c.fields]) for c in d.changed]
[('W-1', [('target', '90', '95')])]
>>> d.unchanged, d.empty
(0, False)
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

Record = Mapping[str, object]
ID = "commitment"


@dataclass(frozen=True, slots=True)
class FieldChange:
    """One field of one commitment: its value before and after (``None``: absent or empty)."""

    field: str
    before: object
    after: object


@dataclass(frozen=True, slots=True)
class CommitmentChange:
    """A commitment present in both versions, with the fields that changed."""

    commitment: str
    fields: tuple[FieldChange, ...]


@dataclass(frozen=True, slots=True)
class VersionDiff:
    """What changed from one version to another."""

    added: tuple[Record, ...]
    removed: tuple[Record, ...]
    changed: tuple[CommitmentChange, ...]
    unchanged: int

    @property
    def empty(self) -> bool:
        """Nothing added, removed or changed."""
        return not (self.added or self.removed or self.changed)


def _value(value: object) -> object:
    """Empty text, empty lists and None are one 'no value'; lists compare as tuples."""
    if value is None or value == "" or value == [] or value == ():
        return None
    if isinstance(value, list):
        return tuple(value)
    return value


def _fields(before: Record, after: Record) -> tuple[FieldChange, ...]:
    names = list(dict.fromkeys([*after, *before]))
    return tuple(FieldChange(name, _value(before.get(name)), _value(after.get(name))) for name in names
                 if name != ID and _value(before.get(name)) != _value(after.get(name)))


def diff_versions(before: Sequence[Record], after: Sequence[Record]) -> VersionDiff:
    """The difference from ``before`` to ``after`` (see the module's docstring); commitments matched by id."""
    old = {str(r[ID]): r for r in before}
    new = {str(r[ID]): r for r in after}
    added = tuple(r for cid, r in new.items() if cid not in old)
    removed = tuple(r for cid, r in old.items() if cid not in new)
    changed: list[CommitmentChange] = []
    unchanged = 0
    for cid, record in new.items():
        if cid not in old:
            continue
        fields = _fields(old[cid], record)
        if fields:
            changed.append(CommitmentChange(cid, fields))
        else:
            unchanged += 1
    return VersionDiff(added, removed, tuple(changed), unchanged)
