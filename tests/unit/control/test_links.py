"""Contracting processes linked to programme items (issue 12, scope 5): matching, amounts, corrections, files."""

from __future__ import annotations

import itertools
import random
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from tandau.core.control.procurement.links import (
    AMOUNT_CHANGED,
    NOT_IN_RELEASES,
    Link,
    Rule,
    link_releases,
    linked_totals,
    status_counts,
)
from tandau.errors import InputError
from tandau.io.control_links import ReleaseFile, links_csv, manual_rows, read_links, read_rules, write_links

ALMATY, ASTANA, AKMOLA = "750000000", "710000000", "110000000"


def release(ocid: str, *, buyer: str | None = "B1", region: object = ALMATY, classes: tuple[str, ...] = (),
            tender: dict[str, Any] | None = None, awards: list[dict[str, Any]] | None = None,
            contracts: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    r: dict[str, Any] = {"ocid": ocid, "tender": dict(tender or {})}
    if buyer is not None:
        r["buyer"] = {"id": buyer, "name": f"Akimat {buyer}"}
        r["parties"] = [{"id": buyer, "roles": ["buyer"], "address": {} if region is None else {"region": region}}]
    if classes:
        r["tender"]["items"] = [{"id": str(i), "classification": {"scheme": "CPV", "id": c}}
                                for i, c in enumerate(classes)]
    if awards is not None:
        r["awards"] = awards
    if contracts is not None:
        r["contracts"] = contracts
    return r


def kzt(amount: object, currency: str = "KZT") -> dict[str, Any]:
    return {"amount": amount, "currency": currency}


def one(r: dict[str, Any], rules: list[Rule], **kw: Any) -> Link:
    (link,) = link_releases([r], rules, **kw)
    return link


# ----------------------------------------------------------------------------------------------- matching


def test_specificity_buyer_then_prefix_length_then_region() -> None:
    rules = [
        Rule("any", "i", row=2),
        Rule("region", "i", region=ALMATY, row=3),
        Rule("short", "i", classification="45", row=4),
        Rule("long", "i", classification="4521", row=5),
        Rule("long-here", "i", region=ALMATY, classification="4521", row=6),
        Rule("buyer", "i", buyer_id="B1", row=7),
    ]
    r = release("o", classes=("45210000-2",))
    assert (one(r, rules).programme, one(r, rules).rule) == ("buyer", "7")  # a buyer beats any prefix
    assert one(r, rules[:5]).programme == "long-here"  # same prefix: the region decides
    assert one(r, rules[:4]).programme == "long"  # longer prefix beats a region
    assert one(r, rules[:3]).programme == "short"  # any prefix beats a region alone
    assert one(r, rules[:2]).programme == "region"
    assert one(r, rules[:1]).programme == "any"
    other = release("o", buyer="B2", region=ASTANA, classes=("45100000",))
    assert one(other, rules).programme == "short"  # the buyer, region and 4521 rules do not apply


def test_specificity_agrees_with_a_brute_force_oracle() -> None:
    rng = random.Random(7)
    regions, buyers, prefixes = ["", ALMATY, ASTANA], ["", "B1", "B2"], ["", "4", "45", "452", "4521", "46", "3", "30"]
    criteria = list(itertools.product(regions, buyers, prefixes))
    seen = set()
    for _ in range(500):
        chosen = rng.sample(criteria, rng.randrange(1, 25))
        rules = [Rule(f"p{rng.randrange(3)}", "i", g, b, c, row=n) for n, (g, b, c) in enumerate(chosen, start=2)]
        r = release("o", buyer=rng.choice(["B1", "B2", "B3"]), region=rng.choice([ALMATY, ASTANA, None]),
                    classes=tuple(rng.sample(["45210000", "45100000", "46000000", "30000000"], rng.randrange(0, 3))))
        link = one(r, rules)
        seen.add(link.status)
        classes = [i["classification"]["id"] for i in r["tender"].get("items", [])]
        region = r["parties"][0]["address"].get("region", "")
        matching = [u for u in rules if u.region in ("", region) and u.buyer_id in ("", r["buyer"]["id"])
                    and (not u.classification or any(c.startswith(u.classification) for c in classes))]
        if not matching:
            assert (link.status, link.programme, link.rule) == ("unmatched", "", "")
            continue
        top = max(u.specificity for u in matching)
        best = [u for u in matching if u.specificity == top]
        assert link.rule == "|".join(str(u.row) for u in best)
        targets = {(u.programme, u.indicator) for u in best}
        if len(targets) == 1:
            assert (link.status, link.programme) == ("linked", best[0].programme)
        else:
            assert (link.status, link.programme, link.indicator) == ("ambiguous", "", "")
    assert seen == {"linked", "ambiguous", "unmatched"}


def test_ambiguous_lists_the_candidates() -> None:
    rules = [Rule("roads", "km", classification="4521", row=2), Rule("water", "pipes", classification="4523", row=3),
             Rule("roads", "km", classification="4524", row=4)]
    link = one(release("o", classes=("45210000", "45230000")), rules)
    assert (link.status, link.programme, link.rule) == ("ambiguous", "", "2|3")
    assert "candidates: roads/km (rule 2), water/pipes (rule 3)" in link.note
    same = one(release("o", classes=("45210000", "45240000")), rules)  # two rules, one target: linked
    assert (same.status, same.programme, same.rule) == ("linked", "roads", "2|4")


def test_unmatched_and_rules_that_need_a_classification() -> None:
    rules = [Rule("roads", "km", classification="4521"), Rule("water", "pipes", region=ASTANA)]
    link = one(release("o", classes=()), rules)
    assert (link.status, link.programme, link.indicator, link.rule) == ("unmatched", "", "", "")
    assert one(release("o", region=ASTANA), rules).rule == "2"  # no row: its position


def test_classifications_of_awards_and_contracts_not_additional_ones() -> None:
    rules = [Rule("roads", "km", classification="4521")]
    award = {"status": "cancelled", "items": [{"classification": {"id": " 45210000"}}]}
    assert one(release("o", awards=[award]), rules).status == "linked"
    contract = {"status": "pending", "items": [{"classification": {"id": 45210000}}]}  # an integer id too
    assert one(release("o", contracts=[contract]), rules).status == "linked"
    extra = release("o", classes=("30000000",))
    extra["tender"]["items"][0]["additionalClassifications"] = [{"id": "45210000"}]
    assert one(extra, rules).status == "unmatched"


# ------------------------------------------------------------------------------------------ buyer and region


def test_region_from_the_buyer_party() -> None:
    rules = [Rule("water", "pipes", region=ALMATY)]
    assert one(release("o"), rules).region == ALMATY
    district = one(release("o", region="751210000"), rules)  # a place in Almaty counts in Almaty
    assert (district.region, district.status) == (ALMATY, "linked")
    for bad, why in (("Almaty", "not a 9-digit KATO code"), (None, "no address.region"),
                     ("990000000", "in no known region"), (75, "not a 9-digit KATO code")):
        link = one(release("o", region=bad), rules, regions=(ALMATY, ASTANA))
        assert (link.region, link.status) == ("", "unmatched")
        assert why in link.note
    r = release("o")
    r["parties"].insert(0, {"id": "S1", "roles": ["supplier"], "address": {"region": ASTANA}})
    assert one(r, rules).region == ALMATY  # the buyer's party, not the first one
    del r["buyer"]  # no buyer: the party with the role buyer
    link = one(r, rules)
    assert (link.buyer_id, link.region, link.buyer_name) == ("B1", ALMATY, "")


def test_buyer_identifier_and_ocds_1_0_address() -> None:
    r = {"ocid": "o", "buyer": {"identifier": {"scheme": "KZ-BIN", "id": "123456789012"}, "name": "Akimat",
                                "address": {"region": "110000000"}}}
    link = one(r, [Rule("p", "i", buyer_id="123456789012", region=AKMOLA)])
    assert (link.buyer_id, link.region, link.status) == ("123456789012", AKMOLA, "linked")
    r2 = release("o", buyer="KZ-BIN-123456789012")
    r2["parties"][0]["identifier"] = {"scheme": "KZ-BIN", "id": "123456789012"}
    assert one(r2, [Rule("p", "i", buyer_id="123456789012")]).status == "linked"
    assert one(r2, [Rule("p", "i", buyer_id="KZ-BIN-123456789012")]).status == "linked"
    assert one(r2, [Rule("p", "i", buyer_id="B9")]).status == "unmatched"


# ------------------------------------------------------------------------------------------------- amounts


@pytest.mark.parametrize(("kw", "amount", "note"), [
    ({"contracts": [{"status": "active", "value": kzt(100)}, {"status": "terminated", "value": kzt("50.5")},
                    {"status": "cancelled", "value": kzt(999)}],
      "awards": [{"status": "active", "value": kzt(1)}], "tender": {"value": kzt(2)}},
     Decimal("150.5"), "amount of 2 signed contract(s)"),
    ({"contracts": [{"status": "pending", "value": kzt(100)}], "awards": [{"status": "active", "value": kzt(0.1)},
                                                                          {"status": "active", "value": kzt(0.2)}]},
     Decimal("0.3"), "amount of 2 active award(s)"),
    ({"contracts": [{"status": "active"}], "tender": {"value": kzt(7)}}, Decimal(7), "tender estimate"),
    ({"contracts": [{"status": "active", "value": kzt(5, "USD")}], "awards": [{"status": "active", "value": kzt(9)}]},
     None, "signed contracts in USD, not KZT"),
    ({"awards": [{"status": "active", "value": kzt(5)}, {"status": "active", "value": {"amount": "x"}}]},
     None, "1 of 2 active awards without a valid amount"),
    ({"awards": [{"status": "active", "value": {"amount": 5}}]}, None, "in no currency, not KZT"),
    ({"tender": {"value": kzt(7, "EUR")}}, None, "tender estimate in EUR"),
    ({"tender": {"status": "cancelled", "value": kzt(7)}}, None, "tender cancelled"),
    ({"tender": {"value": kzt(-7)}}, None, "no amount in the contracts, awards or tender"),
    ({"contracts": [{"status": ["active"], "value": kzt(1)}], "tender": {"value": kzt(True)}}, None, "no amount in"),
])
def test_amount_fallbacks(kw: dict[str, Any], amount: Decimal | None, note: str) -> None:
    link = one(release("o", **kw), [Rule("p", "i")])
    assert link.amount_kzt == amount
    assert note in link.note


def test_linked_totals_and_counts() -> None:
    rules = [Rule("roads", "km", classification="4521"), Rule("water", "pipes", classification="4523"),
             Rule("water", "pipes", classification="4524")]
    releases = [
        release("a", classes=("45210000",), tender={"value": kzt(100)}),
        release("b", classes=("45210000",), region=ASTANA, tender={"value": kzt(10)}),
        release("c", classes=("45210000",), tender={"value": kzt(1)}),
        release("d", classes=("45210000", "45230000"), tender={"value": kzt(1000)}),  # ambiguous: not counted
        release("e", classes=("45230000",), tender={"value": kzt(5, "USD")}),  # no amount
        release("f", classes=("45240000",), region="x", tender={"value": kzt(3)}),  # unknown region
    ]
    links = link_releases(releases, rules)
    assert linked_totals(links) == {("roads", "km", ALMATY): Decimal(101), ("roads", "km", ASTANA): Decimal(10),
                                    ("water", "pipes", ""): Decimal(3)}
    manual = Link("d", "B1", "", ALMATY, "water", "pipes", Decimal(4), "manual", "", "")
    totals = linked_totals(link_releases(releases, rules, [manual]))
    assert totals[("water", "pipes", ALMATY)] == Decimal(4)
    assert status_counts(links) == {"linked": 5, "ambiguous": 1, "unmatched": 0, "manual": 0}


def test_a_repeated_ocid_keeps_the_last_release() -> None:
    links = link_releases([release("a", tender={"value": kzt(1)}), release("b"), release("a", tender={
        "value": kzt(2)}), [1], {"ocid": 5}], [Rule("p", "i")])
    assert [(k.ocid, k.amount_kzt) for k in links] == [("a", Decimal(2)), ("b", None)]
    assert links[0].note.startswith("2 releases with this ocid: the last one is used")


# ----------------------------------------------------------------------------------------------- corrections


def test_manual_rows_survive_a_rerun_with_new_rules_and_releases() -> None:
    rules = [Rule("roads", "km", classification="4521")]
    first = link_releases([release("a", classes=("45210000",), tender={"value": kzt(5)}),
                           release("b", classes=("30000000",)), release("c", classes=("45210000",))], rules)
    edited = [replace_link(first[0], programme="water", indicator="pipes", region=ASTANA, status="manual",
                           note="checked with the akimat"),
              replace_link(first[1], programme="schools", indicator="seats", status="manual"),
              replace_link(first[2], programme="", indicator="", status="manual"),  # unlinked by the user
              Link("gone", "B1", "", ALMATY, "roads", "km", Decimal(9), "manual", "", "")]
    new_rules = [*rules, Rule("housing", "flats", buyer_id="B1")]
    again = link_releases([release("a", classes=("45210000",), tender={"value": kzt(6)}),
                           release("b", classes=("30000000",)), release("c", classes=("45210000",)),
                           release("d", classes=("30000000",))], new_rules, edited)
    by = {k.ocid: k for k in again}
    assert [k.ocid for k in again] == ["a", "b", "c", "d", "gone"]
    assert (by["a"].programme, by["a"].region, by["a"].status, by["a"].amount_kzt) == ("water", ASTANA, "manual",
                                                                                        Decimal(5))
    assert by["a"].note == f"checked with the akimat; {AMOUNT_CHANGED}6"
    assert (by["b"].programme, by["b"].status, by["b"].note) == ("schools", "manual", edited[1].note)
    assert (by["c"].programme, by["c"].status) == ("", "manual")
    assert (by["d"].programme, by["d"].status) == ("housing", "linked")
    assert (by["gone"].status, by["gone"].note) == ("manual", NOT_IN_RELEASES)
    third = link_releases([release("a", classes=("45210000",), tender={"value": kzt(5)})], new_rules, again)
    by = {k.ocid: k for k in third}
    assert by["a"].note == "checked with the akimat"  # the remark goes when the amount agrees again
    assert by["gone"].note == NOT_IN_RELEASES  # not repeated
    assert by["b"].note == f"{edited[1].note}; {NOT_IN_RELEASES}"
    assert linked_totals(third)[("water", "pipes", ASTANA)] == Decimal(5)


def test_non_manual_corrections_are_recomputed() -> None:
    stale = Link("a", "B1", "", ALMATY, "old", "x", Decimal(1), "linked", "9", "")
    (link,) = link_releases([release("a")], [Rule("new", "y")], [stale])
    assert (link.programme, link.status, link.rule) == ("new", "linked", "1")


def replace_link(link: Link, **changes: Any) -> Link:
    from dataclasses import replace

    return replace(link, **changes)


# ----------------------------------------------------------------------------------------------------- files


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def test_rules_file_reads_and_refuses_with_row_and_column(tmp_path: Path) -> None:
    header = "Programme;Indicator;Region;Buyer_ID;Classification;comment\n"
    good = write(tmp_path / "rules.csv", header + f"roads;km;;;4521;x\n\nwater;pipes;{ALMATY};B1;;\n")
    assert read_rules(good) == (Rule("roads", "km", "", "", "4521", 2), Rule("water", "pipes", ALMATY, "B1", "", 4))
    cases = [
        ("roads;;;;45\n", "row 2, column 'indicator': empty"),
        ("roads;km;;;45\nwater;pipes;;;45\n", "row 3, column 'classification': the same region, buyer_id and "
                                              "classification as row 2"),
        ("roads;km;123;;\n", "row 2, column 'region': unknown region '123'"),
        ("roads;km;KZ;;\n", "row 2, column 'region': KZ is not a buyer's region"),
        ("", "no rules in the file"),
    ]
    for body, message in cases:
        with pytest.raises(InputError) as caught:
            read_rules(write(tmp_path / "bad.csv", header + body))
        assert str(caught.value).startswith("bad.csv")
        assert message in str(caught.value)
    with pytest.raises(InputError, match=r"bad.csv, row 1, column 'classification': missing column"):
        read_rules(write(tmp_path / "bad.csv", "programme,indicator,region,buyer_id\n"))


def test_rules_and_corrections_from_xlsx(tmp_path: Path) -> None:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["programme", "indicator", "region", "buyer_id", "classification"])
    sheet.append(["roads", "km", 750000000, None, 4521])
    book.save(tmp_path / "rules.xlsx")
    assert read_rules(tmp_path / "rules.xlsx") == (Rule("roads", "km", ALMATY, "", "4521", 2),)
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["ocid", "buyer_id", "buyer_name", "region", "programme", "indicator", "amount_kzt", "status",
                  "rule", "note"])
    sheet.append(["o1", 123456789012, "Әкімдік", 750000000, "roads", "km", 1500.25, "manual", None, "'=x"])
    book.save(tmp_path / "LINKS.xlsx")
    assert read_links(tmp_path / "LINKS.xlsx") == (
        Link("o1", "123456789012", "Әкімдік", ALMATY, "roads", "km", Decimal("1500.25"), "manual", "", "=x"),)


