"""Commitments name their deputies (issue 14, items 2 and 4): who may be named (the council's active faction,
checked for every way in: a form or JSON record, and PROGRAMME.csv with its row and column), the deputy's page
listing them with the control board's status, and the deputy's scorecard component ``commitments`` fed from the
same records (one source of truth: docs/scorecards.md)."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal as D
from fractions import Fraction as F
from pathlib import Path

import pytest

from tandau.core.programmes import Commitment
from tandau.errors import InputError
from tandau.services.control.data import import_control
from tandau.services.deputies import read
from tandau.services.primaries import audit
from tandau.services.primaries.errors import PermissionDeniedError
from tandau.services.programmes import workflow
from tandau.services.programmes.records import council_owner, record_of, records_from_upload
from tandau.services.programmes.responsible import faction
from tandau.services.scorecards.compute import compute
from tandau.store.deputies_models import DeputyRow
from tests.integration.primaries.conftest import Db
from tests.integration.web.conftest import WebClient

from .conftest import ACTORS, AS_OF, CITY
from .test_scorecards_formula import REPORTS, TARGETS

CENTRAL = ACTORS["central"]
NOW = datetime(2026, 3, 1, tzinfo=UTC)


def _commitment(cid: str, indicator: str, deputies: tuple[str, ...]) -> dict[str, object]:
    return record_of(Commitment(cid, CITY, "roads", "", f"Обязательство {cid}", indicator, "km", D(0), 2023, D(100),
                                date(2026, 12, 31), responsible="akimat", deputies=deputies))


def _programme(db: Db, records: list[dict[str, object]]) -> str:
    with db.Session() as s:
        return workflow.create(s, CENTRAL, council_owner("M-75"), "2023", records, now=NOW).id


def _control(db: Db, tmp_path: Path) -> None:
    (tmp_path / "T.csv").write_text(TARGETS, encoding="utf-8")
    (tmp_path / "R.csv").write_text(REPORTS, encoding="utf-8")
    with db.Session() as s:
        import_control(s, CENTRAL, targets=tmp_path / "T.csv", reports=tmp_path / "R.csv", now=NOW)
        s.commit()


def test_only_the_councils_active_deputies_may_be_named(db: Db) -> None:
    with db.Session() as s:
        assert faction(s, "council", "M-75") == {"M-75-L01", "M-75-L02"}
        assert faction(s, "wing", "youth") == frozenset()
    for wrong in ("M-19-L01", "nobody"):  # another council's deputy; no deputy at all
        with db.Session() as s, pytest.raises(InputError) as err:
            workflow.create(s, CENTRAL, council_owner("M-75"), "2023", [_commitment("D-1", "roads", (wrong,))],
                            now=NOW)
        assert err.value.parameter == "deputies" and wrong in str(err.value) and "M-75-L01" in str(err.value)
    pid = _programme(db, [_commitment("D-1", "roads", ("M-75-L02",))])
    with db.Session() as s:  # M-75-L02's mandate ends: kept where already named, never newly named
        deputy = s.get(DeputyRow, "M-75-L02")
        assert deputy is not None
        deputy.status = "vacated"
        s.commit()
        workflow.put_commitment(s, CENTRAL, pid, _commitment("D-1", "roads", ("M-75-L02", "M-75-L01")),
                                replaces="D-1")
        with pytest.raises(InputError, match="M-75-L02"):
            workflow.put_commitment(s, CENTRAL, pid, _commitment("D-2", "schools", ("M-75-L02",)))


def test_a_file_names_the_row_and_the_column() -> None:
    head = ("commitment,territory,section,text_kk,text_ru,indicator,unit,baseline,baseline_year,target,deadline,"
            "direction,budget_kzt,funding_source,responsible,development_indicator,proposals,deputies\n")
    row = f"D-{{}},{CITY},roads,,Дороги,roads,km,0,2023,100,2026-12-31,,,,akimat,,,{{}}\n"
    good = (head + row.format(1, "M-75-L01; M-75-L02") + row.format(2, "")).encode()
    records = records_from_upload("PROGRAMME.csv", good, {"M-75-L01", "M-75-L02"})
    assert [r["deputies"] for r in records] == [["M-75-L01", "M-75-L02"], []]
    bad = (head + row.format(1, "M-75-L01") + row.format(2, "M-75-L09")).encode()
    with pytest.raises(InputError) as err:
        records_from_upload("PROGRAMME.csv", bad, {"M-75-L01"})
    assert (err.value.row, err.value.column) == (3, "deputies") and "M-75-L09" in str(err.value)
    assert err.value.file and err.value.file.endswith(".csv")
    with pytest.raises(InputError) as err:  # the form of an id is checked without the faction too
        records_from_upload("PROGRAMME.csv", (head + row.format(1, "M 75")).encode())
    assert (err.value.row, err.value.column) == (2, "deputies")


def test_the_deputys_page_and_scorecard_read_the_same_commitments(db: Db, tmp_path: Path) -> None:
    """D-1 (roads: achieved) names M-75-L01; D-2 (schools: off track) names both deputies; D-3 is not a control
    target. M-75-L01: 1 of 2 on track; M-75-L02: 0 of 1; the faction's own figure is unchanged (1 of 2)."""
    _programme(db, [_commitment("D-1", "roads", ("M-75-L01",)),
                    _commitment("D-2", "schools", ("M-75-L01", "M-75-L02")),
                    _commitment("D-3", "parks", ("M-75-L02",))])
    _control(db, tmp_path)
    with db.Session() as s:
        cards = {(c.kind, c.subject): c for c in compute(s, CENTRAL, as_of=AS_OF)}
        owned = read.owned_by(s, s.get(DeputyRow, "M-75-L02"), AS_OF)  # type: ignore[arg-type]
        mine = read.owned_by(s, s.get(DeputyRow, "M-75-L01"), AS_OF)  # type: ignore[arg-type]

    def commitments(key: tuple[str, str]) -> tuple[F | None, int]:
        m = next(m for m in cards[key].card.components if m.name == "commitments")
        return m.value, m.n

    assert commitments(("deputy", "M-75-L01")) == (F(1, 2), 2)
    assert commitments(("deputy", "M-75-L02")) == (F(0), 1)
    assert commitments(("deputy", "M-19-L01")) == (None, 0)
    assert commitments(("faction", "M-75")) == (F(1, 2), 2)
    assert cards[("deputy", "M-75-L01")].links["commitments"] == "/deputies/d/M-75-L01#commitments"
    assert [(c.commitment, c.status) for c in mine.commitments] == [("D-1", "achieved"), ("D-2", "off_track")]
    assert [(c.commitment, c.series, c.status) for c in owned.commitments] == [
        ("D-2", ("M-75", "schools", CITY), "off_track"), ("D-3", None, None)]
    # the scorecard's count is the page's: the commitments with a status, on track or achieved
    page = [c.status for c in mine.commitments if c.status]
    assert commitments(("deputy", "M-75-L01")) == (F(sum(x in ("on_track", "achieved") for x in page), len(page)),
                                                   len(page))


