"""Text labels used by CSV archives, mapped back to AIS codes (ITU-R M.1371).

The Danish Maritime Authority writes navigational status, ship type and station class as
English labels; MarineCadastre writes codes but names the transceiver class ``A``/``B``.
Archives do not keep the AIS message type, so each row gets a *representative* type for its
station class: class A rows are stored as type 1 (position) / 5 (static), class B rows as
18 / 24, base stations as 4, aids to navigation as 21, SAR aircraft as 9 (the last three are
counted but not stored, like those messages in NMEA).  A ship-type label maps to the first
code of its range (``Cargo`` → 70, ``Tanker`` → 80 ...): the category is exact, the hazard
digit is not known.
"""

from __future__ import annotations


def normalize(label: str) -> str:
    """Lower-case letters and digits only: ``Towing long/wide`` → ``towinglongwide``."""
    return "".join(ch for ch in label.lower() if ch.isalnum())


#: Navigational status labels (normalised) → code.
NAV_STATUS: dict[str, int] = {
    "underwayusingengine": 0,
    "atanchor": 1,
    "notundercommand": 2,
    "restrictedmanoeuverability": 3,
    "restrictedmanoeuvrability": 3,
    "restrictedmaneuverability": 3,
    "constrainedbyherdraught": 4,
    "moored": 5,
    "aground": 6,
    "engagedinfishing": 7,
    "underwaysailing": 8,
    "reservedforfutureamendmenthsc": 9,
    "reservedforfutureamendmentwig": 10,
    "powerdrivenvesseltowingastern": 11,
    "powerdrivenvesselpushingaheadortowingalongside": 12,
    "reservedforfutureuse": 13,
    "aissart": 14,
    "aissartisactive": 14,
    "aissartactive": 14,
    "unknownvalue": 15,
    "notdefined": 15,
}

#: Ship type labels (normalised) → representative AIS ship type code.
SHIP_TYPE: dict[str, int] = {
    "wig": 20,
    "fishing": 30,
    "towing": 31,
    "towinglongwide": 32,
    "dredging": 33,
    "diving": 34,
    "military": 35,
    "sailing": 36,
    "pleasure": 37,
    "hsc": 40,
    "pilot": 50,
    "sar": 51,
    "tug": 52,
    "porttender": 53,
    "antipollution": 54,
    "lawenforcement": 55,
    "medical": 58,
    "notpartytoconflict": 59,
    "passenger": 60,
    "cargo": 70,
    "tanker": 80,
    "other": 90,
}

#: Station class labels (normalised) → (position message type, static message type).
STATION_CLASS: dict[str, tuple[int, int]] = {
    "a": (1, 5),
    "classa": (1, 5),
    "b": (18, 24),
    "classb": (18, 24),
    "basestation": (4, 4),
    "aton": (21, 21),
    "sarairborne": (9, 9),
    "searchandrescuetransponder": (1, 5),
    "manoverboarddevice": (1, 5),
    "undefined": (1, 5),
}

#: Cell values that mean "no value" in the archives (normalised).
MISSING = frozenset({"", "unknown", "undefined", "nan", "null", "none", "na", "notavailable"})
