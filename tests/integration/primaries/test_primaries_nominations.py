"""Nominations: eligibility by age on election day, residence and membership; withdrawals, disqualifications."""

from __future__ import annotations

from pathlib import Path

import pytest

from tandau.services.primaries import nominations
from tandau.services.primaries.access import Actor, Grant, Role
from tandau.services.primaries.errors import ImportRejectedError, NotEligibleError, PermissionDeniedError
from tandau.services.primaries.nominations import EligibilityRules, NominationRequest

from .conftest import CENTRAL, Db, World, build_world


@pytest.fixture
def draft(db: Db, tmp_path: Path) -> World:
    return build_world(db, tmp_path, open_contests=False)


def test_age_residence_and_membership_rules(draft: World) -> None:
    with draft.session() as s:
        with pytest.raises(NotEligibleError, match=r"age 22 .* under 25"):
            nominations.register_nomination(s, CENTRAL, NominationRequest("national", "m4"))  # Majilis: 25
        with pytest.raises(NotEligibleError, match="outside the council's territory"):
            nominations.register_nomination(s, CENTRAL, NominationRequest("almaty-city", "m5"))
        young = EligibilityRules(min_age={"national": 21})
        n = nominations.register_nomination(s, CENTRAL, NominationRequest("national", "m4"), rules=young)
        assert n.status == "registered"
        assert n.position == 4
        # 22-year-old stands for a maslikhat (20)
        nominations.register_nomination(s, CENTRAL, NominationRequest("almaty-city", "m7", "organisation", "PPO 12"))
        with pytest.raises(NotEligibleError, match=r"organisation|already"):
            nominations.register_nomination(s, CENTRAL, NominationRequest("almaty-city", "m7"))


def test_withdraw_and_disqualify_with_reasons(draft: World) -> None:
    with draft.session() as s:
        w = nominations.withdraw(s, Actor("m4", (Grant(Role.CANDIDATE, "751110000"),)), "almaty-city", "m4",
                                 "personal reasons")
        assert (w.status, w.reason) == ("withdrawn", "personal reasons")
        with pytest.raises(PermissionDeniedError):  # a candidate withdraws only themself
            nominations.withdraw(s, Actor("m4", (Grant(Role.CANDIDATE, "751110000"),)), "almaty-city", "m1", "x")
        d = nominations.disqualify(s, CENTRAL, "national", "m3", "false declaration")
        assert d.status == "disqualified"
        assert [c.id for c in nominations.candidates(s, "almaty-city")] == ["m1", "m2"]


def test_import_is_all_or_nothing(draft: World, tmp_path: Path) -> None:
    f = tmp_path / "noms.csv"
    f.write_text("contest,member,nominated_by,organisation,tags\n"
                 "almaty-city,m7,organisation,PPO 3,youth\n"
                 "national,m4,self,,\n"
                 "nowhere,m1,self,,\n"
                 "almaty-city,m7,self,,\n", encoding="utf-8")
    with draft.session() as s, pytest.raises(ImportRejectedError) as info:
        nominations.import_nominations(s, CENTRAL, f)
    assert [(e.row, e.column) for e in info.value.errors] == [(3, "member"), (4, "contest"), (5, "member")]
    with draft.session() as s:
        assert "m7" not in [c.id for c in nominations.candidates(s, "almaty-city")]
    f.write_text("contest,member,nominated_by,organisation,tags\nalmaty-city,m7,organisation,PPO 3,youth\n",
                 encoding="utf-8")
    with draft.session() as s:
        assert nominations.import_nominations(s, CENTRAL, f) == 1
        assert nominations.candidates(s, "almaty-city")[-1].tags == ("youth",)
