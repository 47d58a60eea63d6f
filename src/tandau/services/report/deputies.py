"""Deputies, appeals and awards in the congress report.

Deputies (when the deputies' tables exist and hold rows): the faction's active mandates, women and under-35s among
them, vacancies, and the activity records. Appeals (when the appeals' table exists and holds rows): received,
answered, answered by the due day (the on-time rate), rated and the mean satisfaction (1-5). Awards (when the
award nominations' table exists and holds rows): nominations, approved, rejected and awaiting review, by award.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from tandau.core.candidates import age_on
from tandau.core.report import Chart, Figure, Section, Table, share
from tandau.services.report.common import NATIONAL, has_table, region_of
from tandau.services.workspace_lists import YOUTH_UNDER


def _add(rows: dict[str, list[float]], region: str, values: list[float]) -> None:
    for key in {region, ""}:
        a = rows.setdefault(key, [0.0] * len(values))
        for i, v in enumerate(values):
            a[i] += v


def deputies_sections(session: Session, today: date) -> tuple[Section, dict[str, Section]]:
    rows: dict[str, list[float]] = {}
    if has_table(session, "deputies"):
        from tandau.store.deputies_models import DeputyActivity, DeputyRow

        for kato, status, sex, born in session.execute(select(DeputyRow.kato, DeputyRow.status, DeputyRow.sex,
                                                              DeputyRow.birth_date)):
            active = status == "active"
            _add(rows, region_of(kato), [active, active and sex == "F",
                                         active and born is not None and age_on(born, today) < YOUTH_UNDER,
                                         status == "vacated", 0])
        for kato, n in session.execute(select(DeputyRow.kato, func.count(DeputyActivity.id)).join(
                DeputyActivity, DeputyActivity.deputy_id == DeputyRow.id).group_by(DeputyRow.kato)):
            _add(rows, region_of(kato), [0, 0, 0, 0, int(n)])

    def section(region: str) -> Section:
        a = [int(v) for v in rows.get(region, [0.0] * 5)]
        if not any(a):
            return Section("deputies", notes=("No deputies recorded.",))
        return Section("deputies", (
            Figure("deputies.active", "Deputies in office", a[0], "the faction's active mandates"),
            Figure("deputies.women", "Women among deputies in office", share(a[1], a[0]), "of sex F / active",
                   "share"),
            Figure("deputies.young", "Under-35s among deputies in office", share(a[2], a[0]),
                   "under %(age)s on the report's day / active", "share", {"age": YOUTH_UNDER}),
            Figure("deputies.vacated", "Mandates vacated", a[3], "mandates of status vacated"),
            Figure("deputies.activity", "Activity records", a[4], "deputies' activity records"),
        ))

    regions = sorted(set(rows) - {"", NATIONAL})
    return section(""), {r: section(r) for r in regions}


def appeals_sections(session: Session) -> tuple[Section, dict[str, Section]]:
    rows: dict[str, list[float]] = {}
    if has_table(session, "appeals"):
        from tandau.store.appeals_models import Appeal

        answered = Appeal.answered_on.is_not(None)
        on_time = answered & (Appeal.answered_on <= Appeal.due_on)
        for kato, total, n_answered, n_on_time, rated, score in session.execute(
                select(Appeal.kato, func.count(), func.count(Appeal.answered_on),
                       func.sum(case((on_time, 1), else_=0)), func.count(Appeal.satisfaction),
                       func.coalesce(func.sum(Appeal.satisfaction), 0)).group_by(Appeal.kato)):
            _add(rows, region_of(kato), [int(total), int(n_answered), int(n_on_time or 0), int(rated),
                                          float(score or 0)])

    def section(region: str) -> Section:
        a = rows.get(region, [0.0] * 5)
        total, n_answered, n_on_time, rated = (int(v) for v in a[:4])
        if not total:
            return Section("appeals", notes=("No appeals recorded.",))
        return Section("appeals", (
            Figure("appeals.received", "Appeals received", total, "public reception appeals stored"),
            Figure("appeals.answered", "Appeals answered", n_answered, "appeals with an answer day"),
            Figure("appeals.on_time", "Answered on time", share(n_on_time, n_answered),
                   "answered on or before the due day / answered", "share"),
            Figure("appeals.rated", "Appeals rated", rated, "appeals with the applicant's satisfaction"),
            Figure("appeals.satisfaction", "Mean satisfaction (1-5)", a[4] / rated if rated else None,
                   "mean satisfaction of the rated appeals", "mean"),
        ), charts=(Chart("Appeals", (("Appeals received", float(total)), ("Appeals answered", float(n_answered)),
                                     ("Appeals rated", float(rated)))),))

    regions = sorted(set(rows) - {"", NATIONAL})
    return section(""), {r: section(r) for r in regions}


def awards_sections(session: Session) -> tuple[Section, dict[str, Section]]:
    """Award nominations (``award_nominations``, when the table exists and holds rows) by status and award, per
    region by the nominating branch's territory."""
    rows: dict[str, dict[str, list[int]]] = {}  # region -> award -> [nominations, approved, rejected, pending]
    if has_table(session, "award_nominations"):
        from tandau.store.awards_models import AwardNomination

        for kato, award, status, n in session.execute(
                select(AwardNomination.branch_kato, AwardNomination.award, AwardNomination.status, func.count())
                .group_by(AwardNomination.branch_kato, AwardNomination.award, AwardNomination.status)):
            k = int(n)
            for key in {region_of(kato), ""}:
                a = rows.setdefault(key, {}).setdefault(str(award), [0, 0, 0, 0])
                a[0] += k
                a[1] += k if status == "approved" else 0
                a[2] += k if status == "rejected" else 0
                a[3] += k if status == "nominated" else 0

    def section(region: str) -> Section:
        by = rows.get(region, {})
        t = [sum(v[i] for v in by.values()) for i in range(4)]
        if not t[0]:
            return Section("awards", notes=("No awards recorded.",))
        table = Table("Awards by kind", ("Award", "Award nominations", "Awards approved"),
                      tuple((award, v[0], v[1]) for award, v in sorted(by.items())), "award")
        return Section("awards", (
            Figure("awards.nominations", "Award nominations", t[0], "award nominations stored"),
            Figure("awards.approved", "Awards approved", t[1], "nominations approved by the central office"),
            Figure("awards.rejected", "Nominations rejected", t[2], "nominations rejected with a reason"),
            Figure("awards.pending", "Nominations awaiting review", t[3], "nominations of status nominated"),
        ), (table,))

    regions = sorted(set(rows) - {"", NATIONAL})
    return section(""), {r: section(r) for r in regions}
