"""Electoral systems and single-member districts (issue 11): the registry, the splits, Kazakhstan's totals.

source: ../shared/docs/kz-facts.md (3,415 maslikhat seats in March 2023; Majilis 69 list + 29 single-member);
Constitutional Law 'On Elections' Art. 9 as amended 5 Nov 2022 (50/50 for regional and republican-city
maslikhats, single-member city and district maslikhats).
"""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tandau.core.seats import PRESETS
from tandau.core.systems import (
    DEFAULT_CYCLE_SYSTEM,
    KINDS,
    KZ_MAJILIS_SEATS,
    SYSTEMS,
    ElectoralSystem,
    check_system,
    derive_districts,
    get_system,
    register,
    system_for_layout,
    system_ids,
)
from tandau.core.territory import KZ_MAJILIS, LEVELS
from tandau.errors import UnknownIdError
from tandau.io.territory import kz_districts, load_kz

IDS = sorted(SYSTEMS)


def test_registry_ids_and_default() -> None:
    assert system_ids() == ["kz-2021", "kz-2023"] == IDS
    assert DEFAULT_CYCLE_SYSTEM in SYSTEMS
    assert system_for_layout("KZ", "2021").id == "kz-2021"
    assert system_for_layout("KZ", "2023").id == "kz-2023"
    with pytest.raises(UnknownIdError, match="valid: kz-2021, kz-2023"):
        get_system("kz-2019")
    with pytest.raises(UnknownIdError):
        system_for_layout("KZ", "2016")
    with pytest.raises(ValueError, match="duplicate"):
        register(get_system("kz-2021"))


@pytest.mark.parametrize("system_id", IDS)
def test_every_system_is_complete_and_cited(system_id: str) -> None:
    system = get_system(system_id)
    assert system.name and system.source and "Elections" in system.source
    assert {level for level, _ in system.levels} == set(LEVELS)
    for level, rule in system.levels:
        assert rule.kind in KINDS
        assert (rule.kind == "single-member") == (rule.threshold is None) == (rule.seat_rules == "")
        assert not rule.seat_rules or rule.seat_rules in PRESETS  # the list part's allocation preset exists
        assert rule.note, level
    with pytest.raises(UnknownIdError):
        system.level("senate")


@pytest.mark.parametrize("system_id", IDS)
@given(seats=st.integers(0, 120))
def test_splits_sum_to_the_seats(system_id: str, seats: int) -> None:
    system = get_system(system_id)
    for level, rule in system.levels:
        if rule.fixed_list_seats is not None and seats < rule.fixed_list_seats:
            continue
        list_seats, districts = system.split(level, seats)
        assert list_seats + districts == seats
        assert list_seats >= 0 and districts >= 0
        if rule.kind == "mixed" and rule.fixed_list_seats is None:
            assert districts - list_seats == seats % 2  # odd: the extra seat is a single-member district


def test_kinds_per_level() -> None:
    kz21, kz23 = get_system("kz-2021"), get_system("kz-2023")
    assert {rule.kind for _, rule in kz21.levels} == {"list"}
    assert [(lv, r.kind) for lv, r in kz23.levels] == [
        ("national", "mixed"), ("regional", "mixed"), ("republican_city", "mixed"), ("city", "single-member"),
        ("district", "single-member")]
    assert kz21.split("national", 98) == (98, 0)
    assert kz23.split("national", 98) == (69, 29)
    assert kz23.split("republican_city", 42) == (21, 21)
    assert kz23.split("regional", 35) == (17, 18)


@pytest.mark.parametrize("layout", ["2021", "2023"])
def test_shipped_layouts_follow_their_system(layout: str) -> None:
    territory = load_kz(layout)
    system = system_for_layout("KZ", layout)
    assert check_system(territory, system) == ()
    assert KZ_MAJILIS[layout] == (KZ_MAJILIS_SEATS, system.split("national", KZ_MAJILIS_SEATS)[0])