def test_links_file_round_trip_and_atomic_write(tmp_path: Path) -> None:
    links = (Link("a", "B1", "Акимат, города", ALMATY, "roads", "km", Decimal("1E+3"), "linked", "2", "n; m"),
             Link("b", "", "", "", "", "", None, "unmatched", "", ""),
             Link("c", "B1", "", "KZ", "water", "pipes", Decimal("2.50"), "manual", "", "national"))
    path = tmp_path / "LINKS.csv"
    write_links(path, links)
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf") and b"1000," in raw
    back = read_links(path)
    assert back[2] == links[2]
    assert (back[0].amount_kzt, back[0].buyer_name, back[0].note) == (None, "Акимат, города", "n; m")  # not manual
    assert manual_rows(path) == 1
    assert [p.name for p in tmp_path.iterdir()] == ["LINKS.csv"]  # no temporary file left
    path.chmod(0o640)
    write_links(path, links[:1])
    assert path.stat().st_mode & 0o777 == 0o640
    hostile = Link("=cmd|'/C calc'!A0", "-1", "@SUM(1)", "", "+p", "i", None, "manual", "", "=x")
    write_links(path, [hostile])
    assert "'=cmd|" in path.read_text(encoding="utf-8-sig") and "'@SUM(1)" in path.read_text(encoding="utf-8-sig")
    assert read_links(path) == (hostile,)
    assert links_csv([]) == ",".join(("ocid", "buyer_id", "buyer_name", "region", "programme", "indicator",
                                      "amount_kzt", "status", "rule", "note")) + "\n"
    with pytest.raises(InputError, match="cannot write"):
        write_links(tmp_path / "missing" / "LINKS.csv", links)


