"""The party's awards (issue 14, item 5): a registry with stable ids and names in Kazakh, Russian and English,
and the statuses of a nomination (nominated -> approved | rejected, with the reason)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Award:
    id: str
    kk: str
    ru: str
    en: str

    def name(self, lang: str) -> str:
        return {"kk": self.kk, "ru": self.ru}.get(lang, self.en)


AWARDS: dict[str, Award] = {a.id: a for a in (
    Award("belsendi-kyzmeti-ushin", "«Белсенді қызметі үшін» медалі", "Медаль «Белсенді қызметі үшін»",
          "Belsendi Kyzmeti Ushin medal (for active service)"),
    Award("letter-of-thanks", "Алғыс хат", "Благодарственное письмо", "Letter of thanks"),
)}
NOMINATION_STATUSES = ("nominated", "approved", "rejected")
DECISIONS = ("approved", "rejected")
