"""Primaries per single-member district (issue 11, item 2): the districts, who votes in each, one contest each.

Since 2023 most maslikhat seats are single-member districts (:mod:`tandau.core.systems`): the party selects one
nominee per district, each by a primary of its own among the members of that district. This module

- registers a council's districts in the database (from the territory data's districting, derived or official);
- assigns members to districts: explicitly (``member, district``) or by territorial unit (``territory,
  district``: every member whose KATO code lies in the unit); one district per member and council;
- creates one contest per district of a council (one seat, one mark: the winner is the district's primary
  winner, the ranking feeds the nominee selection, :mod:`tandau.core.nominees`);
- reports districts that cannot select anyone: no registered nominee, or no member assigned to vote.

Who votes in a district contest is decided with everything else by the ballot paths' one rule
(:data:`tandau.services.primaries.ballot_sql.GUARD`): the member is assigned to the contest's district.
While a contest of the council runs (open or closed, not yet published), assignments are part of its frozen
roll: only the central office changes them, with a reason, audited.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import cast

from sqlalchemy import Table, delete, func, insert, select
from sqlalchemy.orm import Session

from tandau.core.systems.districts import Districting
from tandau.errors import InputError
from tandau.services.primaries import audit, contests
from tandau.services.primaries._tabular import read_table, text_of
from tandau.services.primaries.access import Action, Actor, allowed_somewhere, require
from tandau.services.primaries.errors import NotFoundError, StateError
from tandau.services.primaries.kato import check_kato, kato_prefix
from tandau.store.bulk import add_rows
from tandau.store.models import Contest, Council, District, Member, MemberDistrict, Nomination

LEVELS = {"national": "national", "regional": "regional", "republican_city": "regional", "city": "city",
          "district": "district"}


def register_districts(session: Session, actor: Actor, districting: Districting,
                       council_ids: Iterable[str] | None = None, *, names: dict[str, tuple[str, str, str | None]]
                       ) -> int:
    """Store the districts of ``council_ids`` (default: every council with districts) from a districting;
    ``names`` maps council id to (name, region, kato) for councils not in the database yet. Returns how many
    districts were added (existing ones are kept as they are)."""
    require(actor, Action.CONTEST_CREATE, None)
    wanted = set(council_ids) if council_ids is not None else None
    known = set(session.scalars(select(District.id)))
    added = 0
    for council in districting.councils:
        if (wanted is not None and council.council_id not in wanted) or not council.districts:
            continue
        if session.get(Council, council.council_id) is None:
            if council.council_id not in names:
                raise NotFoundError("council", council.council_id)
            name, region, kato = names[council.council_id]
            contests.ensure_council(session, council.council_id, name, LEVELS.get(council.level, council.level),
                                    region, kato)
        fresh = [d for d in council.districts if d.id not in known]
        if fresh:
            session.execute(insert(District), [{"id": d.id, "council_id": d.council_id, "number": d.number,
                                                "name": d.name, "kato": d.kato} for d in fresh])
            added += len(fresh)
    if wanted is not None and (missing := wanted - {c.council_id for c in districting.councils}):
        raise InputError(f"no such council in the districting: {', '.join(sorted(missing))}", parameter="--council")
    audit.append(session, actor=actor.subject_id, action="districts.register", target=districting.system or "-",
                 details={"added": added, "councils": sorted(wanted) if wanted is not None else "all"})
    session.commit()
    return added


@dataclass(frozen=True, slots=True)
class Assigned:
    """What an assignment did: members assigned per district, the councils touched, the file's SHA-256."""

    assigned: int
    councils: tuple[str, ...]
    file: str


def _frozen(session: Session, council_ids: Iterable[str]) -> list[str]:
    """District contests of these councils whose roll is frozen (open or closed, not yet published); a list
    contest's voters do not depend on districts."""
    return list(session.scalars(select(Contest.id).where(
        Contest.council_id.in_(list(council_ids)), Contest.district_id != "",
        Contest.status.in_(("open", "closed"))).order_by(Contest.id)))