def test_links_file_refuses_edits_that_would_be_lost(tmp_path: Path) -> None:
    header = "ocid,buyer_id,buyer_name,region,programme,indicator,amount_kzt,status,rule,note\n"
    cases = [
        ("a,,,,roads,km,,unmatched,,\n", "row 2, column 'status': a programme on a unmatched row would be lost"),
        ("a,,,,roads,km,,ambiguous,,\n", "column 'status': a programme on a ambiguous row"),
        ("a,,,,,,,linked,2,\n", "column 'status': a linked row without a programme"),
        ("a,,,,,,,done,,\n", "column 'status': expected one of linked, ambiguous, unmatched, manual"),
        ("a,,,,,,,manual,,\na,,,,,,,manual,,\n", "row 3, column 'ocid': ocid 'a' is already in row 2"),
        (",,,,,,,manual,,\n", "row 2, column 'ocid': empty"),
        ("a,,,,roads,,,manual,,\n", "column 'indicator': empty; a manual link with a programme needs"),
        ("a,,,999,roads,km,,manual,,\n", "column 'region': unknown region '999'"),
        ("a,,,,roads,km,\"1,5\",manual,,\n", "column 'amount_kzt': expected a number"),
        ("a,,,,roads,km,-1,manual,,\n", "column 'amount_kzt': expected a finite number ≥ 0"),
    ]
    for body, message in cases:
        with pytest.raises(InputError) as caught:
            read_links(write(tmp_path / "L.csv", header + body))
        assert message in str(caught.value), str(caught.value)
    (kept,) = read_links(write(tmp_path / "L.csv", header + "a,,,kz,,stale,\"1 000\",Manual,,\n"))
    assert (kept.region, kept.programme, kept.indicator, kept.amount_kzt, kept.status) == ("KZ", "", "",
                                                                                           Decimal(1000), "manual")
    assert manual_rows(write(tmp_path / "other.csv", "x,y\n1,2\n")) == 0


def test_release_file_counts_warns_and_reports_progress(tmp_path: Path) -> None:
    lines = ['{"ocid": "a"}', "[1]", '{"ocid": 2}', "{bad", "", *(f'{{"ocid": "x{n}"}}' for n in range(5_000))]
    path = write(tmp_path / "r.jsonl", "\n".join(lines) + "\n")
    warnings: list[str] = []
    progress: list[tuple[int, int]] = []
    source = ReleaseFile(path, on_warning=warnings.append, on_progress=lambda d, t: progress.append((d, t)))
    ocids = [r["ocid"] for r in source]
    assert (ocids[:2], len(ocids), source.lines, source.invalid) == (["a", "x0"], 5_001, 5_004, 1)
    assert source.skipped == {"not an object": 1, "ocid is not a string": 1}
    assert len(warnings) == 1 and warnings[0].startswith(f"{path}, line 4, column 2: ")
    assert progress[-1] == (source.size, source.size) and len(progress) == 2 and progress[0][0] < source.size
