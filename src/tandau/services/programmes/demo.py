"""The demo's election programmes (issue 13): one per council of the demo's cycle and the youth wing's national
programme, drafted from the SYNTHETIC development programmes (:mod:`tandau.core.programmes.synthetic_dev`, stored
in the database through the import service :mod:`tandau.services.programmes.development`, marked synthetic, and
read back from it) with the drafting help (:func:`tandau.core.programmes.drafting.draft`), and taken through the
workflow so that every status shows: some left in draft, some submitted, some returned with reasons, the rest
approved and most published.

Each commitment of a council's programme names one of the council's (synthetic) active deputies as responsible,
in turn, every third one a second deputy (the deputies' demo runs first); in each approved or published
programme of a council with deputies the first :data:`TO_CONTROL` commitments that can become control targets
are made control targets
(through :func:`tandau.services.programmes.to_control.to_control_many`: the central office's action, in one
import), so the deputies'
pages and scorecards show commitments with a control status.

Everything is synthetic: the figures come from a seed, budgets are drawn, and every version's note and every
commitment's funding note say SYNTHETIC. Deterministic for a seed.
"""

from __future__ import annotations

import hashlib
import random
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from tandau.core.programmes import NotATargetError, Term, commitment_target
from tandau.core.programmes.development import DevelopmentSet
from tandau.core.programmes.drafting import draft
from tandau.core.programmes.synthetic_dev import synthetic_development
from tandau.io.development_csv import development_csv, kz_units
from tandau.services.primaries.access import Actor
from tandau.services.programmes import development, responsible, workflow
from tandau.services.programmes.records import commitment_of, council_ids, council_owner, record_of, wing_owner
from tandau.services.programmes.to_control import to_control_many
from tandau.store.models import Contest, Council, Cycle

PER_PROGRAMME = 8  # commitments taken from each draft (the first ones: the sections the voters ask for most)
TO_CONTROL = 2  # commitments of each approved or published council programme made control targets
STATE_PROGRAMME = {"water": "clean-water", "housing": "housing", "jobs": "enbek", "agriculture": "auyl-el-besigi"}
MAJILIS = "KZ-MAJILIS"


@dataclass
class DemoProgrammes:
    """What :func:`prepare_programmes` made: programme ids by status, and the commitments written."""

    by_status: dict[str, list[str]] = field(default_factory=dict)
    commitments: int = 0
    targets: int = 0

    @property
    def programmes(self) -> int:
        return sum(len(v) for v in self.by_status.values())


def _records(rng: random.Random, drafted: Sequence[Any], seed: int, *, budget: bool) -> list[dict[str, Any]]:
    out = []
    for d in drafted[:PER_PROGRAMME]:
        c = d.commitment
        amount = Decimal(rng.randrange(20, 3000)) * Decimal(1_000_000) if budget else None
        funding = rng.choice(("local", "local", "republican", "other"))
        record = record_of(c, funding=funding, state_programme=STATE_PROGRAMME.get(c.section, ""))
        record["budget_kzt"] = None if amount is None else f"{amount:f}"
        record["funding_source"] = f"SYNTHETIC (seed {seed})"
        out.append(record)
    return out


def _national(drafts: dict[str, Sequence[Any]], sections: tuple[str, ...], prefix: str, seed: int
              ) -> list[dict[str, Any]]:
    """A national programme: one commitment of each region's draft in ``sections`` (in turn), up to
    :data:`PER_PROGRAMME`, with a drawn budget."""
    out: list[dict[str, Any]] = []
    for n, region in enumerate(sorted(drafts)):
        wanted = sections[n % len(sections)]
        found = next((d.commitment for d in drafts[region] if d.commitment.section == wanted), None)
        if found is not None and len(out) < PER_PROGRAMME:
            record = record_of(found, funding="republican", state_programme=STATE_PROGRAMME.get(found.section, ""))
            out.append(record | {"commitment": f"{prefix}-{len(out) + 1:02d}", "budget_kzt": "1000000000",
                                 "funding_source": f"SYNTHETIC (seed {seed})"})
    return out


def _demo_councils(session: Session, cycle: Cycle) -> list[str]:
    known = set(council_ids())
    stored = [c for c in session.scalars(select(Council.id).order_by(Council.id)) if c in known]
    national = session.scalar(select(Contest.id).where(Contest.cycle_id == cycle.id, Contest.level == "national")
                              .limit(1))
    return ([MAJILIS] if national is not None else []) + stored


def _store_development(session: Session, central: Actor, territories: set[str], seed: int, now: datetime
                       ) -> DevelopmentSet:
    """The SYNTHETIC development programmes of ``territories``, stored through the import service (marked
    synthetic): what the programmes are drafted from. The rows stored are these rows (the current values read back
    from the database draft the same programme: tests/integration/programmes/test_programmes_development.py), so
    the demo drafts from them without reading some 30,000 values back."""
    regions = {t[:2] for t in territories}  # a region's values are its districts' and cities': its units only
    made = synthetic_development([u for u in kz_units() if u.territory[:2] in regions], seed)
    chosen = DevelopmentSet(tuple(r for r in made.indicators if r.territory in territories))
    if chosen.indicators:
        text = development_csv(chosen.indicators)
        development.store(session, central, chosen, file=f"SYNTHETIC-DEVELOPMENT-seed-{seed}.csv",
                          sha256=hashlib.sha256(text.encode("utf-8")).hexdigest(), synthetic=True, now=now)
    return chosen


