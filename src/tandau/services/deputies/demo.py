"""The demo's deputies: every council of the demo cycle composed from a SYNTHETIC result, akims per region and
district, a year of activity, a few vacancies and a by-election.

- **Results**: each council's list votes are a seeded Dirichlet draw around the workspace's illustrative national
  shares (:data:`tandau.services.workspace.DEFAULT_SHARES`, the party is ``our-party``) with "against all";
  the party's registered list is the list formed in the demo's workspace (padded with synthetic names when the list
  is shorter than the council's list seats; a council without a formed list gets a synthetic list). Each district
  is won by the party's nominee (the winner of the district's published primary, or a synthetic person) with
  probability 0.6, else by a synthetic rival. The results go through :func:`results.import_results` as
  ``RESULTS.csv`` files written to ``work_dir/deputies``, so the demo runs the real import.
- **Akims**: a synthetic party member (a member of the roll living there when the demo has one) for every region
  and district with a council, appointed before election day; a tenth of them left and were replaced.
- **Activity**: a year from election day: monthly sessions (attended nine times in ten) with two votes each,
  inquiries (answered seven times in ten), receptions and reports to voters.
- **Vacancies**: about one deputy in a hundred leaves (list mandates pass to the next eligible name with the quota
  kept); one vacated district gets a by-election.

Every person is synthetic (names drawn from the scenario's name lists); no real name appears.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import numpy as np
from sqlalchemy import select
from sqlalchemy.orm import Session

from tandau.core.candidates import Candidate
from tandau.services.councils import council_ref
from tandau.services.deputies import akims, vacancy
from tandau.services.deputies.activity import store_activity
from tandau.services.deputies.common import council_info
from tandau.services.deputies.results import import_results, workspace_list
from tandau.services.district_primaries import read_primaries
from tandau.services.primaries.access import Actor
from tandau.services.primaries.kato import kato_prefix
from tandau.services.scenario import NameLists
from tandau.services.workspace import DEFAULT_OTHER, DEFAULT_SHARES, OUR_PARTY
from tandau.store.deputies_models import DeputyRow
from tandau.store.models import Contest, Council, Cycle, Member

MAJILIS = "KZ-MAJILIS"
WIN_DISTRICT = 0.6
REASONS = ("resigned for health reasons", "appointed to a state post", "moved to another region",
           "resigned at their own request")


@dataclass
class DemoDeputies:
    """What the demo made."""

    councils: int = 0
    deputies: int = 0
    list_deputies: int = 0
    district_deputies: int = 0
    vacancies: int = 0
    successors: int = 0
    by_elections: int = 0
    akims: int = 0
    activity: int = 0
    files: list[Path] = field(default_factory=list)


def _councils(session: Session, cycle: Cycle) -> list[tuple[str, str | None]]:
    """(council id, KATO) of the demo: the Majilis when the cycle has a national contest, then its councils."""
    from tandau.services.programmes.records import council_ids

    known = set(council_ids())
    stored = [(c.id, c.kato) for c in session.scalars(select(Council).order_by(Council.id))
              if c.id in known and c.id != MAJILIS]
    national = session.scalar(select(Contest.id).where(Contest.cycle_id == cycle.id, Contest.level == "national")
                              .limit(1))
    return ([(MAJILIS, None)] if national is not None else []) + stored


class _People:
    """Synthetic people drawn from the scenario's name lists."""

    def __init__(self, seed: int) -> None:
        self.names = NameLists.load()
        self.rng = np.random.default_rng([seed, 14])
        self.count = 0

    def person(self, day: date, *, woman: bool | None = None) -> tuple[str, str, str, date]:
        self.count += 1
        w = bool(self.rng.random() < 0.4) if woman is None else woman
        name = str(self.names.draw(self.rng, np.array([w]))[0])
        born = day - timedelta(days=int(self.rng.integers(25 * 365, 65 * 365)))
        return f"syn-{self.count:05d}", name, "F" if w else "M", born


def _csv(rows: list[list[Any]]) -> bytes:
    def cell(v: Any) -> str:
        text = "" if v is None else str(v)
        return '"' + text.replace('"', '""') + '"' if any(c in text for c in ',"\n') else text

    return ("\n".join(",".join(cell(v) for v in row) for row in rows) + "\n").encode()


