"""Preset rule sets with stable ids, each citing its source (quota-rules.md §A).

Only the list part of each law is encoded here: rules about who takes the mandates (kz-law-2022's 30% of
mandates, xk-2008's and cl-2021's seat corrections) belong to the seat engine. Substitute lists, where a law
has them (ar-27412, bo-026, mx-parity, be-2002), are formed as lists of their own under the same preset.
"""

from __future__ import annotations

from collections.abc import Callable
from fractions import Fraction

from tandau.core.rules.groups import MEN, WOMEN, tagged, under, union
from tandau.core.rules.model import Alternation, Balance, MaxRun, Quota, Rule, RuleSet
from tandau.errors import UnknownIdError

F = Fraction
# The Kazakh legal quota group since 2022 (Art. 89(4), Law 105-VII): on the list and among the mandates.
KZ_2022_GROUP = union("women-under-29-or-disabled", WOMEN, under(29), tagged("disability"))
_REGISTRY: dict[str, Callable[[], RuleSet]] = {}


def _preset(preset_id: str, name: str, source: str, *notes: str) -> Callable[[Callable[[], tuple[Rule, ...]]], None]:
    def decorate(make_rules: Callable[[], tuple[Rule, ...]]) -> None:
        def build() -> RuleSet:
            rules = tuple(_with_origin(r, preset_id) for r in make_rules())
            return RuleSet(preset_id, name, source, rules, tuple(notes))

        _REGISTRY[preset_id] = build

    return decorate


def _with_origin(rule: Rule, origin: str) -> Rule:
    from dataclasses import replace

    return replace(rule, origin=origin)


def preset_ids() -> tuple[str, ...]:
    """Every preset id, in registration order."""
    return tuple(_REGISTRY)


def get_preset(preset_id: str) -> RuleSet:
    """The preset with this id; :class:`UnknownIdError` lists the valid ids otherwise."""
    try:
        return _REGISTRY[preset_id]()
    except KeyError:
        raise UnknownIdError("rule preset", preset_id, tuple(_REGISTRY)) from None


def _both_sexes(**kwargs: object) -> tuple[Quota, Quota]:
    return (Quota(WOMEN, **kwargs), Quota(MEN, **kwargs))  # type: ignore[arg-type]


@_preset(
    "kz-law-2020",
    "Kazakhstan 2020: women or under-29s ≥ 30% of the list",
    "Constitutional Law on Elections, Art. 89(4), as amended by Law No. 335-VI of 25 May 2020",
    "Each person counted once; CEC practice (Adal's 16-name list with 5 such persons) reads it as ≥ ⌈0.3·N⌉.",
)
def _kz_2020() -> tuple[Rule, ...]:
    return (Quota(union("women-or-under-29", WOMEN, under(29)), share=F(3, 10)),)


@_preset(
    "kz-law-2022",
    "Kazakhstan 2022: women, under-29s or persons with disabilities ≥ 30% of the list",
    "Constitutional Law on Elections, Art. 89(4), as amended by Law No. 105-VII of 7 Feb 2022",
    "The law also requires 30% of a party's mandates: see the seat engine; --seat-safe approximates it on the list.",
)
def _kz_2022() -> tuple[Rule, ...]:
    return (Quota(KZ_2022_GROUP, share=F(3, 10)),)


@_preset(
    "nur-otan-2019",
    "Nur Otan 2019: women ≥ 30% and under-35s ≥ 20% of every list",
    "Party rule announced 25–26 Nov 2019 for maslikhat lists, extended in 2020 to the Majilis and all maslikhats",
    "A young woman counts toward both quotas.",
)
def _nur_otan() -> tuple[Rule, ...]:
    return (Quota(WOMEN, share=F(3, 10)), Quota(under(35), share=F(1, 5)))


@_preset(
    "es-loreg-2007",
    "Spain 2007: each sex ≥ 40% and ≥ 2 of each sex in every block of 5",
    "LOREG art. 44 bis (Organic Law 3/2007)",
    "A final block shorter than 5 is as balanced as possible: each sex holds at least half of it, rounded down; "
    "lists of fewer than 5 places only need that balance, not 40%.",
)
def _es_2007() -> tuple[Rule, ...]:
    return (
        *_both_sexes(share=F(2, 5), min_length=5),
        *_both_sexes(count=2, scope="block", size=5, partial="balanced"),
    )


@_preset("es-2024", "Spain 2024: strict alternation of sexes", "Organic Law 2/2024 (secondary source)")
def _es_2024() -> tuple[Rule, ...]:
    return (Alternation(),)


@_preset("pl-2011", "Poland: each sex ≥ 35% of the list", "Electoral Code art. 211 §3")
def _pl() -> tuple[Rule, ...]:
    return _both_sexes(share=F(7, 20))


@_preset(
    "be-2002",
    "Belgium: gap between sexes ≤ 1 and the first two places of different sexes",
    "Electoral Code art. 117bis",
    "Titulars and substitutes are separate lists; apply the preset to each.",
)
def _be() -> tuple[Rule, ...]:
    return (Balance(1), *_both_sexes(count=1, scope="first", size=2))


@_preset("fr-parity", "France: strict alternation (gap ≤ 1)", "Electoral Code, list elections (parity laws)")
def _fr() -> tuple[Rule, ...]:
    return (Alternation(),)


