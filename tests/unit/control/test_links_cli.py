"""``tandau control link``: RELEASES.jsonl + RULES.csv -> LINKS.csv, corrected by the user and kept on a re-run."""

from __future__ import annotations

import csv
import gzip
import io
import json
from pathlib import Path

from typer.testing import CliRunner

from tandau.cli.main import build_app

ALMATY, ASTANA = "750000000", "710000000"
RULES = f"""programme,indicator,region,buyer_id,classification
roads,km,,,4521
water,pipes,{ALMATY},,
schools,seats,,B3,8012
housing,flats,,B3,4521
"""


def rel(ocid: str, buyer: str, region: str, cls: str, amount: int) -> dict[str, object]:
    return {"ocid": ocid, "buyer": {"id": buyer, "name": f"Әкімдік {buyer}"},
            "parties": [{"id": buyer, "roles": ["buyer"], "address": {"region": region}}],
            "tender": {"items": [{"classification": {"scheme": "CPV", "id": cls}}]},
            "contracts": [{"status": "active", "value": {"amount": amount, "currency": "KZT"}}]}


RELEASES = [
    rel("o1", "B1", "751110000", "45210000-2", 100),  # roads (prefix beats Almaty's region rule)
    rel("o2", "B2", ALMATY, "30000000", 20),  # water, by region
    rel("o3", "B3", ASTANA, "80120000", 7),  # schools, by buyer
    rel("o4", "B2", ASTANA, "30000000", 1),  # unmatched
]


def invoke(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(build_app(), ["control", "link", *args])
    return result.exit_code, result.stdout, result.stderr


def rows(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text.lstrip("\ufeff"))))


def files(tmp_path: Path, releases: list[object], extra: tuple[str, ...] = ()) -> tuple[Path, Path]:
    data = tmp_path / "releases.jsonl"
    data.write_text("\n".join([*(json.dumps(r, ensure_ascii=False) for r in releases), *extra]) + "\n",
                    encoding="utf-8")
    rules = tmp_path / "rules.csv"
    rules.write_text(RULES, encoding="utf-8")
    return data, rules


def test_end_to_end_on_stdout_with_summary_and_warnings(tmp_path: Path) -> None:
    data, rules = files(tmp_path, [*RELEASES, [1]], ("{oops", ""))
    code, out, err = invoke(str(data), "--rules", str(rules))
    assert code == 0, err
    got = {r["ocid"]: r for r in rows(out)}
    assert list(got) == ["o1", "o2", "o3", "o4"]
    assert {k: got["o1"][k] for k in ("region", "programme", "indicator", "amount_kzt", "status", "rule")} == {
        "region": ALMATY, "programme": "roads", "indicator": "km", "amount_kzt": "100", "status": "linked",
        "rule": "2"}
    assert got["o1"]["buyer_name"] == "Әкімдік B1"
    assert (got["o2"]["programme"], got["o2"]["rule"]) == ("water", "3")
    assert (got["o3"]["programme"], got["o3"]["rule"]) == ("schools", "4")
    assert (got["o4"]["status"], got["o4"]["programme"]) == ("unmatched", "")
    assert "line 6, column 2" in err and "invalid JSON, line skipped" in err
    assert "6 line(s), 4 process(es): linked 3, ambiguous 0, unmatched 1, manual 0; 127 KZT linked" in err
    assert "skipped (not an object: 1); 1 invalid line(s) skipped" in err


