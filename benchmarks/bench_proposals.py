"""Theme classification of proposals (issue 13, item 6): 100,000 proposals, and the held-back scores.

    python benchmarks/bench_proposals.py --json [--n 100000] [--seed 1]

Builds ``n`` proposals from the shipped labelled set, each one changed so that the word cache cannot simply
replay it: one to three labelled texts joined, about one word in ten with a typo, a random house number. Writes
them as PROPOSALS.csv in a temporary directory, trains a model on the set's train split (timed), then times
``tandau proposals classify FILE --format json --model M`` in a subprocess (start-up and CSV reading
included) and the classification alone in process. Target: 100,000 under 10 s. Also prints the held-back scores
by language and the default model's first-use (training) and cached (loading) start-up.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from tandau.core.proposals import evaluate, train_model
from tandau.io.proposals_csv import read_labelled, read_proposals
from tandau.io.proposals_model import default_model, load_model, save_model

LETTERS = "аеиоуыклмнпрстқңғүұөәі"


def typo(word: str, rng: random.Random) -> str:
    if len(word) < 4:
        return word
    i = rng.randrange(1, len(word) - 1)
    return word[:i] + rng.choice(LETTERS) + word[i + 1:]


def make_texts(n: int, seed: int) -> list[str]:
    rng = random.Random(seed)
    pool = [r.text for r in read_labelled()]
    out = []
    for _ in range(n):
        words = " ".join(rng.choice(pool) for _ in range(rng.choice((1, 1, 2, 3)))).split()
        words = [typo(w, rng) if rng.random() < 0.1 else w for w in words]
        words.insert(rng.randrange(len(words) + 1), f"№{rng.randrange(1, 300)}")
        out.append(" ".join(words))
    return out


def held_back() -> tuple[dict[str, dict[str, float | int]], float, object]:
    rows = read_labelled()
    train = [r for r in rows if r.split == "train"]
    test = [r for r in rows if r.split == "test"]
    start = time.perf_counter()
    model = train_model([r.text for r in train], [r.theme or "" for r in train])
    seconds = time.perf_counter() - start
    predicted = model.predict([r.text for r in test])
    e = evaluate([r.theme or "" for r in test], [p.theme for p in predicted], [r.lang or "" for r in test])
    scores = {lang: s.as_dict() for lang, s in sorted(e.by_language.items())}
    scores["all"] = e.overall.as_dict()
    return scores, seconds, model


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--n", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    args = parser.parse_args()
    scores, train_seconds, model = held_back()
    texts = make_texts(args.n, args.seed)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        proposals = folder / "PROPOSALS.csv"
        with proposals.open("w", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle)
            writer.writerow(["id", "text"])
            writer.writerows((f"b{i}", t) for i, t in enumerate(texts))
        model_path = folder / "model.npz"
        save_model(model, model_path)  # type: ignore[arg-type]
        start = time.perf_counter()
        proc = subprocess.run([sys.executable, "-m", "tandau", "proposals", "classify", str(proposals), "--format",
                               "json", "--model", str(model_path)], capture_output=True, check=True)
        cli_seconds = time.perf_counter() - start
        items = len(json.loads(proc.stdout)["items"])
        start = time.perf_counter()
        fresh = load_model(model_path)
        load_seconds = time.perf_counter() - start
        start = time.perf_counter()
        rows = read_proposals(proposals)
        read_seconds = time.perf_counter() - start
        start = time.perf_counter()
        fresh.predict([r.text for r in rows])
        predict_seconds = time.perf_counter() - start
        os.environ["TANDAU_CACHE_DIR"] = str(folder / "cache")
        start = time.perf_counter()
        default_model()
        first_use = time.perf_counter() - start
        default_model.cache_clear()
        start = time.perf_counter()
        default_model()
        cached = time.perf_counter() - start
    result = {
        "proposals": items,
        "seconds": round(cli_seconds, 2),
        "in_process": {"read_csv": round(read_seconds, 2), "load_model": round(load_seconds, 3),
                       "classify": round(predict_seconds, 2)},
        "mean_characters": round(sum(map(len, texts)) / len(texts)),
        "held_back": scores,
        "train_split_seconds": round(train_seconds, 2),
        "default_model": {"first_use_seconds": round(first_use, 2), "cached_seconds": round(cached, 3)},
    }
    if args.json:
        print(json.dumps(result))
    else:
        for key, value in result.items():
            print(f"{key}: {value}")


if __name__ == "__main__":
    main()
