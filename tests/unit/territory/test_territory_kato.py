"""Official Kazakh names of every region, city and district from the KATO classifier (kato_names.csv), matched by
code; the matcher's name fallback and its refusals on made-up tables."""

from __future__ import annotations

import csv
import re
from importlib import resources
from pathlib import Path

import pytest

from tandau.core.territory_kato import KatoName, TerritoryUnitRef, kato_code, match_kato_names
from tandau.errors import InputError
from tandau.io.territory import KATO_NAMES_FILE, kz_kato_match, load_kz

# the project's raw copy of the classifier extract, when the shared workspace is beside the checkout
SHARED = Path(__file__).resolve().parents[3].parent / "shared" / "data" / "kz" / "kato-names.csv"
CYRILLIC_ONLY = re.compile(r"^[А-Яа-яЁёӘәҒғҚқҢңӨөҰұҮүҺһІі .\-]+$")
ENDINGS = {"region": " облысы", "republican_city": " қаласы", "city": " қаласы", "district": " ауданы",
           "city_district": " ауданы"}


def packaged_rows() -> list[dict[str, str]]:
    text = resources.files("tandau.data.kz").joinpath(KATO_NAMES_FILE).read_text(encoding="utf-8")
    return list(csv.DictReader(text.splitlines()))


@pytest.mark.parametrize("layout", ["2021", "2023"])
def test_every_region_city_and_district_has_its_kazakh_name(layout: str) -> None:
    territory = load_kz(layout)
    units = [u for u in territory.units if u.kind != "country"]
    # 2021: 17 regions, 220 units less the four created later (Kosshy, Sauran, Aksuat, Samar)
    assert len(units) == {"2021": 17 + 216, "2023": 20 + 220}[layout]
    for u in units:
        kk, ru = u.name_in("kk"), u.name_in("ru")
        assert kk != u.name and kk != ru, (u.id, kk)
        assert CYRILLIC_ONLY.match(kk), (u.id, kk)
        assert kk.endswith(ENDINGS[u.kind]), (u.id, u.kind, kk)
        assert not any(a in kk for a in ("Қ.Ә.", "Г.А.", "атын.", " қ.")), (u.id, kk)


def test_no_council_falls_back_to_its_russian_name_in_kazakh() -> None:
    assert not [c.id for c in load_kz("2023").councils if "Мәслихат (" in c.name_in("kk")]
    # 2021: only the two units under their former names, whose Kazakh forms are not in the current classifier
    assert sorted(c.id for c in load_kz("2021").councils if "Мәслихат (" in c.name_in("kk")) == ["M-1910", "M-71"]


def test_spot_checks_against_the_classifier() -> None:
    """Rows of the Bureau of National Statistics' KATO edition NK RK 11-2025 of 17.07.2026 (stat.gov.kz, via
    github:siaarzh/kz-tax-rates data/kato.csv at 6ad89469225006e0e4e415470d6d29b71aee9c31), as published and as
    shown."""
    published = {r["kato"]: r["name_kk"] for r in packaged_rows()}
    territory = load_kz("2023")
    cases = {  # unit: (code, the classifier's Kazakh, the display name)
        "1036": ("103600000", "Аягөз ауданы", "Аягөз ауданы"),
        "2710": ("271000000", "Орал Қ.Ә.", "Орал қаласы"),
        "6310": ("631000000", "Өскемен Қ.Ә.", "Өскемен қаласы"),
        "4710": ("471000000", "Ақтау Г.А.", "Ақтау қаласы"),
        "3540": ("354000000", "Бұқар жырау ауданы", "Бұқар жырау ауданы"),
        "5966": ("596600000", "Ғабит Мүсірепов атын.ауданы", "Ғабит Мүсірепов атындағы ауданы"),
        "7512": ("751210000", "Алатау ауданы", "Алатау ауданы"),
        "71": ("710000000", "Астана қ.", "Астана қаласы"),
        "27": ("270000000", "Батыс Қазақстан облысы", "Батыс Қазақстан облысы"),
    }
    for unit, (code, kk, shown) in cases.items():
        assert published[code] == kk, code
        assert territory.unit(unit).name_in("kk") == shown, unit
    assert territory.council("M-1036").name_in("kk") == "Аягөз аудандық мәслихаты"
    assert territory.council("M-6310").name_in("kk") == "Өскемен қалалық мәслихаты"