@_preset(
    "pt-2019",
    "Portugal 2019: each sex ≥ 40% (nearest) and at most 2 consecutive of the same sex",
    "Organic Law 1/2019 (amending the Parity Law 3/2006)",
)
def _pt() -> tuple[Rule, ...]:
    return (*_both_sexes(share=F(2, 5), rounding="nearest"), MaxRun(2))


@_preset(
    "ar-27412",
    "Argentina: strict alternation from the first titular to the last substitute",
    "Law 27.412 (2017) on gender parity",
    "A vacancy goes to the next candidate of the same sex (seat engine).",
)
def _ar() -> tuple[Rule, ...]:
    return (Alternation(),)


@_preset(
    "mx-parity",
    "Mexico: titular lists alternate sexes to the end; 50% overall",
    "General Law on Electoral Institutions and Procedures (LGIPE) art. 234 (secondary source; to be checked)",
    "Titular and substitute of a pair are of the same sex: form the substitute list under the same order of sexes.",
)
def _mx() -> tuple[Rule, ...]:
    return (Alternation(), Balance(1))


@_preset(
    "kg-2021",
    "Kyrgyzstan 2021: one sex ≤ 70%, ≤ 3 in a row, ≥ 15% aged 35 or under, ≥ 15% minorities, ≥ 2 disabled",
    "Constitutional Law on Elections of the President and Deputies, art. 60 (2021 edition; secondary source)",
    "Minorities are candidates tagged 'minority'. Seat rule (women ≥ 30% of mandates) is in the seat engine.",
)
def _kg() -> tuple[Rule, ...]:
    return (
        *_both_sexes(bound="max", share=F(7, 10), rounding="floor"),
        MaxRun(3),
        Quota(under(36, "aged-35-or-under"), share=F(3, 20)),
        Quota(tagged("minority"), share=F(3, 20)),
        Quota(tagged("disability"), count=2),
    )


@_preset(
    "uz-2023",
    "Uzbekistan 2023: women ≥ 40% and ≥ 2 women in every 5 consecutive places",
    "Law ZRU-883 amending the Electoral Code (secondary source)",
    "Whether the 5 places are fixed blocks or a sliding window is unclear; this preset uses fixed blocks, "
    "uz-2023-window the sliding window.",
)
def _uz() -> tuple[Rule, ...]:
    return (Quota(WOMEN, share=F(2, 5)), Quota(WOMEN, count=2, scope="block", size=5))


@_preset(
    "uz-2023-window",
    "Uzbekistan 2023 (sliding-window reading): women ≥ 40% and ≥ 2 women in any 5 consecutive places",
    "Law ZRU-883 amending the Electoral Code (secondary source)",
)
def _uz_window() -> tuple[Rule, ...]:
    return (Quota(WOMEN, share=F(2, 5)), Quota(WOMEN, count=2, scope="window", size=5))


@_preset(
    "bo-026",
    "Bolivia: titulars alternate woman/man; odd lists favour women",
    "Law 026 of the Electoral Regime, arts. 11 and 58",
    "Each substitute is of the opposite sex to its titular: form substitutes from the titular order.",
)
def _bo() -> tuple[Rule, ...]:
    return (Alternation(), Quota(WOMEN, share=F(1, 2)))


@_preset("cr-parity", "Costa Rica: strict alternation", "Electoral Code (Law 8765) art. 2")
def _cr() -> tuple[Rule, ...]:
    return (Alternation(),)


@_preset(
    "xk-2008",
    "Kosovo 2008 (list part): each sex ≥ 30% and at least one of each sex in every group of 3",
    "Law No. 03/L-073 on General Elections, art. 27",
    "Lists of one or two candidates are exempt (art. 27.2). Seat correction (women ≥ 30% of a party's seats) "
    "is in the seat engine.",
)
def _xk() -> tuple[Rule, ...]:
    return (
        *_both_sexes(count=1, scope="block", size=3, partial="skip"),
        *_both_sexes(share=F(3, 10), min_length=3),
    )


@_preset(
    "cl-2021",
    "Chile 2021 (list part): alternation starting with a woman; ≥ 5% candidates with disabilities",
    "Law 21.216 (2020) and Law 21.298 (2021)",
    "The 5% disability share applies to a party's candidacies nationally: checked per list as a warning.",
)
def _cl() -> tuple[Rule, ...]:
    return (Alternation(start="F"), Quota(tagged("disability"), share=F(1, 20), enforce=False))


@_preset(
    "tn-2014",
    "Tunisia 2014: strict alternation; a person aged 35 or under among the first 4 (warning)",
    "Organic Law 2014-16 on elections and referendums, arts. 24 and 25",
    "The youth rule applies in districts with ≥ 4 seats and only costs half the public grant: a warning.",
)
def _tn() -> tuple[Rule, ...]:
    return (Alternation(), Quota(under(36, "aged-35-or-under"), count=1, scope="first", size=4, enforce=False))


@_preset(
    "ie-2012",
    "Ireland 2012: each sex ≥ 30% of candidates (warning: funding halved otherwise)",
    "Electoral (Amendment) (Political Funding) Act 2012, s. 42 (40% from 2024)",
)
def _ie() -> tuple[Rule, ...]:
    return _both_sexes(share=F(3, 10), enforce=False)
