"""Lists, seats and the elected in the congress report.

Lists: the formed lists stored by the workspace (``workspace_lists``, one per list contest of the cycle):
compliance with every rule (the stored checks), composition (places, women, under-35s) and the candidates the
rules moved. Seats and the elected: the deputies' tables when they hold mandates of the cycle's councils (the
councils whose official result has the cycle's election day), else a projection from the lists (the first places
of each list, as many as its council's seats); the section says which.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from tandau.core.candidates import age_on
from tandau.core.report import Chart, Figure, Section, Table, share
from tandau.services import workspace_store as store
from tandau.services.report.common import NATIONAL, has_table, region_of
from tandau.services.workspace import rule_reasons
from tandau.services.workspace_lists import YOUTH_UNDER
from tandau.store.models import Contest, Cycle

_ZERO = {"lists": 0, "refused": 0, "compliant": 0, "places": 0, "women": 0, "youth": 0, "moved": 0,
         "with_moves": 0, "seats": 0, "seat_women": 0, "seat_youth": 0}


def _list_figures(a: dict[str, int]) -> tuple[Figure, ...]:
    return (
        Figure("lists.formed", "Lists formed", a["lists"], "stored lists of the cycle's contests without an error"),
        Figure("lists.refused", "Lists refused", a["refused"], "stored lists whose forming was refused (an error)"),
        Figure("lists.compliant", "Lists meeting every rule", a["compliant"],
               "formed lists whose every stored check is met"),
        Figure("lists.places", "Places on the lists", a["places"], "entries of the formed lists"),
        Figure("lists.women", "Women on the lists", share(a["women"], a["places"]),
               "entries of sex F / entries", "share"),
        Figure("lists.young", "Under-35s on the lists", share(a["youth"], a["places"]),
               "entries under %(age)s on the election day / entries", "share", {"age": YOUTH_UNDER}),
        Figure("lists.moved", "Candidates moved by the rules", a["moved"],
               "sum of the stored metric 'moved' over the formed lists"),
        Figure("lists.with_moves", "Lists with moves", a["with_moves"], "formed lists with at least one move"),
    )


def lists_sections(session: Session, cycle: Cycle) -> tuple[Section, dict[str, Section], dict[str, dict[str, int]]]:
    """(national, per region, the raw per-region aggregates (the seats section compares with them))."""
    stored = store.load_all(session)
    contests = {c.id: c for c in session.scalars(select(Contest).where(Contest.cycle_id == cycle.id,
                                                                       Contest.id.in_(list(stored))))}
    agg: dict[str, dict[str, int]] = {}
    rules: dict[str, dict[str, list[int]]] = {}
    formed: list[list[dict[str, Any]]] = []  # the checks of each formed list
    for cid, item in stored.items():
        contest = contests.get(cid)
        if contest is None:
            continue
        region = region_of(contest.kato)
        a = agg.setdefault(region, dict(_ZERO))
        if item.result.get("error"):
            a["refused"] += 1
            continue
        entries: list[dict[str, Any]] = item.result.get("entries", [])
        checks = item.result.get("checks", [])
        moved = int((item.result.get("metrics") or {}).get("moved", 0))
        a["lists"] += 1
        a["compliant"] += all(bool(c["ok"]) for c in checks)
        a["places"] += len(entries)
        a["women"] += sum(e.get("sex") == "F" for e in entries)
        a["youth"] += sum(e.get("age") is not None and e["age"] < YOUTH_UNDER for e in entries)
        a["moved"] += moved
        a["with_moves"] += moved > 0
        top = entries[:item.seats]
        a["seats"] += len(top)
        a["seat_women"] += sum(e.get("sex") == "F" for e in top)
        a["seat_youth"] += sum(e.get("age") is not None and e["age"] < YOUTH_UNDER for e in top)
        formed.append(checks)
        for c in checks:
            for key in (region, NATIONAL) if region != NATIONAL else (NATIONAL,):
                pair = rules.setdefault(key, {}).setdefault(str(c["label"]), [0, 0])
                pair[0] += bool(c["ok"])
                pair[1] += 1
    whys = rule_reasons(formed)
    total = dict(_ZERO)
    for a in agg.values():
        for k in total:
            total[k] += a[k]
    agg_total = agg | {"": total}

    def section(region: str, a: dict[str, int]) -> Section:
        per_rule = rules.get(region or NATIONAL, {}) if region else rules.get(NATIONAL, {})
        rows = tuple((label, met, checked, share(met, checked)) for label, (met, checked) in sorted(per_rule.items()))
        tables = [Table("Compliance with each rule", ("Rule", "Lists meeting it", "Lists checked", "Share"), rows,
                        "rule", whys)] if rows else []
        charts = [Chart("Lists meeting each rule", tuple((r[0], float(r[3] or 0.0)) for r in rows), True, "rule",
                        whys)]
        notes = () if a["lists"] + a["refused"] else ("No list of this cycle is stored in the workspace.",)
        return Section("lists", _list_figures(a) if not notes else (), tuple(tables),
                       tuple(charts) if rows else (), notes)

    regional = {r: section(r, a) for r, a in agg.items() if r != NATIONAL}
    national = section("", total)
    if regional:
        by = tuple((r, agg[r]["lists"], agg[r]["compliant"], agg[r]["places"], share(agg[r]["women"], agg[r]["places"]),
                    share(agg[r]["youth"], agg[r]["places"]), agg[r]["moved"]) for r in sorted(regional))
        national = Section("lists", national.figures, (*national.tables, Table(
            "Lists by region", ("Region", "Lists formed", "Lists meeting every rule", "Places on the lists",
                                "Women on the lists", "Under-35s on the lists", "Candidates moved by the rules"),
            by, "region")), national.charts, national.notes)
    return national, regional, agg_total


def _elected(session: Session, cycle: Cycle) -> list[tuple[str, str | None, date | None, str, date]] | None:
    """(region, sex, birth date, mandate, term start) of every mandate of the cycle's councils as elected (rows that
    succeed no one), or None when the deputies' tables hold none."""
    if not has_table(session, "deputies") or cycle.election_date is None:
        return None
    from tandau.store.deputies_models import DeputyCouncil, DeputyRow

    rows = session.execute(select(DeputyRow.kato, DeputyRow.sex, DeputyRow.birth_date, DeputyRow.mandate,
                                  DeputyRow.term_start).join(DeputyCouncil,
                                                             DeputyCouncil.council_id == DeputyRow.council_id)
                           .where(DeputyCouncil.election_day == cycle.election_date,
                                  DeputyRow.succeeds.is_(None))).all()
    return [(region_of(k), s, b, m, t) for k, s, b, m, t in rows] or None


