"""What-if charts: Vega-Lite specs (pure dicts) and ``tandau seats simulate --plot/--election-date``."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from tandau.cli.main import app
from tandau.core.seats.charts import SCHEMA, composition_spec, what_if_spec
from tandau.core.seats.simulate import simulate

runner = CliRunner()
FLAGS = [{"woman": False, "young": False}, {"woman": True, "young": False}, {"woman": False, "young": True},
         {"woman": True, "young": True}]


def _axes(chart: dict[str, object]) -> list[str]:
    layers = chart.get("layer", [chart])
    return [enc[ch]["title"] for layer in layers for ch in ("x", "y")  # type: ignore[attr-defined]
            if (enc := layer.get("encoding", {})) and ch in enc and "title" in enc[ch]]  # type: ignore[union-attr]


def test_seats_charts_are_titled_labelled_and_json() -> None:
    res = simulate({"A": 0.55, "B": 0.45}, 4, draws=800, seed=3, concentration=50.0, lists={"A": FLAGS})
    spec = what_if_spec(res)
    assert spec["$schema"] == SCHEMA
    assert json.loads(json.dumps(spec)) == spec  # plain data only
    charts = spec["vconcat"]
    assert [c["title"]["text"] for c in charts] == [
        "Seats won: probability per party", "Chance of election by list position", "Elected composition by seats won"]
    for chart in charts:
        assert len(_axes(chart)) == 2
    dist = charts[0]["data"]["values"]
    assert abs(sum(r["probability"] for r in dist if r["party"] == "A") - 1) < 1e-9


def test_seats_composition_chart_has_the_quota_line_and_shares_by_seats() -> None:
    res = simulate({"A": 0.5, "B": 0.5}, 4, draws=500, seed=1, concentration=30.0, lists={"A": FLAGS})
    spec = composition_spec(res)
    rule = next(layer for layer in spec["layer"] if layer["mark"]["type"] == "rule")
    assert rule["data"]["values"] == [{"quota": 0.3}]
    women = {r["seats"]: r["share"] for r in spec["data"]["values"] if r["group"] == "women"}
    # list order M, F, M, F: one woman among the first 2 or 3 deputies, two among 4
    expected = {1: 0.0, 2: 0.5, 3: 0.333, 4: 0.5}
    assert women
    assert {k: round(v, 3) for k, v in women.items()} == {k: expected[k] for k in women}
    assert res.composition_by_seats[0][0] == "A"


def test_seats_cli_simulate_plot_and_election_date(tmp_path: Path) -> None:
    lst = tmp_path / "l.csv"
    # born 2000-06-01: 28 on 2029-03-19 (young), 29 on 2029-06-01 and later
    lst.write_text("id,name,sex,birth_date\n1,a,M,1970-01-01\n2,b,F,2000-06-01\n", encoding="utf-8")
    shares = tmp_path / "s.csv"
    shares.write_text("party,share\nA,60%\nB,40%\n", encoding="utf-8")
    plot = tmp_path / "plot.json"
    base = ["seats", "simulate", str(shares), "--seats", "4", "--draws", "300", "--list", f"A={lst}"]
    out = runner.invoke(app, [*base, "--election-date", "2029-03-19", "--plot", str(plot)])
    assert out.exit_code == 0, out.output
    assert json.loads(out.stdout)["composition_by_seats"]["A"]["young"][1] == 0.5
    spec = json.loads(plot.read_text(encoding="utf-8"))
    assert len(spec["vconcat"]) == 3
    later = runner.invoke(app, [*base, "--election-date", "2029-06-01"])
    assert json.loads(later.stdout)["composition_by_seats"]["A"]["young"][1] == 0.0
    bad = runner.invoke(app, [*base, "--election-date", "19.03.2029"])
    assert bad.exit_code == 2
    assert "--election-date" in bad.output