def test_corrections_survive_a_rerun_and_out_is_written(tmp_path: Path) -> None:
    data, rules = files(tmp_path, RELEASES)
    links = tmp_path / "LINKS.csv"
    code, out, err = invoke(str(data), "--rules", str(rules), "--out", str(links))
    assert (code, out) == (0, ""), err
    table = rows(links.read_text(encoding="utf-8"))
    table[3].update(programme="water", indicator="pipes", status="manual", note="Astana's pipes, checked")
    table[0].update(programme="", indicator="", status="manual")  # unlinked by the user
    with links.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(table[0]))
        writer.writeheader()
        writer.writerows(table)
    # a re-run without the corrections would lose them: refused, the file untouched
    before = links.read_bytes()
    code, _, err = invoke(str(data), "--rules", str(rules), "--out", str(links))
    assert code == 2 and "holds 2 manual row(s)" in err and links.read_bytes() == before
    # new releases and a new rule: the manual rows are kept, the others recomputed
    data, _ = files(tmp_path, [*RELEASES[1:], rel("o5", "B3", ASTANA, "45210000", 3)])
    (tmp_path / "rules.csv").write_text(RULES + "water,pipes,,B2,\n", encoding="utf-8")
    code, _, err = invoke(str(data), "--rules", str(rules), "--corrections", str(links), "--out", str(links))
    assert code == 0, err
    got = {r["ocid"]: r for r in rows(links.read_text(encoding="utf-8"))}
    assert list(got) == ["o2", "o3", "o4", "o5", "o1"]
    assert (got["o4"]["programme"], got["o4"]["status"], got["o4"]["note"]) == ("water", "manual",
                                                                                "Astana's pipes, checked")
    assert (got["o1"]["programme"], got["o1"]["status"]) == ("", "manual")
    assert got["o1"]["note"] == "amount of 1 signed contract(s); not in the releases of this run"
    assert (got["o2"]["rule"], got["o5"]["programme"]) == ("6", "housing")  # buyer B2 beats Almaty's region
    assert "linked 3, ambiguous 0, unmatched 0, manual 2; 31 KZT linked; 1 manual row(s) kept whose ocid is in no " \
           "release" in err


def test_gzip_input(tmp_path: Path) -> None:
    data, rules = files(tmp_path, RELEASES)
    packed = tmp_path / "releases.data"
    packed.write_bytes(gzip.compress(data.read_bytes()))
    code, out, _ = invoke(str(packed), "--rules", str(rules))
    assert code == 0 and len(rows(out)) == 4
    rules.write_text("programme,indicator,region,buyer_id,classification\nroads,km,,B9,\n", encoding="utf-8")
    code, out, err = invoke(str(packed), "--rules", str(rules))
    assert code == 0 and "linked 0, ambiguous 0, unmatched 4, manual 0; 0 KZT linked" in err


def test_errors_write_nothing(tmp_path: Path) -> None:
    data, rules = files(tmp_path, RELEASES)
    links = tmp_path / "LINKS.csv"
    bad_rules = tmp_path / "bad.csv"
    bad_rules.write_text("programme,indicator,region,buyer_id,classification\nroads,km,Almaty,,\n", encoding="utf-8")
    code, out, err = invoke(str(data), "--rules", str(bad_rules), "--out", str(links))
    assert (code, out) == (2, "")
    assert "bad.csv, row 2, column 'region': unknown region 'Almaty'" in err
    bad_links = tmp_path / "old.csv"
    bad_links.write_text("ocid,buyer_id,buyer_name,region,programme,indicator,amount_kzt,status,rule,note\n"
                         "o1,,,,roads,km,,unmatched,,\n", encoding="utf-8")
    code, _, err = invoke(str(data), "--rules", str(rules), "--corrections", str(bad_links), "--out", str(links))
    assert code == 2 and "old.csv, row 2, column 'status'" in err
    code, _, err = invoke(str(data), "--rules", str(rules), "--out", str(tmp_path / "LINKS.xlsx"))
    assert code == 2 and "parameter --out: --out writes CSV, not a workbook: name it LINKS.csv" in err
    code, _, err = invoke(str(tmp_path / "none.jsonl"), "--rules", str(rules), "--out", str(links))
    assert code == 2 and "releases file not found" in err
    broken = tmp_path / "broken.jsonl.gz"
    broken.write_bytes(gzip.compress(b'{"ocid": "x"}\n')[:-6])
    code, _, err = invoke(str(broken), "--rules", str(rules), "--out", str(links))
    assert code == 2 and "not a valid gzip file" in err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bad.csv", "broken.jsonl.gz", "old.csv", "releases.jsonl",
                                                          "rules.csv"]


def test_help_names_the_command() -> None:
    result = CliRunner().invoke(build_app(), ["control", "--help"])
    assert result.exit_code == 0 and "link" in result.stdout
