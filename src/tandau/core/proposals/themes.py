"""The themes of citizens' proposals (issue 13, item 6): a registry with stable codes and kk/ru/en names.

Each theme carries ``stems``: beginnings of words (Kazakh and Russian, as people type them) that point to the
theme. The classifier turns a word that starts with a stem into one more feature (``#code``), whose weight it
learns from the labelled proposals like any other; a stem decides nothing by itself. A stem ending in ``=`` must
match a whole word (``су=`` is "water" but ``сурак`` is not).

>>> get_theme("water").ru
'Вода и канализация'
>>> [t.code for t in THEMES][-1]
'other'
"""

from __future__ import annotations

from dataclasses import dataclass

from tandau.errors import UnknownIdError

__all__ = ["THEMES", "THEME_CODES", "Theme", "get_theme"]


@dataclass(frozen=True, slots=True)
class Theme:
    """A theme: its stable code, names in English, Russian and Kazakh, what belongs there, and its stems."""

    code: str
    en: str
    ru: str
    kk: str
    covers: str
    stems: tuple[str, ...] = ()

    def name(self, lang: str) -> str:
        """The name in ``lang`` (kk, ru or en; English for any other)."""
        return {"kk": self.kk, "ru": self.ru}.get(lang, self.en)


def _stems(text: str) -> tuple[str, ...]:
    return tuple(text.split())


