"""Vessel identities: MMSIs from real MIDs, names, call signs, IMO numbers, types, dimensions.

MMSI
    Nine digits ``MIDXXXXXX`` where the MID (Maritime Identification Digits, ITU-R M.585) names
    the flag state.  :data:`COUNTRIES` lists the MIDs used here.
IMO number
    Seven digits whose last digit is a check digit: the sum of the first six digits weighted
    7, 6, 5, 4, 3, 2 taken modulo 10 (IMO resolution A.1117(30)).  Class A merchant ships carry
    one; fishing vessels, warships and small craft report 0.
Ship type
    AIS ship-and-cargo type codes (ITU-R M.1371 table 53): 30 fishing, 35 military, 37 pleasure,
    40 high-speed craft, 52 tug, 55 law enforcement, 60-69 passenger, 70-79 cargo, 80-89 tanker,
    90 other.
Dimensions
    Metres from the GNSS antenna to bow, stern, port and starboard (9, 9, 6 and 6 bits).

Names and call signs follow each flag's usual patterns (pinyin names and ``MIN...YU`` fishing
hulls for China, ``... MARU`` for Japan, ``B`` call-sign prefixes for China, ``BM``..``BV`` for
Taiwan, ``3E``/``H3`` for Panama, ``A8``/``D5`` for Liberia, and so on).  They are invented.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

AIS_ALPHABET = "@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\\]^_ !\"#$%&'()*+,-./0123456789:;<=>?"
_LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
_DIGITS = "0123456789"


@dataclass(frozen=True)
class Country:
    """A flag state.

    Attributes
    ----------
    code : str
        ISO 3166 alpha-2 code.
    name : str
        English short name.
    mids : tuple of int
        Maritime Identification Digits allocated to the flag (ITU).
    callsign_prefixes : tuple of str
        Call-sign prefixes from the ITU series allocated to the flag.
    """

    code: str
    name: str
    mids: tuple[int, ...]
    callsign_prefixes: tuple[str, ...]


COUNTRIES: dict[str, Country] = {
    c.code: c
    for c in (
        Country("CN", "China", (412, 413, 414), ("BO", "BP", "BQ", "BR", "BS", "BX", "BY")),
        Country("TW", "Taiwan", (416,), ("BL", "BM", "BN", "BV")),
        Country("JP", "Japan", (431, 432), ("7J", "JD", "JF", "JK")),
        Country("US", "United States", (366, 367, 368, 369), ("WD", "WC", "KA", "NA")),
        Country("CA", "Canada", (316,), ("CF", "CG", "VC")),
        Country("AU", "Australia", (503,), ("VH", "VJ", "VN")),
        Country("GB", "United Kingdom", (232, 233, 234, 235), ("GB", "MA", "ZN")),
        Country("FR", "France", (226, 227, 228), ("FN", "FM", "FL")),
        Country("HK", "Hong Kong", (477,), ("VR",)),
        Country(
            "PA",
            "Panama",
            (351, 352, 353, 354, 355, 356, 357, 370, 371, 372, 373),
            ("3E", "3F", "H3", "HO", "HP"),
        ),
        Country("LR", "Liberia", (636,), ("A8", "D5", "ELA")),
        Country("MH", "Marshall Islands", (538,), ("V7",)),
        Country("MT", "Malta", (215, 229, 248, 249, 256), ("9H",)),
        Country("SG", "Singapore", (563, 564, 565, 566), ("9V", "S6")),
    )
}

#: Flag weights of the background merchant fleet (relative).
MERCHANT_FLAGS: dict[str, float] = {
    "PA": 16,
    "LR": 12,
    "CN": 16,
    "HK": 10,
    "MH": 8,
    "SG": 8,
    "TW": 8,
    "MT": 5,
    "JP": 4,
    "GB": 2,
    "FR": 2,
    "US": 1.5,
    "AU": 0.5,
    "CA": 0.3,
}

_MID_COUNTRY = {mid: c.code for c in COUNTRIES.values() for mid in c.mids}


def country_of_mmsi(mmsi: int) -> str | None:
    """Flag (ISO alpha-2) of a ship-station MMSI from its MID, or None if the MID is not listed."""
    return _MID_COUNTRY.get(mmsi // 1_000_000)


def imo_check_digit(first_six: int) -> int:
    """Check digit of an IMO number from its first six digits."""
    digits = [int(d) for d in f"{first_six:06d}"]
    return sum(d * w for d, w in zip(digits, (7, 6, 5, 4, 3, 2), strict=True)) % 10


def is_valid_imo(imo: int) -> bool:
    """True when ``imo`` is a seven-digit IMO number with a correct check digit."""
    return 1_000_000 <= imo <= 9_999_999 and imo_check_digit(imo // 10) == imo % 10


def to_ais_text(text: str, length: int) -> str:
    """Upper-case ``text`` and keep only AIS 6-bit characters, at most ``length`` of them."""
    out = "".join(ch for ch in text.upper() if ch in AIS_ALPHABET and ch != "@")
    return out[:length].rstrip()


@dataclass(frozen=True)
class ShipKind:
    """Physical and AIS profile of a kind of ship.

    Attributes
    ----------
    name : str
        Kind label ("container", "tanker", ...).
    type_codes : tuple of int
        AIS ship type codes drawn from.
    length_m : (float, float)
        Overall length range, metres.
    beam_ratio : float
        Length / beam.
    draught_m : (float, float)
        Draught range, metres.
    speed_kn : (float, float)
        Service speed range, knots.
    class_b_share : float
        Probability that such a ship carries a class B transponder.
    """

    name: str
    type_codes: tuple[int, ...]
    length_m: tuple[float, float]
    beam_ratio: float
    draught_m: tuple[float, float]
    speed_kn: tuple[float, float]
    class_b_share: float = 0.0


KINDS: dict[str, ShipKind] = {
    k.name: k
    for k in (
        ShipKind("container", (70, 70, 70, 71, 74), (170, 400), 7.2, (9.5, 15.5), (14.5, 20.5)),
        ShipKind("bulk", (70, 70, 79), (150, 300), 6.4, (8.0, 17.5), (11.0, 13.8)),
        ShipKind("tanker", (80, 80, 81, 82, 83, 84), (100, 330), 5.8, (7.0, 20.0), (11.0, 14.5)),
        ShipKind("general", (70, 70, 79, 72), (70, 150), 6.0, (4.5, 8.5), (9.5, 13.0)),
        ShipKind("roro", (70, 79), (150, 200), 5.6, (8.0, 10.0), (16.0, 19.0)),
        ShipKind("passenger", (60, 60, 69), (90, 190), 6.0, (5.0, 7.0), (15.0, 20.0)),
        ShipKind("hsc", (40, 40, 49), (40, 100), 4.0, (1.8, 3.5), (25.0, 32.0)),
        ShipKind("fishing", (30,), (15, 45), 4.5, (2.0, 4.5), (7.0, 10.0), class_b_share=0.8),
        ShipKind("tug", (52,), (25, 36), 3.2, (3.5, 5.0), (8.0, 11.0)),
        ShipKind("pleasure", (37,), (8, 22), 3.5, (1.2, 2.5), (6.0, 14.0), class_b_share=1.0),
        ShipKind("military", (35,), (120, 165), 8.0, (5.0, 6.5), (14.0, 18.0)),
        ShipKind("law", (55,), (50, 130), 7.0, (3.0, 5.0), (10.0, 16.0)),
        ShipKind("research", (90,), (60, 110), 5.5, (4.0, 6.0), (9.0, 12.0)),
        ShipKind("reefer", (79,), (90, 150), 6.2, (6.0, 8.5), (12.0, 15.0)),
    )
}

# -- names -------------------------------------------------------------------------------

_CN_CARGO_A = (
    "ZHONG GU",
    "XIN HAI",
    "MIN TAI",
    "HAI FENG",
    "DONG FANG",
    "JIN HAI",
    "HUA YANG",
    "YONG AN",
    "ZHE HAI",
    "MIN HAI",
    "FU HANG",
    "TAI PING",
    "HONG YUN",
    "AN JI",
    "HENG AN",
    "SHUN DA",
    "XIANG HE",
    "GUANG DA",
    "HAI GANG",
    "TONG DA",
    "XIN MING ZHOU",
    "JIN RUN",
    "RUI NING",
)
_CN_BIG = ("COSCO SHIPPING", "CSCL", "XIN")
_CN_BIG_B = (
    "ARIES",
    "TAURUS",
    "LEO",
    "VIRGO",
    "LIBRA",
    "GEMINI",
    "CAMELLIA",
    "AZALEA",
    "LOTUS",
    "PEONY",
    "SPRING",
    "AUTUMN",
    "STAR",
    "SUN",
    "MOON",
    "SHANGHAI",
    "XIAMEN",
    "NINGBO",
    "TIANJIN",
)
_CN_FISH = (
    "MINSHIYU",
    "MINLONGYU",
    "MINJINYU",
    "MINXIAYU",
    "MINZHANGYU",
    "MINDONGYU",
    "MINPUYU",
    "MINFUYU",
    "MINPINGYU",
    "YUESHANYU",
)
_TW_LINES = ("EVER", "YM", "WAN HAI", "TS", "UNI")
_TW_WORDS = (
    "GRADE",
    "LEGION",
    "LOTUS",
    "WELLNESS",
    "WORTH",
    "WARRANTY",
    "UNITY",
    "ACCORD",
    "PROSPER",
    "SMILE",
    "GLORY",
    "LEADING",
    "BLOOM",
    "CONCORD",
    "HARMONY",
    "KEELUNG",
    "TAICHUNG",
)
_TW_FISH = (
    "JIN CHANG FA",
    "SHENG FA",
    "JIN HONG",
    "HSIN TAI",
    "MAN CHIN",
    "FU YUAN",
    "TAI HSIANG",
    "CHIN SHUN",
)
_JP_WORDS = (
    "SHIN ASAHI",
    "KAIYO",
    "HOKUTO",
    "SAKURA",
    "FUJI",
    "TENYO",
    "SHINSEI",
    "EISHIN",
    "KOYO",
    "NISSHIN",
    "TOYOFUJI",
    "HAKUYO",
)
_HK_A = ("OOCL", "ORIENT", "GOLDEN", "PACIFIC", "CHINA", "HONG")
_HK_B = (
    "HONG KONG",
    "SHENZHEN",
    "HARMONY",
    "PROSPERITY",
    "VISION",
    "BRILLIANCE",
    "GRACE",
    "TREASURE",
    "FORTUNE",
    "JADE",
)
_FOC_A = (
    "OCEAN",
    "GOLDEN",
    "PACIFIC",
    "STAR",
    "NORD",
    "SEA",
    "GREAT",
    "CAPE",
    "ASIAN",
    "GLOBAL",
    "ROYAL",
    "SILVER",
    "BLUE",
    "MARINE",
    "ATLANTIC",
    "CORAL",
    "EASTERN",
    "LUCKY",
    "KING",
    "PRINCESS",
)
_FOC_B = (
    "PRIDE",
    "STAR",
    "GRACE",
    "GLORY",
    "SPIRIT",
    "EXPRESS",
    "VENTURE",
    "MARINER",
    "PIONEER",
    "LEADER",
    "HARMONY",
    "DREAM",
    "JUPITER",
    "ORION",
    "PHOENIX",
    "EAGLE",
    "FALCON",
    "DIAMOND",
    "PEARL",
    "TRADER",
)
_FOC_LINES = ("MSC", "MAERSK", "ONE", "HMM", "CMA CGM", "KOTA", "APL", "NORDIC")
_CITY = (
    "ANNA",
    "ISTANBUL",
    "ANTWERP",
    "CHICAGO",
    "HOUSTON",
    "SANTOS",
    "LISBON",
    "GENOA",
    "DURBAN",
    "VALENCIA",
    "TRUST",
    "HARMONY",
    "LAHAR",
    "LUMBA",
    "MARCO",
    "TAGE",
    "RHONE",
    "LOIRE",
)
_US_COM = ("MATSON", "PRESIDENT", "LIBERTY", "MAUNALEI", "MANUKAI", "AMERICAN")
_GB_COM = ("BRITISH", "CLYDE", "THAMES", "SOLENT", "PENTLAND")
_FR_COM = ("CMA CGM", "MARIE", "LA")
_AU_COM = ("AUSTRALIAN", "IRON", "SOUTHERN", "CORAL")
_CA_COM = ("ALGOMA", "FEDNAV", "CANADIAN", "NORTHERN")
_GENERIC_B = (
    "SPIRIT",
    "PRIDE",
    "ENTERPRISE",
    "VOYAGER",
    "PIONEER",
    "STAR",
    "EXPRESS",
    "TRADER",
    "HARVEST",
    "NAVIGATOR",
)


def _pick(rng: np.random.Generator, options: tuple[str, ...]) -> str:
    return options[int(rng.integers(len(options)))]


def make_name(rng: np.random.Generator, country: str, kind: str) -> str:
    """Invent a plausible ship name for a flag and kind (AIS text, at most 20 characters)."""
    n = int(rng.integers(1, 99))
    if kind == "fishing":
        if country == "CN":
            name = f"{_pick(rng, _CN_FISH)}{int(rng.integers(1000, 99999)):05d}"
        elif country == "TW":
            name = f"{_pick(rng, _TW_FISH)} NO.{n}"
        elif country == "JP":
            name = f"{_pick(rng, _JP_WORDS)} MARU NO.{n}"
        else:
            name = f"{_pick(rng, _FOC_A)} {_pick(rng, _FOC_B)} {n}"
    elif kind == "pleasure":
        name = f"{_pick(rng, _FOC_A)} {_pick(rng, ('WIND', 'BREEZE', 'WAVE', 'DOLPHIN', 'SPRAY', 'TIDE'))}"
    elif kind == "tug":
        prefix = {"CN": "XIA GANG TUO", "TW": "TAI GANG"}.get(country, "TUG")
        name = f"{prefix} {n}"
    elif country == "CN":
        if kind in ("container", "bulk", "tanker") and rng.random() < 0.35:
            name = f"{_pick(rng, _CN_BIG)} {_pick(rng, _CN_BIG_B)}"
        else:
            name = f"{_pick(rng, _CN_CARGO_A)} {n}"
    elif country == "TW":
        if kind in ("container", "bulk", "tanker", "roro"):
            line = _pick(rng, _TW_LINES)
            name = f"{line} {n * 3 + 300}" if line == "WAN HAI" else f"{line} {_pick(rng, _TW_WORDS)}"
        else:
            name = f"{_pick(rng, ('TAI', 'FORMOSA', 'HSIN', 'CHENG', 'YU'))} {_pick(rng, _TW_WORDS)} {n}"
    elif country == "JP":
        name = (
            f"{_pick(rng, _JP_WORDS)} MARU"
            if rng.random() < 0.6
            else f"{_pick(rng, _JP_WORDS)} {_pick(rng, _FOC_B)}"
        )
    elif country == "HK":
        name = f"{_pick(rng, _HK_A)} {_pick(rng, _HK_B)}"
    elif country == "US":
        name = f"{_pick(rng, _US_COM)} {_pick(rng, _GENERIC_B)}"
    elif country == "GB":
        name = f"{_pick(rng, _GB_COM)} {_pick(rng, _GENERIC_B)}"
    elif country == "FR":
        name = f"{_pick(rng, _FR_COM)} {_pick(rng, _CITY)}"
    elif country == "AU":
        name = f"{_pick(rng, _AU_COM)} {_pick(rng, _GENERIC_B)}"
    elif country == "CA":
        name = f"{_pick(rng, _CA_COM)} {_pick(rng, _GENERIC_B)}"
    elif kind == "container" and rng.random() < 0.6:
        name = f"{_pick(rng, _FOC_LINES)} {_pick(rng, _CITY)}"
    else:
        name = f"{_pick(rng, _FOC_A)} {_pick(rng, _FOC_B)}"
    return to_ais_text(name, 20)


def make_callsign(rng: np.random.Generator, country: str) -> str:
    """Invent a call sign from the flag's ITU prefix series (4 to 7 characters)."""
    prefix = _pick(rng, COUNTRIES[country].callsign_prefixes)
    body_len = int(rng.integers(max(2, 4 - len(prefix)), 8 - len(prefix)))
    chars = _LETTERS + _DIGITS if country in ("HK", "US", "PA", "LR", "MH") else _LETTERS
    body = "".join(chars[int(i)] for i in rng.integers(0, len(chars), body_len))
    return prefix + body


