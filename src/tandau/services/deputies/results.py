"""Import a council's official result: list votes (the seat engine allocates the list seats, the mandate rule names
the party's holders from its registered list) and the winner of each single-member district; the party's list
mandate holders and district winners become its faction with their term.

``RESULTS.csv`` (or ``.xlsx``; comma, semicolon or tab; case-insensitive headers), one row per line of the
official protocol, column ``kind``:

- ``list``: ``party``, ``votes`` (registration order = row order);
- ``against_all``: ``votes`` (ballots valid for no list, which count in the 5% base of 2023);
- ``district``: ``district`` (id ``M-75-D07`` or number ``7``), ``winner``, ``party`` (empty: self-nominated),
  optional ``votes``, ``id`` (member id), ``sex`` (F/M), ``birth_date``.

The party's registered list is the list formed in the workspace for the council (``workspace_lists``, contest id =
council id), else ``LIST.csv`` (``id, name, sex[, birth_date, tags]`` in list order) given with the import. The
mandate rule is ``kz-law-2022`` (at least ⌈30%⌉ of the party's list mandates to women, under-29s or persons with a
disability). Files are checked whole first: every problem is reported with its row and column and nothing is
stored (``ImportRejectedError``). A council is imported once.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy.orm import Session

from tandau.core.candidates import Candidate
from tandau.core.seats.mixed import INDEPENDENT, DistrictResult, compose_council
from tandau.errors import InputError
from tandau.services import workspace_store
from tandau.services.councils import council_ref
from tandau.services.deputies.common import (
    council_info,
    decide,
    now_utc,
    require_manage,
    require_manage_somewhere,
    term_end,
)
from tandau.services.primaries._tabular import Cell, Table, date_of, parse_table, text_of
from tandau.services.primaries.access import Actor
from tandau.services.primaries.errors import ImportRejectedError, StateError
from tandau.store.deputies_models import DeputyCouncil, DeputyRow

KINDS = ("list", "against_all", "district")
MANDATE_RULE = "kz-law-2022"
MAX_ERRORS = 50


@dataclass(frozen=True, slots=True)
class ParsedResult:
    """A council's result as read: list votes in registration order, "against all", district elections."""

    votes: tuple[tuple[str, int], ...]
    other_valid_votes: int
    districts: tuple[DistrictResult, ...]
    sha256: str


@dataclass(frozen=True, slots=True)
class Imported:
    """What an import stored: the council row, the faction's deputies and the steps of the composition."""

    council: DeputyCouncil
    deputies: tuple[DeputyRow, ...]
    steps: tuple[str, ...]


def _int(cell: Cell, table: Table, row: int, column: str, errors: list[InputError], *, empty: bool = False
         ) -> int | None:
    text = text_of(cell).replace(" ", "").replace("\u00a0", "")
    if not text and empty:
        return None
    if not text.isdigit():
        errors.append(InputError(f"expected a whole number of votes, got {text!r}", file=table.file, row=row,
                                 column=column))
        return None
    return int(text)


def _day(cell: Cell, table: Table, row: int, column: str, errors: list[InputError]) -> date | None:
    if cell is None:
        return None
    try:
        return date_of(cell)
    except ValueError:
        errors.append(InputError(f"expected a date as YYYY-MM-DD, got {text_of(cell)!r}", file=table.file, row=row,
                                 column=column))
        return None


def _sex(cell: Cell, table: Table, row: int, errors: list[InputError], *, required: bool) -> str | None:
    text = text_of(cell).upper()
    if text in ("F", "M"):
        return text
    if text or required:
        errors.append(InputError(f"sex must be F or M, got {text!r}", file=table.file, row=row, column="sex"))
    return None


