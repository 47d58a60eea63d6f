"""Control data in the database: atomic append-only imports, the board and a region's page read from them, scoped
to the viewer's territory (issue 12, items 1, 2, 7)."""

from __future__ import annotations

import gzip
import json
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import func, select

from tandau.errors import InputError
from tandau.services.control import board as boards
from tandau.services.control.data import import_control, load_reports, load_targets
from tandau.services.control.export import board_json, region_json
from tandau.services.control.procurement import region_procurement
from tandau.services.primaries.errors import PermissionDeniedError
from tandau.store.control_models import ControlImport, ControlRelease, ControlReportRow, ControlTargetRow
from tests.integration.control.conftest import ACTORS, CITY, REGION
from tests.integration.primaries.conftest import Db

HEADER_T = "programme,indicator,region,unit,kind,direction,baseline,baseline_date,target,deadline,budget_kzt,source"
HEADER_R = "programme,indicator,region,period_end,actual,allocated_kzt,adjusted_kzt,contracted_kzt,paid_kzt"
TARGETS = "\n".join([
    HEADER_T + ",revised_at",
    "housing,flats,KZ,flats,cumulative,increase,0,2020-12-31,1000,2025-12-31,,preset,",
    f"housing,flats,{CITY},flats,cumulative,increase,0,2020-12-31,600,2025-12-31,6000,test,",
    f"housing,flats,{REGION},flats,cumulative,increase,0,2020-12-31,400,2025-12-31,4000,test,",
]) + "\n"


def _reports(rows: list[tuple[str, str, str, str]]) -> str:
    lines = [HEADER_R]
    for region, day, actual, paid in rows:
        lines.append(f"housing,flats,{region},{day},{actual},6000,6000,5000,{paid}")
    return "\n".join(lines) + "\n"


def _write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def _count(db: Db, model: type) -> int:
    with db.Session() as s:
        return int(s.scalar(select(func.count()).select_from(model)) or 0)


@pytest.fixture
def loaded(cases_db: Db, tmp_path: Path) -> Db:
    city = [(CITY, f"{y}-12-31", str(a), str(p)) for y, a, p in ((2021, 120, 1000), (2022, 240, 2000),
                                                                  (2023, 360, 3000))]
    region = [(REGION, f"{y}-12-31", str(a), str(p)) for y, a, p in ((2021, 20, 3900), (2022, 30, 3950),
                                                                    (2023, 35, 4000))]
    with cases_db.Session() as s:
        import_control(s, ACTORS["central"], targets=_write(tmp_path, "T.csv", TARGETS),
                       reports=_write(tmp_path, "R.csv", _reports(city + region)))
    return cases_db


def test_import_is_append_only_and_idempotent(loaded: Db, tmp_path: Path) -> None:
    assert (_count(loaded, ControlTargetRow), _count(loaded, ControlReportRow)) == (3, 6)
    revised = TARGETS + (f"housing,flats,{REGION},flats,cumulative,increase,0,2020-12-31,300,2025-12-31,4000,test,"
                         "2023-06-30\n")
    with loaded.Session() as s:  # the same file again adds nothing; a revision adds one version, both kept
        summary = import_control(s, ACTORS["central"], targets=_write(tmp_path, "T.csv", TARGETS))
        assert summary.imported[0].added == 0
        import_control(s, ACTORS["central"], targets=_write(tmp_path, "T2.csv", revised))
        series = load_targets(s)[("housing", "flats", REGION)]
        assert [str(v.target) for v in series.versions] == ["400", "300"]
        revision = _reports([(REGION, "2023-12-31", "36", "4000")]).replace("4000\n", "4000,2024-02-01\n")
        revision = revision.replace(HEADER_R, HEADER_R + ",reported_at")
        import_control(s, ACTORS["central"], reports=_write(tmp_path, "R2.csv", revision))
        rows = load_reports(s)[("housing", "flats", REGION)].revisions(date(2023, 12, 31))
        assert [str(r.actual) for r in rows] == ["35", "36"]
    assert _count(loaded, ControlImport) == 5


