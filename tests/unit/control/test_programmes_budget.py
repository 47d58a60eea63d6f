"""Budget execution from a Fiscal Data Package: phases accumulated into the reports' money columns."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal as D
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tandau.cli.main import app
from tandau.core.control.programmes import Report, ReportSeries, merge_budget
from tandau.errors import InputError
from tandau.io.fiscal_package import read_fiscal_package

MODEL = {
    "measures": {"approved": {"source": "approved", "currency": "KZT", "phase": "approved"},
                 "executed": {"source": "executed", "currency": "KZT", "phase": "executed", "factor": 1000}},
    "dimensions": {
        "programme": {"dimensionType": "classification", "attributes": {"code": {"source": "programme"}},
                      "primaryKey": "code"},
        "region": {"dimensionType": "location", "attributes": {"kato": {"source": "region"}}, "primaryKey": "kato"},
        "period": {"dimensionType": "datetime", "attributes": {"month": {"source": "month"}}, "primaryKey": "month"},
    },
}
CSV = "programme,region,month,approved,executed\np,110000000,2021-01,1000000,50\np,110000000,2021-02,,70\n"


def package(tmp_path: Path, model: dict[str, object] = MODEL, csv: str = CSV) -> Path:
    (tmp_path / "budget.csv").write_text(csv, encoding="utf-8")
    descriptor = tmp_path / "datapackage.json"
    descriptor.write_text(json.dumps({"name": "b", "title": "B", "model": model,
                                      "resources": [{"name": "budget", "path": "budget.csv"}]}), encoding="utf-8")
    return descriptor


def test_package_fills_empty_money_columns(tmp_path: Path) -> None:
    rows = read_fiscal_package(package(tmp_path))
    assert [(r.phase, r.day, r.amount) for r in rows] == [
        ("approved", date(2021, 1, 31), D(1000000)), ("executed", date(2021, 1, 31), D(50000)),
        ("executed", date(2021, 2, 28), D(70000))]
    own = Report("p", "i", "110000000", date(2021, 1, 31), D(1), paid_kzt=D(1))
    later = Report("p", "i", "110000000", date(2021, 2, 28), D(2))
    merged = merge_budget({own.key: ReportSeries((own, later))}, rows)[own.key].reports
    assert [(r.allocated_kzt, r.adjusted_kzt, r.paid_kzt) for r in merged] == [
        (D(1000000), D(1000000), D(1)),  # the report's own paid wins
        (D(1000000), D(1000000), D(120000))]


@pytest.mark.parametrize(("csv", "column"), [
    (CSV.replace("2021-02", "Feb 2021"), "month"),
    (CSV.replace(",70", ",seventy"), "executed"),
    (CSV.replace("p,110000000,2021-02", "p,11,2021-02"), "region"),
])
def test_bad_rows_name_row_and_column(tmp_path: Path, csv: str, column: str) -> None:
    with pytest.raises(InputError) as err:
        read_fiscal_package(package(tmp_path, csv=csv))
    assert (err.value.file, err.value.row, err.value.column) == ("budget.csv", 3, column)


def test_bad_model(tmp_path: Path) -> None:
    usd = json.loads(json.dumps(MODEL))
    usd["measures"]["approved"]["currency"] = "USD"
    with pytest.raises(InputError, match="KZT"):
        read_fiscal_package(package(tmp_path, usd))
    with pytest.raises(InputError, match="not found"):
        read_fiscal_package(tmp_path / "none.json")


def test_cli_budget_option(tmp_path: Path) -> None:
    t, r = tmp_path / "T.csv", tmp_path / "R.csv"
    t.write_text("programme,indicator,region,unit,kind,direction,baseline,baseline_date,target,deadline,budget_kzt,"
                 "source\np,i,110000000,u,cumulative,increase,0,2020-12-31,100,2021-12-31,500000,x\n",
                 encoding="utf-8")
    r.write_text("programme,indicator,region,period_end,actual,allocated_kzt,adjusted_kzt,contracted_kzt,paid_kzt\n"
                 "p,i,110000000,2021-01-31,1,,,,\np,i,110000000,2021-02-28,2,,,,\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["control", "assess", "--targets", str(t), "--reports", str(r), "--as-of",
                                      "2021-03-01", "--budget", str(package(tmp_path))])
    assert result.exit_code == 0, result.output
    p01 = [f for f in json.loads(result.stdout)["flags"] if f["code"] == "P01"]
    assert p01 and p01[0]["detail"]["data"]["paid_kzt"] == 120000  # 24% paid against 2% progress
