"""``tandau proposals``: theme classification of citizens' proposals in Kazakh and Russian (docs/proposals.md).

``classify`` gives each proposal of a PROPOSALS.csv a theme and a confidence (``--evaluate`` scores them against
the file's ``theme`` column); ``train`` fits a model on a party's own labelled proposals; ``themes`` lists the
taxonomy. Heavy modules are imported inside the commands so that start-up stays short.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Any

import typer

from tandau.cli._app import err_console, new_app, out_console
from tandau.cli._db import ACTOR, DB, session_scope
from tandau.errors import InputError

app = new_app("Citizens' proposals: theme classification in Kazakh and Russian.")

_FORMATS = ("json", "table")


def _check_format(fmt: str) -> None:
    if fmt not in _FORMATS:
        raise InputError(f"--format must be json or table, got {fmt!r}", parameter="--format")


@app.command("classify")
def classify_cmd(
    proposals: Path = typer.Argument(..., help="PROPOSALS.csv (or .xlsx): id, text; optional lang, theme, "
                                     "territory, age, channel, submitted_at."),
    fmt: str = typer.Option("json", "--format", help="json or table."),
    evaluate: bool = typer.Option(False, "--evaluate", help="Score the themes against the file's theme column "
                                  "(accuracy, macro-F1, by language, confusion)."),
    model_file: Path | None = typer.Option(None, "--model", help="A model made by tandau proposals train; the "
                                           "default model is trained from Tandau's labelled set."),
) -> None:
    """Give every proposal a theme and a confidence (the model's probability, 0-1).

    Prints {"items": [{"id", "theme", "confidence"}], "summary": {theme: count}}; with --evaluate also
    "accuracy", "macro_f1", "by_language" ({lang: {"accuracy", "macro_f1", "n"}}, the lang column or the
    detected language) and "confusion" ({true: {predicted: count}}). Bad input exits 2 naming file, row, column.
    """
    from tandau.core.proposals import THEME_CODES, detect_language
    from tandau.core.proposals import evaluate as score
    from tandau.io.proposals_csv import read_proposals
    from tandau.io.proposals_model import default_model, load_model

    _check_format(fmt)
    rows = read_proposals(proposals)
    if evaluate:
        for r in rows:
            if r.theme is None:
                raise InputError(f"empty; --evaluate needs a theme on every row ({', '.join(THEME_CODES)})",
                                 file=proposals.name, row=r.row, column="theme")
    model = load_model(model_file) if model_file is not None else default_model()
    predictions = model.predict([r.text for r in rows])
    counts = Counter(p.theme for p in predictions)
    result: dict[str, Any] = {
        "items": [{"id": r.id, "theme": p.theme, "confidence": round(p.confidence, 4)}
                  for r, p in zip(rows, predictions, strict=True)],
        "summary": {code: counts[code] for code in THEME_CODES if counts[code]},
    }
    if evaluate:
        e = score([r.theme or "" for r in rows], [p.theme for p in predictions],
                  [r.lang or detect_language(r.text) for r in rows])
        result.update({"accuracy": round(e.overall.accuracy, 4), "macro_f1": round(e.overall.macro_f1, 4),
                       "by_language": {lang: s.as_dict() for lang, s in sorted(e.by_language.items())},
                       "confusion": {t: dict(row) for t, row in e.confusion.items()}})
    if fmt == "json":
        typer.echo(json.dumps(result, ensure_ascii=False))
    else:
        _print_table(result, {r.id: r.text for r in rows})


def _print_table(result: dict[str, Any], texts: dict[str, str]) -> None:
    from rich.table import Table

    table = Table(title=f"{len(result['items'])} proposals")
    for column in ("id", "theme", "confidence", "text"):
        table.add_column(column, overflow="ellipsis", no_wrap=column == "text", max_width=60)
    for item in result["items"]:
        table.add_row(item["id"], item["theme"], f"{item['confidence']:.2f}", texts[item["id"]])
    out_console.print(table)
    summary = Table(title="Themes")
    summary.add_column("theme")
    summary.add_column("proposals", justify="right")
    for theme, count in result["summary"].items():
        summary.add_row(theme, str(count))
    out_console.print(summary)
    if "accuracy" in result:
        scores = Table(title="Scores")
        for column in ("language", "n", "accuracy", "macro-F1"):
            scores.add_column(column)
        for lang, s in result["by_language"].items():
            scores.add_row(lang, str(s["n"]), f"{s['accuracy']:.3f}", f"{s['macro_f1']:.3f}")
        scores.add_row("all", str(len(result["items"])), f"{result['accuracy']:.3f}", f"{result['macro_f1']:.3f}")
        out_console.print(scores)


@app.command("train")
def train_cmd(
    labelled: Path = typer.Argument(..., help="LABELLED.csv (or .xlsx): id, text, theme on every row; lang "
                                    "optional."),
    out: Path = typer.Option(..., "--out", help="Where to write the model (.npz, no pickle); written atomically."),
    c: float = typer.Option(20.0, "--c", help="Inverse regularisation strength of the logistic regression."),
) -> None:
    """Train a theme model on labelled proposals (all rows) and write it for classify --model."""
    from tandau.core.proposals import train_model
    from tandau.io.proposals_csv import read_labelled
    from tandau.io.proposals_model import save_model

    if not c > 0:
        raise InputError(f"--c must be a positive number, got {c}", parameter="--c")
    rows = read_labelled(labelled)
    model = train_model([r.text for r in rows], [r.theme or "" for r in rows], c=c)
    save_model(model, out)
    counts = Counter(r.theme for r in rows)
    err_console.print(f"trained on {len(rows)} proposals ({', '.join(f'{t} {n}' for t, n in sorted(counts.items()))}); "
                      f"{len(model.vocabulary)} features; written to {out}")


@app.command("themes")
def themes_cmd(fmt: str = typer.Option("table", "--format", help="table or json.")) -> None:
    """List the themes: code, names in Kazakh, Russian and English, and what belongs there."""
    from rich.table import Table

    from tandau.core.proposals import THEMES

    if fmt not in ("json", "table"):
        raise InputError(f"--format must be json or table, got {fmt!r}", parameter="--format")
    if fmt == "json":
        typer.echo(json.dumps([{"code": t.code, "kk": t.kk, "ru": t.ru, "en": t.en, "covers": t.covers}
                               for t in THEMES], ensure_ascii=False))
        return
    table = Table(title="Themes of proposals")
    for column in ("code", "kk", "ru", "en", "covers"):
        table.add_column(column)
    for t in THEMES:
        table.add_row(t.code, t.kk, t.ru, t.en, t.covers)
    out_console.print(table)


# ---- stored proposals (intake, docs/proposals.md "Intake, moderation and answers") --------------------------------

@app.command("import")
def import_cmd(
    file: Path = typer.Argument(..., help="CSV or XLSX: id, text, territory, age, channel, submitted_at; optional "
                                "lang, theme."),
    db: str | None = DB,
    dry_run: bool = typer.Option(False, "--dry-run", help="Check the whole file and count; write nothing."),
    actor: str = ACTOR,
) -> None:
    """Import proposals collected offline into the database, all or nothing (acting as the central office).

    Every problem is printed with its row and column (exit 2) and nothing is written while there is one. Prints
    {"file", "sha256", "applied", "added", "classified"}.
    """
    from tandau.services.primaries.access import Actor
    from tandau.services.proposals import imports

    if not file.is_file():
        raise InputError("file not found", file=str(file))
    with session_scope(db) as session:
        outcome = imports.upload(session, Actor.central(f"cli:{actor}"), file.name, file.read_bytes(),
                                 apply=not dry_run, limit=2**31)
    typer.echo(json.dumps({"file": outcome.file, "sha256": outcome.sha256, "applied": outcome.applied,
                           "added": outcome.added, "classified": outcome.classified}))


@app.command("group")
def group_cmd(db: str | None = DB) -> None:
    """Compute the near-duplicate groups of the stored proposals again (Jaccard of 5-shingles >= 0.6 within a
    territory); prints how many proposals changed group."""
    from tandau.services.proposals import grouping

    with session_scope(db) as session:
        changed = grouping.regroup(session)
        session.commit()
    typer.echo(json.dumps({"changed": changed}))


@app.command("dashboard")
def dashboard_cmd(db: str | None = DB, territory: str | None = typer.Option(
        None, "--territory", help="A 9-digit KATO code: that territory and everything under it.")) -> None:
    """Counts of the stored proposals (hidden ones left out) by region, theme and age group, with the under-35
    share, as JSON."""
    from tandau.services.primaries.access import Actor
    from tandau.services.proposals import read

    with session_scope(db) as session:
        b = read.dashboard(session, Actor.central("cli"), territory=territory)
    typer.echo(json.dumps({
        "total": b.total, "under_35": b.under_35, "under_29": b.under_29, "groups": b.groups,
        "by_status": dict(b.by_status), "by_channel": dict(b.by_channel),
        "by_region": {k: dict(v) for k, v in b.by_region.items()},
        "by_theme": {k or "none": dict(v) for k, v in b.by_theme.items()}}, ensure_ascii=False))
