"""The SYNTHETIC control data (tandau.core.control.synthetic): deterministic, consistent, and every planted flag is
found by the project's own board (P01-P09) and procurement engine (Cardinal's R-codes) under default settings."""

from __future__ import annotations

import json
from collections import Counter
from datetime import date
from decimal import Decimal
from itertools import pairwise
from pathlib import Path

import pytest

from tandau.core.control.procurement import FlagResult, ProcurementSettings, compute_flags
from tandau.core.control.programmes import FLAGS, NATIONAL, SPLITS_2022, STATUSES, Board, assess_board
from tandau.core.control.synthetic import SOURCE, SyntheticControl, synthetic_control
from tandau.core.control.synthetic_ocds import OCID_PREFIX
from tandau.errors import InputError
from tandau.io.control_csv import read_reports, read_targets, write_reports_csv, write_targets_csv
from tandau.io.territory import load_kz
from tandau.services.control.flags import load_settings, run_flags

AS_OF = date(2025, 12, 31)
R_CODES = {"R003", "R018", "R024", "R025", "R028", "R030", "R035", "R036", "R038", "R048", "R058"}
CREATED = date(2022, 6, 8)


@pytest.fixture(scope="module")
def regions() -> dict[str, tuple[str, int]]:
    """The 20 regions and cities of republican significance with their Russian names and populations."""
    units = load_kz("2023").units
    return {f"{u.id}0000000": (u.name_in("ru"), u.population or 0) for u in units
            if u.kind in ("region", "republican_city")}


@pytest.fixture(scope="module")
def data(regions: dict[str, tuple[str, int]]) -> SyntheticControl:
    return synthetic_control(regions)


@pytest.fixture(scope="module")
def board(data: SyntheticControl) -> Board:
    return assess_board(data.target_series(), data.report_series(), AS_OF)


@pytest.fixture(scope="module")
def engine(data: SyntheticControl) -> FlagResult:
    return compute_flags(data.releases, ProcurementSettings.all_indicators())


def test_same_seed_same_data_other_seed_other_data(regions: dict[str, tuple[str, int]],
                                                    data: SyntheticControl) -> None:
    assert synthetic_control(regions, seed=2020) == data
    other = synthetic_control(regions, seed=7)
    assert other.reports != data.reports
    assert other.releases != data.releases


def test_every_planted_programme_flag_fires(data: SyntheticControl, board: Board) -> None:
    assert {code for code, *_ in data.planted} == set(FLAGS)
    fired = {(f.code, f.programme, f.indicator, f.region) for f in board.flags}
    assert set(data.planted) <= fired


def test_no_unplanted_money_stale_or_revision_flags(data: SyntheticControl, board: Board) -> None:
    """Behind and missed series fire P04/P05 by nature; the other flags fire only where planted."""
    events = {"P01", "P02", "P03", "P06", "P07", "P08", "P09"}
    fired = {(f.code, f.programme, f.indicator, f.region) for f in board.flags if f.code in events}
    assert fired == {p for p in data.planted if p[0] in events}


def test_the_board_shows_every_status(board: Board) -> None:
    statuses = Counter(a.status for a in board.assessments)
    assert set(statuses) == set(STATUSES)
    assert statuses["achieved"] > statuses["off_track"] > 0  # most regions deliver, some do not


def test_every_planted_procurement_flag_is_found(data: SyntheticControl, engine: FlagResult) -> None:
    assert {code for code, _, _ in data.planted_procurement} == R_CODES
    for code, group, key in data.planted_procurement:
        assert code in engine.results[group].get(key, {}), (code, group, key)


def test_few_procurement_flags_by_chance(data: SyntheticControl, engine: FlagResult) -> None:
    """Outside the planted processes and companies (and the companies a planted OCID flag names), nothing fires."""
    planted = set(data.planted_procurement)
    ocids = {key for code, group, key in planted if group == "OCID"}
    extra = [(code, group, key) for group, entries in engine.results.items() for key, codes in entries.items()
             for code in codes if (code, group, key) not in planted and not (group == "Tenderer" and code in (
                 "R024", "R028", "R030", "R035", "R058"))]
    assert len(extra) <= 3, extra
    assert len(ocids) == len([p for p in planted if p[1] == "OCID"])


def test_releases_are_json_and_read_the_same_from_a_file(data: SyntheticControl, engine: FlagResult,
                                                         tmp_path: Path) -> None:
    text = "\n".join(json.dumps(r, ensure_ascii=False) for r in data.releases) + "\n"
    assert [json.loads(line) for line in text.splitlines()] == list(data.releases)
    path = tmp_path / "releases.jsonl"
    path.write_text(text, encoding="utf-8")
    run = run_flags(path, load_settings(None))
    assert run.result.as_dict() == engine.as_dict()
    assert run.result.counts == {"used": len(data.releases)}