def test_every_unit_matched_by_code_and_the_respelled_ones_listed() -> None:
    match = kz_kato_match()
    assert len(match.names) == 240 and not match.unmatched and not match.by_name
    # the 2022 snapshot's Russian spellings that the 2025 classifier writes otherwise (same units, same codes)
    assert {uid: theirs for uid, _, theirs in match.respelled} == {
        "3348": "Сарканский район", "4352": "Шиелийский район", "6138": "Жетысайский район"}
    rows = packaged_rows()
    assert len(rows) == len({r["kato"] for r in rows}) == 240  # the package keeps only the rows it uses
    assert {r["kato"] for r in rows} == {r.kato for r in match.names.values()}
    assert all(r["source"].startswith("stat.gov.kz KATO NK RK 11-2025 (edition 17.07.2026)") for r in rows)


@pytest.mark.skipif(not SHARED.is_file(), reason="the shared data folder is not beside this checkout")
def test_packaged_rows_are_copied_verbatim_from_the_shared_extract() -> None:
    source = set(SHARED.read_text(encoding="utf-8").splitlines())
    packaged = resources.files("tandau.data.kz").joinpath(KATO_NAMES_FILE).read_text(encoding="utf-8").splitlines()
    assert [line for line in packaged if line not in source] == []


ROWS = [KatoName("190000000", "Алматы облысы", "Алматинская область"),
        KatoName("195200000", "Қарасай ауданы", "Карасайский район"),
        KatoName("194200000", "Жамбыл ауданы", "Жамбылский район"),
        KatoName("314000000", "Жамбыл ауданы", "Жамбылский район"),
        KatoName("191000000", "Қонаев Қ.Ә.", "Қонаев Г.А.")]


def test_code_first_then_russian_name_within_the_region() -> None:
    units = [TerritoryUnitRef("19", "region", "19", "Алматинская область"),
             TerritoryUnitRef("1910", "city", "19", "г. Конаев"),  # by code; Қ and К read alike
             TerritoryUnitRef("1999", "district", "19", "Карасайский район"),  # an older code: by name
             TerritoryUnitRef("1998", "district", "19", "Жамбылский  район")]  # region 19's, not region 31's
    match = match_kato_names(units, ROWS)
    assert {u: r.kato for u, r in match.names.items()} == {"19": "190000000", "1910": "191000000",
                                                           "1999": "195200000", "1998": "194200000"}
    assert match.by_name == ("1999", "1998") and match.respelled == () and match.unmatched == ()
    match.require_complete("kato_names.csv")


def test_unmatched_units_are_reported_not_guessed() -> None:
    units = [TerritoryUnitRef("1942", "district", "19", "Каскеленский район"),  # code found, Russian name differs
             TerritoryUnitRef("1997", "district", "19", "Несуществующий район"),  # no such name
             TerritoryUnitRef("6399", "district", "63", "Карасайский район"),  # that name is in another region
             TerritoryUnitRef("1996", "district", "19", "Карасайский район"),  # two Karasai rows in region 19
             TerritoryUnitRef("1995", "city_district", "19", "Алматинская область")]  # a region's row: wrong level
    rows = [*ROWS, KatoName("197000000", "Қарасай ауданы", "Карасайский район")]
    match = match_kato_names(units, rows)
    assert match.respelled == (("1942", "Каскеленский район", "Жамбылский район"),)
    assert match.names["1942"].kato == "194200000" and match.by_name == ()
    assert match.unmatched == ("1997", "6399", "1996", "1995")
    with pytest.raises(InputError, match="1997, 6399, 1996, 1995") as err:
        match.require_complete("kato_names.csv")
    assert err.value.file == "kato_names.csv"


def test_codes() -> None:
    assert kato_code("79", "republican_city") == "790000000"
    assert kato_code("1118", "city") == "111800000"
    assert kato_code("7913", "city_district") == "791310000"
