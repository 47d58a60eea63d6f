"""Programme PDF benchmark: every council's programme rendered as a PDF (tandau programmes render, in-process).

    python benchmarks/bench_programmes_pdf.py --json [--programmes 224] [--commitments 25] [--lang kk] [--seed 1]

The programmes are synthetic, made by a seeded generator: one per territory of the territory data (regions,
cities of republican significance, cities and districts; the first ``--programmes`` of them, repeated if more are
asked), each with about ``--commitments`` commitments (±20%) spread over the sections, with Kazakh and Russian
wording, indicators, baselines, targets, deadlines, budgets, funding sources and responsible bodies. The quality
bar (issue 13, item 7) is all ~224 programmes in under 60 s. Prints {programmes, commitments, bytes, pages_first_10,
seconds, cpu_seconds, per_programme_ms, lang}; the territory data is loaded before the clock starts.
"""

from __future__ import annotations

import argparse
import io
import json
import random
import time
from datetime import date
from decimal import Decimal

from tandau.core.programmes import SECTIONS, Commitment, Programme
from tandau.io.programme_csv import territory_names
from tandau.io.programme_pdf import render_programme_pdf, territory_name

WORDS_KK = ("жолдарды жөндеу", "мектеп салу", "ауызсумен қамту", "жылу желілерін жаңғырту", "саябақ абаттандыру",
            "емхана ашу", "жұмыс орындарын құру", "үй-жайларды газдандыру", "көшелерді жарықтандыру",
            "спорт алаңдарын салу", "ауыл шаруашылығын қолдау", "қоқыс полигонын жабу")
WORDS_RU = ("ремонт дорог", "строительство школы", "обеспечение питьевой водой", "модернизация теплосетей",
            "благоустройство парка", "открытие поликлиники", "создание рабочих мест", "газификация домов",
            "освещение улиц", "строительство спортплощадок", "поддержка сельского хозяйства", "закрытие полигона")
UNITS = ("км", "шт", "%", "мест", "үй", "people", "ha")
FUNDING = ("local budget", "republican budget", "Nurly Zher", "Enbek", "жергілікті бюджет")


def make_programmes(n: int, per_programme: int, seed: int) -> list[Programme]:
    rng = random.Random(seed)
    codes = sorted(territory_names())
    programmes: list[Programme] = []
    for p in range(n):
        code = codes[p % len(codes)]
        commitments = []
        for i in range(max(1, round(per_programme * rng.uniform(0.8, 1.2)))):
            k = rng.randrange(len(WORDS_KK))
            baseline = Decimal(rng.randint(0, 500))
            decrease = rng.random() < 0.15
            target = baseline - rng.randint(1, max(1, int(baseline))) if decrease and baseline > 0 else \
                baseline + rng.randint(1, 300)
            place = territory_name(code, "kk")
            commitments.append(Commitment(
                f"C-{p + 1}-{i + 1}", code, rng.choice(SECTIONS),
                f"{place}: {WORDS_KK[k]} ({i + 1}-кезең)" if rng.random() > 0.05 else "",
                f"{territory_name(code, 'ru')}: {WORDS_RU[k]} (этап {i + 1})", f"indicator_{k}", rng.choice(UNITS),
                baseline, rng.choice((2021, 2022)), target,
                date(rng.randint(2024, 2027), rng.choice((6, 12)), 30), "decrease" if decrease else "increase",
                Decimal(rng.randint(5, 50_000)) * 100_000, rng.choice(FUNDING),
                f"{place} әкімдігінің {WORDS_KK[k].split()[0]} бөлімі", f"DP-{code[:2]}-{k}", (f"P-{p}-{i}",)))
        programmes.append(Programme(tuple(commitments), f"programme-{code}.csv"))
    return programmes


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--programmes", type=int, default=224)
    parser.add_argument("--commitments", type=int, default=25, help="commitments per programme, on average")
    parser.add_argument("--lang", choices=("kk", "ru"), default="kk")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--json", action="store_true", help="print the result as one JSON object")
    args = parser.parse_args()

    programmes = make_programmes(args.programmes, args.commitments, args.seed)
    start, cpu = time.perf_counter(), time.process_time()
    sizes = [len(render_programme_pdf(p, args.lang)) for p in programmes]
    seconds, cpu_seconds = time.perf_counter() - start, time.process_time() - cpu
    pages = 0
    try:  # the page count, when pypdf (a dev dependency) is there; outside the timing
        import pypdf

        pages = sum(len(pypdf.PdfReader(io.BytesIO(render_programme_pdf(p, args.lang))).pages)
                    for p in programmes[:10])
    except ImportError:
        pass
    result = {"programmes": len(programmes), "commitments": sum(len(p.commitments) for p in programmes),
              "bytes": sum(sizes), "pages_first_10": pages, "seconds": round(seconds, 2),
              "cpu_seconds": round(cpu_seconds, 2),
              "per_programme_ms": round(1000 * seconds / max(1, len(programmes)), 1), "lang": args.lang}
    if args.json:
        print(json.dumps(result))
    else:
        for key, value in result.items():
            print(f"{key}: {value}")


if __name__ == "__main__":
    main()
