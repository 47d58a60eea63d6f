"""Council names in Russian and Kazakh, built from the unit names of the territory tables.

Russian follows the official forms without declension rules beyond two safe ones: an oblast named by an adjective
gives "<adjective> областной маслихат" (Акмолинская → Акмолинский), a district named by an adjective
"<adjective> районный маслихат" (Аягозский район → Аягозский районный маслихат); named units take the genitive of
the generic word ("Маслихат области Абай", "Маслихат района Биржан сал", "Маслихат города Семей"), and a city name
in -а takes -ы/-и after "города" ("Маслихат города Астаны"). Kazakh replaces the final generic word by its
adjective ("Абай облысы" → "Абай облыстық мәслихаты", "Астана қаласы" → "Астана қалалық мәслихаты",
"Аягөз ауданы" → "Аягөз аудандық мәслихаты"; a city named without "қаласы" takes "қалалық мәслихаты"), as the
maslikhats' own acts do ("Шығыс Қазақстан облыстық мәслихаты" and "Абай аудандық мәслихаты", act V15VE004322;
"Кербұлақ аудандық мәслихаты", V09DM000098; "Ақсу қалалық мәслихаты", V12PB003311; adilet.zan.kz). A district
named "<person> атындағы ауданы" (named after) keeps its name and takes "ауданының мәслихаты", the form of its
maslikhat's acts ("Ғабит Мүсірепов атындағы ауданының мәслихаты", G25SE00295M): the adjective would otherwise
name the maslikhat after the person.
A name that does not end as expected gives "Маслихат (<name>)" / "Мәслихат (<name>)".
"""

from __future__ import annotations

MAJILIS_RU = "Мажилис Парламента Республики Казахстан"
MAJILIS_KK = "Қазақстан Республикасы Парламентінің Мәжілісі"

_HUSHING_OR_VELAR = set("гкхжчшщ")


def _city_genitive(name: str) -> str:
    """The name after "города": a feminine name in -а declines (-ы, or -и after г к х ж ч ш щ), others stay.

    >>> _city_genitive("Астана"), _city_genitive("Семей"), _city_genitive("Алматы")
    ('Астаны', 'Семей', 'Алматы')
    """
    if len(name) > 2 and name.endswith("а") and name[-2].isalpha() and name[-2] not in "аеёиоуыэюя":
        return name[:-1] + ("и" if name[-2] in _HUSHING_OR_VELAR else "ы")
    return name


def russian_council_name(level: str, unit_name: str) -> str:
    """The council of ``level`` elected on the unit whose Russian name is ``unit_name``.

    >>> russian_council_name("regional", "область Абай"), russian_council_name("regional", "Акмолинская область")
    ('Маслихат области Абай', 'Акмолинский областной маслихат')
    >>> russian_council_name("republican_city", "г. Астана"), russian_council_name("city", "г. Семей")
    ('Маслихат города Астаны', 'Маслихат города Семей')
    >>> russian_council_name("district", "Аягозский район"), russian_council_name("district", "район Ақсуат")
    ('Аягозский районный маслихат', 'Маслихат района Ақсуат')
    >>> russian_council_name("district", "Район им.Габита Мусрепова")
    'Маслихат района имени Габита Мусрепова'
    """
    name = " ".join(unit_name.split())
    if level == "national":
        return MAJILIS_RU
    if not name:
        return "Маслихат"
    words = name.split(" ")
    if level == "regional":
        if words[0] == "область" and len(words) > 1:
            return "Маслихат области " + " ".join(words[1:])
        if len(words) == 2 and words[1] == "область" and words[0].endswith("ская"):
            return words[0][:-4] + "ский областной маслихат"
    elif level in ("republican_city", "city"):
        if name.startswith("г. ") and len(name) > 3:
            return "Маслихат города " + _city_genitive(name[3:])
    elif level == "district":
        if len(words) == 2 and words[1] == "район" and words[0].endswith(("ский", "цкий")):
            return words[0] + " районный маслихат"
        if words[0] in ("район", "Район") and len(words) > 1:
            rest = " ".join(words[1:])
            if rest.startswith("им."):
                rest = "имени " + rest[3:].lstrip()
            return "Маслихат района " + rest
    return f"Маслихат ({name})"


def kazakh_council_name(level: str, unit_name: str) -> str:
    """The council of ``level`` elected on the unit whose Kazakh name is ``unit_name``.

    >>> kazakh_council_name("regional", "Батыс Қазақстан облысы"), kazakh_council_name("city", "Семей")
    ('Батыс Қазақстан облыстық мәслихаты', 'Семей қалалық мәслихаты')
    >>> kazakh_council_name("republican_city", "Астана қаласы"), kazakh_council_name("district", "Аягөз ауданы")
    ('Астана қалалық мәслихаты', 'Аягөз аудандық мәслихаты')
    >>> kazakh_council_name("district", "Ғабит Мүсірепов атындағы ауданы")
    'Ғабит Мүсірепов атындағы ауданының мәслихаты'
    >>> kazakh_council_name("district", "Аягозский район")
    'Мәслихат (Аягозский район)'
    """
    name = " ".join(unit_name.split())
    if level == "national":
        return MAJILIS_KK
    if not name:
        return "Мәслихат"
    suffixes = {"regional": (" облысы", " облыстық мәслихаты"), "republican_city": (" қаласы", " қалалық мәслихаты"),
                "city": (" қаласы", " қалалық мәслихаты"), "district": (" ауданы", " аудандық мәслихаты")}
    if level in suffixes:
        generic, council = suffixes[level]
        if level == "district" and name.endswith(" атындағы ауданы") and len(name) > len(" атындағы ауданы"):
            return name + "ның мәслихаты"
        if name.endswith(generic) and len(name) > len(generic):
            return name.removesuffix(generic) + council
        if level == "city":
            return name + council
    return f"Мәслихат ({name})"
