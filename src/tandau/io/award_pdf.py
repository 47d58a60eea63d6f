"""The certificate of an approved award nomination as a PDF, in Kazakh or Russian (DejaVu Sans, so every Kazakh
letter — ә, ғ, қ, ң, ө, ұ, ү, һ, і — renders): a landscape A4 page with the award, the member, the branch, the
supporting activity, the decision's date and the nomination's id (which the register of nominations finds)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from tandau.core.scorecards.awards import AWARDS
from tandau.errors import InputError
from tandau.io.pdf_fonts import dejavu_pdf
from tandau.io.programme_pdf import territory_name

LANGUAGES = ("kk", "ru")
TEXT = {
    "kk": {"title": "ҚҰРМЕТ ГРАМОТАСЫ", "awarded": "Партия осы куәлікпен", "for": "марапатталғанын растайды:",
           "branch": "Ұсынған филиал", "activity": "Белсенділігі", "decided": "Орталық аппараттың шешімі",
           "number": "Тіркеу нөмірі"},
    "ru": {"title": "СВИДЕТЕЛЬСТВО О НАГРАЖДЕНИИ", "awarded": "Партия настоящим удостоверяет, что",
           "for": "награждён(а):", "branch": "Представил филиал", "activity": "Деятельность",
           "decided": "Решение центрального аппарата", "number": "Регистрационный номер"},
}
_INK = (30, 30, 30)
_ACCENT = (0, 92, 153)


@dataclass(frozen=True, slots=True)
class Certificate:
    """What a certificate shows."""

    nomination_id: str
    member_name: str
    award: str
    branch_kato: str
    activity: str
    decided_on: date


def render_certificate(cert: Certificate, lang: str) -> bytes:
    """The certificate in ``lang`` (``kk`` or ``ru``) as PDF bytes."""

    if lang not in LANGUAGES:
        raise InputError(f"a certificate is printed in {' or '.join(LANGUAGES)}", parameter="lang")
    award = AWARDS.get(cert.award)
    if award is None:
        raise InputError(f"unknown award {cert.award!r}", parameter="award")
    words = TEXT[lang]
    pdf = dejavu_pdf(title=f"{words['title']}: {cert.member_name}", lang=lang, orientation="L")
    pdf.add_page()
    pdf.set_draw_color(*_ACCENT)
    pdf.set_line_width(1.2)
    pdf.rect(8, 8, pdf.w - 16, pdf.h - 16)
    pdf.set_y(28)
    pdf.set_text_color(*_ACCENT)
    pdf.set_font("DejaVu", "B", 26)
    pdf.cell(0, 14, words["title"], align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_text_color(*_INK)
    pdf.set_font("DejaVu", "", 14)
    pdf.ln(6)
    pdf.cell(0, 8, words["awarded"], align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("DejaVu", "B", 22)
    pdf.multi_cell(0, 12, cert.member_name, align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("DejaVu", "", 14)
    pdf.cell(0, 8, words["for"], align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("DejaVu", "B", 18)
    pdf.multi_cell(0, 10, award.name(lang), align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(6)
    pdf.set_font("DejaVu", "", 11)
    place = territory_name(cert.branch_kato, lang)
    pdf.multi_cell(0, 6, f"{words['branch']}: {place} ({cert.branch_kato})", align="C",
                   new_x="LMARGIN", new_y="NEXT")
    activity = cert.activity if len(cert.activity) <= 600 else cert.activity[:597] + "…"
    pdf.multi_cell(0, 6, f"{words['activity']}: {activity}", align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(4)
    pdf.cell(0, 6, f"{words['decided']}: {cert.decided_on.isoformat()}", align="C", new_x="LMARGIN",
             new_y="NEXT")
    pdf.set_font("DejaVu", "", 9)
    pdf.cell(0, 6, f"{words['number']}: {cert.nomination_id}", align="C", new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())