def read_results(data: bytes, name: str) -> ParsedResult:
    """Parse ``RESULTS.csv``/``.xlsx``; every problem is collected (``ImportRejectedError``)."""
    table = parse_table(data, name, ("kind",))
    errors: list[InputError] = []
    votes: list[tuple[str, int]] = []
    seen: dict[str, int] = {}
    other = 0
    districts: list[DistrictResult] = []
    for n, r in table.rows:
        kind = text_of(r.get("kind")).lower()
        if kind not in KINDS:
            errors.append(InputError(f"kind must be one of {', '.join(KINDS)}, got {kind!r}", file=table.file,
                                     row=n, column="kind"))
            continue
        party = text_of(r.get("party"))
        if kind == "list":
            if not party:
                errors.append(InputError("empty party", file=table.file, row=n, column="party"))
            elif party in seen:
                errors.append(InputError(f"party {party!r} already on row {seen[party]}", file=table.file, row=n,
                                         column="party"))
            v = _int(r.get("votes"), table, n, "votes", errors)
            if party and party not in seen:
                seen[party] = n
                if v is not None:
                    votes.append((party, v))
        elif kind == "against_all":
            other += _int(r.get("votes"), table, n, "votes", errors) or 0
        else:
            district, winner = text_of(r.get("district")), text_of(r.get("winner"))
            if not district:
                errors.append(InputError("empty district", file=table.file, row=n, column="district"))
            if not winner:
                errors.append(InputError("empty winner", file=table.file, row=n, column="winner"))
            v = _int(r.get("votes"), table, n, "votes", errors, empty=True)
            sex = _sex(r.get("sex"), table, n, errors, required=False)
            born = _day(r.get("birth_date"), table, n, "birth_date", errors)
            districts.append(DistrictResult(district, winner, party or INDEPENDENT, v, winner_id=text_of(r.get("id")),
                                            sex="F" if sex == "F" else "M" if sex == "M" else None, birth_date=born,
                                            file=table.file, row=n))
    if errors:
        raise ImportRejectedError(errors[:MAX_ERRORS])
    return ParsedResult(tuple(votes), other, tuple(districts), table.sha256)


def read_list(data: bytes, name: str) -> list[Candidate]:
    """Parse a party's ``LIST.csv``/``.xlsx`` (``id, name, sex[, birth_date, tags]``, list order)."""
    table = parse_table(data, name, ("id", "name", "sex"))
    errors: list[InputError] = []
    out: list[Candidate] = []
    seen: dict[str, int] = {}
    for n, r in table.rows:
        cid, person = text_of(r.get("id")), text_of(r.get("name"))
        if not cid:
            errors.append(InputError("empty id", file=table.file, row=n, column="id"))
        elif cid in seen:
            errors.append(InputError(f"id {cid!r} already on row {seen[cid]}", file=table.file, row=n, column="id"))
        seen.setdefault(cid, n)
        if not person:
            errors.append(InputError("empty name", file=table.file, row=n, column="name"))
        sex = _sex(r.get("sex"), table, n, errors, required=True)
        born = _day(r.get("birth_date"), table, n, "birth_date", errors)
        tags = frozenset(t.strip().lower() for t in text_of(r.get("tags")).replace(",", ";").split(";") if t.strip())
        out.append(Candidate(cid, person, "F" if sex == "F" else "M", born, 0, tags, len(out)))
    if not out and not errors:
        errors.append(InputError("no rows after the header", file=table.file, row=2))
    if errors:
        raise ImportRejectedError(errors[:MAX_ERRORS])
    return out


def workspace_list(session: Session, council_id: str) -> list[Candidate] | None:
    """The list formed for the council in the workspace (its entries in list order), None when none is stored or
    it could not be formed."""
    stored = workspace_store.load(session, council_id)
    if stored is None or stored.result.get("error") is not None:
        return None
    out = []
    for i, e in enumerate(stored.result.get("entries", [])):
        born = date.fromisoformat(e["birth_date"]) if e.get("birth_date") else None
        out.append(Candidate(str(e["id"]), str(e["name"]), "F" if e.get("sex") == "F" else "M", born, 0,
                             frozenset(e.get("tags") or ()), i))
    return out


def _candidate_data(c: Candidate) -> dict[str, Any]:
    return {"id": c.id, "name": c.name, "sex": c.sex, "tags": sorted(c.tags),
            "birth_date": None if c.birth_date is None else c.birth_date.isoformat()}


def candidates_of(council: DeputyCouncil) -> list[Candidate]:
    """The stored registered list of the council's party."""
    return [Candidate(d["id"], d["name"], "F" if d["sex"] == "F" else "M",
                      date.fromisoformat(d["birth_date"]) if d.get("birth_date") else None, 0,
                      frozenset(d.get("tags") or ()), i) for i, d in enumerate(json.loads(council.party_list))]


