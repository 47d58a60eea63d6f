"""Quality checks C01-C10 (issue 13, item 4): each code fires on its vector and only there, C09 across a parent
programme, messages in kk/ru/en for every code, and the edges of each rule."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal as D
from pathlib import Path

import pytest

from tandau.core.programmes import (
    ADDITIVE_UNITS,
    CHECKS,
    LANGUAGES,
    LEVEL_UNITS,
    MESSAGES,
    Commitment,
    Finding,
    Programme,
    Term,
    is_additive,
    lint,
    message,
    unit_key,
)
from tandau.core.programmes.model import normalise_unit
from tandau.errors import InputError, UnknownIdError
from tandau.io.programme_csv import read_programme

VECTORS = Path(__file__).resolve().parents[2] / "vectors" / "programmes"
TERM = Term(date(2023, 3, 20), date(2028, 3, 19))
CODES = [f"C{n:02d}" for n in range(1, 11)]


def codes_of(path: Path, parent: Path | None = None) -> list[str]:
    result = lint(read_programme(path), term=TERM, parent=read_programme(parent) if parent else None)
    return [f.code for f in result.findings]


def good(**changes: object) -> Commitment:
    base = Commitment("X-1", "591000000", "roads", "Жол", "Дороги", "roads", "km", D(0), 2022, D(10),
                      date(2027, 12, 31), "increase", D(100), "local budget", "akimat", "DP-1", ("P-1",))
    return replace(base, **changes)  # type: ignore[arg-type]


def test_the_registry_holds_exactly_the_ten_codes() -> None:
    assert sorted(CHECKS) == CODES
    assert {c.severity for c in CHECKS.values()} == {"error", "notice"}
    assert [c.code for c in CHECKS.values() if c.severity == "notice"] == ["C10"]
    assert all(c.title and c.source for c in CHECKS.values())


@pytest.mark.parametrize("code", CODES)
def test_each_code_fires_on_its_vector_and_nothing_else_does(code: str) -> None:
    assert set(codes_of(VECTORS / f"{code}.csv")) == {code}
    others = [p for p in sorted(VECTORS.glob("*.csv")) if p.stem != code]
    assert others, "the other vectors are missing"
    for path in others:
        assert code not in codes_of(path), f"{code} fires on {path.name}"


def test_the_clean_programme_passes() -> None:
    result = lint(read_programme(VECTORS / "clean.csv"), term=TERM)
    assert result.findings == ()
    assert result.ok


def test_c09_with_the_region_programme_given_as_parent() -> None:
    districts, region = VECTORS / "C09_districts.csv", VECTORS / "C09_region.csv"
    assert codes_of(districts) == []
    assert codes_of(region) == []
    result = lint(read_programme(districts), term=TERM, parent=read_programme(region))
    (f,) = result.findings
    assert (f.commitment, f.code, f.severity) == ("R-3", "C09", "error")
    assert (f.data["total"], f.data["target"], f.data["children"]) == (D(3100), D(3000), ("D-4", "D-5"))
    # a parent programme alone never draws findings: only C09 uses it, when the programme checked takes part
    assert lint(read_programme(VECTORS / "clean.csv"), term=TERM, parent=read_programme(region)).findings == ()


def test_c09_rules_unit_direction_deadline_and_latest_milestone() -> None:
    region = good(commitment="R", territory="590000000", target=D(100))
    a = good(commitment="A", territory="591000000", unit="км", target=D(60))
    b = good(commitment="B", territory="593200000", target=D(41))
    assert [f.code for f in lint(Programme((region, a, b))).findings] == ["C09"]
    assert lint(Programme((region, a, replace(b, target=D(40))))).ok  # equal is not beyond
    # a level unit is never summed
    assert lint(Programme((replace(region, unit="%"), replace(a, unit="%"), replace(b, unit="%")))).ok
    # another development indicator, another unit, a decrease or a later deadline does not count
    assert lint(Programme((region, a, replace(b, development_indicator="DP-2")))).ok
    assert lint(Programme((region, a, replace(b, unit="m")))).ok
    assert lint(Programme((region, a, replace(b, deadline=date(2028, 1, 31))))).ok
    # a district's earlier milestone is part of its later one: only the latest counts
    early = replace(a, commitment="A0", target=D(30), deadline=date(2025, 12, 31))
    assert lint(Programme((region, early, a, replace(b, target=D(40))))).ok
    # another region's district does not count
    assert lint(Programme((region, a, replace(b, territory="111000000")))).ok
    # case and spacing of the development indicator are ignored
    assert not lint(Programme((region, a, replace(b, development_indicator=" dp-1 ")))).ok


def test_c04_term_edges_and_without_term() -> None:
    inside = [good(commitment=str(i), deadline=d) for i, d in enumerate((TERM.start, TERM.end))]
    assert lint(Programme(tuple(inside)), term=TERM).ok
    late = good(deadline=date(2028, 3, 20))
    assert [f.case for f in lint(Programme((late,)), term=TERM).findings] == ["outside"]
    assert lint(Programme((late,))).ok  # without a term only a missing deadline is checked
    assert [f.case for f in lint(Programme((good(deadline=None),))).findings] == ["missing"]
    with pytest.raises(InputError, match="--term"):
        Term(date(2028, 1, 1), date(2023, 1, 1))


def test_c05_both_directions_and_equal() -> None:
    assert [f.key for f in lint(Programme((good(target=D(0)),))).findings] == ["C05.increase"]
    down = good(direction="decrease", kind="level", baseline=D(9), target=D("9.0"))
    assert [f.key for f in lint(Programme((down,))).findings] == ["C05.decrease"]
    assert lint(Programme((replace(down, target=D("8.9")),))).ok


def test_c02_c07_c01_cases() -> None:
    assert lint(Programme((good(baseline_year=None),))).findings[0].data["missing"] == ("baseline_year",)
    assert [f.key for f in lint(Programme((good(budget_kzt=None),))).findings] == ["C07.missing"]
    assert [f.key for f in lint(Programme((good(budget_kzt=D(-5)),))).findings] == ["C07.not_positive"]
    assert lint(Programme((good(indicator="", unit=""),))).findings[0].data["missing"] == ("indicator", "unit")


def test_c08_needs_the_same_deadline_and_reports_the_later_one() -> None:
    a, b = good(commitment="A"), good(commitment="B", indicator="ROADS ", unit="км")
    (f,) = lint(Programme((a, b))).findings
    assert (f.commitment, f.code, f.data["first"]) == ("B", "C08", "A")
    assert lint(Programme((a, replace(b, deadline=date(2026, 12, 31))))).ok
    assert lint(Programme((a, replace(b, territory="593200000")))).ok


def test_c10_is_a_notice() -> None:
    result = lint(Programme((good(proposals=(), development_indicator=""),)))
    assert [(f.code, f.severity) for f in result.findings] == [("C10", "notice")]
    assert result.ok


def test_findings_come_in_programme_order_then_code() -> None:
    a = good(commitment="A", responsible="", budget_kzt=None)
    b = good(commitment="B", indicator="bridges", target=None)
    assert [(f.commitment, f.code) for f in lint(Programme((b, a))).findings] == [
        ("B", "C03"), ("A", "C06"), ("A", "C07")]
    assert [f.code for f in lint(Programme((a,)), codes=("C07",)).findings] == ["C07"]
    with pytest.raises(UnknownIdError):
        lint(Programme((a,)), codes=("C99",))


def test_messages_exist_in_kk_ru_en_for_every_code_and_case() -> None:
    keys = {k.split(".")[0] for k in MESSAGES}
    assert keys == set(CODES)
    for key, texts in MESSAGES.items():
        assert sorted(texts) == sorted(LANGUAGES), key
        fields = [set(_fields(texts[lang])) for lang in LANGUAGES]
        assert fields[0] == fields[1] == fields[2], f"{key}: the languages use different fields"
        assert texts["kk"] != texts["ru"] != texts["en"]


def _fields(text: str) -> list[str]:
    import string

    return [name for _, name, _, _ in string.Formatter().parse(text) if name]


def test_every_finding_of_every_vector_renders_in_every_language() -> None:
    seen: set[str] = set()
    for path in sorted(VECTORS.glob("*.csv")):
        for f in lint(read_programme(path), term=TERM).findings:
            seen.add(f.key)
            assert f.detail_en == message(f, "en")
            for lang in LANGUAGES:
                assert "{" not in message(f, lang)
            assert f.to_json("ru")["detail"] == message(f, "ru")
    assert {k.split(".")[0] for k in seen} == set(CODES)
    with pytest.raises(UnknownIdError):
        message(Finding("X", "C03", "error", ""), "de")


def test_units_additive_and_level_tables() -> None:
    assert unit_key("км") == unit_key("KM") == "km"
    assert unit_key("м²") == unit_key("m2") == unit_key("кв. м") == "m2"
    assert unit_key("тенге") == unit_key("₸") == "kzt"
    assert is_additive("адам") and is_additive("орын") and is_additive("шт.")
    assert not any(is_additive(u) for u in LEVEL_UNITS)
    assert not is_additive("%") and not is_additive("per 1000")
    spellings = [s for group in ADDITIVE_UNITS.values() for s in group]
    normalised = [normalise_unit(s) for s in spellings]
    assert len(set(normalised)) == len(normalised)  # no spelling twice, so none in two groups
    assert {unit_key(s) for s in spellings} == set(ADDITIVE_UNITS)
