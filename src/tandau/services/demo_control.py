"""The demo's party control: the seed's programmes with SYNTHETIC regional execution 2020-2025, synthetic OCDS
releases of regional procurement, link rules, and a few open control cases (issue 12, item 8).

The data come from :func:`tandau.core.control.synthetic.synthetic_control` on the real regions and their 2023
populations; they are written as the files a party would import (``control/TARGETS.csv``, ``REPORTS.csv``,
``releases.jsonl``, ``RULES.csv``) and imported through the same service as ``tandau control import``, so the
demo's control board shows what an import gives. Every flag P01-P09 and every procurement indicator is planted
somewhere (the generator's docstring says where). Cases are opened from some of the flags, one of them past its
deadline, as the control commission would.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import orjson
from sqlalchemy.orm import Session

from tandau.core.control.synthetic import synthetic_control
from tandau.io.control_csv import write_reports_csv, write_targets_csv
from tandau.io.territory import load_kz
from tandau.services.control import board as boards
from tandau.services.control import cases
from tandau.services.control.data import import_control
from tandau.services.primaries.access import Actor

AS_OF = date(2025, 12, 31)  # the synthetic execution runs to the end of 2025


@dataclass(slots=True)
class ControlDemo:
    """What the demo's control step stored."""

    targets: int = 0
    reports: int = 0
    releases: int = 0
    flags: int = 0
    cases: list[str] = field(default_factory=list)


def demo_regions() -> dict[str, tuple[str, int]]:
    """The 20 regions and cities of republican significance: 9-digit KATO code -> (Russian name, population)."""
    out = {}
    for u in load_kz("2023").units:
        if u.kind in ("region", "republican_city") and u.population:
            out[f"{u.id}0000000"] = (u.name_in("ru"), int(u.population))
    return out


def _write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def prepare_control(session: Session, central: Actor, work_dir: Path, *, seed: int = 2020,
                    now: datetime | None = None, releases: int = 3000) -> ControlDemo:
    """Generate, write, import and open the cases (see the module's docstring)."""
    moment = now or datetime.now(UTC)
    data = synthetic_control(demo_regions(), seed=seed, as_of=AS_OF, releases=releases)
    folder = work_dir / "control"
    folder.mkdir(parents=True, exist_ok=True)
    targets = _write(folder / "TARGETS.csv", write_targets_csv(list(data.targets)))
    reports = _write(folder / "REPORTS.csv", write_reports_csv(list(data.reports)))
    release_file = folder / "releases.jsonl"
    release_file.write_bytes(b"\n".join(orjson.dumps(r) for r in data.releases) + b"\n")
    with (folder / "RULES.csv").open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(("programme", "indicator", "region", "buyer_id", "classification"))
        writer.writerows(data.link_rules)
    import_control(session, central, targets=targets, reports=reports, releases=release_file,
                   link_rules=folder / "RULES.csv", now=moment)
    report = ControlDemo(len(data.targets), len(data.reports), len(data.releases))
    board = boards.control_board(session, central, AS_OF)
    report.flags = len(board.flags)
    report.cases = _open_cases(session, central, board, moment)
    return report


def _open_cases(session: Session, central: Actor, board: boards.ControlBoard, moment: datetime) -> list[str]:
    """A case for the first flag of a few codes (one of them opened a month ago: now past its deadline) and a
    citizen's signal."""
    opened = []
    wanted = ("P01", "P04", "P03", "P09")
    for n, code in enumerate(wanted):
        flag = next((f for f in board.flags if f.code == code and f.region != "KZ"), None)
        if flag is None:
            continue
        when = moment - timedelta(days=30) if n == 0 else moment
        case = cases.open_case(session, central, cases.CaseRequest(
            title=f"{code}: {flag.programme} / {flag.indicator}", kato=flag.region, source="flag",
            description=flag.text, flag_kind="programme", flag_code=code,
            flag_ref=f"{flag.programme}/{flag.indicator}/{flag.region}"), now=when)
        opened.append(case.id)
    signal = next((f for f in board.flags if f.region != "KZ"), None)
    if signal is not None:
        case = cases.open_case(session, central, cases.CaseRequest(
            title="Жители сообщают: водопровод в селе не подключён (SYNTHETIC)", kato=signal.region,
            source="signal", description="A resident's message received at the public reception office (synthetic)."),
            now=moment)
        opened.append(case.id)
    return opened
