"""Near-duplicate grouping (tandau.core.proposal_groups): known pairs, territories apart, the threshold held exactly
(checked against a brute-force oracle), deterministic, and at scale (2,000 proposals; the 20,000 in a few seconds
are a benchmark: benchmarks/bench_proposal_groups.py)."""

from __future__ import annotations

import itertools
import random

from tandau.core.proposal_groups import Item, group, jaccard, nearest, normalise, shingles

CITY, OTHER = "750000000", "710000000"


def test_known_pairs() -> None:
    items = [
        Item("a", CITY, "Отремонтируйте дорогу на улице Абая, там большие ямы"),
        Item("b", CITY, "отремонтируйте дорогу на улице Абая!!! Там большие ямы"),  # case and punctuation
        Item("c", CITY, "Отремонтируйте, пожалуйста, дорогу на улице Абая, там большие ямы"),  # a word added
        Item("d", CITY, "Постройте новую школу в микрорайоне Самал, учимся в три смены"),
        Item("e", CITY, "Абай көшесіндегі жолды жөндеңіздер, үлкен шұңқырлар бар"),  # the same in Kazakh: not a copy
        Item("f", OTHER, "Отремонтируйте дорогу на улице Абая, там большие ямы"),  # another territory
        Item("g", OTHER, "Отремонтируйте дорогу на улице Абая, там большие ямы."),
        Item("h", CITY, "!!!"),  # no letters: never grouped
        Item("i", CITY, "!!"),
    ]
    assert group(items) == {"a": "a", "b": "a", "c": "a", "f": "f", "g": "f"}


def test_similarity_values() -> None:
    assert normalise("Ёлка, 2026: ул. Абая!") == "елка ул абая"
    same = shingles("Нужен детский сад")
    assert jaccard(same, shingles("нужен ДЕТСКИЙ сад!!!")) == 1.0
    assert jaccard(same, shingles("Почините крышу дома")) < 0.1
    assert jaccard(shingles(""), shingles("")) == 0.0
    assert nearest("Нужен детский сад в селе", [("x", "Почините крышу"), ("y", "нужен детский сад в селе!")]) == (
        "y", 1.0)
    assert nearest("Нужен детский сад в селе", [("x", "Почините крышу")]) is None


def _oracle(items: list[Item], threshold: float) -> list[set[str]]:
    parent = {i.id: i.id for i in items}

    def find(x: str) -> str:
        while parent[x] != x:
            x = parent[x]
        return x

    sets = {i.id: shingles(i.text) for i in items}  # once per item, not once per pair
    for p, q in itertools.combinations(items, 2):
        if p.territory == q.territory and jaccard(sets[p.id], sets[q.id]) >= threshold:
            parent[find(q.id)] = find(p.id)
    groups: dict[str, set[str]] = {}
    for i in items:
        groups.setdefault(find(i.id), set()).add(i.id)
    return [g for g in groups.values() if len(g) > 1]


def _synthetic(n: int, seed: int) -> list[Item]:
    rng = random.Random(seed)
    syllables = ["ба", "ка", "ма", "да", "ре", "но", "ту", "ли", "са", "жо", "мек", "теп", "ау", "ыл", "ко", "ше",
                 "дор", "ог", "шко", "ла", "сад", "во", "на"]
    words = ["".join(rng.choices(syllables, k=rng.randint(2, 4))) for _ in range(600)]
    items: list[Item] = []
    for k in range(n):
        if items and rng.random() < 0.3:
            base = rng.choice(items)
            text = base.text.split()
            text[rng.randrange(len(text))] = rng.choice(words)
            items.append(Item(f"p{k:04d}", base.territory, " ".join(text)))
        else:
            items.append(Item(f"p{k:04d}", rng.choice((CITY, OTHER)), " ".join(rng.choices(words, k=12))))
    return items


def test_no_false_pair_and_every_close_pair_found() -> None:
    items = _synthetic(220, seed=7)
    found = group(items)
    by_group: dict[str, set[str]] = {}
    for pid, gid in found.items():
        by_group.setdefault(gid, set()).add(pid)
    exact = _oracle(items, 0.6)
    # every group the method gives lies inside one group of the exact relation (no pair below the threshold joins)
    for members in by_group.values():
        assert any(members <= g for g in exact), members
    # pairs at 0.7 or more are joined (the chance of missing one is about 1e-6 per pair, and the seed is fixed)
    text = {i.id: i for i in items}
    sets = {i.id: shingles(i.text) for i in items}
    for p, q in itertools.combinations(items, 2):
        if p.territory == q.territory and jaccard(sets[p.id], sets[q.id]) >= 0.7:
            assert found.get(p.id) is not None and found.get(p.id) == found.get(q.id), (text[p.id], text[q.id])
    assert len(by_group) >= 10


def test_deterministic_and_named_after_the_first_member() -> None:
    items = _synthetic(300, seed=11)
    assert group(items) == group(list(items))
    for pid, gid in group(items).items():
        assert gid <= pid  # ids are in submission order here: the group is named after its first member


def test_at_scale_the_copies_are_grouped() -> None:
    """2,000 proposals, about 30% of them one-word edits of an earlier one: most copies are grouped (each group
    holds at least two, its first member names it). How fast 20,000 go is benchmarks/bench_proposal_groups.py."""
    items = _synthetic(2_000, seed=3)
    found = group(items)
    assert len(found) > 200
    members: dict[str, int] = {}
    for gid in found.values():
        members[gid] = members.get(gid, 0) + 1
    assert min(members.values()) >= 2 and all(found[gid] == gid for gid in members)