def test_the_deputys_page_lists_them(db: Db, client: WebClient, tmp_path: Path) -> None:
    _programme(db, [_commitment("D-2", "schools", ("M-75-L01",)), _commitment("D-3", "parks", ("M-75-L01",))])
    _control(db, tmp_path)
    client.login("central")
    html = client.get("/deputies/d/M-75-L01").text
    assert 'data-commitment="M-75-2023/D-2"' in html and 'data-commitment="M-75-2023/D-3"' in html
    assert "not a control target" in html and 'href="/programmes/M-75-2023#c-D-2"' in html
    assert "12/31/26" in html  # the deadline in the page's language
    body = client.get("/api/v1/deputies/M-75-L01").json()
    assert [(c["commitment"], c["series"]) for c in body["owned"]["commitments"]] == [
        ("D-2", ["M-75", "schools", CITY]), ("D-3", None)]
    editor = client.get("/programmes/M-75-2023/edit").text
    assert 'name="deputies" value="M-75-L01"' in editor


def test_a_published_programmes_commitments_get_their_deputies(db: Db, client: WebClient) -> None:
    """After the election the faction shares out a published programme's commitments: a new version changing only
    the deputies, the status kept, audited; refused to a reader and for a deputy outside the faction."""
    pid = _programme(db, [_commitment("D-1", "roads", ()), _commitment("D-2", "schools", ())])
    with db.Session() as s:
        row = workflow.get(s, pid)
        row.status = "published"
        s.commit()
        saved = workflow.assign_deputies(s, CENTRAL, pid, "D-1", ["M-75-L01", " M-75-L02", "M-75-L01"], now=NOW)
        assert saved.number == 2 and workflow.get(s, pid).status == "published"
        before, after = (workflow.records_of(workflow.version(s, workflow.get(s, pid), n)) for n in (1, 2))
        assert after[0]["deputies"] == ["M-75-L01", "M-75-L02"]
        assert [{**r, "deputies": []} for r in after] == [{**r, "deputies": []} for r in before]
        assert workflow.assign_deputies(s, CENTRAL, pid, "D-1", ["M-75-L01", "M-75-L02"]).number == 2  # unchanged
        entry = [e for e in audit.entries(s) if e.action == "programme.deputies"]
        assert len(entry) == 1 and entry[0].target == pid
        with pytest.raises(InputError, match="M-19-L01"):
            workflow.assign_deputies(s, CENTRAL, pid, "D-2", ["M-19-L01"])
        with pytest.raises(PermissionDeniedError):
            workflow.assign_deputies(s, ACTORS["observer"], pid, "D-2", ["M-75-L01"])
    client.login("central")
    page = client.get(f"/programmes/{pid}").text
    assert page.count("data-deputies-form") == 2 and 'href="/deputies/councils/M-75"' in page
    done = client.form(f"/programmes/{pid}/commitments/D-2/deputies", {"deputies": "M-75-L02"},
                       follow_redirects=False)
    assert done.status_code == 303 and done.headers["location"].endswith("#c-D-2")
    body = client.api("PUT", f"/api/v1/programmes/{pid}/commitments/D-1/deputies", json={"deputies": []}).json()
    assert body["status"] == "published"
    assert [c.get("deputies") for c in body["commitments"]] == [[], ["M-75-L02"]]
    client.login("observer")
    assert client.api("PUT", f"/api/v1/programmes/{pid}/commitments/D-1/deputies",
                      json={"deputies": ["M-75-L01"]}).status_code == 403