AUDIT_TARGET_MAX = 200  # audit_log.target is VARCHAR(200) (PostgreSQL enforces it, SQLite does not)


def assign_members(session: Session, actor: Actor, path: Path, *, reason: str = "",
                   now: datetime | None = None) -> Assigned:
    """Assign members to districts from a CSV/XLSX file, all or nothing: ``member, district`` (one member) or
    ``territory, district`` (every active member whose KATO code lies in the unit, 9 digits). A member gets one
    district per council; the file replaces the assignments of every council it names."""
    if not allowed_somewhere(actor, Action.ROLL_IMPORT):
        require(actor, Action.ROLL_IMPORT, None)  # refused here, before the file is read
    table = read_table(path, ("district",))
    file = path.name
    if not table.rows:
        raise InputError("the file has no rows", file=file, row=2)
    header = set(table.rows[0][1])
    by_member = "member" in header
    if by_member == ("territory" in header):
        raise InputError("give a column 'member' or a column 'territory' (not both)", file=file, row=1)
    districts = {d.id: d for d in session.scalars(select(District))}
    # the roll's ids read once (a whole roll's assignments are millions of rows: no lookup per row)
    on_roll = set(session.scalars(select(Member.id))) if by_member else set()
    rows: list[tuple[str, str, str]] = []  # (member or territory, district, council)
    for row_no, row in table.rows:
        district = districts.get(text_of(row.get("district")))
        if district is None:
            raise InputError(f"unknown district {text_of(row.get('district'))!r}; register the council's districts "
                             "first", file=file, row=row_no, column="district")
        if by_member:
            key = text_of(row.get("member"))
            if key not in on_roll:
                raise InputError(f"no member {key!r} on the roll", file=file, row=row_no, column="member")
        else:
            key = check_kato(text_of(row.get("territory")), file=file, row=row_no, column="territory")
        rows.append((key, district.id, district.council_id))
    councils = sorted({c for _, _, c in rows})
    for council_id in councils:  # a secretary assigns only in the councils of their territory
        row_council = session.get(Council, council_id)
        require(actor, Action.ROLL_IMPORT, row_council.kato if row_council is not None else None)
    if not by_member:
        given: dict[tuple[str, str], str] = {}
        for key, target, council in rows:
            if given.setdefault((key, council), target) != target:
                raise InputError(f"territory {key} is given two districts of council {council}", file=file,
                                 parameter="territory")
    frozen = _frozen(session, councils)
    if frozen:
        require(actor, Action.ROLL_CHANGE_FROZEN, None)
        if not reason.strip():
            raise InputError(f"contests {', '.join(frozen)} are running: give the reason for changing their roll",
                             parameter="--reason")
    pairs: dict[tuple[str, str], str] = {}  # (member, council) -> district
    if by_member:
        for member, target, council in rows:
            if pairs.setdefault((member, council), target) != target:
                raise InputError(f"member {member} is given two districts of council {council}", file=file,
                                 parameter="member")
    else:
        members = session.execute(select(Member.id, Member.kato).where(Member.status == "active")).all()
        for council in councils:
            # the most specific unit wins: a district of a city inside a district of the region around it
            units = sorted(((kato_prefix(k), d) for k, d, c in rows if c == council), key=lambda u: -len(u[0]))
            for member_id, kato in members:
                found = next((d for prefix, d in units if kato.startswith(prefix)), None)
                if found is not None:
                    pairs[(member_id, council)] = found
    before = {(m, c): d for m, c, d in session.execute(select(
        MemberDistrict.member_id, MemberDistrict.council_id, MemberDistrict.district_id).where(
        MemberDistrict.council_id.in_(councils)))}
    session.execute(delete(MemberDistrict).where(MemberDistrict.council_id.in_(councils)))
    add_rows(session, cast(Table, MemberDistrict.__table__), ("member_id", "council_id", "district_id"),
             ((m, c, d) for (m, c), d in sorted(pairs.items())))
    changed = sorted(k for k in set(before) | set(pairs) if before.get(k) != pairs.get(k))
    details: dict[str, object] = {"file": file, "sha256": table.sha256, "assigned": len(pairs),
                                  "councils": councils, "changed": len(changed)}
    if frozen:  # every changed row with its before and after, as for the frozen roll
        details |= {"reason": reason.strip(), "frozen_contests": frozen,
                    "rows": [{"member": m, "council": c, "before": before.get((m, c)), "after": pairs.get((m, c))}
                             for m, c in changed]}
    # the target column holds 200 characters: a whole country's file (224 councils) is named by its count, the
    # councils themselves are in the details
    target = ",".join(councils)
    audit.append(session, actor=actor.subject_id, action="districts.assign", now=now, details=details,
                 target=target if len(target) <= AUDIT_TARGET_MAX else f"{len(councils)} councils")
    session.commit()
    return Assigned(len(pairs), tuple(councils), file)


