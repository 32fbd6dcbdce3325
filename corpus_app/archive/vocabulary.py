"""Words and names the synthetic corpus is made of (generate.py): enough variety for realistic text
and search, all plain ASCII so that alternate spellings (with Azerbaijani or Cyrillic letters) can
never be another expert's canonical name."""

FIRST_NAMES = (
    "Elkhan Farid Rasim Zaur Ilham Tofig Vugar Anar Sergei Dmitriy Andrei Mikhail Nikolai Alexei Ivan Pavel "
    "Leyla Aysel Gunel Nargiz Elena Olga Irina Natalia Tatiana Maria Hikmet Shahin Kamran Jeyhun Fuad Ramin "
    "Vladimir Konstantin Grigory Arkady Ruslan Timur Emil Orkhan"
).split()
LAST_NAMES = (
    "Shahinoglu Mammadov Aliyev Huseynov Hasanov Ismayilov Guliyev Rzayev Abbasov Bagirov Jafarov Karimov "
    "Lavrov Verkhoturov Zakharova Peskov Ushakov Kozyrev Markedonov Lukyanov Trenin Kortunov Suslov Karaganov "
    "Shoigu Rudenko Galuzin Overchuk Bayramov Mammadyarov Hajiyev Novruzov Asadov Gafarov Mehdiyev Khalilov "
    "Sadigov Valiyev Shukurov Nasirov Kazimov Babayev Tagiyev Ahmadov Gasimov Zeynalov Musayev Orujov "
    "Chernyshov Kuznetsov Volkov Sokolov Popov Lebedev Kozlov Novikov Morozov Petrov Fedorov Orlov"
).split()
SYLLABLES = "ba ka la ma na ra sa ta za ga de ke le me ne re se te zi gi bo ko lo mo no ro so to du ku lu".split()
COUNTRIES = ("AZ", "RU", "TR", "GE", "AM", "IR", "KZ", "UZ", "FR", "DE", "US", "CN")
OUTLET_WORDS = (
    "Caspian Baku Eurasia Caucasus Daily Review Observer Herald Times Post Courier Monitor Gazette Report Wire "
    "Chronicle Tribune Express Dispatch News Agenda Compass Bridge Horizon Meridian Focus"
).split()
SECTIONS = ("Politics", "World", "Region", "Analysis", "Opinion", "Diplomacy", "Interview", "Economy")
ROLES = {
    "analyst": ("political analyst", "political scientist", "director of a think tank", "expert on the Caucasus"),
    "legislator": ("member of parliament", "deputy speaker", "chair of the foreign affairs committee"),
    "official": ("foreign minister", "deputy foreign minister", "ambassador", "presidential aide", "spokesperson"),
    "journalist": ("editor-in-chief", "correspondent", "columnist"),
    "other": ("businessman", "historian", "former diplomat"),
}
AFFILIATIONS = (
    "Atlas Research Center", "Valdai Club", "Russian International Affairs Council", "Baku State University",
    "Milli Majlis", "Ministry of Foreign Affairs", "State Duma", "Topchubashov Center", "Carnegie Politika",
    "Center for Analysis of International Relations", "",
)  # fmt: skip
WORDS = (
    "the minister said visit talks relations cooperation strategic partnership region security peace treaty "
    "border delimitation corridor transport energy gas pipeline trade sanctions negotiations agreement "
    "declaration allied interaction president government parliament delegation foreign affairs meeting summit "
    "bilateral trilateral format platform normalization settlement conflict ceasefire peacekeepers mission "
    "withdrawal humanitarian refugees reconstruction investment economic political military joint statement "
    "press conference sides discussed issues questions prospects development stability South Caucasus Baku "
    "Moscow Yerevan Ankara Tehran Brussels Washington European Union OSCE Minsk Group mediation efforts "
    "communications unblocking railway highway Zangezur Lachin Karabakh Nakhchivan Caspian Sea shipping "
    "North-South route logistics customs tariffs supply chain grain fertilizer oil prices market partners "
    "important significant historic new next current previous long-term short-term mutual respect "
    "sovereignty territorial integrity international law principles guarantees commitments obligations "
    "analysts experts observers believe expect note stress emphasize underline recall point out according "
    "to sources reported announced confirmed denied welcomed criticized proposed agreed signed ratified "
    "will would could should must may might also however therefore meanwhile moreover at the same time "
    "in of on for with by from to and or but not only as well as this that these those it they we our their "
    "a an is are was were be been has have had do does did more most less first second third year month week "
    "day today yesterday tomorrow during after before since until against between among within without"
).split()
