"""``tandau report``: the congress report (issue 14, item 6; docs/report.md).

``tandau report congress --db FILE_OR_URL [--cycle ID] --lang kk|ru|en --out REPORT.pdf [--html DIR]``: the national
report on the cycle (default: the latest) with an annex per region, every figure recomputed from the database. Bad
input names its file or parameter and exits 2; nothing is written then (the PDF and each HTML file are written
atomically, after everything has been built).
"""

from __future__ import annotations

from pathlib import Path

import typer

from tandau.cli._app import new_app
from tandau.errors import InputError

app = new_app("The congress report: the national report on a cycle with an annex per region, PDF and HTML.")

LANGS = ("kk", "ru", "en")


def _check_out(out: Path, html: Path | None) -> None:
    if out.suffix.lower() != ".pdf":
        raise InputError("the report is a PDF: give a file name ending in .pdf", file=str(out), parameter="--out")
    if not out.parent.is_dir():
        raise InputError("the folder does not exist", file=str(out), parameter="--out")
    if out.is_dir():
        raise InputError("is a folder, not a file", file=str(out), parameter="--out")
    if html is not None:
        if html.exists() and not html.is_dir():
            raise InputError("is a file, not a folder", file=str(html), parameter="--html")
        if not html.parent.is_dir():
            raise InputError("the folder above it does not exist", file=str(html), parameter="--html")


@app.command("congress")
def congress_cmd(
    db: str = typer.Option(..., "--db", help="SQLite file or database URL."),
    cycle: str | None = typer.Option(None, "--cycle", help="The cycle's id (default: the latest)."),
    lang: str = typer.Option(..., "--lang", help="Language of the report: kk, ru or en."),
    out: Path = typer.Option(..., "--out", help="REPORT.pdf to write (atomically)."),
    html: Path | None = typer.Option(None, "--html", help="DIR for the HTML report: index.html and "
                                     "regions/<prefix>.html (made if missing)."),
) -> None:
    """The congress report on a cycle: primaries, lists, seats and the elected, programmes and proposals, control,
    deputies, appeals and awards, nationally and in an annex per region, with charts (PDF; HTML with --html)."""
    from sqlalchemy.exc import SQLAlchemyError

    from tandau.io.programme_csv import write_atomic
    from tandau.io.programme_pdf import write_bytes_atomic
    from tandau.io.report_pdf import congress_pdf
    from tandau.services.primaries.access import Actor
    from tandau.services.report import congress_report
    from tandau.store.engine import database_url, make_engine, session_factory
    from tandau.web.report_html import render_files

    if lang not in LANGS:
        raise InputError(f"--lang must be one of {', '.join(LANGS)}, got {lang!r}", parameter="--lang")
    _check_out(out, html)
    if "://" not in db and not Path(db).is_file():
        raise InputError("database file not found", file=db, parameter="--db")
    engine = make_engine(database_url(db))
    try:
        with session_factory(engine)() as session:
            try:
                report = congress_report(session, Actor.central("cli:report"), cycle)
            except InputError as exc:
                if exc.parameter == "cycle":
                    raise InputError(exc.problem, parameter="--cycle") from None
                raise
            except SQLAlchemyError as exc:
                raise InputError(f"not a Tandau database, or not upgraded ({type(exc).__name__})", file=db,
                                 parameter="--db") from None
            session.rollback()
    finally:
        engine.dispose()
    pdf = congress_pdf(report, lang)
    files = render_files(report, lang) if html is not None else {}
    write_bytes_atomic(out, pdf)
    if html is not None:
        (html / "regions").mkdir(parents=True, exist_ok=True)
        for name, text in files.items():
            write_atomic(html / name, text)
    figures = sum(1 for _ in report.figures())
    typer.echo(f"{out}: congress report on {report.cycle_id} ({lang}), {len(report.annexes)} regional annexes, "
               f"{figures} figures" + (f"; HTML in {html}" if html is not None else ""))
