"""The traps a reimplementation of Cardinal falls into (issue 12, scope 5), each pinned by a small case."""

from __future__ import annotations

from typing import Any

import pytest

from tandau.core.control.procurement import compute_flags, settings_from_tables
from tandau.core.control.procurement.dates import days_between
from tandau.core.control.procurement.quantiles import quantile


def run(releases: list[Any], tables: dict[str, Any]) -> dict[str, Any]:
    return compute_flags(releases, settings_from_tables(tables)).as_dict(meta=False)


def test_r018_reads_one_as_written() -> None:
    releases = [{"ocid": str(n), "tender": {"numberOfTenderers": n, "procurementMethod": "open"}}
                for n in (1, 1.0, True, "1")]
    assert run(releases, {"R018": {}}) == {"OCID": {"1": {"R018": 1.0}}}


def test_r030_compares_dates_as_strings() -> None:
    # 01:00+05:00 is earlier in time than 00:00Z the same day, but later as a string: flagged, as in Cardinal
    release = {"ocid": "x", "tender": {"tenderPeriod": {"endDate": "2000-03-15T00:00:00Z"}},
               "bids": {"details": [{"status": "valid", "date": "2000-03-15T01:00:00+05:00",
                                     "tenderers": [{"id": "W"}]}]},
               "awards": [{"status": "active", "suppliers": [{"id": "W"}]}]}
    assert run([release], {"R030": {}}) == {"OCID": {"x": {"R030": 1.0}}, "Tenderer": {"W": {"R030": 1.0}}}


def _r003(ocid: object, **tender: Any) -> dict[str, Any]:
    period = {"startDate": "2000-01-01T00:00:00Z", "endDate": "2000-01-02T00:00:00Z"}
    return {"ocid": ocid, "tender": {"tenderPeriod": period, **tender}}


def test_dropped_releases_and_their_reasons() -> None:
    releases = [_r003("kept"), _r003("cancelled", status="cancelled"), _r003(7),
                _r003("excluded", procurementMethodDetails="EXC"), [1, 2]]
    tables = {"exclusions": {"procurement_method_details": "EXC"}, "R003": {}}
    result = compute_flags(releases, settings_from_tables(tables))
    assert result.as_dict(meta=False) == {"OCID": {"kept": {"R003": 1.0}}}
    assert dict(result.counts) == {"used": 1, "tender cancelled": 1, "ocid is not a string": 1,
                                   "procurementMethodDetails excluded": 1, "not an object": 1}


def _bids_and_awards(ocid: str, award_statuses: list[str]) -> dict[str, Any]:
    awards: list[dict[str, Any]] = [{"status": "active", "suppliers": [{"id": "V"}],
                                     "items": [{"classification": {"id": "10"}}]}]
    awards += [{"status": status, "suppliers": [{"id": "Z"}]} for status in award_statuses]
    return {"ocid": ocid, "awards": awards, "tender": {"tenderPeriod": {"endDate": "2000-01-01"}},
            "bids": {"details": [
                {"status": "valid", "tenderers": [{"id": "V"}], "value": {"amount": 10, "currency": "USD"},
                 "date": "2000-02-01"},
                {"status": "disqualified", "tenderers": [{"id": "D"}], "value": {"amount": 5, "currency": "USD"}},
            ]}}


def test_a_non_final_award_skips_the_award_based_indicators_only() -> None:
    tables = {"R030": {}, "R035": {}, "R036": {}, "R048": {"minimum_contracting_processes": "1"}}
    final = run([_bids_and_awards("p", ["cancelled", "unsuccessful"])], tables)
    assert final["OCID"] == {"p": {"R030": 1.0, "R035": 1.0, "R036": 1.0}}
    pending = run([_bids_and_awards("p", ["pending"])], tables)
    # R035 needs every award final; R030, R036 and R048 read the active awards only
    assert pending["OCID"] == {"p": {"R030": 1.0, "R036": 1.0}}
    assert pending["Tenderer"]["V"] == {"R030": 1.0, "R048": 1.0}


