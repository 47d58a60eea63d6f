"""Languages: every msgid translated to Kazakh and Russian, switch and cookie, Accept-Language, formatting."""

from __future__ import annotations

from pathlib import Path

import tandau.web
from tandau.web.i18n import LANG_COOKIE, catalogue, extract_messages, fmt_date, fmt_number, make_ngettext

from .conftest import WebClient

WEB = Path(tandau.web.__file__).parent
#: the modules outside web/ that speak the reader's language (formats and services the CLI and the background
#: jobs share with the pages)
SPEAKING_IO = sorted(p for p in WEB.parent.rglob("*.py")
                     if WEB not in p.parents and "tandau.io.catalogues import" in p.read_text(encoding="utf-8"))


def test_every_string_is_translated() -> None:
    assert {"reasons.py", "control_text.py", "report_pdf.py", "exports.py"} <= {p.name for p in SPEAKING_IO}
    used = extract_messages([WEB, *SPEAKING_IO])
    assert len(used) > 50
    for lang in ("kk", "ru"):
        table = catalogue(lang)
        missing = {m: where for m, where in used.items() if m not in table}
        assert not missing, f"untranslated in {lang}: {missing}"


def test_the_extractor_finds_python_and_template_strings(tmp_path: Path) -> None:
    (tmp_path / "a.py").write_text('x = _("Alpha")\ny = N_("Beta")\n', encoding="utf-8")
    (tmp_path / "b.html").write_text('{{ _("Gamma") }} {{ ngettext("%(num)d d", "%(num)d ds", n) }}', encoding="utf-8")
    assert set(extract_messages([tmp_path])) == {"Alpha", "Beta", "Gamma", "%(num)d d"}


def test_language_switch_is_remembered(client: WebClient) -> None:
    r = client.get("/verify?lang=kk")
    assert 'lang="kk"' in r.text and "Бюллетень кодын тексеру" in r.text
    assert client.cookies.get(LANG_COOKIE) == "kk"
    assert "Бюллетень кодын тексеру" in client.get("/verify").text
    assert "Check a tracking code" in client.get("/verify?lang=en").text


def test_accept_language_and_fallback(client: WebClient) -> None:
    assert 'lang="kk"' in client.get("/", headers={"Accept-Language": "kk-KZ,ru;q=0.5"}).text
    assert 'lang="en"' in client.get("/", headers={"Accept-Language": "de, en;q=0.3"}).text
    assert 'lang="ru"' in client.get("/", headers={"Accept-Language": "de"}).text


def test_locale_aware_formatting() -> None:
    assert fmt_number(1234567, "en") == "1,234,567"
    assert fmt_number(1234.5, "ru") == "1\xa0234,5"
    from datetime import date

    assert fmt_date(date(2026, 3, 15), "ru", "long").startswith("15 марта 2026")
    n = make_ngettext("ru")
    assert [n("%(num)d ballot counted.", "%(num)d ballots counted.", k) for k in (1, 2, 5)] == [
        "Учтён 1 бюллетень.", "Учтено 2 бюллетеня.", "Учтено 5 бюллетеней."]
