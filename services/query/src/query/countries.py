"""Country names: ISO 3166-1 alpha-2 codes with English and Spanish names and common alternative spellings.

Used to resolve what a user types ("AR", "us", "Estados Unidos", "Reino Unido", "usa") to one canonical
country key, so that a country is matched as a whole element and never as a substring.
Historical countries that TMDB or the streaming catalogues list without an ISO code get a key of
their own (``"~" + folded English name``).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Final, NamedTuple

from cinemateca_common.text import fold
from query.matching import Suggester


class Country(NamedTuple):
    """One country: its key (ISO alpha-2 code, or ``~name`` for historical ones) and its names."""

    key: str
    english: str
    spanish: str
    aliases: tuple[str, ...] = ()


def _c(code: str, english: str, spanish: str, *aliases: str) -> Country:
    return Country(code, english, spanish, aliases)


# Every ISO 3166-1 alpha-2 country, plus the historical codes TMDB uses (SU, XC, XG, YU, AN, CS, XK).
COUNTRIES: Final[tuple[Country, ...]] = (
    _c("AD", "Andorra", "Andorra"),
    _c("AE", "United Arab Emirates", "Emiratos Árabes Unidos", "UAE", "Emiratos Arabes"),
    _c("AF", "Afghanistan", "Afganistán"),
    _c("AG", "Antigua and Barbuda", "Antigua y Barbuda"),
    _c("AI", "Anguilla", "Anguila"),
    _c("AL", "Albania", "Albania"),
    _c("AM", "Armenia", "Armenia"),
    _c("AN", "Netherlands Antilles", "Antillas Neerlandesas", "Antillas Holandesas"),
    _c("AO", "Angola", "Angola"),
    _c("AQ", "Antarctica", "Antártida"),
    _c("AR", "Argentina", "Argentina"),
    _c("AS", "American Samoa", "Samoa Americana"),
    _c("AT", "Austria", "Austria"),
    _c("AU", "Australia", "Australia"),
    _c("AW", "Aruba", "Aruba"),
    _c("AX", "Åland Islands", "Islas Åland", "Aland Islands"),
    _c("AZ", "Azerbaijan", "Azerbaiyán"),
    _c("BA", "Bosnia and Herzegovina", "Bosnia y Herzegovina", "Bosnia"),
    _c("BB", "Barbados", "Barbados"),
    _c("BD", "Bangladesh", "Bangladés", "Bangladesh"),
    _c("BE", "Belgium", "Bélgica"),
    _c("BF", "Burkina Faso", "Burkina Faso"),
    _c("BG", "Bulgaria", "Bulgaria"),
    _c("BH", "Bahrain", "Baréin", "Bahréin"),
    _c("BI", "Burundi", "Burundi"),
    _c("BJ", "Benin", "Benín"),
    _c("BL", "Saint Barthélemy", "San Bartolomé"),
    _c("BM", "Bermuda", "Bermudas"),
    _c("BN", "Brunei", "Brunéi", "Brunei Darussalam"),
    _c("BO", "Bolivia", "Bolivia"),
    _c("BQ", "Caribbean Netherlands", "Caribe Neerlandés", "Bonaire"),
    _c("BR", "Brazil", "Brasil"),
    _c("BS", "Bahamas", "Bahamas", "The Bahamas"),
    _c("BT", "Bhutan", "Bután"),
    _c("BV", "Bouvet Island", "Isla Bouvet"),
    _c("BW", "Botswana", "Botsuana"),
    _c("BY", "Belarus", "Bielorrusia"),
    _c("BZ", "Belize", "Belice"),
    _c("CA", "Canada", "Canadá"),
    _c("CC", "Cocos Islands", "Islas Cocos", "Cocos (Keeling) Islands"),
    _c(
        "CD",
        "Democratic Republic of the Congo",
        "República Democrática del Congo",
        "DR Congo",
        "Congo, The Democratic Republic of the",
        "Zaire",
    ),
    _c("CF", "Central African Republic", "República Centroafricana"),
    _c("CG", "Republic of the Congo", "República del Congo", "Congo-Brazzaville"),
    _c("CH", "Switzerland", "Suiza"),
    _c("CI", "Ivory Coast", "Costa de Marfil", "Cote D'Ivoire", "Côte d'Ivoire"),
    _c("CK", "Cook Islands", "Islas Cook"),
    _c("CL", "Chile", "Chile"),
    _c("CM", "Cameroon", "Camerún"),
    _c("CN", "China", "China"),
    _c("CO", "Colombia", "Colombia"),
    _c("CR", "Costa Rica", "Costa Rica"),
    _c("CS", "Serbia and Montenegro", "Serbia y Montenegro"),
    _c("CU", "Cuba", "Cuba"),
    _c("CV", "Cape Verde", "Cabo Verde"),
    _c("CW", "Curaçao", "Curazao", "Curacao"),
    _c("CX", "Christmas Island", "Isla de Navidad"),
    _c("CY", "Cyprus", "Chipre"),
    _c("CZ", "Czech Republic", "República Checa", "Czechia", "Chequia"),
    _c("DE", "Germany", "Alemania"),
    _c("DJ", "Djibouti", "Yibuti"),
    _c("DK", "Denmark", "Dinamarca"),
    _c("DM", "Dominica", "Dominica"),
    _c("DO", "Dominican Republic", "República Dominicana"),
    _c("DZ", "Algeria", "Argelia"),
    _c("EC", "Ecuador", "Ecuador"),
    _c("EE", "Estonia", "Estonia"),
    _c("EG", "Egypt", "Egipto"),
    _c("EH", "Western Sahara", "Sahara Occidental"),
    _c("ER", "Eritrea", "Eritrea"),
    _c("ES", "Spain", "España"),
    _c("ET", "Ethiopia", "Etiopía"),
    _c("FI", "Finland", "Finlandia"),
    _c("FJ", "Fiji", "Fiyi"),
    _c("FK", "Falkland Islands", "Islas Malvinas", "Malvinas"),
    _c("FM", "Micronesia", "Micronesia", "Federated States of Micronesia"),
    _c("FO", "Faroe Islands", "Islas Feroe"),
    _c("FR", "France", "Francia"),
    _c("GA", "Gabon", "Gabón"),
    _c("GB", "United Kingdom", "Reino Unido", "UK", "Great Britain", "Gran Bretaña", "Britain"),
    _c("GD", "Grenada", "Granada"),
    _c("GE", "Georgia", "Georgia"),
    _c("GF", "French Guiana", "Guayana Francesa"),
    _c("GG", "Guernsey", "Guernsey"),
    _c("GH", "Ghana", "Ghana"),
    _c("GI", "Gibraltar", "Gibraltar"),
    _c("GL", "Greenland", "Groenlandia"),
    _c("GM", "Gambia", "Gambia", "The Gambia"),
    _c("GN", "Guinea", "Guinea"),
    _c("GP", "Guadeloupe", "Guadalupe"),
    _c("GQ", "Equatorial Guinea", "Guinea Ecuatorial"),
    _c("GR", "Greece", "Grecia"),
    _c(
        "GS",
        "South Georgia and the South Sandwich Islands",
        "Islas Georgias del Sur y Sandwich del Sur",
    ),
    _c("GT", "Guatemala", "Guatemala"),
    _c("GU", "Guam", "Guam"),
    _c("GW", "Guinea-Bissau", "Guinea-Bisáu"),
    _c("GY", "Guyana", "Guyana"),
    _c("HK", "Hong Kong", "Hong Kong"),
    _c("HM", "Heard Island and McDonald Islands", "Islas Heard y McDonald"),
    _c("HN", "Honduras", "Honduras"),
    _c("HR", "Croatia", "Croacia"),
    _c("HT", "Haiti", "Haití"),
    _c("HU", "Hungary", "Hungría"),
    _c("ID", "Indonesia", "Indonesia"),
    _c("IE", "Ireland", "Irlanda"),
    _c("IL", "Israel", "Israel"),
    _c("IM", "Isle of Man", "Isla de Man"),
    _c("IN", "India", "India"),
    _c("IO", "British Indian Ocean Territory", "Territorio Británico del Océano Índico"),
    _c("IQ", "Iraq", "Irak"),
    _c("IR", "Iran", "Irán", "Islamic Republic of Iran"),
    _c("IS", "Iceland", "Islandia"),
    _c("IT", "Italy", "Italia"),
    _c("JE", "Jersey", "Jersey"),
    _c("JM", "Jamaica", "Jamaica"),
    _c("JO", "Jordan", "Jordania"),
    _c("JP", "Japan", "Japón"),
    _c("KE", "Kenya", "Kenia"),
    _c("KG", "Kyrgyzstan", "Kirguistán"),
    _c("KH", "Cambodia", "Camboya"),
    _c("KI", "Kiribati", "Kiribati"),
    _c("KM", "Comoros", "Comoras"),
    _c("KN", "Saint Kitts and Nevis", "San Cristóbal y Nieves"),
    _c("KP", "North Korea", "Corea del Norte", "Democratic People's Republic of Korea"),
    _c("KR", "South Korea", "Corea del Sur", "Korea", "Republic of Korea", "Corea"),
    _c("KW", "Kuwait", "Kuwait"),
    _c("KY", "Cayman Islands", "Islas Caimán"),
    _c("KZ", "Kazakhstan", "Kazajistán"),
    _c("LA", "Laos", "Laos", "Lao People's Democratic Republic"),
    _c("LB", "Lebanon", "Líbano"),
    _c("LC", "Saint Lucia", "Santa Lucía"),
    _c("LI", "Liechtenstein", "Liechtenstein"),
    _c("LK", "Sri Lanka", "Sri Lanka"),
    _c("LR", "Liberia", "Liberia"),
    _c("LS", "Lesotho", "Lesoto"),
    _c("LT", "Lithuania", "Lituania"),
    _c("LU", "Luxembourg", "Luxemburgo"),
    _c("LV", "Latvia", "Letonia"),
    _c("LY", "Libya", "Libia", "Libyan Arab Jamahiriya"),
    _c("MA", "Morocco", "Marruecos"),
    _c("MC", "Monaco", "Mónaco"),
    _c("MD", "Moldova", "Moldavia", "Republic of Moldova"),
    _c("ME", "Montenegro", "Montenegro"),
    _c("MF", "Saint Martin", "San Martín"),
    _c("MG", "Madagascar", "Madagascar"),
    _c("MH", "Marshall Islands", "Islas Marshall"),
    _c("MK", "North Macedonia", "Macedonia del Norte", "Macedonia"),
    _c("ML", "Mali", "Malí"),
    _c("MM", "Myanmar", "Birmania", "Burma"),
    _c("MN", "Mongolia", "Mongolia"),
    _c("MO", "Macao", "Macao", "Macau"),
    _c("MP", "Northern Mariana Islands", "Islas Marianas del Norte"),
    _c("MQ", "Martinique", "Martinica"),
    _c("MR", "Mauritania", "Mauritania"),
    _c("MS", "Montserrat", "Montserrat"),
    _c("MT", "Malta", "Malta"),
    _c("MU", "Mauritius", "Mauricio"),
    _c("MV", "Maldives", "Maldivas"),
    _c("MW", "Malawi", "Malaui", "Malawi"),
    _c("MX", "Mexico", "México", "Méjico"),
    _c("MY", "Malaysia", "Malasia"),
    _c("MZ", "Mozambique", "Mozambique"),
    _c("NA", "Namibia", "Namibia"),
    _c("NC", "New Caledonia", "Nueva Caledonia"),
    _c("NE", "Niger", "Níger"),
    _c("NF", "Norfolk Island", "Isla Norfolk"),
    _c("NG", "Nigeria", "Nigeria"),
    _c("NI", "Nicaragua", "Nicaragua"),
    _c("NL", "Netherlands", "Países Bajos", "Holland", "Holanda", "The Netherlands"),
    _c("NO", "Norway", "Noruega"),
    _c("NP", "Nepal", "Nepal"),
    _c("NR", "Nauru", "Nauru"),
    _c("NU", "Niue", "Niue"),
    _c("NZ", "New Zealand", "Nueva Zelanda", "Nueva Zelandia"),
    _c("OM", "Oman", "Omán"),
    _c("PA", "Panama", "Panamá"),
    _c("PE", "Peru", "Perú"),
    _c("PF", "French Polynesia", "Polinesia Francesa"),
    _c("PG", "Papua New Guinea", "Papúa Nueva Guinea"),
    _c("PH", "Philippines", "Filipinas"),
    _c("PK", "Pakistan", "Pakistán"),
    _c("PL", "Poland", "Polonia"),
    _c("PM", "Saint Pierre and Miquelon", "San Pedro y Miquelón"),
    _c("PN", "Pitcairn Islands", "Islas Pitcairn", "Pitcairn"),
    _c("PR", "Puerto Rico", "Puerto Rico"),
    _c("PS", "Palestine", "Palestina", "Palestinian Territory", "State of Palestine"),
    _c("PT", "Portugal", "Portugal"),
    _c("PW", "Palau", "Palaos"),
    _c("PY", "Paraguay", "Paraguay"),
    _c("QA", "Qatar", "Catar"),
    _c("RE", "Réunion", "Reunión", "Reunion"),
    _c("RO", "Romania", "Rumania", "Rumanía"),
    _c("RS", "Serbia", "Serbia"),
    _c("RU", "Russia", "Rusia", "Russian Federation", "Federación Rusa"),
    _c("RW", "Rwanda", "Ruanda"),
    _c("SA", "Saudi Arabia", "Arabia Saudita", "Arabia Saudí"),
    _c("SB", "Solomon Islands", "Islas Salomón"),
    _c("SC", "Seychelles", "Seychelles"),
    _c("SD", "Sudan", "Sudán"),
    _c("SE", "Sweden", "Suecia"),
    _c("SG", "Singapore", "Singapur"),
    _c("SH", "Saint Helena", "Santa Elena"),
    _c("SI", "Slovenia", "Eslovenia"),
    _c("SJ", "Svalbard and Jan Mayen", "Svalbard y Jan Mayen"),
    _c("SK", "Slovakia", "Eslovaquia"),
    _c("SL", "Sierra Leone", "Sierra Leona"),
    _c("SM", "San Marino", "San Marino"),
    _c("SN", "Senegal", "Senegal"),
    _c("SO", "Somalia", "Somalia"),
    _c("SR", "Suriname", "Surinam"),
    _c("SS", "South Sudan", "Sudán del Sur"),
    _c("ST", "São Tomé and Príncipe", "Santo Tomé y Príncipe", "Sao Tome and Principe"),
    _c("SU", "Soviet Union", "Unión Soviética", "USSR", "URSS"),
    _c("SV", "El Salvador", "El Salvador"),
    _c("SX", "Sint Maarten", "Sint Maarten"),
    _c("SY", "Syria", "Siria", "Syrian Arab Republic"),
    _c("SZ", "Eswatini", "Esuatini", "Swaziland", "Suazilandia"),
    _c("TC", "Turks and Caicos Islands", "Islas Turcas y Caicos"),
    _c("TD", "Chad", "Chad"),
    _c("TF", "French Southern Territories", "Territorios Australes Franceses"),
    _c("TG", "Togo", "Togo"),
    _c("TH", "Thailand", "Tailandia"),
    _c("TJ", "Tajikistan", "Tayikistán"),
    _c("TK", "Tokelau", "Tokelau"),
    _c("TL", "Timor-Leste", "Timor Oriental", "East Timor"),
    _c("TM", "Turkmenistan", "Turkmenistán"),
    _c("TN", "Tunisia", "Túnez"),
    _c("TO", "Tonga", "Tonga"),
    _c("TR", "Turkey", "Turquía", "Türkiye"),
    _c("TT", "Trinidad and Tobago", "Trinidad y Tobago"),
    _c("TV", "Tuvalu", "Tuvalu"),
    _c("TW", "Taiwan", "Taiwán"),
    _c("TZ", "Tanzania", "Tanzania", "United Republic of Tanzania"),
    _c("UA", "Ukraine", "Ucrania"),
    _c("UG", "Uganda", "Uganda"),
    _c(
        "UM", "United States Minor Outlying Islands", "Islas Ultramarinas Menores de Estados Unidos"
    ),
    _c(
        "US",
        "United States of America",
        "Estados Unidos",
        "United States",
        "USA",
        "U.S.A.",
        "U.S.",
        "EEUU",
        "EE.UU.",
        "EE. UU.",
        "Estados Unidos de América",
    ),
    _c("UY", "Uruguay", "Uruguay"),
    _c("UZ", "Uzbekistan", "Uzbekistán"),
    _c("VA", "Vatican City", "Ciudad del Vaticano", "Holy See", "Vaticano"),
    _c("VC", "Saint Vincent and the Grenadines", "San Vicente y las Granadinas"),
    _c("VE", "Venezuela", "Venezuela"),
    _c("VG", "British Virgin Islands", "Islas Vírgenes Británicas"),
    _c("VI", "United States Virgin Islands", "Islas Vírgenes de los Estados Unidos"),
    _c("VN", "Vietnam", "Vietnam", "Viet Nam"),
    _c("VU", "Vanuatu", "Vanuatu"),
    _c("WF", "Wallis and Futuna", "Wallis y Futuna"),
    _c("WS", "Samoa", "Samoa"),
    _c("XC", "Czechoslovakia", "Checoslovaquia"),
    _c(
        "XG",
        "East Germany",
        "Alemania Oriental",
        "Alemania del Este",
        "German Democratic Republic",
        "RDA",
    ),
    _c("XK", "Kosovo", "Kosovo"),
    _c("YE", "Yemen", "Yemen"),
    _c("YT", "Mayotte", "Mayotte"),
    _c("YU", "Yugoslavia", "Yugoslavia"),
    _c("ZA", "South Africa", "Sudáfrica", "Suráfrica"),
    _c("ZM", "Zambia", "Zambia"),
    _c("ZW", "Zimbabwe", "Zimbabue"),
    # Historical names the catalogues use without an ISO code of their own.
    _c("~west germany", "West Germany", "Alemania Occidental", "Alemania del Oeste", "RFA"),
)


def country_aliases() -> dict[str, str]:
    """Folded spelling -> country key, from every code, English, Spanish and alternative name.

    Raises ValueError if one spelling would name two countries (the table is checked by a test).
    """
    aliases: dict[str, str] = {}
    for country in COUNTRIES:
        names = [country.english, country.spanish, *country.aliases]
        if not country.key.startswith("~"):
            names.append(country.key)
        for name in names:
            key = fold(name)
            previous = aliases.setdefault(key, country.key)
            if previous != country.key:
                raise ValueError(f"{name!r} names both {previous} and {country.key}")
    return aliases


def country_names() -> dict[str, Country]:
    """Country key -> its table entry."""
    return {country.key: country for country in COUNTRIES}


class CountryResolver:
    """Resolves what a user types to a country key: data names, ISO codes, Spanish and English names.

    Keys are ISO 3166-1 alpha-2 codes (upper case) or ``~folded name`` for a country without one.
    Names seen in the data win over the static table, because the counts are keyed by the data.
    """

    def __init__(self, data_names: Iterable[tuple[str, str]]) -> None:
        """``data_names``: (stored name, key) pairs as they occur in the data."""
        self._aliases = country_aliases()
        self._table = country_names()
        self._display: dict[str, str] = {}
        for name, key in data_names:
            self._aliases[fold(name)] = key
            self._display.setdefault(key, name)
        suggestions = list(self._display.values())
        suggestions += [self._table[key].spanish for key in self._display if key in self._table]
        self._suggester = Suggester(suggestions)

    def key_of(self, stored_name: str) -> str:
        """Key of a name as stored in the data (unknown names get ``~folded name``)."""
        return self._aliases.get(fold(stored_name), "~" + fold(stored_name))

    def resolve(self, text: str) -> str | None:
        """The key of a typed country, or None when it names no country at all."""
        return self._aliases.get(fold(text))

    def display(self, key: str, *, lower: bool = False) -> str:
        """The name as stored in the data, else the table's English name."""
        if key in self._display:
            return self._display[key]
        english = self._table[key].english if key in self._table else key.lstrip("~")
        return english.lower() if lower else english

    def suggest(self, text: str) -> list[str]:
        return self._suggester.suggest(text)
