"""Cardinal's own test fixtures (../shared/data/ocds/cardinal): every case gives exactly the expected result.

The settings of a case come from its file name, as the fixtures' README says: ``R003-threshold-10`` is ``[R003]
threshold = 10``; ``R003-procurement_method_details-x-5-y-10`` a section ``[R003.procurement_method_details]`` with
``x = 5`` and ``y = 10``; ``open+selective`` is ``open|selective``; one suffix (``R038-tenderer``) names a case with
the defaults. Every case also has the two globals (``no_price_comparison_procurement_methods = NPC`` and
``[exclusions] procurement_method_details = EXC``). Under ``CI=true`` a missing fixture directory fails.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tandau.cli.main import build_app
from tandau.core.control.procurement import compute_flags, settings_from_tables
from tandau.io.ocds import iter_release_lines, parse_release, read_release_bytes, read_settings

FIXTURES = Path(__file__).resolve().parents[4] / "shared" / "data" / "ocds" / "cardinal"
INDICATORS = FIXTURES / "indicators"
CASES = sorted(p.stem for p in INDICATORS.glob("*.jsonl")) if INDICATORS.is_dir() else []
GLOBALS = ["no_price_comparison_procurement_methods = NPC", "[exclusions]", "procurement_method_details = EXC"]


def _need_fixtures() -> None:
    if not CASES:
        why = f"Cardinal's fixtures not found in {INDICATORS}"
        if os.environ.get("CI") == "true":
            pytest.fail(why + ": they may not be skipped under CI=true", pytrace=False)
        pytest.skip(why)


def settings_text(stem: str) -> str:
    """The INI settings file that a case's name describes.

    >>> print(settings_text("R003-procurement_method_details-x-5-y-10").splitlines()[3:])
    ['[R003]', '[R003.procurement_method_details]', 'x = 5', 'y = 10']
    """
    code, *rest = stem.split("-")
    lines = [*GLOBALS, f"[{code}]"]
    if len(rest) >= 2:
        if len(rest) % 2 == 1:
            lines.append(f"[{code}.{rest[0]}]")
            rest = rest[1:]
        lines += [f"{key} = {value.replace('+', '|')}" for key, value in zip(rest[::2], rest[1::2], strict=True)]
    return "\n".join(lines) + "\n"


def test_the_fixtures_are_there() -> None:
    _need_fixtures()
    assert {stem.split("-")[0] for stem in CASES} == {
        "R003", "R018", "R024", "R025", "R028", "R030", "R035", "R036", "R038", "R048", "R058"}


@pytest.mark.parametrize("stem", CASES or ["(none)"])
def test_fixture_gives_the_expected_result(stem: str, tmp_path: Path) -> None:
    _need_fixtures()
    ini = tmp_path / f"{stem}.ini"
    ini.write_text(settings_text(stem), encoding="utf-8")
    settings = settings_from_tables(read_settings(ini), file=str(ini))
    data = read_release_bytes(INDICATORS / f"{stem}.jsonl")
    releases = [parse_release(line) for _, line in iter_release_lines(data)]
    expected = json.loads((INDICATORS / f"{stem}.expected").read_text(encoding="utf-8"))
    assert compute_flags(releases, settings).as_dict(meta=False) == expected


@pytest.mark.parametrize("stem", CASES or ["(none)"])
def test_fixture_through_the_cli(stem: str, tmp_path: Path) -> None:
    _need_fixtures()
    ini = tmp_path / "settings.ini"
    ini.write_text(settings_text(stem), encoding="utf-8")
    result = CliRunner().invoke(build_app(), ["control", "flags", str(INDICATORS / f"{stem}.jsonl"),
                                              "--settings", str(ini), "--format", "json"])
    assert result.exit_code == 0, result.output
    out = json.loads(result.stdout)
    assert set(out.pop("Meta")) <= {stem.split("-")[0]}
    assert out == json.loads((INDICATORS / f"{stem}.expected").read_text(encoding="utf-8"))


def test_the_documentation_examples_run(tmp_path: Path) -> None:
    """The examples of Cardinal's documentation (no expected files): each runs and flags its own indicator or
    nothing, with its own settings file or the layout file."""
    _need_fixtures()
    examples = FIXTURES / "examples"
    layout = settings_from_tables(read_settings(examples / "settings.ini"))
    assert len(layout.enabled) == 11
    for path in sorted(examples.glob("*.jsonl")):
        ini = path.with_suffix(".ini")
        settings = settings_from_tables(read_settings(ini)) if ini.exists() else layout
        releases = [parse_release(line) for _, line in iter_release_lines(read_release_bytes(path))]
        result = compute_flags(releases, settings).as_dict(meta=False)
        codes = {code for group in result.values() for values in group.values() for code in values}  # type: ignore[attr-defined]
        assert codes <= {"R" + path.stem}, (path.name, result)
