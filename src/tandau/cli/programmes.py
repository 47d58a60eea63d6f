"""``tandau programmes``: election programmes (issue 13, item 4). ``lint``: the quality checks C01-C10;
``to-targets``: commitments as the control module's TARGETS.csv; ``development-synthetic`` and ``draft``: development
programmes and the drafting help (issue 13, items 2-3). See docs/programmes.md.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import typer

from tandau.cli._app import new_app
from tandau.errors import InputError

if TYPE_CHECKING:
    from decimal import Decimal

    from tandau.core.programmes import Commitment

app = new_app("Election programmes: quality checks of commitments and their control targets.")

EXIT_FINDINGS = 1


def _term(value: str) -> tuple[str, str]:
    start, sep, end = value.partition("..")
    if not sep:
        raise InputError(f"expected YYYY-MM-DD..YYYY-MM-DD, got {value!r}", parameter="--term")
    return start.strip(), end.strip()


@app.command("lint")
def lint_cmd(
    programme: Path = typer.Argument(..., help="PROGRAMME.csv (or .xlsx): the commitments (docs/programmes.md)."),
    term: str = typer.Option(..., "--term", help="The council's term, YYYY-MM-DD..YYYY-MM-DD (C04)."),
    parent: Path | None = typer.Option(None, "--parent", help="PARENT.csv: the region's programme, for C09."),
    lang: str = typer.Option("en", "--lang", help="Language of the detail text: kk, ru or en."),
    fmt: str = typer.Option("json", "--format", help="json (the contract) or table."),
) -> None:
    """Quality checks C01-C10 of a programme's commitments.

    Prints {"ok": bool, "findings": [{"commitment", "code", "severity", "detail", "data"}]}. Exit 1 when a finding
    is an error (C10 is a notice), 0 otherwise; bad input names its file, row and column and exits 2.
    """
    import json
    from datetime import date

    from tandau.core.programmes import LANGUAGES, Term, lint, message
    from tandau.io.programme_csv import read_programme

    if fmt not in ("json", "table"):
        raise InputError(f"--format must be json or table, got {fmt!r}", parameter="--format")
    if lang not in LANGUAGES:
        raise InputError(f"--lang must be one of {', '.join(LANGUAGES)}, got {lang!r}", parameter="--lang")
    start, end = _term(term)
    try:
        span = Term(date.fromisoformat(start), date.fromisoformat(end))
    except ValueError:
        raise InputError(f"expected YYYY-MM-DD..YYYY-MM-DD, got {term!r}", parameter="--term") from None
    parsed = read_programme(programme)
    parent_programme = read_programme(parent) if parent is not None else None
    result = lint(parsed, term=span, parent=parent_programme)
    if fmt == "json":
        payload = {"ok": result.ok, "findings": [f.to_json(lang) for f in result.findings]}
        typer.echo(json.dumps(payload, ensure_ascii=False))
    else:
        from rich.table import Table

        from tandau.cli._app import out_console

        table = Table(title=f"{parsed.name}: {len(parsed.commitments)} commitments, term {span.start} – {span.end}")
        for column in ("commitment", "code", "severity", "detail"):
            table.add_column(column)
        for f in result.findings:
            table.add_row(f.commitment, f.code, f.severity, message(f, lang))
        out_console.print(table)
        errors = sum(f.severity == "error" for f in result.findings)
        out_console.print(f"{'ok' if result.ok else 'not ok'}: {errors} error(s), "
                          f"{len(result.findings) - errors} notice(s)")
    if not result.ok:
        raise typer.Exit(EXIT_FINDINGS)


@app.command("to-targets")
def to_targets_cmd(
    programme: Path = typer.Argument(..., help="PROGRAMME.csv (or .xlsx): the commitments."),
    commitment: list[str] = typer.Option([], "--commitment", help="A commitment id (repeatable); all by default."),
    out: Path | None = typer.Option(None, "--out", help="TARGETS.csv to write (atomically); stdout by default."),
    programme_id: str | None = typer.Option(None, "--programme", help="The control programme id; by default each "
                                            "commitment's council (M-5910)."),
) -> None:
    """Commitments as control targets (the TARGETS.csv of tandau control assess), all or nothing.

    A district's commitment becomes a series of its region under the district's council; the baseline date is
    31 December of baseline_year. A commitment that cannot become a target (no baseline, target on the wrong side,
    two commitments on one series, ...) is refused with its reasons, exit 2, nothing written.
    """
    from tandau.core.programmes import commitment_targets
    from tandau.io.programme_csv import read_programme, targets_csv, write_atomic

    parsed = read_programme(programme)
    chosen = list(parsed.commitments)
    if commitment:
        unknown = [cid for cid in commitment if parsed.get(cid) is None]
        if unknown:
            valid = ", ".join(c.commitment for c in parsed.commitments[:5])
            raise InputError(f"no commitment {', '.join(map(repr, unknown))} in {parsed.name} (its ids: {valid}"
                             f"{', ...' if len(parsed.commitments) > 5 else ''})", parameter="--commitment")
        wanted = set(commitment)
        chosen = [c for c in parsed.commitments if c.commitment in wanted]
    text = targets_csv(commitment_targets(chosen, programme_id))
    if out is None:
        typer.echo(text, nl=False)
    else:
        write_atomic(out, text)


@app.command("render")
def render_cmd(
    programme: Path = typer.Argument(..., help="PROGRAMME.csv (or .xlsx): the commitments."),
    lang: str = typer.Option(..., "--lang", help="Language of the document: kk or ru."),
    out: Path = typer.Option(..., "--out", help="FILE.pdf to write (atomically)."),
) -> None:
    """A programme as a printable PDF: title page with the council's name, sections in the theme order with a
    summary table and a budget chart, one block per commitment, page numbers (DejaVu Sans embedded).

    Bad input names its file, row and column and exits 2; nothing is written then.
    """
    from tandau.io.programme_csv import read_programme
    from tandau.io.programme_pdf import LANGUAGES, render_programme_pdf, write_bytes_atomic

    if lang not in LANGUAGES:
        raise InputError(f"--lang must be one of {', '.join(LANGUAGES)}, got {lang!r}", parameter="--lang")
    write_bytes_atomic(out, render_programme_pdf(read_programme(programme), lang))


@app.command("development-synthetic")
def development_synthetic_cmd(
    out: Path = typer.Option(..., "--out", help="DEVELOPMENT.csv to write (atomically)."),
    seed: int = typer.Option(0, "--seed", help="The seed: the same seed gives the same file."),
) -> None:
    """SYNTHETIC development-programme indicators for every region, city and district (2023 layout).

    A baseline in 2022 and plans 2023-2028 of 19-22 indicators per unit across the themes, scaled by population;
    every row's source says SYNTHETIC. Not real figures: for demos and tests.
    """
    from tandau.core.programmes.synthetic_dev import synthetic_development
    from tandau.io.development_csv import development_csv, kz_units
    from tandau.io.programme_csv import write_atomic

    data = synthetic_development(kz_units(), seed)
    write_atomic(out, development_csv(data.indicators))
    typer.echo(f"{out}: {len(data.indicators)} SYNTHETIC rows, {len(data.territories)} territories, seed {seed}")


def _draft_json(c: Commitment, explanation: str, lang: str) -> dict[str, object]:
    def plain(value: Decimal | None) -> str | None:
        return None if value is None else f"{value.normalize():f}"

    return {"commitment": c.commitment, "indicator": c.indicator, "unit": c.unit,
            "text": c.text_kk if lang == "kk" else c.text_ru, "baseline": plain(c.baseline),
            "baseline_year": c.baseline_year, "target": plain(c.target),
            "deadline": None if c.deadline is None else c.deadline.isoformat(), "direction": c.direction,
            "responsible": c.responsible, "explanation": explanation}


@app.command("draft")
def draft_cmd(
    territory: str = typer.Option(..., "--territory", help="The council's territory, a 9-digit KATO code."),
    development: Path | None = typer.Option(None, "--development", help="DEVELOPMENT.csv (or .xlsx): the "
                                             "indicators; or --db."),
    term: str = typer.Option(..., "--term", help="The council's term, YYYY-MM-DD..YYYY-MM-DD."),
    proposals: Path | None = typer.Option(None, "--proposals", help="PROPOSALS.csv: id, territory, theme; the "
                                          "themes of the territory's proposals order the sections (with --db: "
                                          "by default the proposals stored in the database)."),
    db: str | None = typer.Option(None, "--db", help="Draft from the development programme stored in this "
                                  "database (SQLite file or URL; tandau programmes development import)."),
    out: Path | None = typer.Option(None, "--out", help="PROGRAMME.csv to write (atomically), for lint."),
    fmt: str = typer.Option("table", "--format", help="table, json, or csv (the PROGRAMME.csv on stdout)."),
    lang: str = typer.Option("en", "--lang", help="Language of the explanations: kk, ru or en."),
) -> None:
    """Draft a council's programme from its territory's development programme: one commitment per indicator.

    Target: the plan value of the last plan year whose 31 December is within the term; baseline, direction and
    unit from the programme; sections ordered by the proposals' themes (most asked first). The responsible body
    is a default to check, the budget is left empty (lint C07). Prints why each commitment is proposed. The
    indicators come from --development FILE or, with --db, from the database.
    """
    import json
    from datetime import date

    from tandau.core.programmes import LANGUAGES, Term
    from tandau.core.programmes.drafting import draft, theme_counts
    from tandau.io.development_csv import read_development, read_proposals
    from tandau.io.programme_csv import programme_csv, territory_names, write_atomic

    if fmt not in ("table", "json", "csv"):
        raise InputError(f"--format must be table, json or csv, got {fmt!r}", parameter="--format")
    if lang not in LANGUAGES:
        raise InputError(f"--lang must be one of {', '.join(LANGUAGES)}, got {lang!r}", parameter="--lang")
    if territory not in territory_names():
        raise InputError(f"unknown territory {territory!r}: expected the 9-digit KATO code of a region, city or "
                         "district (593200000 Aiyrtau District)", parameter="--territory")
    start, end = _term(term)
    try:
        span = Term(date.fromisoformat(start), date.fromisoformat(end))
    except ValueError:
        raise InputError(f"expected YYYY-MM-DD..YYYY-MM-DD, got {term!r}", parameter="--term") from None
    if (development is None) == (db is None):
        raise InputError("give either --development FILE or --db (the development programme stored in the "
                         "database)", parameter="--development")
    counts = theme_counts(((p.territory, p.theme) for p in read_proposals(proposals)), territory) if proposals else None
    if development is not None:
        data = read_development(development)
        if territory not in data.territories:
            raise InputError(f"no indicators of territory {territory} in the file", file=str(development))
        result = draft(territory, span, data, counts or {})
    else:
        from tandau.cli._db import session_scope
        from tandau.services.programmes.drafting import draft_stored

        with session_scope(db) as session:
            result = draft_stored(session, territory, span, counts)
    chosen = result.commitments
    if not chosen:
        reasons = "; ".join(n.text(lang) for n in result.skipped[:3])
        raise InputError(f"no commitment can be proposed for {territory} within the term: {reasons}",
                         parameter="--term")
    text = programme_csv([c.commitment for c in chosen], (
        ("explanation", [c.explanation.text(lang) for c in chosen]),
        ("to_check", ["responsible (default of the section); budget_kzt (empty)"] * len(chosen))))
    if out is not None:
        write_atomic(out, text)
    if fmt == "csv":
        typer.echo(text, nl=False)
    elif fmt == "json":
        payload = {
            "territory": territory, "term": [span.start.isoformat(), span.end.isoformat()],
            "proposals": result.proposals_total,
            "sections": [{"section": s.section, "name": s.name(lang), "proposals": s.proposals,
                          "note": s.note.text(lang) if s.note else None,
                          "commitments": [_draft_json(c.commitment, c.explanation.text(lang), lang)
                                          for c in s.commitments]}
                         for s in result.sections],
            "skipped": [n.text(lang) for n in result.skipped]}
        typer.echo(json.dumps(payload, ensure_ascii=False))
    else:
        from rich.table import Table

        from tandau.cli._app import out_console

        table = Table(title=f"draft for {territory}, term {span.start} – {span.end}: {len(chosen)} commitments, "
                            f"{result.proposals_total} proposals")
        for column in ("section", "commitment", "text", "why"):
            table.add_column(column)
        for s in result.sections:
            label = f"{s.name(lang)} ({s.proposals})"
            if s.note is not None:
                table.add_row(label, "", "", s.note.text(lang))
            for c in s.commitments:
                table.add_row(label, c.commitment.commitment,
                              c.commitment.text_kk if lang == "kk" else c.commitment.text_ru, c.explanation.text(lang))
        out_console.print(table)
        for n in result.skipped:
            out_console.print(f"skipped: {n.text(lang)}")


# programmes in the database: create, submit, return, approve, publish, diff, export, to-control (issue 13, items 1,
# 5 and 7); defined in tandau.cli.programmes_workflow
from tandau.cli.programmes_workflow import register as _register_workflow  # noqa: E402

_register_workflow(app)

# development programmes in the database: import, show (issue 13, item 2); defined in
# tandau.cli.programmes_development
from tandau.cli.programmes_development import app as _development_app  # noqa: E402

app.add_typer(_development_app, name="development")
