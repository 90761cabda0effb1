"""Who an MMSI claims to be: station class and flag (ITU-R M.585), and ship-type categories.

MMSI classes (ITU-R M.585-9, Annex 1; ``MID`` = Maritime Identification Digits 201–775, ``x``
any digit):

=====================  ===============  ======================================================
class                  pattern          station
=====================  ===============  ======================================================
``ship``               ``MIDxxxxxx``    ship station
``group``              ``0MIDxxxxx``    group of ship stations
``coast_station``      ``00MIDxxxx``    coast or base station
``sar_aircraft``       ``111MIDxxx``    search-and-rescue aircraft
``aton``               ``99MIDxxxx``    aid to navigation
``auxiliary_craft``    ``98MIDxxxx``    craft associated with a parent ship (tender, lifeboat)
``handheld``           ``8MIDxxxxx``    handheld VHF with DSC and GNSS
``sart``               ``970xxxxxx``    AIS search-and-rescue transmitter
``mob``                ``972xxxxxx``    man-overboard device
``epirb``              ``974xxxxxx``    EPIRB with AIS locator
``invalid``            anything else    (including MIDs outside 200–799)
=====================  ===============  ======================================================

The flag is the country or territory the MID is allocated to, from the ITU table shipped as
``mda/data/mid.csv`` (source and notes in ``mda/data/README.md``); SART, MOB, EPIRB and invalid
MMSIs have no flag, nor do MIDs ITU has not allocated.

MID-based flags are a claim, not a registration, and are unreliable near Taiwan: many Taiwanese
fishing boats carry Chinese-made transponders whose MMSI the installer typed with a PRC MID
(412, 413, 414) instead of Taiwan's 416, and some boats broadcast made-up or copied MMSIs.  Keep
the raw MMSI beside the derived flag wherever the flag is stored or shown, and never treat a
412/413/414 flag in the strait as proof of PRC registry.

Ship-type categories group the AIS "type of ship and cargo" codes (ITU-R M.1371, Table 53):
``wig`` 20–29, ``fishing`` 30, ``tug_service`` 31, 32, 50–54, 56–59 (towing, pilot, SAR,
tug, port tender, anti-pollution, medical, non-combatant), ``military`` 35, ``pleasure`` 36–37
(sailing, pleasure craft), ``high_speed`` 40–49, ``law_enforcement`` 55, ``passenger`` 60–69,
``cargo`` 70–79, ``tanker`` 80–89, ``other`` for every other code 1–255 (dredging, diving,
reserved, 90–99 ...); NULL for a missing type or 0 (not available).

Every helper is vectorised: it takes a pyarrow Array/ChunkedArray, a NumPy array or a sequence
(NULLs allowed) and returns pyarrow string arrays of the same length, NULL where the input is.
"""

from __future__ import annotations

import csv
from collections.abc import Sequence
from functools import cache
from importlib import resources
from typing import Any, TypeAlias

import numpy as np
import numpy.typing as npt
import pyarrow as pa
import pyarrow.compute as pc

MMSI_CLASSES = (
    "ship",
    "group",
    "coast_station",
    "sar_aircraft",
    "aton",
    "auxiliary_craft",
    "handheld",
    "sart",
    "mob",
    "epirb",
    "invalid",
)

SHIP_CATEGORIES = (
    "wig",
    "fishing",
    "tug_service",
    "military",
    "pleasure",
    "high_speed",
    "law_enforcement",
    "passenger",
    "cargo",
    "tanker",
    "other",
)

ArrayLike: TypeAlias = (
    "pa.Array[Any] | pa.ChunkedArray[Any] | npt.NDArray[Any] | Sequence[int | None] | Sequence[float | None]"
)

_NO = -1
_CLASS_INDEX = {name: i for i, name in enumerate(MMSI_CLASSES)}


@cache
def mid_table() -> dict[int, tuple[str, str]]:
    """The ITU MID table: MID → (ISO 3166-1 alpha-2 code, country or territory name)."""
    text = resources.files("mda").joinpath("data/mid.csv").read_text(encoding="utf-8")
    return {int(row["mid"]): (row["iso2"], row["country"]) for row in csv.DictReader(text.splitlines())}


@cache
def _flag_lookup() -> tuple[npt.NDArray[np.int64], pa.Array[Any], pa.Array[Any]]:
    table = mid_table()
    index = np.full(1000, _NO, dtype=np.int64)
    iso, names = [], []
    for i, (mid, (code, country)) in enumerate(sorted(table.items())):
        index[mid] = i
        iso.append(code)
        names.append(country)
    return index, pa.array(iso, pa.string()), pa.array(names, pa.string())


