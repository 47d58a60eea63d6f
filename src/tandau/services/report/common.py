"""Helpers of the congress report's services: the cycle, regions by KATO prefix, tables that may be absent."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from sqlalchemy import inspect, select
from sqlalchemy.orm import Session

from tandau.errors import InputError
from tandau.store.models import Contest, Cycle

NATIONAL = "KZ"


def region_of(kato: str | None) -> str:
    """The 2-digit region prefix of a KATO code; ``KZ`` for none (the whole country).

    >>> region_of("101010000"), region_of(None), region_of("KZ")
    ('10', 'KZ', 'KZ')
    """
    if not kato or not kato[:2].isdigit():
        return NATIONAL
    return kato[:2]


def has_table(session: Session, name: str) -> bool:
    """Whether the database has table ``name`` (the deputies' and appeals' tables arrive with later migrations)."""
    return inspect(session.connection()).has_table(name)


def latest_cycle(session: Session) -> Cycle | None:
    """The latest cycle: among cycles with a published contest, the one with the latest election day (then id);
    with none published, the latest of all (a practice cycle left open does not hide the real one)."""
    published = set(session.scalars(select(Contest.cycle_id).where(Contest.status == "published").distinct()))
    cycles = list(session.scalars(select(Cycle)))
    pool = [c for c in cycles if c.id in published] or cycles
    if not pool:
        return None
    return max(pool, key=lambda c: (c.election_date or date.min, c.id))


def get_cycle(session: Session, cycle_id: str | None) -> Cycle:
    """The cycle ``cycle_id`` (default: :func:`latest_cycle`); an :class:`InputError` naming the valid ones."""
    cycle = latest_cycle(session) if cycle_id is None else session.get(Cycle, cycle_id)
    if cycle is None:
        valid = sorted(session.scalars(select(Cycle.id)))
        if cycle_id is None:
            raise InputError("the database holds no election cycle", parameter="cycle")
        raise InputError(f"unknown cycle {cycle_id!r}; valid: {', '.join(valid) or '(none)'}", parameter="cycle")
    return cycle


def counts_by(rows: Iterable[tuple[str | None, int | None]]) -> dict[str, int]:
    """``(kato or prefix, n)`` rows summed per region (:func:`region_of`)."""
    out: dict[str, int] = {}
    for kato, n in rows:
        key = region_of(kato)
        out[key] = out.get(key, 0) + int(n or 0)
    return out

