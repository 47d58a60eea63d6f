"""Drafting help: commitments proposed from the development programme pass lint but for the budget (C07), sections
follow the proposals' themes, deadlines stay within the term, every commitment explains itself; the CLI writes a
PROGRAMME.csv that ``tandau programmes lint`` reads."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal as D
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tandau.cli.main import app
from tandau.core.programmes import LANGUAGES, Programme, Term, lint
from tandau.core.programmes.development import DEV_INDICATORS, DevelopmentSet, DevIndicator
from tandau.core.programmes.drafting import covers, draft, number, section_order, theme_counts
from tandau.core.programmes.synthetic_dev import synthetic_development
from tandau.errors import InputError, UnknownIdError
from tandau.io.development_csv import development_csv, kz_units
from tandau.io.programme_csv import programme_csv, read_programme

TERM = Term(date(2023, 3, 20), date(2028, 3, 19))
AIYRTAU, NORTH, PETROPAVL, ALMATY_ALATAU = "593200000", "590000000", "591000000", "751210000"


@pytest.fixture(scope="module")
def synthetic() -> DevelopmentSet:
    return synthetic_development(kz_units(), seed=11)


def codes(programme: Programme, **kwargs: object) -> set[str]:
    return {f.code for f in lint(programme, term=TERM, **kwargs).findings}  # type: ignore[arg-type]


@pytest.mark.parametrize("territory", [AIYRTAU, NORTH, PETROPAVL, ALMATY_ALATAU, "750000000"])
def test_a_draft_lints_clean_but_for_the_budget(synthetic: DevelopmentSet, territory: str) -> None:
    result = draft(territory, TERM, synthetic, {"roads": 3})
    programme = result.programme
    assert len(programme.commitments) == len(synthetic.series(territory)) >= 15
    findings = lint(programme, term=TERM).findings
    assert {f.code for f in findings} == {"C07"}
    assert sorted(f.commitment for f in findings) == sorted(c.commitment for c in programme.commitments)
    assert lint(programme, term=TERM, codes=("C10",)).findings == ()
    for c in programme.commitments:
        assert c.budget_kzt is None and c.responsible and c.development_indicator == c.indicator
        assert c.deadline is not None and c.deadline in TERM


def test_a_region_and_its_districts_drafted_together_do_not_fire_c09(synthetic: DevelopmentSet) -> None:
    territories = [t for t in synthetic.territories if t[:2] == "59"]
    commitments = tuple(c for t in territories for c in draft(t, TERM, synthetic).programme.commitments)
    assert len({c.commitment for c in commitments}) == len(commitments)
    assert codes(Programme(commitments)) == {"C07"}


def test_the_target_is_the_last_plan_year_ending_within_the_term(synthetic: DevelopmentSet) -> None:
    (s,) = (s for s in synthetic.series(AIYRTAU) if s.indicator == "roads_good")
    c = next(c.commitment for c in draft(AIYRTAU, TERM, synthetic).commitments if c.series == s)
    assert (c.baseline, c.baseline_year) == (s.baseline.value, 2022)
    assert (c.target, c.deadline, c.direction) == (s.plan_value(2027), date(2027, 12, 31), "increase")
    short = Term(date(2023, 3, 20), date(2026, 12, 30))  # 31 December 2026 is outside: 2025 is the last
    c = next(c.commitment for c in draft(AIYRTAU, short, synthetic).commitments if c.series == s)
    assert (c.target, c.deadline) == (s.plan_value(2025), date(2025, 12, 31))
    late = Term(date(2029, 1, 1), date(2033, 12, 31))  # no plan year: nothing interpolated, every series skipped
    result = draft(AIYRTAU, late, synthetic)
    assert result.commitments == ()
    assert {n.key for n in result.skipped} == {"no_plan_in_term"}
    assert "2023, 2024, 2025, 2026, 2027, 2028" in result.skipped[0].text("en")


def test_sections_follow_the_proposals_then_the_taxonomy(synthetic: DevelopmentSet) -> None:
    counts = {"health": 9, "water": 4, "roads": 4, "safety": 2, "other": 1}
    result = draft(AIYRTAU, TERM, synthetic, counts)
    order = [s.section for s in result.sections]
    assert order[:5] == ["health", "water", "roads", "safety", "other"]
    assert order[5:] == ["utilities", "housing", "education", "jobs", "agriculture", "social", "culture_sport",
                         "ecology", "governance"]
    assert [s.proposals for s in result.sections[:5]] == [9, 4, 4, 2, 1]
    by_section = {s.section: s for s in result.sections}
    assert by_section["safety"].commitments == () and by_section["safety"].note is not None  # cctv_coverage is urban
    assert "2 of 20 proposals" in by_section["safety"].note.text("en")
    assert [c.commitment.section for c in result.commitments][:2] == ["health", "health"]
    ids = [c.commitment.commitment for c in result.commitments]
    assert ids == [f"M-5932-{n:02d}" for n in range(1, len(ids) + 1)]
    assert section_order({}, ["roads", "water"]) == ("water", "roads")


def test_every_commitment_explains_itself_in_three_languages(synthetic: DevelopmentSet) -> None:
    result = draft(AIYRTAU, TERM, synthetic, {"water": 7, "roads": 3})
    first = result.commitments[0]
    s = first.series
    assert s.indicator == "water_rural_central"
    texts = {lang: first.explanation.text(lang) for lang in LANGUAGES}
    target = s.plan_value(2027)
    assert target is not None
    assert f"baseline {number(s.baseline.value)} % in 2022" in texts["en"]
    assert f"plan {number(target)} % in 2027" in texts["en"] and "7 of 10 proposals" in texts["en"]
    assert "DP-5932" in texts["ru"] and number(target, "ru") in texts["ru"]
    assert "«Вода и канализация»: 7 из 10" in texts["ru"]
    assert "Су және кәріз" in texts["kk"] and "C07" in texts["kk"]
    c = first.commitment
    assert c.text_ru == f"Довести долю сельских населённых пунктов с централизованным водоснабжением до " \
                       f"{number(target, 'ru')}% к 2027 году"
    assert c.text_kk.startswith("2027 жылға қарай") and c.text_kk.endswith("%-ға жеткізу")
    assert c.responsible == "әкімдіктің тұрғын үй-коммуналдық шаруашылық бөлімі / отдел жилищно-коммунального " \
                            "хозяйства акимата"
    region = draft(NORTH, TERM, synthetic).commitments[0].commitment
    assert "управление " in region.responsible and "басқармасы" in region.responsible
    with pytest.raises(UnknownIdError):
        first.explanation.text("de")
    alone = draft(AIYRTAU, TERM, synthetic).commitments[0].explanation
    assert "no proposals counted" in alone.text("en") and "предложения не учтены" in alone.text("ru")


def test_unknown_indicators_unchanged_plans_and_repeats() -> None:
    rows = [
        DevIndicator(AIYRTAU, "DP-A", "bus_routes", "routes", 2022, D(4), "baseline", "roads"),
        DevIndicator(AIYRTAU, "DP-A", "bus_routes", "routes", 2027, D(6), "plan", "roads"),
        DevIndicator(AIYRTAU, "DP-A", "noise_complaints", "per 1000", 2022, D("3.5"), "baseline"),
        DevIndicator(AIYRTAU, "DP-A", "noise_complaints", "per 1000", 2026, D("2.5"), "plan"),
        DevIndicator(AIYRTAU, "DP-A", "roads_good", "%", 2022, D(70), "baseline"),
        DevIndicator(AIYRTAU, "DP-A", "roads_good", "%", 2027, D(70), "plan"),
        DevIndicator(AIYRTAU, "DP-A", "sports_grounds", "pcs", 2022, D(50), "baseline"),
        DevIndicator(AIYRTAU, "DP-A", "sports_grounds", "pcs", 2027, D(55), "plan"),
        DevIndicator(AIYRTAU, "DP-B", "sports_grounds", "pcs", 2022, D(50), "baseline"),
        DevIndicator(AIYRTAU, "DP-B", "sports_grounds", "pcs", 2026, D(54), "plan"),
        DevIndicator(PETROPAVL, "DP-P", "sports_grounds", "pcs", 2022, D(10), "baseline"),
        DevIndicator(PETROPAVL, "DP-P", "sports_grounds", "pcs", 2026, D(12), "plan"),
    ]
    result = draft(AIYRTAU, TERM, rows)
    by_indicator = {c.commitment.indicator: c.commitment for c in result.commitments}
    assert set(by_indicator) == {"bus_routes", "noise_complaints", "sports_grounds"}
    bus, noise = by_indicator["bus_routes"], by_indicator["noise_complaints"]
    assert (bus.section, bus.kind, bus.text_ru) == ("roads", "level",
                                                    "Довести показатель «bus_routes» до 6 routes к 2027 году")
    assert (noise.section, noise.direction, noise.target, noise.deadline) == ("other", "decrease", D("2.5"),
                                                                              date(2026, 12, 31))
    assert noise.text_kk == "2026 жылға қарай «noise_complaints» көрсеткішін 2,5 per 1000 деңгейіне дейін төмендету"
    assert by_indicator["sports_grounds"].target == D(55)  # DP-A kept, DP-B skipped
    assert sorted(n.key for n in result.skipped) == ["duplicate", "no_change"]
    assert codes(result.programme) == {"C07"}


def test_bad_counts_and_proposals_in_the_territory() -> None:
    rows = [DevIndicator(AIYRTAU, "DP", "roads_good", "%", 2022, D(70), "baseline"),
            DevIndicator(AIYRTAU, "DP", "roads_good", "%", 2027, D(75), "plan")]
    with pytest.raises(UnknownIdError, match="transport"):
        draft(AIYRTAU, TERM, rows, {"transport": 1})
    with pytest.raises(InputError, match="≥ 0"):
        draft(AIYRTAU, TERM, rows, {"roads": -1})
    with pytest.raises(InputError, match="9-digit"):
        draft("5932", TERM, rows)
    proposals = [("593230100", "roads"), (AIYRTAU, "roads"), (NORTH, "water"), (PETROPAVL, "health"),
                 ("593400000", "jobs")]
    assert theme_counts(proposals, AIYRTAU) == {"roads": 2}
    assert theme_counts(proposals, NORTH) == {"roads": 2, "water": 1, "health": 1, "jobs": 1}
    assert covers(ALMATY_ALATAU, "751210100") and not covers(ALMATY_ALATAU, "751310000")
    assert not covers("100000000", "110000000")  # Abai Region is not Akmola Region


def test_the_programme_writer_round_trips(tmp_path: Path, synthetic: DevelopmentSet) -> None:
    result = draft(PETROPAVL, TERM, synthetic)
    chosen = [c.commitment for c in result.commitments]
    text = programme_csv(chosen, (("explanation", [c.explanation.text("ru") for c in result.commitments]),))
    path = tmp_path / "PROGRAMME.csv"
    path.write_text(text, encoding="utf-8")
    assert read_programme(path).commitments == tuple(chosen)


def run(*args: str):  # type: ignore[no-untyped-def]
    return CliRunner().invoke(app, ["programmes", *args])


def test_cli_synthetic_then_draft_then_lint(tmp_path: Path, synthetic: DevelopmentSet) -> None:
    dev = tmp_path / "DEVELOPMENT.csv"
    made = run("development-synthetic", "--out", str(dev), "--seed", "11")
    assert made.exit_code == 0, made.output
    assert "SYNTHETIC" in made.stdout and "239 territories" in made.stdout
    assert dev.read_text(encoding="utf-8") == development_csv(synthetic.indicators)
    small = tmp_path / "DEV59.csv"  # one region: faster to read in the next commands
    small.write_text(development_csv(r for r in synthetic.indicators if r.territory[:2] == "59"), encoding="utf-8")
    proposals = tmp_path / "PROPOSALS.csv"
    proposals.write_text("id,territory,theme\nP-1,593230100,health\nP-2,593200000,health\nP-3,591000000,roads\n"
                         "P-4,593200000,Water\n", encoding="utf-8")
    out = tmp_path / "PROGRAMME.csv"
    result = run("draft", "--territory", AIYRTAU, "--development", str(small), "--term", "2023-03-20..2028-03-19",
                 "--proposals", str(proposals), "--out", str(out), "--format", "json", "--lang", "ru")
    assert result.exit_code == 0, result.output
    payload = json.loads(result.stdout)
    assert [(s["section"], s["proposals"]) for s in payload["sections"][:3]] == [("health", 2), ("water", 1),
                                                                                 ("utilities", 0)]
    assert payload["proposals"] == 3
    assert all(c["explanation"].startswith("DP-5932, показатель") for s in payload["sections"]
               for c in s["commitments"])
    first = payload["sections"][0]["commitments"][0]
    (s,) = (s for s in synthetic.series(AIYRTAU) if s.indicator == first["indicator"])
    target = s.plan_value(2027)
    assert target is not None
    assert (first["baseline"], first["baseline_year"], first["target"], first["deadline"]) == (
        f"{s.baseline.value.normalize():f}", 2022, f"{target.normalize():f}", "2027-12-31")
    assert "explanation" in out.read_text(encoding="utf-8").splitlines()[0]
    linted = run("lint", str(out), "--term", "2023-03-20..2028-03-19", "--format", "json")
    assert linted.exit_code == 1
    assert {f["code"] for f in json.loads(linted.stdout)["findings"]} == {"C07"}
    table = run("draft", "--territory", NORTH, "--development", str(small), "--term", "2023-03-20..2028-03-19")
    assert table.exit_code == 0 and "M-59-01" in table.stdout
    csv_out = run("draft", "--territory", NORTH, "--development", str(small), "--term", "2023-03-20..2028-03-19",
                  "--format", "csv")
    assert csv_out.stdout.startswith("commitment,territory,section")


def test_cli_bad_input_exits_2(tmp_path: Path) -> None:
    dev = tmp_path / "DEVELOPMENT.csv"
    dev.write_text("territory,programme,indicator,unit,year,value,kind\n593200000,DP,roads_good,%,2022,70,baseline\n"
                   "593200000,DP,roads_good,%,2027,75,plan\n", encoding="utf-8")
    term = ("--term", "2023-03-20..2028-03-19")
    for args, where in [
        (("--territory", "12345", "--development", str(dev), *term), "--territory"),
        (("--territory", PETROPAVL, "--development", str(dev), *term), "no indicators of territory 591000000"),
        (("--territory", AIYRTAU, "--development", str(dev), "--term", "2029-01-01..2030-01-01"), "--term"),
        (("--territory", AIYRTAU, "--development", str(dev), *term, "--format", "xml"), "--format"),
        (("--territory", AIYRTAU, "--development", str(tmp_path / "none.csv"), *term), "none.csv"),
    ]:
        result = run("draft", *args)
        assert result.exit_code == 2, args
        assert where in result.stderr, (args, result.stderr)
    bad = tmp_path / "PROPOSALS.csv"
    bad.write_text("id,territory,theme\nP-1,593200000,transport\n", encoding="utf-8")
    result = run("draft", "--territory", AIYRTAU, "--development", str(dev), *term, "--proposals", str(bad),
                 "--out", str(tmp_path / "P.csv"))
    assert result.exit_code == 2 and "PROPOSALS.csv, row 2, column 'theme'" in result.stderr
    assert not (tmp_path / "P.csv").exists()
    assert len(DEV_INDICATORS) >= 15
