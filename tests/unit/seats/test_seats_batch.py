"""The columnar batch engine (``tandau seats allocate --batch``) against the exact scalar path, case by case."""

from __future__ import annotations

import json
import random
from fractions import Fraction
from pathlib import Path

import pytest

from tandau.core.seats import allocate, allocate_fast, method_ids
from tandau.core.seats.batch import SMALL_BATCH, allocate_batch
from tandau.errors import InputError
from tandau.io.votes import format_batch, iter_batch, read_batch

SHARES = [None, 0, 0.03, 0.05, 0.07, "10%", 0.2]


def _random_cases(n: int, seed: int) -> list[dict[str, object]]:
    rng = random.Random(seed)
    cases: list[dict[str, object]] = []
    for _ in range(n):
        k = rng.randint(1, 9)
        top = rng.choice([5, 30, 1_000, 2_000_000])  # small counts make ties and boundary cases common
        votes = {f"L{i}": rng.randint(0, top) for i in range(k)}
        if sum(votes.values()) == 0:
            votes["L0"] = 1
        case: dict[str, object] = {"votes": votes, "seats": rng.randint(1, 40), "method": rng.choice(method_ids())}
        share = rng.choice(SHARES)
        if share is not None:
            case["threshold"] = share
        cases.append(case)
    return cases


def _write(tmp_path: Path, cases: list[dict[str, object]], name: str = "c.jsonl") -> Path:
    path = tmp_path / name
    path.write_text("".join(json.dumps(c, ensure_ascii=False) + "\n" for c in cases), encoding="utf-8")
    return path


def _expected(case: dict[str, object]) -> dict[str, object]:
    votes: dict[str, int] = case["votes"]  # type: ignore[assignment]
    raw = case.get("threshold")
    share = None if raw is None else Fraction(raw[:-1]) / 100 if isinstance(raw, str) else Fraction(str(raw))
    try:
        got = allocate_fast(list(votes.values()), int(case["seats"]), str(case["method"]), share)  # type: ignore[call-overload]
    except InputError as exc:
        return {"error": exc.problem}
    return {"seats": dict(zip(votes, got, strict=True))}


@pytest.mark.parametrize("n", [3000, SMALL_BATCH - 1])  # vectorised, then case by case without numpy
def test_seats_batch_is_identical_to_the_scalar_path_for_every_method(tmp_path: Path, n: int) -> None:
    cases = _random_cases(n, seed=11)
    path = _write(tmp_path, cases)
    table = read_batch(path)
    got = [json.loads(line) for line in format_batch(table, allocate_batch(table, str(path))).splitlines()]
    assert got == [_expected(c) for c in cases]


def test_seats_batch_bulk_and_case_by_case_validation_agree(tmp_path: Path) -> None:
    cases = _random_cases(200, seed=3)
    path = _write(tmp_path, cases)
    bulk = read_batch(path)
    slow = list(iter_batch(path))
    assert bulk.parties == [c.parties for c in slow]
    assert bulk.votes == [v for c in slow for v in c.votes]
    assert [bulk.shares[k] for k in bulk.threshold] == [c.threshold for c in slow]


def test_seats_batch_mixes_presets_against_all_and_huge_numbers(tmp_path: Path) -> None:
    huge = 10**30
    cases: list[dict[str, object]] = [
        {"votes": {"A": 900, "B": 52, "C": 48}, "seats": 10, "rules": "kz-majilis-2023", "other_valid_votes": 100},
        {"votes": {"A": huge, "B": huge // 3, "C": 7}, "seats": 9, "method": "dhondt", "threshold": 0.05},
        {"votes": {"50% «Ақ жол»": 600, 'say "no"': 330, "C": 70}, "seats": 10, "method": "dhondt",
         "threshold": "7%", "other_valid_votes": 100},
        {"votes": {"A": 10, "B": 10}, "seats": 3, "method": "hare", "threshold": 0.6},
    ]
    path = _write(tmp_path, cases * 60)  # over SMALL_BATCH: the vectorised path with scalar fall-backs
    table = read_batch(path)
    lines = [json.loads(x) for x in format_batch(table, allocate_batch(table, str(path))).splitlines()]
    small = read_batch(_write(tmp_path, cases, "small.jsonl"))
    assert lines[:4] == [json.loads(x) for x in format_batch(small, allocate_batch(small)).splitlines()]
    first = allocate({"A": 900, "B": 52, "C": 48}, 10, rules="kz-majilis-2023", other_valid_votes=100)
    assert lines[0] == {"seats": first.as_dict()}
    assert lines[1] == {"seats": dict(zip("ABC", allocate_fast([huge, huge // 3, 7], 9, "dhondt"), strict=True))}
    assert lines[2] == {"seats": {"50% «Ақ жол»": 7, 'say "no"': 3, "C": 0}}  # 70 < 7% of 1,100
    assert lines[3] == {"error": "no list reached the threshold (12.00 votes needed)"}


@pytest.mark.parametrize(("line", "column"), [
    ('{"votes": {"A": -1}, "seats": 1, "method": "dhondt"}', "votes"),
    ('{"votes": {"A": true}, "seats": 1, "method": "dhondt"}', "votes"),
    ('{"votes": {}, "seats": 1, "method": "dhondt"}', "votes"),
    ('{"votes": {"A": 1}, "seats": 0, "method": "dhondt"}', "seats"),
    ('{"votes": {"A": 1}, "seats": 100000000000000000000, "method": "dhondt"}', "seats"),
    ('{"votes": {"A": 1}, "seats": 1, "method": "dhondt", "rules": "kz-majilis-2023"}', "method"),
    ('{"votes": {"A": 1}, "seats": 1, "method": "nope"}', "method"),
    ('{"votes": {"A": 1}, "seats": 1, "method": "dhondt", "threshold": 1.5}', "threshold"),
    ('{"votes": {"A": 1}, "seats": 1, "method": "dhondt", "threshold": [1]}', "threshold"),
    ('{"votes": {"A": 1}, "seats": 1, "method": "dhondt", "other_valid_votes": null}', "other_valid_votes"),
    ('{"votes": {"A": 0, "B": 0}, "seats": 1, "method": "hare"}', "votes"),
])
@pytest.mark.parametrize("padding", [0, SMALL_BATCH])
def test_seats_batch_errors_name_file_row_and_column(tmp_path: Path, line: str, column: str, padding: int) -> None:
    good = '{"votes": {"A": 1, "B": 2}, "seats": 2, "method": "hare"}\n'
    path = tmp_path / "bad.jsonl"
    path.write_text(good + "\n" + line + "\n" + good * padding, encoding="utf-8")
    with pytest.raises(InputError) as info:
        allocate_batch(read_batch(path), str(path))
    assert (info.value.file, info.value.row, info.value.column) == (str(path), 3, column)
