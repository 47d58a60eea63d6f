"""The PDFs' common ground (lists, programmes, the congress report, award certificates): DejaVu Sans embedded, so
Cyrillic and Kazakh letters (ә ғ қ ң ө ұ ү һ і) render and the text is searchable, and a document set up with its
title, language and an optional page footer."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Literal

from tandau.errors import TandauError

FONT_CANDIDATES: tuple[Path, ...] = (
    Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"),
    Path("/usr/share/fonts/dejavu/DejaVuSans.ttf"),
)
MUTED = (108, 117, 125)


class FontMissingError(TandauError):
    """A PDF needs DejaVu Sans (Cyrillic and Kazakh letters)."""

    def __init__(self) -> None:
        super().__init__("a PDF needs DejaVu Sans (install the Debian package fonts-dejavu-core); looked in "
                         + ", ".join(str(p) for p in FONT_CANDIDATES))


def font_path() -> Path:
    """The DejaVu Sans file, or :class:`FontMissingError`."""
    for path in FONT_CANDIDATES:
        if path.is_file():
            return path
    raise FontMissingError()


def dejavu_pdf(*, title: str, lang: str, orientation: Literal["P", "L"] = "P", margin: float = 15,
               footer: str | None = None) -> Any:
    """An A4 FPDF with DejaVu regular and bold (regular again where no bold file is installed), its title, language
    and creator set; ``footer``: a page label with ``{n}`` (this page) and ``{nb}`` (the page count)."""
    from fpdf import FPDF

    font = font_path()
    bold = font.with_name("DejaVuSans-Bold.ttf")

    class _PDF(FPDF):
        def footer(self) -> None:
            if footer is None:
                return
            self.set_y(-12)
            self.set_font("DejaVu", size=8)
            self.set_text_color(*MUTED)
            self.cell(0, 5, footer.format(n=self.page_no(), nb="{nb}"), align="C")

    pdf = _PDF(orientation=orientation, unit="mm", format="A4")
    pdf.set_auto_page_break(auto=True, margin=margin)
    pdf.add_font("DejaVu", "", str(font))
    pdf.add_font("DejaVu", "B", str(bold if bold.is_file() else font))
    pdf.set_title(title)
    pdf.set_lang(lang)
    pdf.set_creator("Tandau")
    return pdf
