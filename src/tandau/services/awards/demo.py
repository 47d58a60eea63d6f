"""The demo's awards: a few dozen SYNTHETIC nominations of active members of the roll by their region's branch,
each with a supporting activity and links to the records of its territory, about half approved and a few
rejected with a reason — all through the services, so each act is audited."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from tandau.core.scorecards.awards import AWARDS
from tandau.services.awards.nominations import nominate, review
from tandau.services.primaries.access import Actor
from tandau.store.models import Member

ACTIVITIES = (
    "Сайлау алдындағы үгіт жұмысына белсенді қатысты, 120 азаматпен кездесу өткізді.",
    "Организовал(а) 6 приёмов граждан и помог(ла) ответить на 40 обращений в срок.",
    "Партиялық бақылау комиссиясының жұмысына қатысып, 3 іс бойынша шешімге қол жеткізді.",
    "Провёл(а) наблюдение на праймериз и обучил(а) 25 новых членов партии.",
)
REJECTIONS = ("Недостаточно подтверждённой деятельности за год", "Ұсыныс құжаттары толық емес")


@dataclass(frozen=True, slots=True)
class DemoAwards:
    nominated: int
    approved: int
    rejected: int


def prepare_awards(session: Session, central: Actor, *, seed: int, now: datetime, count: int = 36) -> DemoAwards:
    """About ``count`` synthetic nominations (fewer when the roll is smaller): half approved, one in six rejected,
    the rest awaiting review."""
    rng = random.Random(seed)
    members = list(session.scalars(select(Member).where(Member.status == "active").order_by(Member.id)
                                   .limit(count * 20)))
    chosen = rng.sample(members, min(count, len(members)))
    approved = rejected = 0
    awards = sorted(AWARDS)
    for k, member in enumerate(chosen):
        region = member.kato[:2] + "0000000"
        moment = now - timedelta(days=rng.randint(20, 200))
        row = nominate(session, central, member_id=member.id, award=awards[k % len(awards)], branch_kato=region,
                       activity=rng.choice(ACTIVITIES), links=[f"/appeals/queue?territory={region}",
                                                              f"/control/cases?territory={region}"],
                       now=moment, synthetic=True, commit=False)
        draw = rng.random()
        if draw < 0.5:
            review(session, central, row.id, "approved", now=moment + timedelta(days=10), commit=False)
            approved += 1
        elif draw < 0.67:
            review(session, central, row.id, "rejected", reason=rng.choice(REJECTIONS),
                   now=moment + timedelta(days=10), commit=False)
            rejected += 1
    session.commit()
    return DemoAwards(len(chosen), approved, rejected)
