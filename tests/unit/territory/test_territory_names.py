"""Russian and Kazakh council names: every council of both Kazakh layouts, the official forms, the fallbacks."""

from __future__ import annotations

import re

import pytest

from tandau.core.territory import Council, Unit, kz_council_names
from tandau.core.territory_names import MAJILIS_KK, MAJILIS_RU, kazakh_council_name, russian_council_name
from tandau.io.territory import load_kz

LATIN = re.compile(r"[A-Za-z]")


@pytest.mark.parametrize("layout", ["2021", "2023"])
def test_every_council_has_a_russian_and_a_kazakh_name_without_latin_letters(layout: str) -> None:
    territory = load_kz(layout)
    assert len(territory.councils) == {"2021": 217, "2023": 224}[layout]
    for c in territory.councils:
        ru, kk = c.name_in("ru"), c.name_in("kk")
        assert ru and kk, c.id
        assert not LATIN.search(ru) and not LATIN.search(kk), (c.id, ru, kk)
        if c.level == "national":
            assert (ru, kk) == (MAJILIS_RU, MAJILIS_KK)
        else:
            assert "маслихат" in ru.lower() and "мәслихат" in kk.lower(), (c.id, ru, kk)
        assert c.name_ru.startswith(("Маслихат (", "Мажилис")), c.id  # the older label, unchanged


def test_official_forms() -> None:
    t = load_kz("2023")
    expected = {
        "KZ-MAJILIS": ("Мажилис Парламента Республики Казахстан", "Қазақстан Республикасы Парламентінің Мәжілісі"),
        "M-10": ("Маслихат области Абай", "Абай облыстық мәслихаты"),
        "M-27": ("Западно-Казахстанский областной маслихат", "Батыс Қазақстан облыстық мәслихаты"),
        "M-71": ("Маслихат города Астаны", "Астана қалалық мәслихаты"),
        "M-75": ("Маслихат города Алматы", "Алматы қалалық мәслихаты"),
        "M-1010": ("Маслихат города Семей", "Семей қалалық мәслихаты"),
        "M-3510": ("Маслихат города Караганды", "Қарағанды қалалық мәслихаты"),
        "M-1036": ("Аягозский районный маслихат", "Аягөз аудандық мәслихаты"),
        "M-3540": ("Бухар-Жырауский районный маслихат", "Бұқар жырау аудандық мәслихаты"),
        "M-1034": ("Маслихат района Ақсуат", "Ақсуат аудандық мәслихаты"),
        "M-5966": ("Маслихат района имени Габита Мусрепова", "Ғабит Мүсірепов атындағы ауданының мәслихаты"),
        "M-2710": ("Маслихат города Уральск", "Орал қалалық мәслихаты"),
        "M-4710": ("Маслихат города Актау", "Ақтау қалалық мәслихаты"),  # the classifier writes "Ақтау Г.А."
        "M-1118": ("Маслихат города Степногорск", "Степногор қалалық мәслихаты"),
    }
    for cid, (ru, kk) in expected.items():
        c = t.council(cid)
        assert (c.name_in("ru"), c.name_in("kk")) == (ru, kk), cid
        assert c.name_in("en") == c.name_in("de") == c.name


def test_renamed_units_keep_their_2021_names() -> None:
    """Nur-Sultan in 2021: the tables' Kazakh name is today's (Астана), so the Kazakh council name falls back."""
    old, new = load_kz("2021").council("M-71"), load_kz("2023").council("M-71")
    assert (old.name_in("ru"), old.name_in("kk")) == ("Маслихат города Нур-Султан", "Мәслихат (г. Нур-Султан)")
    assert new.name_in("kk") == "Астана қалалық мәслихаты"
    assert load_kz("2021").council("M-1910").name_in("ru") == "Маслихат города Капшагай"


@pytest.mark.parametrize(("level", "name", "ru"), [
    ("regional", "Костанайская область", "Костанайский областной маслихат"),
    ("regional", "Область", "Маслихат (Область)"),
    ("regional", "Республика Абай", "Маслихат (Республика Абай)"),
    ("city", "Семей", "Маслихат (Семей)"),  # a city without "г. ": the name is not sure to be a city's
    ("city", "г. Кызылорда", "Маслихат города Кызылорды"),
    ("city", "г. Ақтоғай", "Маслихат города Ақтоғай"),
    ("district", "Майский район", "Майский районный маслихат"),
    ("district", "район", "Маслихат (район)"),
    ("district", "Новый район города", "Маслихат (Новый район города)"),
    ("district", "", "Маслихат"),
])
def test_russian_forms_and_fallbacks(level: str, name: str, ru: str) -> None:
    assert russian_council_name(level, name) == ru


@pytest.mark.parametrize(("level", "name", "kk"), [
    ("regional", "Ақмола облысы", "Ақмола облыстық мәслихаты"),
    ("regional", "облысы", "Мәслихат (облысы)"),
    ("regional", "Абай", "Мәслихат (Абай)"),
    ("city", "Көкшетау", "Көкшетау қалалық мәслихаты"),
    ("city", "Көкшетау қаласы", "Көкшетау қалалық мәслихаты"),
    ("district", "Үржар ауданы", "Үржар аудандық мәслихаты"),
    ("district", "Үржар", "Мәслихат (Үржар)"),
    ("district", "Ғабит Мүсірепов атындағы ауданы", "Ғабит Мүсірепов атындағы ауданының мәслихаты"),
    ("republican_city", "Алматы", "Мәслихат (Алматы)"),
])
def test_kazakh_forms_and_fallbacks(level: str, name: str, kk: str) -> None:
    assert kazakh_council_name(level, name) == kk


def test_kazakh_name_from_the_unit_or_the_russian_fallback() -> None:
    with_kk = Unit("1", "Urzhar District", "district", None, names=(("ru", "Урджарский район"), ("kk", "Үржар ауданы")))
    without = Unit("2", "Urzhar District", "district", None, names=(("ru", "Урджарский район"),))
    assert dict(kz_council_names("district", with_kk)) == {"ru": "Урджарский районный маслихат",
                                                          "kk": "Үржар аудандық мәслихаты"}
    assert dict(kz_council_names("district", without))["kk"] == "Мәслихат (Урджарский район)"
    assert dict(kz_council_names("district", with_kk, kazakh=False))["kk"] == "Мәслихат (Урджарский район)"


def test_a_council_without_names_falls_back_to_english() -> None:
    council = Council("C", "Lilliput Council", "regional", "L", "L", 5, "official", 5)
    assert council.name_in("ru") == council.name_in("kk") == "Lilliput Council"
