"""``tandau programmes render``: the PDF opens, its text can be extracted (Kazakh letters, the commitments' texts,
the councils' names, page numbers), sections come in the theme order, charts are drawn, both languages; bad input
exits 2 naming file, row and column, and writes nothing."""

from __future__ import annotations

import io
import re
from decimal import Decimal
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tandau.cli.main import app
from tandau.core.programmes import Commitment, Programme
from tandau.io import pdf_fonts
from tandau.io.programme_csv import COLUMNS, read_programme
from tandau.io.programme_pdf import format_kzt, format_kzt_short, format_number, render_programme_pdf

pypdf = pytest.importorskip("pypdf")

VECTORS = Path(__file__).resolve().parents[2] / "vectors" / "programmes"
CLEAN = VECTORS / "clean.csv"
KAZAKH_LETTERS = "әғқңөұүһі"
HEADER = ",".join((*COLUMNS, "kind"))
ROWS = (
    "A-1,591000000,education,Әділ ғылым: мектеп құрылысы,Строительство школы,schools_built,мектеп,0,2022,2,"
    "2027-12-31,increase,2500000000,Республикалық бюджет,Білім бөлімі,DP-59-edu,P-1,cumulative",
    "A-2,591000000,water,Ұлы өзен жағасында ңғ үй һәм су,Вода для домов у реки,houses_watered,үй,10,2022,400,"
    "2026-06-30,increase,750000000,Жергілікті бюджет,Тұрғын үй бөлімі,DP-59-water,,cumulative",
    "A-3,591000000,roads,,Только русский текст о дорогах,roads_repaired,км,5,2022,25,2027-12-31,increase,"
    "1200000000,местный бюджет,Отдел дорог,DP-59-roads,P-2,cumulative",
)


def run(*args: str):  # type: ignore[no-untyped-def]
    return CliRunner().invoke(app, ["programmes", *args])


def write_programme(tmp_path: Path, *rows: str, name: str = "PROGRAMME.csv") -> Path:
    path = tmp_path / name
    path.write_text("\n".join((HEADER, *rows)) + "\n", encoding="utf-8")
    return path


def pages_text(data: bytes) -> list[str]:
    reader = pypdf.PdfReader(io.BytesIO(data))
    return [page.extract_text() for page in reader.pages]


def render_cli(source: Path, lang: str, out: Path) -> bytes:
    result = run("render", str(source), "--lang", lang, "--out", str(out))
    assert result.exit_code == 0, result.output
    return out.read_bytes()


def test_kazakh_pdf_opens_and_its_text_has_the_kazakh_letters_and_commitments(tmp_path: Path) -> None:
    data = render_cli(write_programme(tmp_path, *ROWS), "kk", tmp_path / "out.pdf")
    assert data.startswith(b"%PDF")
    reader = pypdf.PdfReader(io.BytesIO(data))
    assert reader.trailer["/Root"]["/Lang"] == "kk"
    assert reader.metadata.title == "Сайлауалды бағдарлама: Петропавл қалалық мәслихаты"
    text = "\n".join(pages_text(data))
    for letter in KAZAKH_LETTERS:
        assert letter in text, letter
    for wording in ("Әділ ғылым: мектеп құрылысы", "Ұлы өзен жағасында ңғ үй һәм су"):
        assert wording in text
    # the council's name on the title page, in Kazakh, from the territory data
    assert "Петропавл қалалық мәслихаты" in pages_text(data)[0]
    # a commitment without Kazakh text shows its Russian one, marked
    assert "Только русский текст о дорогах" in text and "қазақ тіліндегі мәтіні жоқ" in text
    assert "2 500 000 000 теңге" in text.replace("\xa0", " ")
    # every bookmark is a section, in the theme order
    assert [item["/Title"] for item in reader.outline] == ["Сумен жабдықтау", "Жолдар", "Білім беру"]


def test_russian_pdf_of_the_clean_vector(tmp_path: Path) -> None:
    data = render_cli(CLEAN, "ru", tmp_path / "ru.pdf")
    reader = pypdf.PdfReader(io.BytesIO(data))
    assert reader.trailer["/Root"]["/Lang"] == "ru"
    pages = pages_text(data)
    title = pages[0]
    for council in ("Северо-Казахстанский областной маслихат", "Маслихат города Петропавловск",
                    "Айыртауский районный маслихат"):
        assert council in title
    text = "\n".join(pages).replace("\xa0", " ")
    for commitment in read_programme(CLEAN).commitments:
        assert commitment.text_ru in text
        assert commitment.responsible in text
    assert "Ремонт областных дорог" in text and "120 (2022) → 200 km к 2027-12-31 (увеличение)" in text
    assert "Общий бюджет: 20 100 000 000 тенге" in title.replace("\xa0", " ")
    # sections in the theme order (water before roads before health), page numbers "n of N"
    assert text.index("Водоснабжение\n") < text.index("Дороги\n") < text.index("Здравоохранение\n")
    assert [p.strip().splitlines()[-1] for p in pages] == [f"Стр. {n} из {len(pages)}" for n in
                                                         range(1, len(pages) + 1)]