THEMES: tuple[Theme, ...] = (
    Theme("water", "Water and sewerage", "Вода и канализация", "Су және кәріз",
          "drinking water, pipes, sewerage",
          _stems("вода= воды= воду= водой= водопров водоснаб водокан водомер водовоз скважин колонк канализ септик "
                 "ассениз стоки очистн напор кран питьев опресн су= суы= суды= суға= судың= суын= сусыз ауызсу "
                 "ауыз= құбыр кәріз ұңғыма сорғы тұщы кермек люк")),
    Theme("utilities", "Heating, gas, electricity and housing services", "ЖКХ: тепло, газ, свет",
          "Жылу, газ, жарық және ТКШ",
          "heating, gas, electricity, housing-and-communal services of apartment blocks, tariffs, lifts, roofs",
          _stems("отоплен батаре котельн теплос тэц газ= газа= газу= газом= газов газиф газопров электр электрич "
                 "свет= света= свету= светом= напряжен трансформ подстанц провод тариф квитанц коммунал кск оси= "
                 "капремонт крыш кровл лифт подъезд уголь угля жылу қазандық газдандыр жарық электр кернеу сым= "
                 "сымдар тариф түбіртек коммуналдық пик= пиб= шатыр лифті көмір")),
    Theme("roads", "Roads and transport", "Дороги и транспорт", "Жолдар және көлік",
          "roads, streets, pavements, bridges, public transport, street lighting, parking",
          _stems("дорог асфальт ямы= ямах ямочн тротуар пешеход светофор перекрест мост автобус маршрут остановк "
                 "транспорт парковк стоянк фонар освещен трасс обочин разметк лежач грейдер гравий проезд жол= "
                 "жолы= жолды жолдың жолға жолдар асфальт тротуар шұңқыр көпір аялдама бағдаршам өткел көлік тұрақ "
                 "шам= шамдар жарығы")),
    Theme("housing", "Housing", "Жилье", "Баспана",
          "construction, queues for flats, rental housing, mortgages, dilapidated housing",
          _stems("жиль жилищ квартир очеред очередник арендн ипотек аварийн ветх барак переселен дольщик застройщ "
                 "новостро долгостро общежит ижс= баспана пәтер кезек кезекте жалдамалы ипотека апатты үлескер "
                 "құрылыс жатақхана")),
    Theme("health", "Health", "Здравоохранение", "Денсаулық сақтау",
          "hospitals, clinics, doctors, medicines, ambulance",
          _stems("больниц поликлиник амбулатор врач доктор фельдшер медпункт медсест лекарств аптек скорая скорой "
                 "скорую лечен лечит пациент анализ терапевт педиатр хирург операц роддом осмс мрт инсульт диабет "
                 "онколог стоматолог вакцин здоровь аурухана емхана дәрігер дәрі= дәрілер дәріхана дәріні медбике "
                 "жедел= науқас емде емдел ауыр ауру перзентхана мәмс")),
    Theme("education", "Education", "Образование", "Білім беру",
          "schools, kindergartens, colleges, universities, teachers, study grants",
          _stems("школ детсад садик сад= сада= саду= учител учени урок класс колледж универс студент грант ент= "
                 "образован педагог воспитател стипенд учебник кружк мектеп мұғалім оқушы оқу оқыт сынып балабақша "
                 "колледж студент шәкіртақы ұбт= оқулық педагог тәрбиеші")),
    Theme("jobs", "Jobs and business", "Работа и бизнес", "Жұмыс және бизнес",
          "employment, wages, internships, business and SME support",
          _stems("работу= работа= безработ трудоустр зарплат заработ вакан занятост практик предприним бизнес ип= "
                 "налог кредит сокращ уволи жұмыс жұмыссыз жалақы кәсіпкер бизнес салық несие тәжірибе қамту "
                 "вакансия")),
    Theme("agriculture", "Agriculture", "Сельское хозяйство", "Ауыл шаруашылығы",
          "farming, pastures, livestock, irrigation, subsidies, farm land",
          _stems("пастбищ скот скотин корм= корма= кормов комбикорм сено фермер крестьян посев урожа полив орошен "
                 "арык канал= канала= каналы= каналов субсид ветеринар сельхоз зерн пшениц элеватор теплиц пасек "
                 "овец коров лошад жайылым мал= малды малға малдың шаруа егін егіс суару арық субсидия малдәрігер "
                 "ветеринар фермер шөп= шөпті жем= астық бидай сиыр қой= қойлар жылқы")),
    Theme("social", "Social support", "Социальная поддержка", "Әлеуметтік қолдау",
          "pensions, benefits, disability, large and low-income families, elderly",
          _stems("пенси пособи инвалид многодет малообесп асп= соцработ пожил престарел одинок сирот льгот мсэ= "
                 "колясоч зейнет жәрдемақы мүгедек көпбалалы атаулы әлеуметтік қарт= қарттар жетім мәс=")),
    Theme("culture_sport", "Culture and sport", "Культура и спорт", "Мәдениет және спорт",
          "culture houses, libraries, sport grounds, stadiums, leisure, youth centres",
          _stems("культур клуб библиотек спорт стадион футбол бокс борьб секци бассейн каток кинотеатр театр "
                 "концерт музей молодежн досуг ансамбл домбр мәдениет кітапхана спорт стадион футбол күрес үйірме "
                 "бассейн кинотеатр концерт мұражай домбыра")),
    Theme("ecology", "Ecology and courtyards", "Экология и благоустройство", "Экология және абаттандыру",
          "waste, landfills, pollution, parks, trees, courtyard improvement",
          _stems("мусор свалк полигон отход выброс загрязн смог дым= пыль экологи парк= парка парке сквер дерев "
                 "озелен газон благоустр двор= двора дворе контейнер қоқыс полигон ластан шығарынды түтін шаң "
                 "саябақ гүлзар ағаш көгалдандыр абаттандыр ауланы аулада контейнер")),
    Theme("safety", "Safety", "Безопасность", "Қауіпсіздік",
          "police, crime, stray animals, emergencies, video surveillance",
          _stems("полиц участков краж кража вор= воров угна грабе нарко собак бродяч отлов камер видеонаблюд пожар "
                 "паводк наводнен сель= чс= мошенн хулиган драк безопасн полиция учаскелік ұрлық ұрлап ұры= ит= "
                 "иттер қаңғыбас аулау камера бейнебақылау өрт тасқын алаяқ нашақор қауіпсіз")),
    Theme("governance", "Governance and public services", "Госуправление и госуслуги",
          "Мемлекеттік басқару және қызметтер",
          "corruption, public services, akimats' and officials' work, digital services, deputies' work",
          _stems("коррупц взятк откат чиновник госслуж аким акимат цон= цоне егов egov эцп госуслуг справк депутат "
                 "маслихат бюджет отписк тендер госзакуп прозрачн сыбайлас пара= шенеунік әкім әкімдік хқко "
                 "анықтама депутат мәслихат бюджет қабылдау тендер")),
    Theme("other", "Other", "Другое", "Басқа", "fits none of the other themes", ()),
)

THEME_CODES: tuple[str, ...] = tuple(t.code for t in THEMES)
_BY_CODE = {t.code: t for t in THEMES}


def get_theme(code: str) -> Theme:
    """The theme with ``code``; :class:`~tandau.errors.UnknownIdError` listing the codes otherwise."""
    try:
        return _BY_CODE[code]
    except KeyError:
        raise UnknownIdError("theme", code, THEME_CODES) from None
