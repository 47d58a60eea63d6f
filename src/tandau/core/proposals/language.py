"""Which language a proposal is written in: Kazakh (``kk``), Russian (``ru``), ``mixed`` or ``unknown``.

Each word is a vote. A word is Kazakh when it holds a letter of the Kazakh alphabet that Russian lacks
(ә ғ қ ң ө ұ ү һ і, or ä ğ q ñ ö ū ü ı in Latin script), when it is a common Kazakh word (also as typed on a
Russian keyboard, ``жок`` for ``жоқ``) or ends in a Kazakh suffix (``-ымыз``, ``-дағы``, ...); it is Russian
when it is a common Russian word or ends in a Russian inflection (``-ого``, ``-ются``, ...). Words of neither
kind (names, numbers, ``акимат``) do not vote. The text is ``kk`` or ``ru`` when that language has at least
three quarters of the votes; ``mixed`` when both languages have a real share (a Kazakh letter and a Russian
sentence, as people write); ``unknown`` when no word votes.

>>> detect_language("Біздің ауылда су жоқ")
'kk'
>>> detect_language("В нашем селе нет воды")
'ru'
>>> detect_language("Бизде су жок, пожалуйста помогите, мы уже устали ждать")
'mixed'
>>> detect_language("12345")
'unknown'
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

__all__ = ["LANGUAGES", "Language", "LanguageVotes", "detect_language", "language_votes"]

Language = Literal["kk", "ru", "mixed", "unknown"]
LANGUAGES: tuple[Language, ...] = ("kk", "ru", "mixed", "unknown")

_KK_LETTERS = frozenset("әғқңөұүһіäğqñöūüı")
_WORD = re.compile(r"[^\W\d_]+")


def _words(text: str) -> list[str]:
    return text.split()


_KK_WORDS = frozenset(_words("""
біз бiз биз біздің биздин бізде бизде бізге бизге мен менің менин сіз сиз сіздер сиздер олар ол бұл бул осы
жоқ жок бар және жане мен пен үшін ушин керек қажет кажет ауыл аул ауылы аулы ауылда аулда көше коше көшесі
кошеси үй уй үйде уйде жыл жылы жылдан бері бери бірақ бирак ешкім ешким ештеңе ештене емес неге қашан кашан
қалай калай сұраймыз сураймыз сұраймын сураймын көмектесіңіздер комектесиниздер рахмет көп коп аз әлі али тағы
тагы дейін дейин кейін кейин туралы арқылы аркылы сияқты сиякты болып болды болса береді береди жатыр тұр тур
жоқпыз ештеңе қала кала қаласы каласы ауданы ауданында мектеп балалар балаларға ата ана әкім аким әкімдік
акимдик сәлеметсіз салеметсиз сәлем салем құрметті курметти біздің биздин отырмыз турамыз тұрамыз
"""))
_KK_SUFFIXES = ("ымыз", "імiз", "имиз", "іміз", "ыңыз", "іңіз", "ыныз", "иниз", "ңыз", "ңіз", "дағы", "дегі",
                "тағы", "тегі", "дагы", "деги", "тагы", "теги", "лары", "лері", "лери", "дары", "дері", "тары",
                "тері", "ға", "ге", "қа", "ке", "ның", "нің", "дың", "дің", "тың", "тің", "нын", "нин", "дын",
                "дин", "сыз", "сіз", "мыз", "міз", "ныз", "ндар", "ндер", "уды", "уди", "уді", "ады", "йды",
                "йди", "еди", "ыды", "ган", "ген", "лык", "лик", "ынын", "ыны", "ылы", "лар", "лер", "дар",
                "дер", "сыныз", "тыныз", "низ", "дерди", "ларды")
_LATIN_KK_SUFFIXES = ("dy", "di", "dı", "ady", "edi", "ymyz", "imiz", "yz", "ız", "lar", "ler", "dar", "der",
                      "tar", "ter", "ga", "ge", "ğa", "qa", "ke", "nyn", "nin", "nıñ", "da", "de", "ta", "te",
                      "myn", "min", "uga", "uge", "ydy", "jok", "joq", "kerek", "auyl", "biz", "jane", "gy", "gı",
                      "jatyr", "tyr", "tır")
_RU_WORDS = frozenset(_words("""
и в во не на что с со по у к для нет есть это как мы нас нам наш наша наше наши вы вас вам он она они их его
ее её уже все всё очень когда почему который которая которые чтобы только был была было были будет год году
лет из за от до при без или но а же ли бы то так там тут где просим прошу пожалуйста помогите здравствуйте
спасибо можно нужно надо нужен нужна нужны село селе села улица улице улицы дом доме дома город городе
"""))
_RU_SUFFIXES = ("ого", "его", "ому", "ему", "ает", "яет", "ают", "яют", "ется", "ются", "ится", "ятся", "ость",
                "ости", "ться", "ами", "ями", "ыми", "ими", "ий", "ый", "ая", "яя", "ое", "ее", "ие", "ые",
                "ия", "ией", "ов", "ев", "ешь", "ишь", "ут", "ют", "ать", "ять", "ить", "еть", "ых", "их",
                "ешь", "ете", "ите", "ую", "юю", "ию", "ьте", "ите")
_ASCII = frozenset("abcdefghijklmnopqrstuvwxyz")


@dataclass(frozen=True, slots=True)
class LanguageVotes:
    """How many words voted Kazakh and Russian."""

    kk: int
    ru: int

    @property
    def language(self) -> Language:
        """The verdict (see the module's docstring)."""
        total = self.kk + self.ru
        if total == 0:
            return "unknown"
        if self.kk * 4 >= total * 3:
            return "kk"
        if self.ru * 4 >= total * 3:
            return "ru"
        return "mixed"


def _vote(word: str) -> int:
    """+1 Kazakh, -1 Russian, 0 neither."""
    if any(ch in _KK_LETTERS for ch in word):
        return 1
    if word in _KK_WORDS:
        return 1
    if all(ch in _ASCII for ch in word):
        return 1 if len(word) >= 3 and word.endswith(_LATIN_KK_SUFFIXES) else 0
    if word in _RU_WORDS:
        return -1
    if len(word) >= 5 and word.endswith(_KK_SUFFIXES) and not word.endswith(("ие", "ке", "ге", "иги", "ини")):
        return 1
    if len(word) >= 4 and word.endswith(_RU_SUFFIXES):
        return -1
    return 0


def language_votes(text: str) -> LanguageVotes:
    """Count the Kazakh and Russian votes of the words of ``text``."""
    kk = ru = 0
    for word in _WORD.findall(text.lower().replace("ё", "е")):
        vote = _vote(word)
        kk += vote > 0
        ru += vote < 0
    return LanguageVotes(kk, ru)


def detect_language(text: str) -> Language:
    """``kk``, ``ru``, ``mixed`` or ``unknown`` (see the module's docstring)."""
    return language_votes(text).language