def test_the_budget_chart_is_drawn_to_scale(tmp_path: Path) -> None:
    """The title page's bars (rectangles filled in the bar colour) are proportional to the sections' budgets:
    water 12 bn, roads 7.8 bn, health 0.3 bn in the clean vector."""
    data = render_programme_pdf(read_programme(CLEAN), "kk")
    content = pypdf.PdfReader(io.BytesIO(data)).pages[0].get_contents().get_data().decode("latin-1")
    bar_colour = re.search(r"0\.051\d* 0\.431\d* 0\.992\d* rg", content)  # (13, 110, 253)
    assert bar_colour is not None
    blue = content[bar_colour.start():]
    widths = [float(w) for w in re.findall(r"[\d.]+ [\d.]+ ([\d.]+) -?[\d.]+ re f", blue)]
    assert len(widths) == 3
    assert widths[1] / widths[0] == pytest.approx(7.8 / 12, rel=1e-3)
    assert widths[2] / widths[0] == pytest.approx(0.3 / 12, rel=1e-2)


def test_unknown_territory_falls_back_to_its_code() -> None:
    c = Commitment("X-1", "999900000", "other", "Қала", "", "i", "pcs", Decimal(1), 2022, Decimal(2), None)
    text = "\n".join(pages_text(render_programme_pdf(Programme((c,), "api"), "kk")))
    assert "M-9999 (999900000)" in text and "X-1 · 999900000" in text


def test_formats() -> None:
    assert format_number(Decimal("4500000000"), "kk") == "4\xa0500\xa0000\xa0000"
    assert format_number(Decimal("-1234.50"), "ru") == "-1\xa0234,5"
    assert format_number(Decimal("0.000"), "ru") == "0"
    assert format_kzt(Decimal(1500), "ru") == "1\xa0500\xa0тенге" and format_kzt(None, "kk") == "—"
    assert format_kzt_short(Decimal("7800000000"), "kk") == "7,8\xa0млрд"
    assert format_kzt_short(Decimal("300000000"), "ru") == "300\xa0млн"
    assert format_kzt_short(Decimal("950"), "ru") == "950"


def test_bad_row_exits_2_naming_file_row_and_column_and_writes_nothing(tmp_path: Path) -> None:
    bad = ROWS[1].replace(",water,", ",rivers,")
    source = write_programme(tmp_path, ROWS[0], bad, name="BAD.csv")
    out = tmp_path / "out.pdf"
    result = run("render", str(source), "--lang", "kk", "--out", str(out))
    assert result.exit_code == 2
    assert "BAD.csv" in result.output and "row 3" in result.output and "section" in result.output
    assert sorted(p.name for p in tmp_path.iterdir()) == ["BAD.csv"]


def test_a_failed_render_keeps_the_old_file(tmp_path: Path) -> None:
    out = tmp_path / "out.pdf"
    out.write_bytes(b"old")
    source = write_programme(tmp_path, ROWS[0].replace("591000000", "123"))
    result = run("render", str(source), "--lang", "ru", "--out", str(out))
    assert result.exit_code == 2 and "territory" in result.output
    assert out.read_bytes() == b"old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["PROGRAMME.csv", "out.pdf"]


@pytest.mark.parametrize("lang", ["en", "KK", ""])
def test_a_language_other_than_kk_or_ru_exits_2(tmp_path: Path, lang: str) -> None:
    out = tmp_path / "out.pdf"
    result = run("render", str(CLEAN), "--lang", lang, "--out", str(out))
    assert result.exit_code == 2 and "--lang" in result.output
    assert not out.exists()


def test_missing_file_folder_or_font_exits_2(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    missing = run("render", str(tmp_path / "nope.csv"), "--lang", "kk", "--out", str(tmp_path / "a.pdf"))
    assert missing.exit_code == 2 and "nope.csv" in missing.output
    folder = run("render", str(CLEAN), "--lang", "kk", "--out", str(tmp_path / "no" / "a.pdf"))
    assert folder.exit_code == 2 and "folder does not exist" in folder.output
    into_folder = run("render", str(CLEAN), "--lang", "kk", "--out", str(tmp_path))
    assert into_folder.exit_code == 2
    monkeypatch.setattr(pdf_fonts, "FONT_CANDIDATES", (tmp_path / "none.ttf",))
    font = run("render", str(CLEAN), "--lang", "kk", "--out", str(tmp_path / "a.pdf"))
    assert font.exit_code == 2 and "fonts-dejavu-core" in font.output
    assert list(tmp_path.iterdir()) == []