def make_imo(rng: np.random.Generator) -> int:
    """Invent an IMO number (9 1xx xxx to 9 9xx xxx) with a valid check digit."""
    first_six = int(rng.integers(910_000, 999_999))
    return first_six * 10 + imo_check_digit(first_six)


@dataclass(frozen=True)
class Identity:
    """Everything a transponder broadcasts about its ship.

    Attributes
    ----------
    mmsi : int
        Maritime Mobile Service Identity (9 digits).
    name : str
        Ship name, AIS 6-bit text, at most 20 characters.
    callsign : str
        Call sign, at most 7 characters ("" if none).
    imo : int
        IMO number, 0 if none.
    ship_type : int
        AIS ship-and-cargo type code.
    ais_class : {"A", "B"}
        Transponder class.
    flag : str
        ISO 3166 alpha-2 code of the flag state (matches the MID).
    kind : str
        Key of :data:`KINDS`.
    to_bow, to_stern, to_port, to_starboard : int
        Antenna position, metres.
    draught_m : float
        Present static draught, metres (0.1 m resolution).
    destination : str
        Destination as typed by the crew (AIS text, at most 20 characters).
    eta : (int, int, int, int)
        Estimated time of arrival (month, day, hour, minute), UTC; zeros if unknown.
    vendor_id : str
        Class B manufacturer id (3 characters).
    serial : int
        Class B unit serial number (20 bits).
    """

    mmsi: int
    name: str
    callsign: str
    imo: int
    ship_type: int
    ais_class: str
    flag: str
    kind: str
    to_bow: int
    to_stern: int
    to_port: int
    to_starboard: int
    draught_m: float
    destination: str
    eta: tuple[int, int, int, int] = (0, 0, 24, 60)
    vendor_id: str = ""
    serial: int = 0

    @property
    def length_m(self) -> int:
        """Overall length from the antenna offsets, metres."""
        return self.to_bow + self.to_stern


