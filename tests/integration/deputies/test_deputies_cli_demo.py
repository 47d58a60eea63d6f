"""The command line end to end on a migrated database, and the demo's deputies (on the Majilis and three regions'
councils: every kind of council, at an eighth of the national demo's cost; the national demo's time is
`tandau demo`'s, printed per step)."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from pathlib import Path

from sqlalchemy import select
from typer.testing import CliRunner

from tandau.cli.main import app
from tandau.services.deputies import read
from tandau.services.deputies.demo import prepare_deputies
from tandau.services.primaries import audit, contests
from tandau.services.primaries.access import Actor
from tandau.services.programmes.records import council_ids, council_owner
from tandau.store.control_models import ControlCase
from tandau.store.deputies_models import Akim, DeputyActivity, DeputyRow
from tandau.store.models import Council
from tests.integration.primaries.conftest import empty_database

from .conftest import LIST, results_csv

NOW = datetime(2026, 3, 1, tzinfo=UTC)


def test_cli_end_to_end(tmp_path: Path) -> None:
    db = str(tmp_path / "d.db")
    run = CliRunner()
    assert run.invoke(app, ["primaries", "db", "upgrade", "--db", db]).exit_code == 0
    (tmp_path / "RESULTS.csv").write_bytes(results_csv())
    (tmp_path / "LIST.csv").write_bytes(LIST)
    out = run.invoke(app, ["deputies", "import-results", "M-75", str(tmp_path / "RESULTS.csv"), "--party", "Baytaq",
                           "--election-day", "2023-03-19", "--list", str(tmp_path / "LIST.csv"), "--db", db])
    assert out.exit_code == 0, out.output
    assert "3 deputies of Baytaq in M-75" in out.output
    listed = run.invoke(app, ["deputies", "list", "--json", "--db", db])
    assert [d["id"] for d in json.loads(listed.stdout)] == ["M-75-L01", "M-75-L03", "M-75-D15"]
    vac = run.invoke(app, ["deputies", "vacancy", "M-75-L01", "--reason", "resigned", "--on", "2024-01-10",
                           "--db", db, "--json"])
    assert vac.exit_code == 0, vac.output
    assert json.loads(vac.stdout)["successor"]["id"] == "M-75-L02"
    assert run.invoke(app, ["deputies", "vacancy", "M-75-L01", "--reason", "again", "--on", "2024-01-11",
                            "--db", db]).exit_code == 2
    akim = run.invoke(app, ["deputies", "akims", "add", "751110000", "Synthetic Akim", "--appointed", "2022-01-05",
                            "--db", db])
    assert akim.exit_code == 0 and "Synthetic Akim" in akim.output
    (tmp_path / "A.csv").write_text("deputy,kind,date,attended\nM-75-L03,session,2023-04-01,yes\n"
                                    "M-75-L03,session,2023-05-01,perhaps\n", encoding="utf-8")
    bad = run.invoke(app, ["deputies", "activity", "import", str(tmp_path / "A.csv"), "--db", db])
    assert bad.exit_code == 2 and "row 3" in bad.output and "attended" in bad.output
    (tmp_path / "A.csv").write_text("deputy,kind,date,attended\nM-75-L03,session,2023-04-01,yes\n", encoding="utf-8")
    good = run.invoke(app, ["deputies", "activity", "import", str(tmp_path / "A.csv"), "--db", db])
    assert good.exit_code == 0 and "1 records stored" in good.output
    assert run.invoke(app, ["deputies", "import-results", "M-99", str(tmp_path / "RESULTS.csv"), "--party", "X",
                            "--election-day", "2023-03-19", "--db", db]).exit_code == 2


REGIONS = ("10", "59", "75")  # Abai Region, North Kazakhstan Region, Almaty city: regional, city, district councils


def test_the_demo_makes_deputies_for_every_council(tmp_path: Path) -> None:
    central = Actor.central("central")
    for db in empty_database("sqlite", tmp_path):
        with db.Session() as s:
            contests.create_cycle(s, central, "demo", "Maslikhat and Majilis elections (synthetic)",
                                  date(2023, 3, 19), system="kz-2023")
            contests.create_contest(s, central, contests.ContestSpec(
                id="KZ-MAJILIS", cycle_id="demo", name="Majilis", level="national", region="Kazakhstan",
                rule="approval", seats=10, opens_at=NOW, closes_at=NOW.replace(day=8), council_id=None, kato=None))
            chosen = [cid for cid in council_ids()[1:] if council_owner(cid).kato[:2] in REGIONS]
            for cid in chosen:
                owner = council_owner(cid)
                s.add(Council(id=cid, name=owner.name_en, level="district", region="", kato=owner.kato))
            s.commit()
            made = prepare_deputies(s, central, tmp_path, seed=3, now=NOW)
            assert made.councils == len(chosen) + 1 and made.councils > 25  # and the Majilis
            assert made.deputies > 200 and made.list_deputies > 0 and made.district_deputies > 100
            assert made.vacancies > 0 and made.by_elections == 1 and made.akims >= len(chosen)
            assert made.activity > 30 * made.deputies
            majilis = read.faction(s, central, "KZ-MAJILIS")
            assert majilis.council.list_seats == 69 and majilis.counts["list"] > 20
            kinds = {k for (k,) in s.execute(select(DeputyActivity.kind).distinct())}
            assert kinds == {"session", "vote", "inquiry", "reception", "report_to_voters"}
            assert s.scalars(select(Akim).where(Akim.left_at.is_not(None))).first() is not None
            assert all(p.read_text(encoding="utf-8").startswith("kind,party") for p in made.files[:3])
            assert audit.verify(s).ok
            # the owner seam: a control case opened for a deputy shows on the deputy's page
            dep = s.scalars(select(DeputyRow).where(DeputyRow.status == "active").limit(1)).one()
            s.add(ControlCase(id="case-1", title="Roads", description="", kato=dep.kato, source="deputy",
                              owner_kind="deputy", owner=dep.id, status="open", opened_at=NOW, opened_by="central",
                              updated_at=NOW))
            s.commit()
            assert read.deputy_detail(s, central, dep.id).owned.control_cases == (("case-1", "Roads"),)