def _list_votes(rng: random.Random, seats: int) -> tuple[list[tuple[str, int]], int]:
    parties = [*DEFAULT_SHARES, "other"]
    base = [*DEFAULT_SHARES.values(), DEFAULT_OTHER]
    draw = [rng.gammavariate(60 * s, 1.0) for s in base]
    total = 8_000 * max(seats, 1) + rng.randrange(5_000)
    votes = [(p, int(total * d / sum(draw))) for p, d in zip(parties, draw, strict=True)]
    return [(p, v) for p, v in votes if p != "other"], votes[-1][1]


def _party_list(session: Session, council_id: str, need: int, people: _People, day: date) -> list[Candidate] | None:
    """The formed list (None: use the workspace's own as is), padded with synthetic names up to ``need``."""
    formed = workspace_list(session, council_id) or []
    if len(formed) >= need and formed:
        return None
    out = list(formed)
    while len(out) < need:
        pid, name, sex, born = people.person(day, woman=len(out) % 3 == 2)
        out.append(Candidate(pid, name, "F" if sex == "F" else "M", born, 0, frozenset(), len(out)))
    return out


def prepare_deputies(session: Session, central: Actor, work_dir: Path, *, seed: int = 2020, now: datetime
                     ) -> DemoDeputies:
    """Deputies, akims and a year of activity for every council of the demo cycle (see the module's text)."""
    made = DemoDeputies()
    cycle = session.scalars(select(Cycle).order_by(Cycle.id)).first()
    if cycle is None or cycle.election_date is None:
        return made
    day = cycle.election_date
    rng = random.Random(f"deputies/{seed}")
    people = _People(seed)
    folder = work_dir / "deputies"
    folder.mkdir(parents=True, exist_ok=True)
    councils = _councils(session, cycle)
    primaries = read_primaries(session, cycle.id, [c for c, _ in councils], day)
    for council_id, _kato in councils:
        seats = council_ref(cycle.system, council_id).council
        rows: list[list[Any]] = [["kind", "party", "votes", "district", "winner", "id", "sex", "birth_date"]]
        names: list[Candidate] | None = None
        if seats.list_seats:
            votes, other = _list_votes(rng, seats.list_seats)
            rows += [["list", p, v, "", "", "", "", ""] for p, v in votes]
            rows.append(["against_all", "", other, "", "", "", "", ""])
            names = _party_list(session, council_id, seats.list_seats + 3, people, day)
        nominees = {p.district_id: p.ranking[0] for p in primaries.get(council_id, []) if p.ranking}
        for d in seats.districts:
            if rng.random() < WIN_DISTRICT:
                nominee = nominees.get(d.id)
                if nominee is not None:
                    rows.append(["district", OUR_PARTY, "", d.id, nominee.name, nominee.id, nominee.sex,
                                 nominee.birth_date.isoformat()])
                    continue
                pid, name, sex, born = people.person(day)
                rows.append(["district", OUR_PARTY, "", d.id, name, pid, sex, born.isoformat()])
            else:
                _pid, name, sex, born = people.person(day)
                rival = rng.choice([*[p for p in DEFAULT_SHARES if p != OUR_PARTY], ""])
                rows.append(["district", rival, "", d.id, name, "", sex, born.isoformat()])
        data = _csv(rows)
        path = folder / f"{council_id}.csv"
        path.write_bytes(data)
        made.files.append(path)
        done = import_results(session, central, council_id, data, path.name, party=OUR_PARTY, election_day=day,
                              system=cycle.system, party_list=names, now=now, commit=False)
        made.councils += 1
        made.deputies += len(done.deputies)
        made.list_deputies += sum(d.mandate == "list" for d in done.deputies)
        made.district_deputies += sum(d.mandate == "district" for d in done.deputies)
    session.commit()
    made.akims = _akims(session, central, councils, people, rng, day, now)
    made.activity = _activity(session, central, rng, day, now)
    _vacancies(session, central, rng, day, now, made)
    return made


