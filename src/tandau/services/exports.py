"""Export a formed list for registration with the election commission: CSV, XLSX, PDF.

Columns: place, full name, sex, birth date, primary votes, primary rank, tags. CSV is UTF-8 with a BOM so that
spreadsheet programs read Cyrillic correctly. The PDF embeds DejaVu Sans (Cyrillic and Kazakh letters); when the
font is missing it raises a clear error naming the Debian package ``fonts-dejavu-core``.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from tandau.errors import InputError, UnknownIdError
from tandau.io.catalogues import N_, make_gettext
from tandau.io.pdf_fonts import dejavu_pdf
from tandau.services import workspace_store as store
from tandau.services.primaries.contests import get_contest
from tandau.services.primaries.errors import StateError

FORMATS: dict[str, tuple[str, str]] = {
    "csv": ("text/csv; charset=utf-8", "csv"),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx"),
    "pdf": ("application/pdf", "pdf"),
}
ENGLISH: dict[str, str] = {
    "place": "Place", "name": "Full name", "sex": "Sex", "birth_date": "Birth date", "votes": "Primary votes",
    "vote_rank": "Primary rank", "tags": "Tags", "title": "Party list", "council": "Council",
    "generated": "Formed by Tandau from the published primary results; synthetic data in the demo.",
}


#: the headers and titles of an exported list, as msgids of the staff catalogue (the page's export and the
#: ``exports.lists`` job say them in the reader's language with :func:`labels_in`)
LABELS: dict[str, str] = {
    "place": N_("Place"), "name": N_("Full name"), "sex": N_("Sex"), "birth_date": N_("Birth date"),
    "votes": N_("Primary votes"), "vote_rank": N_("Primary rank"), "tags": N_("Tags"), "title": N_("Party list"),
    "council": N_("Council"), "generated": N_("Formed by Tandau from the published primary results."),
}


def labels_in(lang: str) -> dict[str, str]:
    """:data:`LABELS` in ``lang`` (kk, ru, en)."""
    _ = make_gettext(lang)
    return {key: _(text) for key, text in LABELS.items()}


@dataclass(frozen=True, slots=True)
class Export:
    """A file to send: its bytes, media type and a suggested name."""

    content: bytes
    media_type: str
    filename: str


def _rows(entries: Sequence[Mapping[str, Any]]) -> list[list[Any]]:
    return [[e["position"], e["name"], e["sex"], e.get("birth_date") or "", e["votes"], e["vote_rank"],
             ", ".join(e.get("tags", []))] for e in entries]


KEYS = ("place", "name", "sex", "birth_date", "votes", "vote_rank", "tags")


def export_list(session: Session, contest_id: str, fmt: str, labels: Mapping[str, str] | None = None, *,
                council_name: str | None = None) -> Export:
    """The stored list of ``contest_id`` as ``fmt`` (csv, xlsx, pdf); ``labels`` translate the headers and
    ``council_name`` is the council's name in the title of the XLSX and PDF files (default: the stored name)."""
    if fmt not in FORMATS:
        raise UnknownIdError("export format", fmt, tuple(FORMATS))
    contest = get_contest(session, contest_id)
    stored = store.load(session, contest_id)
    if stored is None or stored.result.get("error"):
        raise StateError(f"no formed list for {contest_id!r} to export")
    text = {**ENGLISH, **(labels or {})}
    title = council_name or contest.name
    header = [text[k] for k in KEYS]
    rows = _rows(stored.result["entries"])
    media, ext = FORMATS[fmt]
    name = f"list-{contest_id}.{ext}"
    if fmt == "csv":
        return Export(to_csv(header, rows), media, name)
    if fmt == "xlsx":
        return Export(to_xlsx(header, rows, title), media, name)
    return Export(to_pdf(header, rows, f"{text['title']}: {title}", text["generated"]), media, name)


def to_csv(header: Sequence[str], rows: Sequence[Sequence[Any]]) -> bytes:
    """CSV bytes, UTF-8 with BOM.

    >>> to_csv(["a", "b"], [[1, "Әсел"]]).decode("utf-8-sig").splitlines()
    ['a,b', '1,Әсел']
    """
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return buf.getvalue().encode("utf-8-sig")


def to_xlsx(header: Sequence[str], rows: Sequence[Sequence[Any]], title: str) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    wb = Workbook()
    ws = wb.active
    if ws is None:  # pragma: no cover - openpyxl always creates one sheet
        raise InputError("could not create a worksheet")
    ws.title = "list"
    ws.append([title])
    ws["A1"].font = Font(bold=True)
    ws.append(list(header))
    for cell in ws[2]:
        cell.font = Font(bold=True)
    for row in rows:
        ws.append(list(row))
    widths = [7, 34, 6, 12, 14, 14, 24]
    for i, w in enumerate(widths):
        ws.column_dimensions[chr(ord("A") + i)].width = w
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def to_pdf(header: Sequence[str], rows: Sequence[Sequence[Any]], title: str, note: str) -> bytes:
    """An A4 PDF table with the list (DejaVu Sans embedded)."""

    pdf = dejavu_pdf(title=title, lang="en")
    pdf.add_page()
    pdf.set_font("DejaVu", size=13)
    pdf.multi_cell(0, 7, title, new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("DejaVu", size=8)
    pdf.multi_cell(0, 5, note, new_x="LMARGIN", new_y="NEXT")
    pdf.ln(2)
    widths = (12, 62, 10, 24, 22, 22, 38)
    with pdf.table(col_widths=widths, text_align="LEFT", line_height=5) as table:
        head = table.row()
        for h in header:
            head.cell(str(h))
        for r in rows:
            line = table.row()
            for value in r:
                line.cell("" if value is None else str(value))
    return bytes(pdf.output())