def test_2023_seats_split_into_lists_and_districts() -> None:
    d = kz_districts("2023")
    assert d.system == "kz-2023"
    assert load_kz("2023").seats() == 3415
    assert d.list_seats() + d.single_member() == 3415
    assert (d.list_seats(), d.single_member()) == (317, 3098)  # derived sizes; 20 mixed councils
    assert d.list_seats(["city", "district"]) == 0
    mixed = ["regional", "republican_city"]
    odd = sorted(c.council_id for c in d.councils if c.level in mixed and c.seats % 2)
    assert odd == ["M-19", "M-35", "M-61", "M-71", "M-79"]  # derived sizes 35, 31, 41, 33, 31
    assert d.single_member(mixed) == d.list_seats(mixed) + len(odd) == 317 + 5
    for c in d.councils:
        assert c.list_seats + c.single_member == c.seats
    majilis = d.council("KZ-MAJILIS")
    assert (majilis.seats, majilis.list_seats, majilis.single_member) == (98, 69, 29)


def test_2021_has_no_single_member_districts() -> None:
    d = kz_districts("2021")
    assert d.system == "kz-2021"
    assert d.single_member(LEVELS) == 0
    assert d.list_seats() == load_kz("2021").seats() == 3278
    assert d.council("KZ-MAJILIS").list_seats == 98


def test_majilis_2023_districts_per_region() -> None:
    majilis = kz_districts("2023").council("KZ-MAJILIS")
    ids = [d.id for d in majilis.districts]
    assert ids == [f"KZ-MAJILIS-D{k:02d}" for k in range(1, 30)]
    per_region: dict[str, int] = {}
    for d in majilis.districts:
        per_region[d.kato] = per_region.get(d.kato, 0) + 1
    territory = load_kz("2023")
    regions = {u.id for u in territory.units if u.parent == "KZ"}
    assert set(per_region) == regions and len(regions) == 20  # at least one in every region and city
    assert {k: v for k, v in per_region.items() if v > 1} == {"71": 2, "75": 3, "79": 2, "19": 2, "31": 2,
                                                             "35": 2, "61": 3}
    # numbers confirmed by the CEC's scheme as published: 1-2 Astana, 3-5 Almaty, 6-7 Shymkent, 25-27 Turkistan
    assert [d.kato for d in majilis.districts[:7]] == ["71", "71", "75", "75", "75", "79", "79"]
    assert {d.kato for d in majilis.districts[24:27]} == {"61"}
    assert majilis.districts[0].name == "No. 1 (Astana)"
    assert {d.source for d in majilis.districts} == {"official"}


def test_derived_district_ids_are_stable_and_unique() -> None:
    d = kz_districts("2023")
    everything = d.districts()
    assert len(everything) == d.single_member(LEVELS) == 3098 + 29
    assert len({x.id for x in everything}) == len(everything)
    petropavl = d.council("M-5910")
    assert [x.id for x in petropavl.districts] == [f"M-5910-D{k:02d}" for k in range(1, 19)]
    assert {x.kato for x in petropavl.districts} == {"5910"}
    assert petropavl.basis == "18 = 18 seats - 0 list seats"
    for c in d.councils:
        assert all(re.fullmatch(re.escape(c.council_id) + r"-D\d{2,3}", x.id) for x in c.districts)
        assert [x.number for x in c.districts] == list(range(1, c.single_member + 1))


def test_a_territory_without_system_derives_national_districts_too() -> None:
    territory = load_kz("2023")
    d = derive_districts(territory)  # no per-region table: the national council's districts are derived as well
    assert d.system == ""
    assert [x.id for x in d.council("KZ-MAJILIS").districts][-1] == "KZ-MAJILIS-D29"
    assert {x.source for x in d.council("KZ-MAJILIS").districts} == {"derived"}


def test_national_districts_must_add_up() -> None:
    kz23 = get_system("kz-2023")
    broken = ElectoralSystem("xx-bad", "bad", "XX", "", kz23.levels, "test", 98, (("A", 28),))
    with pytest.raises(ValueError, match="do not add up"):
        register(broken)
    assert "xx-bad" not in SYSTEMS
