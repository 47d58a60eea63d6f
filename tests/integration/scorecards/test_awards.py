"""Awards: nominations by a branch, review by the central office, every act audited, the certificate in kk/ru
(Kazakh letters extracted back from the PDF), the demo."""

from __future__ import annotations

import io
from datetime import UTC, date, datetime

import pytest
from pypdf import PdfReader
from sqlalchemy import func, select

from tandau.errors import InputError, UnknownIdError
from tandau.services.awards import nominations
from tandau.services.awards.demo import prepare_awards
from tandau.services.primaries.errors import PermissionDeniedError, StateError
from tandau.store.awards_models import AwardNomination
from tandau.store.models import Member, audit_log
from tests.integration.primaries.conftest import Db

from .conftest import ACTORS

ACTIVITY = "Сайлау учаскесінде бақылау жүргізді, 40 азаматты қабылдады"


def _text(pdf: bytes) -> str:
    return "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


def test_a_branch_nominates_and_the_central_office_approves(db: Db) -> None:
    with db.Session() as s:
        row = nominations.nominate(s, ACTORS["sec-almaty"], member_id="m1", award="belsendi-kyzmeti-ushin",
                                   branch_kato="750000000", activity=ACTIVITY, links=["/deputies/d/M-75-L01"])
        assert row.member_name == "Әлия Қанатқызы" and row.status == "nominated"
        with pytest.raises(PermissionDeniedError):
            nominations.review(s, ACTORS["sec-almaty"], row.id, "approved")
        with pytest.raises(InputError):
            nominations.review(s, ACTORS["central"], row.id, "rejected")  # a rejection gives its reason
        nominations.review(s, ACTORS["central"], row.id, "approved")
        with pytest.raises(StateError):
            nominations.review(s, ACTORS["central"], row.id, "rejected", reason="late")
        actions = list(s.scalars(select(audit_log.c.action).where(audit_log.c.target == row.id)))
        assert actions == ["awards.nominate", "awards.approved"]
        for lang, words in (("kk", ["Әлия Қанатқызы", "«Белсенді қызметі үшін» медалі", "ҚҰРМЕТ"]),
                            ("ru", ["Әлия Қанатқызы", "Медаль «Белсенді қызметі үшін»", "СВИДЕТЕЛЬСТВО"])):
            text = _text(nominations.certificate_pdf(row, lang))
            for word in words:
                assert word in text, (lang, word)
            assert row.id in text


def test_refusals(db: Db) -> None:
    with db.Session() as s:
        with pytest.raises(PermissionDeniedError):  # another territory's branch
            nominations.nominate(s, ACTORS["sec-region"], member_id="m1", award="letter-of-thanks",
                                 branch_kato="750000000", activity=ACTIVITY)
        with pytest.raises(PermissionDeniedError):  # observers do not nominate
            nominations.nominate(s, ACTORS["observer"], member_id="m1", award="letter-of-thanks",
                                 branch_kato="750000000", activity=ACTIVITY)
        with pytest.raises(InputError):  # the member lives outside the branch's territory
            nominations.nominate(s, ACTORS["sec-almaty"], member_id="m2", award="letter-of-thanks",
                                 branch_kato="750000000", activity=ACTIVITY)
        with pytest.raises(StateError):  # not an active member
            nominations.nominate(s, ACTORS["sec-almaty"], member_id="m3", award="letter-of-thanks",
                                 branch_kato="750000000", activity=ACTIVITY)
        with pytest.raises(UnknownIdError):
            nominations.nominate(s, ACTORS["sec-almaty"], member_id="m1", award="order-of-glory",
                                 branch_kato="750000000", activity=ACTIVITY)
        with pytest.raises(InputError):
            nominations.nominate(s, ACTORS["sec-almaty"], member_id="m1", award="letter-of-thanks",
                                 branch_kato="750000000", activity=ACTIVITY, links=["https://elsewhere.example"])
        row = nominations.nominate(s, ACTORS["sec-almaty"], member_id="m1", award="letter-of-thanks",
                                   branch_kato="750000000", activity=ACTIVITY)
        with pytest.raises(StateError):  # one open nomination per member and award
            nominations.nominate(s, ACTORS["sec-almaty"], member_id="m1", award="letter-of-thanks",
                                 branch_kato="750000000", activity=ACTIVITY)
        with pytest.raises(StateError):  # no certificate before approval
            nominations.certified(s, ACTORS["central"], row.id)
        assert nominations.list_nominations(s, ACTORS["sec-region"]) == []
        assert [r.id for r in nominations.list_nominations(s, ACTORS["central"])] == [row.id]


def test_the_demo(db: Db) -> None:
    with db.Session() as s:
        for k in range(60):
            s.add(Member(id=f"x{k}", name=f"Synthetic {k}", sex="F", birth_date=date(1990, 1, 1),
                         kato=("751110000", "191010000", "711110000")[k % 3], contact=None, status="active"))
        s.commit()
        done = prepare_awards(s, ACTORS["central"], seed=7, now=datetime(2026, 3, 1, tzinfo=UTC))
        assert done.nominated == 36 and done.approved > 5 and done.rejected > 0
        rows = list(s.scalars(select(AwardNomination)))
        assert len(rows) == 36 and all(r.synthetic for r in rows)
        assert sum(r.status == "approved" for r in rows) == done.approved
        assert all(r.reason for r in rows if r.status == "rejected")
        members = {m.id: m.kato for m in s.scalars(select(Member))}
        assert all(members[r.member_id].startswith(r.branch_kato[:2]) for r in rows)
        assert s.scalar(select(func.count()).select_from(audit_log).where(
            audit_log.c.action.like("awards.%"))) == 36 + done.approved + done.rejected