@dataclass
class Registry:
    """Allocates unique MMSIs and builds identities.

    Attributes
    ----------
    used : set of int
        MMSIs already handed out.
    """

    used: set[int] = field(default_factory=set)

    def new_mmsi(self, rng: np.random.Generator, country: str, navy: bool = False) -> int:
        """Return an unused MMSI with one of ``country``'s MIDs."""
        mids = COUNTRIES[country].mids
        while True:
            mid = mids[int(rng.integers(len(mids)))]
            if navy and country == "US":
                mmsi = 369_970_000 + int(rng.integers(0, 9_999))
            else:
                mmsi = mid * 1_000_000 + int(rng.integers(0, 1_000_000))
            if mmsi not in self.used:
                self.used.add(mmsi)
                return mmsi

    def make(
        self,
        rng: np.random.Generator,
        kind: str,
        country: str,
        destination: str,
        eta: tuple[int, int, int, int] = (0, 0, 24, 60),
        name: str | None = None,
        ais_class: str | None = None,
        mmsi: int | None = None,
    ) -> Identity:
        """Build an identity.

        Parameters
        ----------
        rng : numpy.random.Generator
            The ship's own random stream.
        kind : str
            Key of :data:`KINDS`.
        country : str
            Flag (key of :data:`COUNTRIES`).
        destination : str
            AIS destination text.
        eta : (int, int, int, int)
            ETA month, day, hour, minute (UTC).
        name, ais_class, mmsi : optional
            Overrides; by default drawn from the kind and flag.
        """
        spec = KINDS[kind]
        if ais_class is None:
            ais_class = "B" if rng.random() < spec.class_b_share else "A"
        if mmsi is None:
            mmsi = self.new_mmsi(rng, country, navy=(kind == "military"))
        if name is None:
            name = make_name(rng, country, kind)
        length = float(rng.uniform(*spec.length_m))
        beam = min(length / spec.beam_ratio * float(rng.uniform(0.9, 1.1)), 62.0)
        to_bow = round(length * float(rng.uniform(0.75, 0.88)))
        to_stern = max(round(length) - to_bow, 1)
        to_port = max(round(beam * float(rng.uniform(0.35, 0.65))), 1)
        to_starboard = max(round(beam) - to_port, 1)
        merchant = kind not in ("fishing", "pleasure", "military", "law", "tug")
        imo = make_imo(rng) if ais_class == "A" and merchant else 0
        draught = round(float(rng.uniform(*spec.draught_m)), 1)
        vendor = _pick(rng, ("SRT", "CML", "ACR", "MAT", "TRB", "EMT", "SAM")) if ais_class == "B" else ""
        return Identity(
            mmsi=mmsi,
            name=to_ais_text(name, 20),
            callsign=make_callsign(rng, country) if (ais_class == "A" or rng.random() < 0.5) else "",
            imo=imo,
            ship_type=int(spec.type_codes[int(rng.integers(len(spec.type_codes)))]),
            ais_class=ais_class,
            flag=country,
            kind=kind,
            to_bow=min(to_bow, 511),
            to_stern=min(to_stern, 511),
            to_port=min(to_port, 63),
            to_starboard=min(to_starboard, 63),
            draught_m=draught,
            destination=to_ais_text(destination, 20),
            eta=eta,
            vendor_id=vendor,
            serial=int(rng.integers(0, 1 << 20)) if ais_class == "B" else 0,
        )


def pick_flag(rng: np.random.Generator, weights: dict[str, float] = MERCHANT_FLAGS) -> str:
    """Draw a flag from relative ``weights``."""
    codes = sorted(weights)
    p = np.array([weights[c] for c in codes], dtype=np.float64)
    return codes[int(rng.choice(len(codes), p=p / p.sum()))]
