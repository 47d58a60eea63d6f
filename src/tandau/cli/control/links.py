"""``tandau control link``: contracting processes linked to programme items, with a file the user corrects.

Registered on the ``control`` group by an import at the end of :mod:`tandau.cli.control`; the core is
:mod:`tandau.core.control.procurement.links`, the files :mod:`tandau.io.control_links`.
"""

from __future__ import annotations

import sys
from decimal import Decimal
from pathlib import Path

import typer

from tandau.cli._app import err_console
from tandau.cli.control import app
from tandau.errors import InputError

_PROGRESS_BYTES = 8_000_000  # show a progress bar on a terminal for files larger than this (as control flags)


@app.command("link")
def link_cmd(
    releases: Path = typer.Argument(..., help="RELEASES.jsonl: one OCDS release per line (.gz accepted)."),
    rules: Path = typer.Option(..., "--rules", help="RULES.csv (or .xlsx): programme, indicator, region, buyer_id, "
                               "classification (an empty criterion matches anything)."),
    corrections: Path | None = typer.Option(None, "--corrections", help="LINKS.csv of an earlier run: its manual "
                                            "rows are kept as they are, the others recomputed."),
    out: Path | None = typer.Option(None, "--out", help="Write LINKS.csv there (atomically) instead of stdout."),
) -> None:
    """Link every contracting process to a programme's indicator by buyer, region and classification.

    The most specific matching rule wins (a buyer given, then the longer classification prefix, then a region
    given); a tie between different indicators is 'ambiguous', no rule 'unmatched'. Prints LINKS.csv (ocid,
    buyer_id, buyer_name, region, programme, indicator, amount_kzt, status, rule, note) and a summary on stderr.
    Correct a row by editing programme, indicator or region and setting status to manual. A bad file exits 2 and
    writes nothing.
    """
    from tandau.core.control.procurement.links import (
        NOT_IN_RELEASES,
        link_releases,
        linked_totals,
        status_counts,
    )
    from tandau.io.control_csv import region_codes
    from tandau.io.control_links import ReleaseFile, links_csv, manual_rows, read_links, read_rules, write_links

    if out is not None and out.suffix.lower() in (".xlsx", ".xlsm"):
        raise InputError(f"--out writes CSV, not a workbook: name it {out.stem}.csv", parameter="--out")
    parsed_rules = read_rules(rules)
    old = read_links(corrections) if corrections is not None else ()
    if out is not None and corrections is None and out.is_file() and (kept := manual_rows(out)):
        raise InputError(f"{out} holds {kept} manual row(s) that this run would lose: pass --corrections {out} "
                         "to keep them (or remove the file)", parameter="--out")

    def warn(message: str) -> None:
        err_console.print(f"warning: {message}")

    source = ReleaseFile(releases, on_warning=warn)
    if source.size > _PROGRESS_BYTES and err_console.is_terminal:
        from rich.progress import BarColumn, DownloadColumn, Progress, TextColumn, TimeElapsedColumn

        with Progress(TextColumn("linking releases"), BarColumn(), DownloadColumn(), TimeElapsedColumn(),
                      console=err_console, transient=True) as bar:
            task = bar.add_task("link", total=source.size)
            source.on_progress = lambda done, total: bar.update(task, completed=done, total=total)
            links = link_releases(source, parsed_rules, old, regions=region_codes()[1:])
    else:
        links = link_releases(source, parsed_rules, old, regions=region_codes()[1:])
    if out is None:
        sys.stdout.write(links_csv(links))
        sys.stdout.flush()
    else:
        write_links(out, links)
    counts = status_counts(links)
    orphans = sum(1 for k in links if k.status == "manual" and NOT_IN_RELEASES in k.note.split("; "))
    total = sum(linked_totals(links).values(), Decimal(0))
    text = (f"{source.lines} line(s), {len(links)} process(es): " + ", ".join(f"{s} {n}" for s, n in counts.items())
            + f"; {format(total, ',f')} KZT linked")
    if orphans:
        text += f"; {orphans} manual row(s) kept whose ocid is in no release"
    if source.skipped:
        text += "; skipped (" + ", ".join(f"{r}: {n}" for r, n in sorted(source.skipped.items())) + ")"
    if source.invalid:
        text += f"; {source.invalid} invalid line(s) skipped"
    err_console.print(text)
