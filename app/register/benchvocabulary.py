"""Word lists and sentence forms for `flask bench-data` (app/register/benchdata.py).

Everything here is data: the ministries, committees, cabinets, subjects and the forms in which
Kamerbrieven and debate reports word a promise. The people are made up; the ministries and
committees are the real ones; the dossier numbers lie in the Kamer's range, a few of them real,
most invented. Lists that are drawn with a Zipf-like weight (see ``benchdata.Zipf``) are in
order of how often they should occur, the most frequent first.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

#: The day the current cabinet took office; ministries founded then have no earlier promises.
SCHOOF = dt.date(2024, 7, 2)

#: Cabinets in the period (start, end); an official serves from start to end.
CABINETS: list[tuple[str, dt.date, dt.date | None]] = [
    ("Rutte II", dt.date(2012, 11, 5), dt.date(2017, 10, 26)),
    ("Rutte III", dt.date(2017, 10, 26), dt.date(2022, 1, 10)),
    ("Rutte IV", dt.date(2022, 1, 10), SCHOOF),
    ("Schoof", SCHOOF, None),
]


@dataclass(frozen=True)
class Topic:
    """A subject a ministry makes promises about, and the Kamer dossier it is filed in."""

    #: As it stands in a sentence: "de aanpak van ondermijning".
    phrase: str
    #: As it stands in a title: "aanpak ondermijning".
    short: str
    #: Dossier number as the Kamer writes it: "29 911".
    dossier: str
    #: The dossier's title: "Bestrijding georganiseerde criminaliteit".
    dossier_title: str


@dataclass(frozen=True)
class MinistryData:
    code: str
    name: str
    #: What follows "Minister van" / "Staatssecretaris van": "Justitie en Veiligheid".
    portfolio: str
    #: The first day the ministry exists (in this register).
    founded: dt.date
    #: Relative share of the register's promises.
    weight: float
    #: Abbreviation of the committee that follows this ministry.
    committee: str
    #: Extra ministers "voor …" working from this ministry in some cabinets.
    extra_ministers: tuple[str, ...]
    topics: tuple[Topic, ...]


def _t(phrase: str, short: str, dossier: str, dossier_title: str) -> Topic:
    return Topic(phrase, short, dossier, dossier_title)


_EARLY = dt.date(2000, 1, 1)

MINISTRIES: list[MinistryData] = [
    MinistryData(
        "AZ", "Ministerie van Algemene Zaken", "Algemene Zaken", _EARLY, 0.6, "AZ",
        (),
        (
            _t("de communicatie van de rijksoverheid", "communicatie rijksoverheid", "32 761",
               "Overheidscommunicatie"),
            _t("de openbaarheid van de ministerraad", "openbaarheid ministerraad", "35 510",
               "Open overheid"),
            _t("de positie van het Koninklijk Huis", "Koninklijk Huis", "36 031",
               "Koninklijk Huis"),
            _t("de Staat van de rechtsstaat", "staat van de rechtsstaat", "36 290",
               "Rechtsstaat en bestuurscultuur"),
        ),
    ),
    MinistryData(
        "BZ", "Ministerie van Buitenlandse Zaken", "Buitenlandse Zaken", _EARLY, 5.0, "BuZa",
        ("Buitenlandse Handel en Ontwikkelingssamenwerking",),
        (
            _t("de steun aan Oekraïne", "steun Oekraïne", "36 045", "Situatie in Oekraïne"),
            _t("de Raad Buitenlandse Zaken", "Raad Buitenlandse Zaken", "21 501-02",
               "Raad Algemene Zaken en Raad Buitenlandse Zaken"),
            _t("de mensenrechten in het buitenlands beleid", "mensenrechtenbeleid", "32 735",
               "Mensenrechten in het buitenlands beleid"),
            _t("de Europese Raad", "Europese Raad", "21 501-20", "Europese Raad"),
            _t("de consulaire dienstverlening", "consulaire dienstverlening", "30 010",
               "Consulaire dienstverlening"),
            _t("de ontwikkelingssamenwerking in Afrika", "ontwikkelingssamenwerking Afrika",
               "34 952", "Ontwikkelingssamenwerking"),
            _t("het handelsbeleid van de Europese Unie", "EU-handelsbeleid", "21 501-04",
               "Raad Buitenlandse Zaken (Handel)"),
            _t("de exportcontrole op strategische goederen", "exportcontrole", "22 054",
               "Wapenexportbeleid"),
            _t("de situatie in het Midden-Oosten", "Midden-Oosten", "23 432",
               "Situatie in het Midden-Oosten"),
            _t("het postennetwerk", "postennetwerk", "32 734", "Postennetwerk"),
        ),
    ),
    MinistryData(
        "BZK", "Ministerie van Binnenlandse Zaken en Koninkrijksrelaties",
        "Binnenlandse Zaken en Koninkrijksrelaties", _EARLY, 7.0, "BiZa",
        ("Volkshuisvesting en Ruimtelijke Ordening",),
        (
            _t("de financiële verhouding tussen Rijk en gemeenten", "financiële verhouding",
               "35 356", "Financiële verhoudingen"),
            _t("de informatiehuishouding van de rijksoverheid", "informatiehuishouding",
               "32 802", "Informatiehuishouding rijksoverheid"),
            _t("de digitale overheid", "digitale overheid", "26 643", "Informatie- en "
               "communicatietechnologie (ICT)"),
            _t("de weerbaarheid van het openbaar bestuur", "weerbaarheid openbaar bestuur",
               "28 844", "Integriteit en weerbaarheid openbaar bestuur"),
            _t("de verkiezingen", "verkiezingen", "35 165", "Verkiezingen"),
            _t("de arbeidsvoorwaarden van ambtenaren", "arbeidsvoorwaarden ambtenaren",
               "31 701", "Arbeidsvoorwaarden en personeelsbeleid rijk"),
            _t("de ontwikkeling van Caribisch Nederland", "Caribisch Nederland", "36 004",
               "Koninkrijksrelaties"),
            _t("de versterking van de rechtsstatelijkheid", "rechtsstatelijkheid", "35 570",
               "Herstel van vertrouwen in de overheid"),
            _t("de woningbouwopgave", "woningbouwopgave", "32 847",
               "Integrale visie op de woningmarkt"),
            _t("de uitvoering van de Omgevingswet", "Omgevingswet", "33 118", "Omgevingswet"),
            _t("de algoritmes bij de overheid", "algoritmes overheid", "26 643-A",
               "Algoritmes en data bij de overheid"),
        ),
    ),
    MinistryData(
        "Defensie", "Ministerie van Defensie", "Defensie", _EARLY, 4.0, "DEF",
        (),
        (
            _t("de personele vulling van de krijgsmacht", "personele vulling krijgsmacht",
               "35 570-X", "Personeelsbeleid Defensie"),
            _t("de materieelprojecten", "materieelprojecten", "27 830", "Materieelprojecten"),
            _t("de inzet van de krijgsmacht in het buitenland", "missies buitenland",
               "29 521", "Nederlandse deelname aan vredesmissies"),
            _t("het defensievastgoed", "defensievastgoed", "34 919", "Defensievastgoed"),
            _t("de sociale veiligheid bij Defensie", "sociale veiligheid Defensie", "34 919-S",
               "Integriteit en sociale veiligheid Defensie"),
            _t("de NAVO-norm", "NAVO-norm", "28 676", "NAVO"),
            _t("de veteranenzorg", "veteranenzorg", "30 139", "Veteranenbeleid"),
            _t("de cyberweerbaarheid van Defensie", "cyberweerbaarheid Defensie", "33 763",
               "Toekomst van de krijgsmacht"),
        ),
    ),
    MinistryData(
        "EZ", "Ministerie van Economische Zaken", "Economische Zaken", _EARLY, 6.0, "EZ",
        ("Klimaat en Energie",),
        (
            _t("het ondernemersklimaat", "ondernemersklimaat", "32 637",
               "Bedrijfslevenbeleid"),
            _t("de gaswinning in Groningen", "gaswinning Groningen", "33 529",
               "Gaswinning Groningen"),
            _t("de schadeafhandeling in Groningen", "schadeafhandeling Groningen", "33 529-S",
               "Schadeafhandeling mijnbouw"),
            _t("de netcongestie", "netcongestie", "29 023", "Voorzienings- en "
               "leveringszekerheid energie"),
            _t("de positie van het mkb", "positie mkb", "32 637-M", "Midden- en kleinbedrijf"),
            _t("de regeldruk voor ondernemers", "regeldruk ondernemers", "32 637-R",
               "Regeldruk"),
            _t("de postmarkt", "postmarkt", "29 502", "Postmarkt"),
            _t("de telecommunicatiemarkt", "telecommunicatie", "24 095", "Frequentiebeleid"),
            _t("de invoering van de Digital Markets Act", "Digital Markets Act", "22 112",
               "Nieuwe Commissievoorstellen en initiatieven"),
        ),
    ),
    MinistryData(
        "FIN", "Ministerie van Financiën", "Financiën", _EARLY, 6.0, "FIN",
        (),
        (
            _t("de hersteloperatie toeslagen", "hersteloperatie toeslagen", "31 066",
               "Belastingdienst"),
            _t("de Belastingdienst", "Belastingdienst", "31 066-B", "Belastingdienst"),
            _t("de box 3-heffing", "box 3", "32 140", "Herziening belastingstelsel"),
            _t("de staatsdeelnemingen", "staatsdeelnemingen", "28 165",
               "Deelnemingenbeleid rijksoverheid"),
            _t("het toezicht op de financiële markten", "toezicht financiële markten",
               "32 545", "Wet- en regelgeving financiële markten"),
            _t("de fiscale regelingen", "fiscale regelingen", "32 140-F",
               "Fiscale regelingen"),
            _t("de bestrijding van witwassen", "bestrijding witwassen", "31 477",
               "Financieel stelsel en witwassen"),
            _t("de begrotingsregels", "begrotingsregels", "36 200", "Miljoenennota"),
            _t("de douane", "douane", "31 934", "Douane"),
        ),
    ),
    MinistryData(
        "IenW", "Ministerie van Infrastructuur en Waterstaat", "Infrastructuur en Waterstaat",
        _EARLY, 7.0, "IenW",
        (),
        (
            _t("de instandhouding van bruggen en tunnels", "instandhouding bruggen en tunnels",
               "35 570-A", "Infrastructuurfonds"),
            _t("de prestaties van de NS", "prestaties NS", "29 984", "Spoor: vervoer- en "
               "beheerplan"),
            _t("de verkeersveiligheid", "verkeersveiligheid", "29 398", "Maatregelen "
               "verbetering verkeersveiligheid"),
            _t("de luchtvaart en Schiphol", "Schiphol", "29 665", "Schiphol"),
            _t("het hoogwaterbeschermingsprogramma", "hoogwaterbescherming", "27 625",
               "Waterbeleid"),
            _t("de circulaire economie", "circulaire economie", "32 852",
               "Beleidsprogramma circulaire economie"),
            _t("de PFAS-vervuiling", "PFAS", "35 334", "Problematiek rondom PFAS"),
            _t("het openbaar vervoer in de regio", "regionaal openbaar vervoer", "23 645",
               "Openbaar vervoer"),
            _t("de bereikbaarheid van de regio", "bereikbaarheid regio", "36 600-A",
               "MIRT"),
            _t("de scheepvaart", "scheepvaart", "31 409", "Zeevaartbeleid"),
        ),
    ),
    MinistryData(
        "JenV", "Ministerie van Justitie en Veiligheid", "Justitie en Veiligheid", _EARLY, 12.0,
        "J&V",
        ("Rechtsbescherming", "Migratie"),
        (
            _t("de aanpak van ondermijning", "aanpak ondermijning", "29 911",
               "Bestrijding georganiseerde criminaliteit"),
            _t("het vreemdelingenbeleid", "vreemdelingenbeleid", "19 637",
               "Vreemdelingenbeleid"),
            _t("de capaciteit van het gevangeniswezen", "capaciteit gevangeniswezen", "24 587",
               "Justitiële inrichtingen"),
            _t("de politie", "politie", "29 628", "Politie"),
            _t("de strafrechtketen", "strafrechtketen", "29 279", "Rechtsstaat en "
               "rechtsorde"),
            _t("de rechtspraak", "rechtspraak", "29 279-R", "Rechtspraak"),
            _t("de bestrijding van cybercriminaliteit", "cybercriminaliteit", "26 643-C",
               "Cybercriminaliteit"),
            _t("de slachtofferhulp", "slachtofferhulp", "33 552", "Slachtofferbeleid"),
            _t("de rechtsbijstand", "rechtsbijstand", "31 753", "Rechtsbijstand"),
            _t("de kansspelen", "kansspelen", "24 557", "Kansspelen"),
            _t("de jeugdbescherming", "jeugdbescherming", "31 839",
               "Jeugdbeleid en jeugdbescherming"),
            _t("de terugkeer van uitgeprocedeerde asielzoekers", "terugkeer", "19 637-T",
               "Terugkeerbeleid"),
            _t("de terrorismebestrijding", "terrorismebestrijding", "29 754",
               "Terrorismebestrijding"),
        ),
    ),
    MinistryData(
        "KGG", "Ministerie van Klimaat en Groene Groei", "Klimaat en Groene Groei", SCHOOF,
        4.0, "KGG",
        (),
        (
            _t("het klimaatbeleid", "klimaatbeleid", "32 813", "Kabinetsaanpak klimaatbeleid"),
            _t("de energietransitie in de industrie", "verduurzaming industrie", "29 826",
               "Duurzame ontwikkeling en beleid"),
            _t("de wind op zee", "wind op zee", "33 561", "Windenergie op zee"),
            _t("de warmtetransitie", "warmtetransitie", "36 576", "Wet collectieve "
               "warmtevoorziening"),
            _t("de waterstofmarkt", "waterstof", "32 813-W", "Waterstofbeleid"),
            _t("de energierekening van huishoudens", "energierekening", "29 023-E",
               "Energieprijzen"),
        ),
    ),
    MinistryData(
        "LNV", "Ministerie van Landbouw, Visserij, Voedselzekerheid en Natuur",
        "Landbouw, Visserij, Voedselzekerheid en Natuur", _EARLY, 5.0, "LVVN",
        ("Natuur en Stikstof",),
        (
            _t("de stikstofaanpak", "stikstofaanpak", "35 334-S", "Problematiek rondom "
               "stikstof"),
            _t("het mestbeleid", "mestbeleid", "33 037", "Mestbeleid"),
            _t("het dierenwelzijn", "dierenwelzijn", "28 286", "Dierenwelzijn"),
            _t("de visserij", "visserij", "29 664", "Visserijbeleid"),
            _t("het Gemeenschappelijk Landbouwbeleid", "GLB", "28 625",
               "Gemeenschappelijk Landbouwbeleid"),
            _t("de natuurherstelopgave", "natuurherstel", "33 576", "Natuurbeleid"),
            _t("de voedselveiligheid", "voedselveiligheid", "26 991", "Voedselveiligheid"),
            _t("de bestrijding van de vogelgriep", "vogelgriep", "28 807",
               "Diergezondheid"),
        ),
    ),
    MinistryData(
        "OCW", "Ministerie van Onderwijs, Cultuur en Wetenschap",
        "Onderwijs, Cultuur en Wetenschap", _EARLY, 7.0, "OCW",
        ("Primair en Voortgezet Onderwijs",),
        (
            _t("het lerarentekort", "lerarentekort", "27 923", "Werken in het onderwijs"),
            _t("de basisvaardigheden", "basisvaardigheden", "31 293", "Primair onderwijs"),
            _t("de kansengelijkheid in het onderwijs", "kansengelijkheid", "31 289",
               "Voortgezet onderwijs"),
            _t("de internationalisering in het hoger onderwijs", "internationalisering",
               "22 452", "Hoger onderwijs"),
            _t("de studiefinanciering", "studiefinanciering", "24 724", "Studiefinanciering"),
            _t("het passend onderwijs", "passend onderwijs", "31 497", "Passend onderwijs"),
            _t("de cultuursector", "cultuursector", "32 820", "Cultuurbeleid"),
            _t("de sociale veiligheid in het onderwijs", "sociale veiligheid onderwijs",
               "29 240", "Veiligheid in het onderwijs"),
            _t("het mbo", "mbo", "31 524", "Middelbaar beroepsonderwijs"),
            _t("de publieke omroep", "publieke omroep", "32 827", "Mediabeleid"),
            _t("het wetenschapsbeleid", "wetenschapsbeleid", "29 338", "Wetenschapsbeleid"),
        ),
    ),
    MinistryData(
        "SZW", "Ministerie van Sociale Zaken en Werkgelegenheid",
        "Sociale Zaken en Werkgelegenheid", _EARLY, 8.0, "SZW",
        ("Armoedebeleid, Participatie en Pensioenen",),
        (
            _t("de vereenvoudiging van de Participatiewet", "Participatiewet", "34 352",
               "Participatiewet"),
            _t("de armoede- en schuldenaanpak", "armoede en schulden", "24 515",
               "Armoede- en schuldenbeleid"),
            _t("de pensioentransitie", "pensioentransitie", "32 043", "Pensioenstelsel"),
            _t("de arbeidsmarktkrapte", "arbeidsmarktkrapte", "29 544", "Arbeidsmarktbeleid"),
            _t("de kinderopvangtoeslag", "kinderopvang", "31 322", "Kinderopvang"),
            _t("de arbeidsmigratie", "arbeidsmigratie", "29 861", "Arbeidsmigratie"),
            _t("de uitvoering door het UWV", "uitvoering UWV", "26 448", "Structuur van de "
               "uitvoering werk en inkomen"),
            _t("de inburgering", "inburgering", "32 824", "Integratiebeleid"),
            _t("de arbeidsomstandigheden", "arbeidsomstandigheden", "25 883",
               "Arbeidsomstandigheden"),
            _t("het minimumloon", "minimumloon", "34 580", "Wettelijk minimumloon"),
        ),
    ),
    MinistryData(
        "VWS", "Ministerie van Volksgezondheid, Welzijn en Sport",
        "Volksgezondheid, Welzijn en Sport", _EARLY, 12.0, "VWS",
        ("Medische Zorg", "Jeugd, Preventie en Sport"),
        (
            _t("de jeugdzorg", "jeugdzorg", "31 839-J", "Jeugdzorg"),
            _t("de langdurige zorg", "langdurige zorg", "34 104", "Langdurige zorg"),
            _t("de geestelijke gezondheidszorg", "ggz", "25 424", "Geestelijke "
               "gezondheidszorg"),
            _t("de huisartsenzorg", "huisartsenzorg", "33 578", "Eerstelijnszorg"),
            _t("de arbeidsmarkt in de zorg", "arbeidsmarkt zorg", "29 282",
               "Arbeidsmarktbeleid in de zorgsector"),
            _t("de wachtlijsten in de zorg", "wachtlijsten zorg", "29 689",
               "Herziening Zorgstelsel"),
            _t("de geneesmiddelenprijzen", "geneesmiddelen", "29 477",
               "Geneesmiddelenbeleid"),
            _t("de pandemische paraatheid", "pandemische paraatheid", "25 295",
               "Infectieziektenbestrijding"),
            _t("het preventiebeleid", "preventie", "32 793", "Preventief gezondheidsbeleid"),
            _t("de sportakkoorden", "sport", "30 234", "Sportbeleid"),
            _t("de zorgverzekering en het eigen risico", "eigen risico", "29 689-E",
               "Zorgverzekeringswet"),
            _t("de ouderenzorg", "ouderenzorg", "31 765", "Kwaliteit van zorg"),
        ),
    ),
    MinistryData(
        "VRO", "Ministerie van Volkshuisvesting en Ruimtelijke Ordening",
        "Volkshuisvesting en Ruimtelijke Ordening", SCHOOF, 4.0, "VRO",
        (),
        (
            _t("de woningbouwproductie", "woningbouwproductie", "32 847-W",
               "Woningbouwproductie"),
            _t("de huurregulering", "huurregulering", "27 926", "Huurbeleid"),
            _t("de ruimtelijke ordening", "ruimtelijke ordening", "34 682",
               "Nationale Omgevingsvisie"),
            _t("de dakloosheid", "dakloosheid", "29 325", "Dak- en thuislozen"),
            _t("de verduurzaming van de gebouwde omgeving", "verduurzaming gebouwde omgeving",
               "30 196", "Duurzame ontwikkeling en beleid"),
        ),
    ),
    MinistryData(
        "AenM", "Ministerie van Asiel en Migratie", "Asiel en Migratie", SCHOOF, 4.0, "AenM",
        (),
        (
            _t("de asielinstroom", "asielinstroom", "19 637-A", "Vreemdelingenbeleid"),
            _t("de opvang van asielzoekers", "opvang asielzoekers", "19 637-O",
               "Opvang asielzoekers"),
            _t("het Europees migratiepact", "migratiepact", "32 317", "JBZ-Raad"),
            _t("de gezinshereniging", "gezinshereniging", "19 637-G", "Gezinsmigratie"),
            _t("de doorlooptijden bij de IND", "doorlooptijden IND", "19 637-I",
               "Immigratie- en Naturalisatiedienst"),
        ),
    ),
]  # fmt: skip

#: The Tweede Kamer's vaste commissies (name, abbreviation). The three the seed data knows
#: keep its exact names, so `flask seed` after `flask bench-data` finds them.
COMMITTEES: list[tuple[str, str]] = [
    ("Vaste commissie voor Algemene Zaken", "AZ"),
    ("Vaste commissie voor Binnenlandse Zaken", "BiZa"),
    ("Vaste commissie voor Buitenlandse Zaken", "BuZa"),
    ("Vaste commissie voor Buitenlandse Handel en Ontwikkelingssamenwerking", "BHO"),
    ("Vaste commissie voor Defensie", "DEF"),
    ("Vaste commissie voor Digitale Zaken", "DiZa"),
    ("Vaste commissie voor Economische Zaken", "EZ"),
    ("Vaste commissie voor Europese Zaken", "EU"),
    ("Vaste commissie voor Financiën", "FIN"),
    ("Vaste commissie voor Infrastructuur en Waterstaat", "IenW"),
    ("Vaste commissie voor Justitie en Veiligheid", "J&V"),
    ("Vaste commissie voor Klimaat en Groene Groei", "KGG"),
    ("Vaste commissie voor Koninkrijksrelaties", "KR"),
    ("Vaste commissie voor Landbouw, Visserij, Voedselzekerheid en Natuur", "LVVN"),
    ("Vaste commissie voor Onderwijs, Cultuur en Wetenschap", "OCW"),
    ("Vaste commissie voor Sociale Zaken en Werkgelegenheid", "SZW"),
    ("Vaste commissie voor Volksgezondheid, Welzijn en Sport", "VWS"),
    ("Vaste commissie voor Volkshuisvesting en Ruimtelijke Ordening", "VRO"),
    ("Vaste commissie voor Asiel en Migratie", "AenM"),
    ("Commissie voor de Rijksuitgaven", "RU"),
]

#: Committees that also hold debates on a ministry's subjects, beside its own.
SIDE_COMMITTEES: dict[str, tuple[str, ...]] = {
    "BZ": ("BHO", "EU"),
    "BZK": ("DiZa", "KR"),
    "EZ": ("DiZa", "EU"),
    "FIN": ("RU",),
    "JenV": ("AenM", "DiZa"),
    "LNV": ("EU",),
}

#: Activity kinds with their share of the occasions on which promises are made, and how many
#: promises one occasion gives (fewest, most).
OCCASIONS: list[tuple[str, float, int, int]] = [
    ("Kamerbrief", 0.40, 1, 4),
    ("Commissiedebat", 0.32, 2, 8),
    ("Plenair debat", 0.13, 1, 6),
    ("Schriftelijk overleg", 0.08, 1, 3),
    ("Wetgevingsoverleg", 0.04, 2, 6),
    ("Notaoverleg", 0.03, 1, 5),
]

# Sentence forms. {when} is the deadline phrase (or nothing), {doc} what will be sent,
# {subject} what it is about, {partner} someone to consult, {role} who speaks in a debate
# report ("minister", "staatssecretaris"), {member} a Kamerlid.

#: Promises as a minister writes them in a Kamerbrief (first person).
LETTER_FORMS: list[str] = [
    "Ik zal uw Kamer {when} informeren over {subject}.",
    "Ik zeg toe uw Kamer {when} {doc} over {subject} te sturen.",
    "Ik stuur uw Kamer {when} {doc} over {subject}.",
    "Uw Kamer ontvangt {when} {doc} over {subject}.",
    "Over {subject} informeer ik uw Kamer {when}.",
    "Het kabinet komt {when} met {doc} over {subject}.",
    "Ik verwacht uw Kamer {when} nader te kunnen informeren over {subject}.",
    "Ik zal uw Kamer {when} {doc} sturen waarin ik inga op {subject}.",
    "Zoals gevraagd zal ik uw Kamer {when} {doc} over {subject} toesturen.",
    "Ik zal {when} met {partner} in gesprek gaan over {subject} en uw Kamer over de uitkomst "
    "informeren.",
    "Ik zal uw Kamer {when} op de hoogte houden van {subject}.",
    "Ik kom {when} bij uw Kamer terug op {subject}.",
    "Ik zal {when} laten onderzoeken hoe het staat met {subject} en uw Kamer de resultaten "
    "toesturen.",
    "Een nieuwe brief over {subject} is voorzien {when}.",
]

#: Promises as a debate report or the Kamer's list of promises words them (third person).
DEBATE_FORMS: list[str] = [
    "De {role} zegt toe de Kamer {when} {doc} over {subject} te sturen.",
    "De {role} zal de Kamer {when} informeren over {subject}.",
    "De {role} zegt toe {when} terug te komen op {subject}.",
    "De {role} zegt toe {when} schriftelijk te reageren op {subject}.",
    "De {role} zegt het lid {member} toe de Kamer {when} te informeren over {subject}.",
    "De {role} zegt toe {when} met {partner} in gesprek te gaan over {subject} en de Kamer "
    "over de uitkomst te informeren.",
    "De {role} zegt toe {when} in {doc} in te gaan op {subject}.",
    "De {role} zegt toe de Kamer {when} een overzicht te sturen van {subject}.",
    "De {role} zegt het lid {member} toe {when} na te gaan hoe het staat met {subject}.",
]

#: What a promise is about: "{aspect} van {topic}". Zipf order; "de voortgang" is the
#: register's most frequent content word, on purpose (``benchdata.COMMON_WORD``).
ASPECTS: list[tuple[str, str]] = [
    ("de voortgang", "Voortgang"),
    ("de stand van zaken", "Stand van zaken"),
    ("de uitvoering", "Uitvoering"),
    ("de resultaten", "Resultaten"),
    ("de evaluatie", "Evaluatie"),
    ("de gevolgen", "Gevolgen"),
    ("de mogelijkheden", "Mogelijkheden"),
    ("de kosten", "Kosten"),
    ("de planning", "Planning"),
    ("de knelpunten", "Knelpunten"),
    ("de financiering", "Financiering"),
    ("de uitkomsten", "Uitkomsten"),
    ("de effecten", "Effecten"),
    ("de invulling", "Invulling"),
    ("de uitvoerbaarheid", "Uitvoerbaarheid"),
    ("de vervolgstappen", "Vervolgstappen"),
    ("de aanbevelingen", "Aanbevelingen"),
    ("de capaciteit", "Capaciteit"),
    ("de wachttijden", "Wachttijden"),
    ("de doorlooptijden", "Doorlooptijden"),
    ("de cijfers", "Cijfers"),
    ("de juridische grondslag", "Juridische grondslag"),
    ("de rol van gemeenten", "Rol gemeenten"),
    ("de handhaving", "Handhaving"),
    ("de regeldruk", "Regeldruk"),
    ("de risico's", "Risico's"),
    ("de randvoorwaarden", "Randvoorwaarden"),
    ("de samenhang", "Samenhang"),
    ("de monitoring", "Monitoring"),
    ("de signalen", "Signalen"),
    ("de ervaringen", "Ervaringen"),
    ("de verdeling van de middelen", "Verdeling middelen"),
    ("de doelmatigheid", "Doelmatigheid"),
    ("de privacyaspecten", "Privacyaspecten"),
    ("de administratieve lasten", "Administratieve lasten"),
    ("de internationale vergelijking", "Internationale vergelijking"),
    ("de pilots", "Pilots"),
    ("de tijdlijn", "Tijdlijn"),
    ("de communicatie", "Communicatie"),
    ("de personele bezetting", "Personele bezetting"),
    ("het draagvlak", "Draagvlak"),
    ("het tijdpad", "Tijdpad"),
    ("het wetgevingstraject", "Wetgevingstraject"),
    ("de lessen", "Lessen"),
    ("de proeftuinen", "Proeftuinen"),
    ("de betrokkenheid van de regio", "Betrokkenheid regio"),
    ("de toegankelijkheid", "Toegankelijkheid"),
    ("de informatievoorziening", "Informatievoorziening"),
    ("de klachtenafhandeling", "Klachtenafhandeling"),
    ("de bekostiging", "Bekostiging"),
]

#: What will be sent (Zipf order), and how a title names it.
DOCUMENTS: list[tuple[str, str]] = [
    ("een brief", "Brief"),
    ("een voortgangsbrief", "Voortgangsbrief"),
    ("de kabinetsreactie", "Kabinetsreactie"),
    ("een beleidsreactie", "Beleidsreactie"),
    ("een overzicht", "Overzicht"),
    ("de evaluatie", "Evaluatie"),
    ("een plan van aanpak", "Plan van aanpak"),
    ("de resultaten van het onderzoek", "Onderzoeksresultaten"),
    ("een verzamelbrief", "Verzamelbrief"),
    ("de voortgangsrapportage", "Voortgangsrapportage"),
    ("een nadere uitwerking", "Uitwerking"),
    ("de monitor", "Monitor"),
    ("een wetsvoorstel", "Wetsvoorstel"),
    ("een tussenrapportage", "Tussenrapportage"),
    ("de jaarrapportage", "Jaarrapportage"),
    ("een appreciatie", "Appreciatie"),
    ("een visiebrief", "Visiebrief"),
    ("het actieplan", "Actieplan"),
    ("een routekaart", "Routekaart"),
    ("de beleidsdoorlichting", "Beleidsdoorlichting"),
]

#: Who the government consults (Zipf order).
PARTNERS: list[str] = [
    "de betrokken gemeenten",
    "de VNG",
    "de sociale partners",
    "de uitvoeringsorganisaties",
    "de provincies",
    "de sector",
    "de toezichthouders",
    "maatschappelijke organisaties",
    "de Europese Commissie",
    "het IPO",
    "de Unie van Waterschappen",
    "de Autoriteit Persoonsgegevens",
    "de Nationale ombudsman",
    "de veiligheidsregio's",
    "de brancheorganisaties",
    "de kennisinstellingen",
    "de koepelorganisaties",
    "de Caribische landen",
    "de Raad voor de rechtspraak",
    "de netbeheerders",
    "de zorgverzekeraars",
    "de onderwijsinstellingen",
    "de woningcorporaties",
    "de vakbonden",
    "de werkgeversorganisaties",
]

#: Second sentences that add detail; {detail} and {trigger} are filled in from below.
ADDITIONS: list[str] = [
    "Daarbij betrek ik {detail}.",
    "Daarbij wordt ook gekeken naar {detail}.",
    "Dit naar aanleiding van {trigger}.",
    "In die brief ga ik ook in op {detail}.",
    "Daarbij wordt ingegaan op {detail}, mede naar aanleiding van {trigger}.",
    "De Kamer wordt daarbij ook geïnformeerd over {detail}.",
]

#: Details, the long tail of the vocabulary (Zipf order; many occur rarely).
DETAILS: list[str] = [
    "de positie van gemeenten",
    "de gevolgen voor het mkb",
    "de situatie in Caribisch Nederland",
    "de aanbevelingen van de Algemene Rekenkamer",
    "de positie van jongeren",
    "de ervaringen in andere lidstaten",
    "de rol van de toezichthouder",
    "de gevolgen voor de rijksbegroting",
    "de uitkomsten van de internetconsultatie",
    "de positie van mantelzorgers",
    "de uitvoeringstoets",
    "de toegankelijkheid voor mensen met een beperking",
    "de gevolgen voor de regionale economie",
    "de signalen uit het veld",
    "de bescherming van persoonsgegevens",
    "de kosten voor burgers",
    "de administratieve lasten voor instellingen",
    "de ervaringen van ervaringsdeskundigen",
    "de rol van het Openbaar Ministerie",
    "de samenwerking met België en Duitsland",
    "de positie van zzp'ers",
    "de gevolgen voor laaggeletterden",
    "de situatie in de grensregio's",
    "de digitale weerbaarheid",
    "de Europese aanbestedingsregels",
    "de afspraken in het coalitieakkoord",
    "de motie over de bestaanszekerheid",
    "de gevolgen voor de stikstofdepositie",
    "de positie van statushouders",
    "de inzet van artificiële intelligentie",
    "de rechtsbescherming van burgers",
    "de wachtlijstproblematiek",
    "de doorwerking in de Voorjaarsnota",
    "de samenloop met andere regelingen",
    "de positie van kleine gemeenten",
    "de situatie op de Waddeneilanden",
    "de gevolgen van de energieprijzen",
    "de problemen met de ICT-systemen",
    "de inzet van boa's",
    "de resultaten van de pilot in Rotterdam",
    "de ervaringen in Amsterdam",
    "de aanpak in Utrecht",
    "de situatie in Groningen",
    "de proef in Eindhoven",
    "de resultaten in Den Haag",
    "de ervaringen in Zwolle",
    "de aanpak in Maastricht",
    "de situatie in Leeuwarden",
    "de proeftuin in Almere",
    "de regio Twente",
    "de regio Zeeland",
    "de Achterhoek",
    "de Noordoostpolder",
    "de Veenkoloniën",
    "de regio Parkstad",
    "de Bollenstreek",
    "de Betuwe",
    "de Alblasserwaard",
    "Bonaire",
    "Sint Eustatius",
    "Saba",
    "de regio Haaglanden",
    "de Zaanstreek",
    "de Kempen",
    "het Westland",
    "de Gelderse Vallei",
    "de Peel",
    "de Krimpenerwaard",
    "de Drechtsteden",
    "de Hoeksche Waard",
    "het Groene Hart",
    "de positie van laagopgeletterde ouderen",
    "de meldplicht datalekken",
    "de verlengde houdbaarheid van vaccins",
    "de vergunningverlening voor windparken",
    "de zeggenschap van cliëntenraden",
    "de rol van wijkteams",
    "de zorg voor dak- en thuisloze jongeren",
    "het hitteplan",
    "de aanpak van laaggeletterdheid",
    "de toekomst van de Waddenzee",
    "de regeling voor zeldzame ziekten",
    "de inzet van drones",
    "de vergoeding van reiskosten",
    "de bescherming van klokkenluiders",
    "de gevolgen voor de Friese taal",
    "de bereikbaarheid van de Eemshaven",
    "de vismigratierivier",
    "de toekomst van de kustvisserij",
    "de leefbaarheid in krimpgebieden",
    "de situatie van seizoensarbeiders",
    "de problematiek van ondermijning in vakantieparken",
    "de bescherming van zeehonden",
    "de eikenprocessierups",
    "de schade door bodemdaling in het veenweidegebied",
    "de gevolgen voor kermisexploitanten",
    "de afspraken met de Koninklijke Bibliotheek",
    "de monumentenzorg in Limburg",
    "de digitalisering van archieven",
]

#: What gave rise to a promise (Zipf order); {member} is a Kamerlid.
TRIGGERS: list[str] = [
    "vragen van het lid {member}",
    "de motie van het lid {member}",
    "het rapport van de Algemene Rekenkamer",
    "het advies van de Raad van State",
    "het commissiedebat",
    "het rapport van de Nationale ombudsman",
    "het amendement van het lid {member}",
    "een WODC-onderzoek",
    "het interdepartementaal beleidsonderzoek",
    "de berichtgeving in de media",
    "het advies van de Raad voor het Openbaar Bestuur",
    "het rapport van de Onderzoeksraad voor Veiligheid",
    "het rondetafelgesprek",
    "de petitie die de Kamer ontving",
]

#: Deadline phrases as ministers use them (Zipf order). "{year}" is the year the promise was
#: made or the next, "{next}" the next year, "{month}" a month name; the phrases in
#: ``VAGUE_PHRASES`` name no period and get no date.
DEADLINE_PHRASES: list[str] = [
    "voor de zomer",
    "na de zomer",
    "voor het einde van het jaar",
    "in het najaar",
    "voor het zomerreces",
    "begin volgend jaar",
    "in het voorjaar",
    "eind dit jaar",
    "voor het kerstreces",
    "binnen drie maanden",
    "in de eerste helft van {year}",
    "in het eerste kwartaal van {next}",
    "medio {next}",
    "voor Prinsjesdag",
    "binnen zes weken",
    "rond de jaarwisseling",
    "binnen een half jaar",
    "in de tweede helft van {year}",
    "eind {month}",
    "voor de zomer van {next}",
    "in {next}",
    "volgende maand",
    "Q2 {next}",
    "medio {month}",
    "binnen twee maanden",
    "begin {month}",
    "in het derde kwartaal",
    "uiterlijk 1 {month}",
]
VAGUE_PHRASES: list[str] = [
    "de komende tijd",
    "op korte termijn",
    "binnenkort",
    "zo spoedig mogelijk",
]

MONTHS = [
    "januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september",
    "oktober", "november", "december",
]  # fmt: skip

#: Notes a clerk gives when moving a deadline or a status (Dutch, as in the clerk screens).
DEADLINE_NOTES = [
    "Uitgesteld: het onderzoek loopt vertraging op.",
    "Nieuwe termijn na overleg met de Kamercommissie.",
    "Afhankelijk van de uitkomst van de Europese besluitvorming.",
    "Uitgesteld in verband met de formatie.",
    "Eerder dan verwacht, in overleg met de griffie.",
]
WITHDRAWN_NOTES = [
    "Vervallen door de val van het kabinet.",
    "Ingehaald door nieuw beleid.",
    "De Kamer heeft de toezegging als vervallen aangemerkt.",
    "Niet meer actueel na de wetswijziging.",
]
INTERNAL_NOTES = [
    "Afstemmen met de directie Wetgeving.",
    "Concept ligt bij de DG.",
    "Let op: samenhang met de Voorjaarsnota.",
    "Navragen bij de uitvoeringsorganisatie.",
    "Loopt mee in de verzamelbrief.",
]

FIRST_NAMES = [
    "Anne", "Bas", "Charlotte", "Daan", "Eva", "Fatima", "Gerrit", "Hanneke", "Ibrahim",
    "Jasper", "Karin", "Lars", "Maaike", "Noor", "Olaf", "Priya", "Quinten", "Roos", "Sander",
    "Tessa", "Umut", "Vera", "Wouter", "Yara", "Zeynep", "Joost", "Mirjam", "Pieter",
    "Sanne", "Thijs", "Ilse", "Koen", "Linda", "Mohamed", "Nadia", "Ruben", "Sophie", "Tim",
    "Willemijn", "Youssef",
]  # fmt: skip

SURNAMES = [
    "de Vries", "Jansen", "van den Berg", "Bakker", "Visser", "Smit", "Meijer", "de Boer",
    "Mulder", "de Groot", "Bos", "Vos", "Peters", "Hendriks", "van Leeuwen", "Dekker",
    "Brouwer", "de Wit", "Dijkstra", "Smits", "de Graaf", "van der Meer", "van der Linden",
    "Kok", "Jacobs", "de Haan", "Vermeulen", "van den Heuvel", "van der Veen", "van den Broek",
    "de Bruijn", "van Dijk", "Janssen", "Willems", "Koster", "Prins", "Huisman", "Kuipers",
    "Veenstra", "Hoekstra", "Postma", "Kramer", "Schouten", "van Wijk", "Verhoeven", "Maas",
    "Timmermans", "Hermans", "van Dam", "Wolters", "el Amrani", "Yilmaz", "Bouzid", "Öztürk",
    "Ramdin", "Kaya", "Wijnberg", "Terpstra", "Zijlstra", "van Beek", "Verbeek", "Boersma",
    "Groen", "Hofman", "Lammers", "Molenaar", "Nijland", "Oosterhuis", "Rietveld", "Stam",
]  # fmt: skip

#: Fracties (Zipf order) for "gevraagd door".
PARTIES = [
    "VVD", "PVV", "GroenLinks-PvdA", "CDA", "D66", "SP", "NSC", "BBB", "ChristenUnie",
    "PvdD", "SGP", "DENK", "Volt", "JA21", "FvD", "50PLUS",
]  # fmt: skip

#: Letters for officials' initials ("J.A. de Vries").
INITIALS = "ABCDEFGHIJKLMNPRSTW"
