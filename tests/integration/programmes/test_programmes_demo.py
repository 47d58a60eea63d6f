"""The demo's programmes: one per council of the cycle, the Majilis and the youth wing, drafted from the SYNTHETIC
development programmes (stored in the database through the import service) and spread over every status; on two
regions' councils here (a small fixture), on all ~224 in benchmarks/bench_programmes_demo.py (the timed target)."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

from sqlalchemy import select

from tandau.services.primaries import audit, contests
from tandau.services.primaries.access import Actor
from tandau.services.programmes import publication, workflow
from tandau.services.programmes.demo import prepare_programmes
from tandau.services.programmes.records import council_ids, council_owner
from tandau.store.development_models import DevelopmentValue
from tandau.store.models import Council
from tandau.store.programme_models import ProgrammeRow
from tests.integration.primaries.conftest import empty_database

NOW = datetime(2026, 3, 1, tzinfo=UTC)


REGIONS = ("59", "10")  # North Kazakhstan and Abai: 26 maslikhats (the whole country's 223: the benchmark)


def test_demo_programmes_for_every_council(tmp_path: Path) -> None:
    central = Actor.central("central")
    for db in empty_database("sqlite", tmp_path):
        with db.Session() as s:
            contests.create_cycle(s, central, "demo", "Maslikhat and Majilis elections (synthetic)", date(2023, 3, 19),
                                  system="kz-2023")
            contests.create_contest(s, central, contests.ContestSpec(
                id="KZ-MAJILIS", cycle_id="demo", name="Majilis", level="national", region="Kazakhstan",
                rule="approval", seats=10, opens_at=NOW, closes_at=NOW.replace(day=8), council_id=None, kato=None))
            councils = [c for c in council_ids()[1:] if council_owner(c).kato[:2] in REGIONS]
            for cid in councils:
                owner = council_owner(cid)
                s.add(Council(id=cid, name=owner.name_en, level="district", region="", kato=owner.kato))
            s.commit()
            made = prepare_programmes(s, central, tmp_path, seed=3, now=NOW)
            assert len(councils) == 26 and made.programmes == 28  # 26 maslikhats, the Majilis, the youth wing
            assert set(made.by_status) == {"draft", "submitted", "returned", "approved", "published"}
            assert {"KZ-MAJILIS-demo", "youth-demo"} <= set(made.by_status["published"])
            rows = s.scalars(select(ProgrammeRow)).all()
            assert {r.status for r in rows} == set(made.by_status)
            youth = workflow.detail(s, central, "youth-demo")
            assert youth.records and {r["section"] for r in youth.records} <= {"education", "jobs", "culture_sport",
                                                                                "social"}
            assert "SYNTHETIC" in youth.version.note and youth.records[0]["funding_source"].startswith("SYNTHETIC")
            for pid in made.by_status["published"][:5] + made.by_status["approved"][:5]:
                assert workflow.current(s, workflow.get(s, pid)).errors == 0
            exported = publication.cycle_json(s, "demo", now=NOW)
            assert len(exported["programmes"]) == len(made.by_status["published"])
            # the SYNTHETIC development programmes are stored through the import service, marked synthetic, audited
            stored = s.scalars(select(DevelopmentValue.synthetic).distinct()).all()
            imports = [e for e in audit.entries(s) if e.action == "development.import"]
            assert stored == [True] and len(imports) == 1 and imports[0].details["synthetic"] is True
            assert len(imports[0].details["territories"]) == 26
            assert audit.verify(s).ok