def test_conflicting_version_is_refused_with_its_row_and_nothing_is_stored(loaded: Db, tmp_path: Path) -> None:
    changed = TARGETS.replace(f"{CITY},flats,cumulative,increase,0,2020-12-31,600", f"{CITY},flats,cumulative,"
                                                                                     f"increase,0,2020-12-31,500")
    bad_report = _reports([(CITY, "2024-12-31", "x", "1")])
    before = (_count(loaded, ControlTargetRow), _count(loaded, ControlReportRow), _count(loaded, ControlImport))
    with loaded.Session() as s:
        with pytest.raises(InputError) as err:
            import_control(s, ACTORS["central"], targets=_write(tmp_path, "T3.csv", changed))
        assert (err.value.row, err.value.column) == (3, "revised_at")
        with pytest.raises(InputError) as err:  # a good targets file with a bad reports file: neither is stored
            import_control(s, ACTORS["central"], targets=_write(tmp_path, "T4.csv", TARGETS.replace(
                "housing,flats,KZ", "water,share,KZ").replace("cumulative,increase,0,2020-12-31,1000",
                                                              "level,increase,0,2020-12-31,1000")),
                           reports=_write(tmp_path, "R3.csv", bad_report))
        assert (err.value.row, err.value.column) == (2, "actual")
    after = (_count(loaded, ControlTargetRow), _count(loaded, ControlReportRow), _count(loaded, ControlImport))
    assert after == before


def test_only_the_central_office_imports(cases_db: Db, tmp_path: Path) -> None:
    with cases_db.Session() as s, pytest.raises(PermissionDeniedError):
        import_control(s, ACTORS["sec-almaty"], targets=_write(tmp_path, "T.csv", TARGETS))


def test_board_is_scoped_to_the_viewers_territory(loaded: Db) -> None:
    day = date(2024, 1, 31)
    with loaded.Session() as s:
        central = board_json(boards.control_board(s, ACTORS["central"], day))
        assert [r["region"] for r in central["rows"]] == ["KZ", REGION, CITY]
        cells = {r["region"]: r["cells"][0]["status"] for r in central["rows"]}
        assert cells[CITY] == "on_track" and cells[REGION] == "off_track"
        assert any(f["code"] == "P01" and f["region"] == REGION for f in central["flags"])
        mine = board_json(boards.control_board(s, ACTORS["ctl-almaty"], day))
        assert [r["region"] for r in mine["rows"]] == [CITY]
        assert all(f["region"] == CITY for f in mine["flags"])
        with pytest.raises(PermissionDeniedError):
            boards.region_view(s, ACTORS["ctl-almaty"], REGION, day)
        with pytest.raises(PermissionDeniedError):
            boards.control_board(s, ACTORS["keyholder"], day)
        page = region_json(boards.region_view(s, ACTORS["ctl-region"], REGION, day), None)
        (series,) = page["series"]
        assert [r["actual"] for r in series["reports"]] == [20, 30, 35]
        assert series["assessment"]["status"] == "off_track"
        national = region_json(boards.region_view(s, ACTORS["observer"], "KZ", day), None)
        assert national["series"][0]["reports"][-1]["actual"] == 395  # rolled up from the regions


def _release(ocid: str, region: str, tenderers: int) -> dict[str, object]:
    return {"ocid": ocid, "buyer": {"id": f"B-{region}", "name": "akimat"},
            "parties": [{"id": f"B-{region}", "roles": ["buyer"], "address": {"region": region}}],
            "tender": {"procurementMethod": "open", "numberOfTenderers": tenderers, "title": "flats"}}


def test_releases_are_stored_by_ocid_and_shown_by_the_buyers_region(loaded: Db, tmp_path: Path) -> None:
    lines = [json.dumps(_release("ocds-1", CITY, 1)), "{not json", json.dumps(_release("ocds-2", REGION, 3)),
             json.dumps({"ocid": 5})]
    path = tmp_path / "releases.jsonl.gz"
    path.write_bytes(gzip.compress("\n".join(lines).encode()))
    with loaded.Session() as s:
        summary = import_control(s, ACTORS["central"], releases=path)
        assert len(summary.warnings) == 2 and "line 2" in summary.warnings[0]
        again = tmp_path / "again.jsonl"
        again.write_text(json.dumps(_release("ocds-2", REGION, 1)) + "\n")
        import_control(s, ACTORS["central"], releases=again)
        assert _count(loaded, ControlRelease) == 2
        city = region_procurement(s, ACTORS["ctl-almaty"], CITY)
        assert [(f.code, f.id) for f in city.findings] == [("R018", "ocds-1")]
        assert city.findings[0].processes[0].buyer_id == f"B-{CITY}"
        region = region_procurement(s, ACTORS["central"], REGION)  # replaced: now a single bid as well
        assert [(f.code, f.id) for f in region.findings] == [("R018", "ocds-2")]
        with pytest.raises(PermissionDeniedError):
            region_procurement(s, ACTORS["ctl-almaty"], REGION)