def test_releases_are_marked_and_regional(data: SyntheticControl, regions: dict[str, tuple[str, int]]) -> None:
    ocids = [r["ocid"] for r in data.releases]
    assert len(set(ocids)) == len(ocids) == 3000
    assert all(o.startswith(OCID_PREFIX) for o in ocids)
    for r in data.releases:
        assert "SYNTHETIC" in r["tender"]["description"]
        buyer = next(p for p in r["parties"] if "buyer" in p["roles"])
        assert buyer["id"] == r["buyer"]["id"] and buyer["id"].startswith("KZ-BIN-") and len(buyer["id"]) == 19
        assert buyer["address"]["region"] in regions
        assert buyer["name"].startswith("ГУ «Управление ")
        assert all(c["value"]["currency"] == "KZT" for c in r["contracts"])
    created = {r["buyer"]["name"] for r in data.releases if r["parties"][0]["address"]["region"] in SPLITS_2022}
    assert any("области Абай" in name for name in created)


def test_link_rules_cover_every_programme_indicator_and_region(data: SyntheticControl,
                                                               regions: dict[str, tuple[str, int]]) -> None:
    indicators = {(t.programme, t.indicator) for t in data.targets}
    general = {(p, i, r) for p, i, r, buyer, _ in data.link_rules if buyer == ""}
    assert general >= {(p, i, r) for p, i in indicators for r in regions}
    buyers = {r["buyer"]["id"] for r in data.releases}
    specific = [rule for rule in data.link_rules if rule[3]]
    assert specific and all(rule[3] in buyers for rule in specific)
    classified = {item["classification"]["id"] for r in data.releases for item in r["tender"]["items"]}
    for _, _, _, _, prefix in data.link_rules:
        assert any(cpv.startswith(prefix) for cpv in classified), prefix
    assert not any(cpv.startswith(prefix) for cpv in ("30192000", "09132000") for *_, prefix in data.link_rules)


def test_regional_targets_split_the_national_ones(data: SyntheticControl) -> None:
    series = data.target_series()
    originals = [s.versions[0] for s in series.values()]
    national = {t.key[:2]: t for t in originals if t.region == NATIONAL}
    assert len(national) == 5
    for (programme, indicator), t in national.items():
        regional = [r for r in originals if r.key[:2] == (programme, indicator) and r.region != NATIONAL]
        assert all(SOURCE in r.source for r in regional)
        if t.kind == "cumulative":
            assert sum(r.target for r in regional) == t.target
            assert all(r.target == r.target.to_integral_value() for r in regional)
        else:
            assert all(r.target == Decimal(100) and Decimal(70) <= r.baseline <= Decimal(99) for r in regional)
            mean = sum(r.baseline * (r.weight or 0) for r in regional) / sum(r.weight or 0 for r in regional)
            assert abs(mean - t.baseline) < 2
        if t.budget_kzt is not None:
            assert sum(r.budget_kzt or 0 for r in regional) == t.budget_kzt


def test_new_regions_start_on_8_june_2022(data: SyntheticControl) -> None:
    rows = data.report_series()
    new = [s.versions[0] for s in data.target_series().values() if s.key[2] in SPLITS_2022]
    assert len(new) == 3 * 3  # three regions × every indicator but Enbek's two (over before they existed)
    for t in new:
        assert t.start == CREATED
        ends = [r.period_end for r in rows[t.key].reports]
        assert min(ends) == date(2022, 6, 30)


def test_reports_arrive_in_order_with_a_revision(data: SyntheticControl) -> None:
    arrival = [r.known_from for r in data.reports]
    assert arrival == sorted(arrival)
    revised = [r for r in data.reports if r.reported_at is not None]
    assert revised
    for r in revised:
        first = next(x for x in data.reports if x.key == r.key and x.period_end == r.period_end)
        assert first is not r and first.reported_at is None and first.actual != r.actual


def test_money_is_cumulative_and_contracts_cover_payments_outside_the_plants(data: SyntheticControl) -> None:
    planted = {(p, i, r) for code, p, i, r in data.planted if code in ("P02", "P07")}
    for key, series in data.report_series().items():
        if key in planted:
            continue
        known = series.known_at(AS_OF)
        for r in known:
            if r.paid_kzt is not None:
                assert r.contracted_kzt is not None and r.adjusted_kzt is not None
                assert r.paid_kzt <= r.contracted_kzt <= r.adjusted_kzt
        for a, b in pairwise(known):
            assert all(getattr(b, c) >= getattr(a, c) for c in ("allocated_kzt", "adjusted_kzt", "paid_kzt")
                       if getattr(a, c) is not None)


def test_the_data_survive_the_csv_files(data: SyntheticControl, board: Board, tmp_path: Path) -> None:
    (tmp_path / "t.csv").write_text(write_targets_csv(list(data.targets)), encoding="utf-8")
    (tmp_path / "r.csv").write_text(write_reports_csv(list(data.reports)), encoding="utf-8")
    targets = read_targets(tmp_path / "t.csv")
    reports = read_reports(tmp_path / "r.csv", targets)
    again = assess_board(targets, reports, AS_OF)
    assert [f.to_json() for f in again.flags] == [f.to_json() for f in board.flags]


def test_bad_input_is_refused(regions: dict[str, tuple[str, int]]) -> None:
    with pytest.raises(InputError, match="9-digit KATO"):
        synthetic_control({"75": ("г. Алматы", 2_000_000)})
    with pytest.raises(InputError, match="at least 6 regions"):
        synthetic_control({c: regions[c] for c in sorted(regions)[:4]})
    with pytest.raises(InputError, match="releases"):
        synthetic_control(regions, releases=100)
    assert synthetic_control(regions, releases=0).releases == ()