def _akims(session: Session, central: Actor, councils: list[tuple[str, str | None]], people: _People,
           rng: random.Random, day: date, now: datetime) -> int:
    territories = sorted({council_info(c).kato or "" for c, _ in councils} - {""})
    members: dict[str, list[Member]] = {}
    for m in session.scalars(select(Member).order_by(Member.id).limit(20_000)):
        members.setdefault(m.kato[:2], []).append(m)
        members.setdefault(m.kato[:4], []).append(m)
    count = 0
    for kato in territories:
        prefix = kato_prefix(kato)
        local = members.get(prefix[:4] if len(prefix) >= 4 else prefix[:2], [])
        appointed = day - timedelta(days=rng.randrange(60, 1500))
        row = _akim(session, central, kato, local, people, rng, appointed, day, now)
        count += 1
        if rng.random() < 0.1:
            left = day + timedelta(days=rng.randrange(30, 300))
            session.flush()
            akims.end_akim(session, central, row.id, left, now=now)
            _akim(session, central, kato, local, people, rng, left + timedelta(days=1), day, now)
            count += 1
    session.commit()
    return count


def _akim(session: Session, central: Actor, kato: str, local: list[Member], people: _People, rng: random.Random,
          start: date, day: date, now: datetime) -> Any:
    if local:
        m = local[rng.randrange(len(local))]
        return akims.add_akim(session, central, kato, m.name, start, person_id=m.id, now=now, commit=False)
    _pid, name, _sex, _born = people.person(day)
    return akims.add_akim(session, central, kato, name, start, now=now, commit=False)


def _activity(session: Session, central: Actor, rng: random.Random, day: date, now: datetime) -> int:
    records: list[dict[str, Any]] = []
    blank = {"details": "", "attended": None, "choice": None, "answered_on": None, "people": None}
    for dep in session.scalars(select(DeputyRow).where(DeputyRow.status == "active").order_by(DeputyRow.id)):
        for month in range(12):
            sitting = day + timedelta(days=30 * month + 10)
            here = rng.random() < 0.9
            records.append({**blank, "deputy_id": dep.id, "kind": "session", "day": sitting, "attended": here,
                            "details": f"session {month + 1}"})
            for item in (1, 2):
                choice = rng.choices(("for", "against", "abstain"), (8, 1, 1))[0] if here else "absent"
                records.append({**blank, "deputy_id": dep.id, "kind": "vote", "day": sitting, "choice": choice,
                                "details": f"session {month + 1}, item {item}"})
        for _ in range(rng.randrange(5)):
            sent = day + timedelta(days=rng.randrange(20, 330))
            answered = sent + timedelta(days=rng.randrange(5, 35)) if rng.random() < 0.7 else None
            records.append({**blank, "deputy_id": dep.id, "kind": "inquiry", "day": sent, "answered_on": answered,
                            "details": "inquiry to the akimat"})
        for _ in range(rng.randrange(6, 13)):
            records.append({**blank, "deputy_id": dep.id, "kind": "reception",
                            "day": day + timedelta(days=rng.randrange(10, 360)), "people": rng.randrange(3, 31)})
        for _ in range(rng.randrange(1, 3)):
            records.append({**blank, "deputy_id": dep.id, "kind": "report_to_voters",
                            "day": day + timedelta(days=rng.randrange(150, 360)), "people": rng.randrange(20, 200)})
    for start in range(0, len(records), 20_000):
        store_activity(session, central, records[start:start + 20_000], source="demo (synthetic)", now=now,
                       commit=False)
    session.commit()
    return len(records)


def _vacancies(session: Session, central: Actor, rng: random.Random, day: date, now: datetime,
               made: DemoDeputies) -> None:
    active = list(session.scalars(select(DeputyRow).where(DeputyRow.status == "active").order_by(DeputyRow.id)))
    chosen = rng.sample(active, max(1, len(active) // 100)) if active else []
    by_election_done = False
    for dep in chosen:
        on = day + timedelta(days=rng.randrange(380, 700))
        out = vacancy.vacate(session, central, dep.id, reason=rng.choice(REASONS), on=on, now=now)
        made.vacancies += 1
        made.successors += out.successor is not None
        if dep.mandate == "district" and not by_election_done:
            person = _People(rng.randrange(10**6))
            _pid, name, sex, born = person.person(day)
            vacancy.by_election(session, central, dep.council_id, dep.district_id, winner=name, party=OUR_PARTY,
                                day=on + timedelta(days=90), sex=sex, birth_date=born, now=now)
            made.by_elections += 1
            by_election_done = True