def seats_sections(session: Session, cycle: Cycle, lists: dict[str, dict[str, int]]
                   ) -> tuple[Section, dict[str, Section]]:
    """The elected (from the deputies' tables) or the lists' projected seats, women and under-35s among them next
    to their share on the lists."""
    elected = _elected(session, cycle)
    agg: dict[str, list[int]] = {}
    if elected is not None:
        note = "Seats from the deputies' tables: the mandates of the cycle's councils as elected."
        for region, sex, born, mandate, start in elected:
            for key in {region, ""}:
                a = agg.setdefault(key, [0, 0, 0, 0, 0])
                a[0] += 1
                a[1] += sex == "F"
                a[2] += born is not None and age_on(born, start) < YOUTH_UNDER
                a[3] += mandate == "list"
                a[4] += mandate == "district"
    else:
        note = ("No deputies recorded for this cycle: seats are projected from the lists (the first places of each "
                "list, as many as its council's seats).")
        for region, raw in lists.items():
            agg[region] = [raw["seats"], raw["seat_women"], raw["seat_youth"], raw["seats"], 0]
    source = "deputies" if elected is not None else "projected"

    def section(region: str) -> Section:
        a = agg.get(region, [0, 0, 0, 0, 0])
        on = lists.get(region, _ZERO)
        figures = (
            Figure("seats.elected", "Deputies elected" if source == "deputies" else "Seats projected", a[0],
                   "mandates as elected (deputies' rows succeeding no one)" if source == "deputies"
                   else "the first places of each formed list, up to its council's seats"),
            Figure("seats.list", "Elected from lists", a[3], "of them, list mandates"),
            Figure("seats.district", "Elected in districts", a[4], "of them, single-member district mandates"),
            Figure("seats.women", "Women among deputies", share(a[1], a[0]), "of sex F / seats", "share"),
            Figure("seats.young", "Under-35s among deputies", share(a[2], a[0]),
                   "under %(age)s at the term's start (projected: on the election day) / seats", "share",
                   {"age": YOUTH_UNDER}),
            Figure("seats.women_on_lists", "Women on the lists", share(on["women"], on["places"]),
                   "entries of sex F / entries", "share"),
            Figure("seats.young_on_lists", "Under-35s on the lists", share(on["youth"], on["places"]),
                   "entries under %(age)s on the election day / entries", "share", {"age": YOUTH_UNDER}),
        )
        chart = Chart("Women and under-35s: deputies and lists", (
            ("Women among deputies", float(figures[3].value or 0.0)),
            ("Women on the lists", float(figures[5].value or 0.0)),
            ("Under-35s among deputies", float(figures[4].value or 0.0)),
            ("Under-35s on the lists", float(figures[6].value or 0.0))), True)
        return Section("seats", figures, (), (chart,), (note,))

    regions = sorted(r for r in (set(agg) | set(lists)) - {"", NATIONAL})
    return section(""), {r: section(r) for r in regions}
