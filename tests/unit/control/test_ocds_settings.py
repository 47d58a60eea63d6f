"""Cardinal's INI settings: case-sensitive keys, dotted sections as nested tables, errors with file and line."""

from __future__ import annotations

from pathlib import Path

import pytest

from tandau.core.control.procurement import ProcurementSettings, settings_from_tables
from tandau.errors import InputError
from tandau.io.ocds import parse_settings, read_settings


def test_keys_keep_their_case_and_dotted_sections_nest() -> None:
    tables = parse_settings("[R003]\nthreshold = 10\n[R003.procurement_method_details]\nEmergency = 5\nemergency = 7\n")
    assert tables == {"R003": {"threshold": "10", "procurement_method_details": {"Emergency": "5", "emergency": "7"}}}
    settings = settings_from_tables(tables)
    assert dict(settings.r003_details) == {"Emergency": 5, "emergency": 7}


def test_globals_comments_quotes_and_pipes() -> None:
    text = ("; a comment\n# another\ncurrency = USD\nno_price_comparison_procurement_methods = \"NPC|Random\"\n"
            "[exclusions]\nprocurement_method_details = EXC ; inline comment\n[R018]\nprocurement_methods = open|\n")
    settings = settings_from_tables(parse_settings(text))
    assert settings.currency == "USD"
    assert settings.no_price_comparison == {"NPC", "Random"}
    assert settings.excluded_details == {"EXC"}
    assert settings.r018_methods == {"open"}
    assert settings.enabled == {"R018"}


def test_defaults_of_each_indicator() -> None:
    settings = settings_from_tables(parse_settings("[R003]\n[R018]\n[R025]\n[R035]\n[R038]\n[R048]\n"))
    assert (settings.r003_threshold, settings.r003_methods, settings.r018_methods) == (15, frozenset(),
                                                                                       {"open", "selective"})
    assert (settings.r025_percentile, settings.r035_threshold) == (75, 1)
    assert (settings.r038_minimum_bids, settings.r038_minimum_processes) == (2, 2)
    assert (settings.r048_digits, settings.r048_minimum_processes, settings.r048_threshold) == (2, 20, None)
    assert ProcurementSettings.all_indicators().enabled == {
        "R003", "R018", "R024", "R025", "R028", "R030", "R035", "R036", "R038", "R048", "R058"}


def test_r035_threshold_is_at_least_one() -> None:
    assert settings_from_tables({"R035": {"threshold": "0"}}).r035_threshold == 1


def test_prepare_sections_are_ignored_and_r044_warns() -> None:
    settings = settings_from_tables(parse_settings("[defaults]\ncurrency = USD\n[codelists.bid_status]\n"
                                                   "qualified = valid\n[R044]\n"))
    assert settings.enabled == frozenset()
    assert any("R044" in w for w in settings.warnings)


@pytest.mark.parametrize(("text", "message"), [
    ("[r003]\n", "unknown section or key 'r003'"),
    ("[R003]\nThreshold = 1\n", "unknown key 'Threshold' in [R003]"),
    ("[R003]\nthreshold = ten\n", "[R003] threshold must be an integer"),
    ("[R038]\nminimum_submitted_bids = -1\n", "must be a natural number"),
    ("[R024]\nthreshold = x\n", "must be a decimal number"),
    ("[exclusions]\nprocurement_methods = x\n", "unknown key 'procurement_methods' in [exclusions]"),
    ("[R003]\nprocurement_method_details = 5\n", "must be a section [R003.procurement_method_details]"),
])
def test_bad_settings_name_the_key(text: str, message: str) -> None:
    with pytest.raises(InputError, match=message.replace("[", r"\[").replace("]", r"\]")):
        settings_from_tables(parse_settings(text), file="s.ini")


def test_syntax_errors_name_file_line_and_column(tmp_path: Path) -> None:
    path = tmp_path / "s.ini"
    path.write_text("[R003]\n  threshold\n", encoding="utf-8")
    with pytest.raises(InputError) as info:
        read_settings(path)
    assert (info.value.file, info.value.row, info.value.column) == (str(path), 2, "3")
    with pytest.raises(InputError, match="not found"):
        read_settings(tmp_path / "missing.ini")
