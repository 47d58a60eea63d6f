"""Rule presets: a method, a threshold and a tie policy under a stable id, each with its legal source."""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

from tandau.core.seats.threshold import Threshold
from tandau.errors import UnknownIdError

_ART_97_1 = ("Constitutional Law of the Republic of Kazakhstan 'On Elections' No. 2464 of 28 Sep 1995, Art. 97-1: "
             "quota = votes of admitted lists / seats; whole parts, then largest remainders; equal remainders: "
             "list registered earlier; if only one list passes, the runner-up is admitted")


@dataclass(frozen=True, slots=True)
class Rules:
    """A named set of allocation rules."""

    id: str
    name: str
    method: str
    threshold: Threshold | None
    tie_policy: str
    source: str


PRESETS: dict[str, Rules] = {}


def _preset(rules: Rules) -> None:
    PRESETS[rules.id] = rules


_preset(Rules("kz-majilis-2016", "Majilis 2016: 98 list seats, 7% of votes for lists, Hare largest remainders",
              "hare", Threshold(Fraction(7, 100), "party-votes", runner_up=True), "registration-order",
              _ART_97_1 + " (text in force March 2016); CEC result 22 Mar 2016: 84/7/7 of 98"))
_preset(Rules("kz-majilis-2021", "Majilis 2021: 98 list seats, 7% of votes for lists, Hare largest remainders",
              "hare", Threshold(Fraction(7, 100), "party-votes", runner_up=True), "registration-order",
              _ART_97_1 + " (as amended by Constitutional Law of 25 May 2020); CEC result 12 Jan 2021: 76/12/10"))
_preset(Rules("kz-majilis-2023", "Majilis 2023: 69 list seats, 5% of valid votes incl. 'against all', Hare LR",
              "hare", Threshold(Fraction(5, 100), "valid-votes", runner_up=True), "registration-order",
              _ART_97_1 + " (as amended by Constitutional Law of 5 Nov 2022: 5% threshold, 'against all' in the base); "
              "CEC result 27 Mar 2023: 40/8/6/6/5/4 of 69"))
_preset(Rules("kz-maslikhat-2021", "Maslikhats 2021: whole council by party lists, 7% threshold, Hare LR",
              "hare", Threshold(Fraction(7, 100), "party-votes", runner_up=True), "registration-order",
              "Constitutional Law 'On Elections', maslikhat party-list elections as amended 25 May 2020 (7% "
              "threshold, allocation as in Art. 97-1)"))
_preset(Rules("kz-maslikhat-2023", "Maslikhats 2023 (regional and city of republican significance): list half, "
              "5% of valid votes incl. 'against all', Hare LR", "hare",
              Threshold(Fraction(5, 100), "valid-votes", runner_up=True), "registration-order",
              "Constitutional Law 'On Elections' as amended 5 Nov 2022 (mixed maslikhats: half by party lists, 5% "
              "threshold with 'against all' in the base; allocation as in Art. 97-1)"))


def get_preset(preset_id: str) -> Rules:
    """The preset registered under ``preset_id`` (unknown ids list the valid ones).

    >>> get_preset("kz-majilis-2023").threshold.base
    'valid-votes'
    """
    try:
        return PRESETS[preset_id]
    except KeyError:
        raise UnknownIdError("rules preset", preset_id, sorted(PRESETS)) from None
