"""``tandau programmes``: election programmes (issue 13, item 4). ``lint``: the quality checks C01-C10;
``to-targets``: commitments as the control module's TARGETS.csv. See docs/programmes.md.
"""

from __future__ import annotations

from pathlib import Path

import typer

from tandau.cli._app import new_app
from tandau.errors import InputError

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
