"""Congress report benchmark: the national report with every region's annex, PDF (and HTML), on the national demo.

    python benchmarks/bench_report.py --json [--db DEMO.db] [--lang kk] [--work DIR]

Without ``--db`` the national demo is built first (``prepare_demo`` at its defaults: kz-2023, scale 0.02, every
region, with its deputies and appeals), outside the clock. The clock covers building the report from the database and
rendering the PDF and the HTML files (``tandau report congress``'s work). Then a sample of figures is recomputed with
independent SQL (sqlite3, not the ORM) and compared. The quality bar (issue 14, item 6): under 60 s.
Prints {pages, seconds, figures_checked, figures, annexes, bytes, lang}.
"""

from __future__ import annotations

import argparse
import io
import json
import sqlite3
import tempfile
import time
from pathlib import Path

from pypdf import PdfReader

from tandau.core.report import CongressReport
from tandau.services.primaries.access import Actor
from tandau.services.report import congress_report
from tandau.store import make_engine, session_factory
from tandau.web.report_html import render_files, render_pdf


def build_demo(work: Path) -> Path:
    from tandau.services.demo import prepare_demo

    db = work / "demo.db"
    prepare_demo(db, work)  # deputies and appeals included
    return db


def check(report: CongressReport, db: Path) -> int:
    """Recompute a sample of figures with our own SQL; raise on a mismatch; return how many were checked."""
    con = sqlite3.connect(db)
    cycle = report.cycle_id
    contests = f"(SELECT id FROM contests WHERE cycle_id = '{cycle}')"

    def one(query: str) -> int:
        return int(con.execute(query).fetchone()[0] or 0)

    expect = {
        "primaries.members": one("SELECT count(*) FROM members WHERE status = 'active'"),
        "primaries.voters": one(f"SELECT count(DISTINCT member_id) FROM participation WHERE contest_id IN {contests}"),
        "primaries.ballots_cast": one(f"SELECT sum(casts) FROM participation WHERE contest_id IN {contests}"),
        "primaries.ballots_counted": one(f"SELECT count(*) FROM ballots WHERE contest_id IN {contests}"),
        "programmes.programmes": one(f"SELECT count(*) FROM programmes WHERE cycle_id = '{cycle}'"),
        "proposals.received": one("SELECT count(*) FROM proposals"),
        "control.cases_opened": one("SELECT count(*) FROM control_cases"),
        "deputies.active": one("SELECT count(*) FROM deputies WHERE status = 'active'"),
        "appeals.received": one("SELECT count(*) FROM appeals"),
    }
    for annex in report.annexes:
        r = annex.region
        expect[f"{r}/primaries.members"] = one(f"SELECT count(*) FROM members WHERE status = 'active' "
                                               f"AND kato LIKE '{r}%'")
        expect[f"{r}/proposals.received"] = one(f"SELECT count(*) FROM proposals WHERE kato LIKE '{r}%'")
    con.close()
    wrong = {k: (v, report.figure(k).value) for k, v in expect.items() if report.figure(k).value != v}
    if wrong:
        raise SystemExit(f"figures differ from the database (expected, reported): {wrong}")
    return len(expect)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--db", type=Path, help="an existing national demo database (built when not given)")
    parser.add_argument("--lang", default="kk", choices=("kk", "ru", "en"))
    parser.add_argument("--work", type=Path, help="where to build the demo (default: a temporary folder)")
    parser.add_argument("--json", action="store_true", help="print JSON")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        db = args.db or build_demo(args.work or Path(tmp))
        engine = make_engine(f"sqlite:///{db}")
        started = time.perf_counter()
        with session_factory(engine)() as session:
            report = congress_report(session, Actor.central("bench"))
        pdf = render_pdf(report, args.lang)
        files = render_files(report, args.lang)
        seconds = time.perf_counter() - started
        engine.dispose()
        result = {"pages": len(PdfReader(io.BytesIO(pdf)).pages), "seconds": round(seconds, 2),
                  "figures_checked": check(report, db), "figures": sum(1 for _ in report.figures()),
                  "annexes": len(report.annexes), "bytes": len(pdf), "html_files": len(files), "lang": args.lang}
    print(json.dumps(result) if args.json else "\n".join(f"{k}: {v}" for k, v in result.items()))


if __name__ == "__main__":
    main()