def test_buyer_ratios_are_sums_over_sums() -> None:
    def process(ocid: str, buyer: str, disqualified: int, valid: int) -> dict[str, Any]:
        bids = [{"status": "disqualified"}] * disqualified + [{"status": "valid"}] * valid
        return {"ocid": ocid, "buyer": {"id": buyer}, "bids": {"details": bids}}

    releases = [process("a", "B", 1, 1), process("b", "B", 0, 10)] + [
        process(str(i), f"O{i}", 0, 2) for i in range(4)]
    out = run(releases, {"R038": {"threshold": "0.05"}})
    assert out == {"Buyer": {"B": {"R038": 1 / 12}}}  # a mean of ratios would say 0.25


def test_r003_days_truncate_toward_zero() -> None:
    assert days_between("2000-01-02T00:00:00Z", "2000-01-01T00:00:01Z") == 0
    assert days_between("2000-01-01T00:00:00.5Z", "2000-01-16T00:00:00.4Z") == 14
    assert days_between("2000-02-30T00:00:00Z", "2000-03-01T00:00:00Z") is None


def test_quantiles_are_type_8_with_statrs_edges() -> None:
    assert quantile([3.0, 1.0, 2.0], 0.5) == 2.0
    assert quantile([1.0, 2.0], 0.01) == 1.0 and quantile([1.0, 2.0], 0.99) == 2.0
    numpy = __import__("numpy")
    values = [0.5, 0.1, 0.9, 0.3, 0.7, 0.2]
    for tau in (0.25, 0.5, 0.75):
        assert abs(quantile(values, tau) - float(numpy.quantile(values, tau, method="median_unbiased"))) < 1e-12


def test_main_currency_is_the_first_observed_or_the_configured_one() -> None:
    def process(ocid: str, currency: str) -> dict[str, Any]:
        return {"ocid": ocid, "awards": [{"status": "active"}], "bids": {"details": [
            {"status": "disqualified", "value": {"amount": 1, "currency": currency}},
            {"status": "valid", "value": {"amount": 2, "currency": currency}}]}}

    releases = [process("usd", "USD"), process("kzt", "KZT")]
    assert run(releases, {"R036": {}}) == {"OCID": {"usd": {"R036": 1.0}}}
    assert run(releases, {"currency": "KZT", "R036": {}}) == {"OCID": {"kzt": {"R036": 1.0}}}


def test_registry_lists_the_eleven_codes_with_sources() -> None:
    from tandau.core.control.procurement import INDICATORS, get_indicator
    from tandau.errors import UnknownIdError

    assert list(INDICATORS) == ["R003", "R018", "R024", "R025", "R028", "R030", "R035", "R036", "R038", "R048",
                                "R058"]
    assert all("cardinal" in i.source.lower() for i in INDICATORS.values())
    with pytest.raises(UnknownIdError, match="R003"):
        get_indicator("R044")


def test_meta_with_a_set_threshold_has_only_the_fence() -> None:
    release = {"ocid": "a", "awards": [{"status": "active", "suppliers": [{"id": "W"}]}], "bids": {"details": [
        {"status": "valid", "tenderers": [{"id": "W"}], "value": {"amount": 100, "currency": "USD"}},
        {"status": "valid", "tenderers": [{"id": "L"}], "value": {"amount": 101, "currency": "USD"}}]}}
    result = compute_flags([release], settings_from_tables({"R024": {"threshold": "0.05"}, "R058": {}}))
    # one difference is its own quartiles, so R058's fence is that difference and it fires, as in Cardinal
    assert result.as_dict() == {
        "OCID": {"a": {"R024": 0.01, "R058": 0.01}},
        "Tenderer": {"W": {"R024": 0.0, "R058": 0.0}, "L": {"R024": 0.0}},
        "Meta": {"R024": {"lower_fence": 0.05}, "R058": {"q1": 0.01, "q3": 0.01, "upper_fence": 0.01}},
    }