def _ints(values: ArrayLike) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.bool_]]:
    """``(values, null mask)`` as int64 NumPy arrays; non-integral or non-finite values are null."""
    if isinstance(values, pa.ChunkedArray):
        values = values.combine_chunks() if values.num_chunks else pa.array([], pa.int64())
    if not isinstance(values, pa.Array):
        array = np.asarray(values) if isinstance(values, np.ndarray) else None
        if array is not None and array.dtype.kind in "iu":
            return array.astype(np.int64), np.zeros(array.shape, dtype=bool)
        values = pa.array(values if array is None else array, from_pandas=True)
    if pa.types.is_floating(values.type):
        as_float = values.cast(pa.float64())
        numbers = as_float.fill_null(np.nan).to_numpy(zero_copy_only=False)
        bad = ~np.isfinite(numbers) | (numbers != np.trunc(np.nan_to_num(numbers)))
        bad |= np.abs(np.nan_to_num(numbers)) > 2**62
        return np.where(bad, 0, np.nan_to_num(numbers)).astype(np.int64), bad
    ints = values.cast(pa.int64())
    null = ints.is_null().to_numpy(zero_copy_only=False)
    return ints.fill_null(0).to_numpy(zero_copy_only=False).astype(np.int64), null


def _strings(index: npt.NDArray[np.int64], dictionary: pa.Array[Any]) -> pa.Array[Any]:
    mask = index < 0
    indices = pa.array(np.where(mask, 0, index).astype(np.int32), type=pa.int32(), mask=mask)
    return pc.take(dictionary, indices)


def _classify(
    mmsi: npt.NDArray[np.int64], null: npt.NDArray[np.bool_]
) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]]:
    """Class index per MMSI (-1 for null) and the MID it carries (-1 when none)."""
    m = mmsi
    first = m // 10**8
    first2 = m // 10**7
    first3 = m // 10**6
    cls = np.full(m.shape, _CLASS_INDEX["invalid"], dtype=np.int64)
    mid = np.full(m.shape, _NO, dtype=np.int64)
    rules: list[tuple[str, npt.NDArray[np.bool_], npt.NDArray[np.int64] | None]] = [
        ("ship", (first >= 2) & (first <= 7), first3),
        ("coast_station", first2 == 0, (m // 10**4) % 1000),
        ("group", (first == 0) & (first2 != 0), (m // 10**5) % 1000),
        ("sar_aircraft", first3 == 111, (m // 10**3) % 1000),
        ("handheld", first == 8, (m // 10**5) % 1000),
        ("aton", first2 == 99, (m // 10**4) % 1000),
        ("auxiliary_craft", first2 == 98, (m // 10**4) % 1000),
        ("sart", first3 == 970, None),
        ("mob", first3 == 972, None),
        ("epirb", first3 == 974, None),
    ]
    in_range = (m >= 0) & (m <= 999_999_999) & ~null
    for name, match, digits in rules:
        hit = match & in_range
        if digits is not None:
            hit &= (digits >= 200) & (digits <= 799)
            mid = np.where(hit, digits, mid)
        cls = np.where(hit, _CLASS_INDEX[name], cls)
    cls = np.where(null, _NO, cls)
    return cls, mid


def mmsi_class(mmsi: ArrayLike) -> pa.Array[Any]:
    """The station class of each MMSI (one of :data:`MMSI_CLASSES`); NULL for NULL."""
    values, null = _ints(mmsi)
    cls, _mid = _classify(values, null)
    return _strings(cls, pa.array(MMSI_CLASSES, pa.string()))


def mid_of(mmsi: ArrayLike) -> pa.Array[Any]:
    """The MID each MMSI carries for its class (int16), NULL when it carries none."""
    values, null = _ints(mmsi)
    _cls, mid = _classify(values, null)
    return pa.array(mid.astype(np.int16), mask=mid < 0)


def flag_of(mmsi: ArrayLike) -> tuple[pa.Array[Any], pa.Array[Any]]:
    """Flag claimed by each MMSI's MID: ``(iso2, country)`` string arrays.

    NULL where the MMSI is NULL, carries no MID (SART, MOB, EPIRB, invalid) or its MID is not
    allocated.  See the module docstring for why this is a claim, not a registry fact.
    """
    values, null = _ints(mmsi)
    _cls, mid = _classify(values, null)
    index, iso, names = _flag_lookup()
    row = np.where(mid >= 0, index[np.clip(mid, 0, 999)], _NO)
    return _strings(row, iso), _strings(row, names)


@cache
def _category_lookup() -> npt.NDArray[np.int64]:
    table = np.full(256, SHIP_CATEGORIES.index("other"), dtype=np.int64)
    table[0] = _NO

    def put(codes: Sequence[int] | range, name: str) -> None:
        table[list(codes)] = SHIP_CATEGORIES.index(name)

    put(range(20, 30), "wig")
    put([30], "fishing")
    put([31, 32, 50, 51, 52, 53, 54, 56, 57, 58, 59], "tug_service")
    put([35], "military")
    put([36, 37], "pleasure")
    put(range(40, 50), "high_speed")
    put([55], "law_enforcement")
    put(range(60, 70), "passenger")
    put(range(70, 80), "cargo")
    put(range(80, 90), "tanker")
    return table


def ship_category(ship_type: ArrayLike) -> pa.Array[Any]:
    """The category of each AIS ship-type code (one of :data:`SHIP_CATEGORIES`).

    NULL for NULL, 0 (not available) and codes outside 0–255.
    """
    values, null = _ints(ship_type)
    table = _category_lookup()
    known = ~null & (values >= 0) & (values <= 255)
    index = np.where(known, table[np.clip(values, 0, 255)], _NO)
    return _strings(index, pa.array(SHIP_CATEGORIES, pa.string()))