def prepare_programmes(session: Session, central: Actor, work_dir: Path, *, seed: int, now: datetime
                       ) -> DemoProgrammes:
    """A programme for every council of the demo's cycle (its ``councils`` table and the Majilis when the cycle
    has a national contest) and the youth wing's, in every status (see the module's docstring). ``work_dir`` is
    the demo's folder (nothing is written there: the development programmes go to the database)."""
    del work_dir  # kept for the demo's calling convention: everything is in memory and in the database
    cycle = session.scalars(select(Cycle).order_by(Cycle.id)).first()
    if cycle is None:
        return DemoProgrammes()
    term = workflow.term_of(session, cycle.id) or Term(date(2023, 3, 20), date(2028, 3, 19))
    councils = [council_owner(c) for c in _demo_councils(session, cycle) if c != MAJILIS]
    data = _store_development(session, central, {o.kato for o in councils}, seed, now)
    rng = random.Random(f"programmes/{seed}")
    result = DemoProgrammes()
    regional: dict[str, Sequence[Any]] = {}
    plans: list[tuple[Any, list[dict[str, Any]], str]] = []
    for owner in councils:
        fate = rng.choices(("draft", "submitted", "returned", "approved", "published"), (2, 2, 1, 1, 4))[0]
        drafted = draft(owner.kato, term, data).commitments
        records = _records(rng, drafted, seed, budget=fate != "draft" or rng.random() < 0.5)
        if owner.kato.endswith("0000000"):
            regional[owner.kato] = drafted
        plans.append((owner, records, fate))
    if MAJILIS in _demo_councils(session, cycle):
        majilis = _national(regional, ("water", "health", "roads", "housing"), "KZ", seed)
        plans.insert(0, (council_owner(MAJILIS), majilis, "published"))
    plans.insert(1, (wing_owner("youth"), _national(regional, ("education", "jobs", "culture_sport", "social"),
                                                    "Y", seed), "published"))
    note = f"SYNTHETIC demo programme: drafted from the synthetic development programmes (seed {seed})"
    chosen: list[tuple[str, str]] = []
    series: set[tuple[str, str, str]] = set()
    for owner, records, fate in plans:
        deputies = sorted(responsible.faction(session, owner.kind, owner.id))
        _name_deputies(records, deputies)
        row = workflow.create(session, central, owner, cycle.id, records, note=note, now=now)
        result.commitments += len(records)
        status = _advance(session, central, row.id, fate, bool(records), now)
        result.by_status.setdefault(status, []).append(row.id)
        if deputies and status in ("approved", "published"):
            chosen += [(row.id, cid) for cid in _targetable(records, series)]
    if chosen:
        to_control_many(session, central, chosen, now=now)
        session.commit()
        result.targets = len(chosen)
    return result


def _name_deputies(records: list[dict[str, Any]], deputies: Sequence[str]) -> None:
    """Each commitment's responsible deputy in turn; every third one shares it with the next deputy."""
    if not deputies:
        return
    for k, record in enumerate(records):
        named = [deputies[k % len(deputies)]]
        if k % 3 == 2 and len(deputies) > 1:
            named.append(deputies[(k + 1) % len(deputies)])
        record["deputies"] = named


def _targetable(records: Sequence[dict[str, Any]], series: set[tuple[str, str, str]]) -> list[str]:
    """The first :data:`TO_CONTROL` commitments that can become control targets on a series not yet taken (the
    Majilis's commitments fall on the regions' series); ``series`` grows with those taken."""
    out: list[str] = []
    for record in records:
        try:
            key = commitment_target(commitment_of(record)).key
        except NotATargetError:
            continue
        if key not in series:
            series.add(key)
            out.append(str(record["commitment"]))
        if len(out) == TO_CONTROL:
            break
    return out


def _advance(session: Session, central: Actor, programme_id: str, fate: str, has_records: bool, now: datetime
             ) -> str:
    """Take the programme towards ``fate``; one with lint errors stops where approval is refused (returned)."""
    if fate == "draft" or not has_records:
        return "draft"
    workflow.take_step(session, central, programme_id, "submit", now=now)
    if fate == "submitted":
        return "submitted"
    head = workflow.current(session, workflow.get(session, programme_id))
    if fate == "returned" or head.errors:
        workflow.take_step(session, central, programme_id, "return", now=now,
                           reason="SYNTHETIC: name the responsible body and the budget of each commitment")
        return "returned"
    workflow.take_step(session, central, programme_id, "approve", now=now)
    if fate == "approved":
        return "approved"
    workflow.take_step(session, central, programme_id, "publish", now=now)
    return "published"