@dataclass(frozen=True, slots=True)
class DistrictContests:
    """The contests created for a council's districts."""

    council_id: str
    contest_ids: tuple[str, ...]


def create_district_contests(session: Session, actor: Actor, cycle_id: str, council_id: str, *,
                             opens_at: datetime, closes_at: datetime, rule: str = "plurality",
                             tie_policy: str = "nomination-order", revote: bool = False) -> DistrictContests:
    """One contest per district of the council: id ``<cycle>-<district>``, one seat, the council's territory,
    voters the members assigned to the district."""
    council = session.get(Council, council_id)
    if council is None:
        raise NotFoundError("council", council_id)
    districts = list(session.scalars(select(District).where(District.council_id == council_id)
                                     .order_by(District.number)))
    if not districts:
        raise StateError(f"council {council_id!r} has no districts registered "
                         "(tandau primaries districts register)")
    made: list[str] = []
    for d in districts:
        spec = contests.ContestSpec(
            id=f"{cycle_id}-{d.id}", cycle_id=cycle_id, name=f"{council.name}, {d.name or f'district {d.number}'}",
            level=council.level, region=council.region, rule=rule, seats=1, opens_at=opens_at, closes_at=closes_at,
            council_id=council_id, kato=council.kato, tie_policy=tie_policy, revote=revote, district_id=d.id)
        made.append(contests.create_contest(session, actor, spec).id)
    return DistrictContests(council_id, tuple(made))


@dataclass(frozen=True, slots=True)
class DistrictStatus:
    """A district contest as the report shows it; ``problems`` say why it cannot select a nominee."""

    contest_id: str
    council_id: str
    district_id: str
    nominees: int
    voters: int
    problems: tuple[str, ...]


def district_report(session: Session, actor: Actor, cycle_id: str) -> list[DistrictStatus]:
    """Every district contest of a cycle with its registered nominees and assigned voters; a district with
    no nominee or no voter is reported, never skipped."""
    require(actor, Action.TURNOUT_VIEW, None)
    rows = session.execute(select(Contest.id, Contest.council_id, Contest.district_id).where(
        Contest.cycle_id == cycle_id, Contest.district_id != "").order_by(Contest.council_id, Contest.district_id)
    ).all()
    nominees = dict(session.execute(select(Nomination.contest_id, func.count()).where(
        Nomination.status == "registered").group_by(Nomination.contest_id)).all())
    voters = dict(session.execute(select(MemberDistrict.district_id, func.count()).join(
        Member, Member.id == MemberDistrict.member_id).where(Member.status == "active").group_by(
        MemberDistrict.district_id)).all())
    report: list[DistrictStatus] = []
    for contest_id, council_id, district_id in rows:
        n, v = int(nominees.get(contest_id, 0)), int(voters.get(district_id, 0))
        problems = tuple(p for p, bad in (("no eligible nominee registered", n == 0),
                                          ("no member assigned to vote", v == 0)) if bad)
        report.append(DistrictStatus(contest_id, str(council_id), district_id, n, v, problems))
    return report


def districts_of(session: Session, council_id: str) -> Sequence[District]:
    """The registered districts of a council in number order."""
    return session.scalars(select(District).where(District.council_id == council_id).order_by(District.number)
                           ).all()