def import_results(session: Session, actor: Actor, council_id: str, data: bytes, name: str, *, party: str,
                   election_day: date, system: str = "kz-2023", party_list: Sequence[Candidate] | None = None,
                   now: datetime | None = None, commit: bool = True) -> Imported:
    """Compose the council from its official result and store the party's faction (see the module's text)."""
    require_manage_somewhere(actor)
    info = council_info(council_id)
    require_manage(actor, info.kato)
    if not party.strip():
        raise InputError("name the party whose deputies these are", parameter="party")
    party = party.strip()
    if session.get(DeputyCouncil, council_id) is not None:
        raise StateError(f"the results of {council_id} are already imported")
    ref = council_ref(system, council_id)
    parsed = read_results(data, name)
    source = "file" if party_list is not None else "none"
    names = list(party_list) if party_list is not None else None
    if names is None and any(p == party for p, _ in parsed.votes):
        names = workspace_list(session, council_id)
        source = "workspace" if names is not None else "none"
    lists = {party: names} if names is not None and any(p == party for p, _ in parsed.votes) else None
    comp = compose_council(ref.council, ref.level, parsed.votes, parsed.districts, lists=lists,
                           mandate_rule=MANDATE_RULE, election_day=election_day,
                           other_valid_votes=parsed.other_valid_votes)
    faction = comp.faction(party)
    if faction.unnamed_list_seats:
        raise InputError(f"{party} won {faction.list_seats} list seats of {council_id} and no registered list is "
                         "stored for the council: give its LIST.csv", parameter="list")
    moment = now_utc(now)
    end = term_end(election_day)
    council = DeputyCouncil(
        council_id=council_id, kato=info.kato, name=info.name_ru, system=system, party=party, election_day=election_day,
        term_end=end, seats=ref.council.seats, list_seats=ref.council.list_seats,
        party_list_seats=faction.list_seats, mandate_rule=MANDATE_RULE, votes=json.dumps(list(parsed.votes)),
        other_valid_votes=parsed.other_valid_votes,
        party_list=json.dumps([_candidate_data(c) for c in names or ()], ensure_ascii=False), list_source=source,
        imported_at=moment, imported_by=actor.subject_id)
    session.add(council)
    rows = []
    for d in faction.deputies:
        ident = f"{council_id}-L{d.position:02d}" if d.mandate == "list" else d.district
        rows.append(DeputyRow(id=ident, council_id=council_id, kato=info.kato, person_id=d.id, name=d.name, sex=d.sex,
                              birth_date=d.birth_date, mandate=d.mandate, district_id=d.district,
                              position=d.position, term_start=election_day, term_end=end, status="active",
                              created_at=moment))
    session.add_all(rows)
    session.flush()
    common = {"file_sha256": parsed.sha256, "election_day": election_day.isoformat(), "party": party}
    if comp.allocation is not None:
        decide(session, actor, council_id, "list_allocation",
               f"{ref.council.list_seats} list seats by {comp.rules}: "
               + ", ".join(f"{p} {n}" for p, n in comp.allocation.as_dict().items() if n),
               {**common, "seats": comp.allocation.as_dict(), "other_valid_votes": parsed.other_valid_votes,
                "votes": dict(parsed.votes)}, now=moment)
    for p, m in comp.mandates:
        decide(session, actor, council_id, "list_mandates",
               f"{p}: {m.seats} list mandates under {m.rule}" + ("" if m.met else " (quota not met)"),
               {**common, "list_source": source, **m.as_data()}, now=moment)
    if comp.districts:
        decide(session, actor, council_id, "district_winners",
               f"{sum(1 for s in comp.districts if s.holder and s.holder.party == party)} of "
               f"{len(comp.districts)} districts won by {party}",
               {**common, "districts": {s.district: None if s.holder is None else
                                        {"winner": s.holder.winner, "party": s.holder.party}
                                        for s in comp.districts}}, now=moment)
    if commit:
        session.commit()
    return Imported(council, tuple(rows), comp.steps)
