from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from mda.decode.csv_archive import CsvArchiveDecoder, HeaderError, read_header
from mda.sources.errors import SourceError
from mda.sources.open import open_decoder

HANDMADE = Path(__file__).parents[1] / "fixtures" / "handmade"
DMA = HANDMADE / "dma_aisdk_2026-11-13.csv"
LEGACY = (
    "MMSI,BaseDateTime,LAT,LON,SOG,COG,Heading,VesselName,IMO,CallSign,VesselType,Status,"
    "Length,Width,Draft,Cargo,TransceiverClass"
)
LATER = (
    "mmsi,base_date_time,longitude,latitude,sog,cog,heading,vessel_name,imo,call_sign,vessel_type,status,"
    "length,width,draft,cargo,transceiver"
)


def utc(*args: int) -> dt.datetime:
    return dt.datetime(*args, tzinfo=dt.UTC)  # type: ignore[misc]


def decode_all(path: Path, **options: object) -> dict[str, object]:
    source = open_decoder(path, chunk_lines=3, **options)  # type: ignore[arg-type]
    out: dict[str, list[dict[str, object]]] = {"positions": [], "static": [], "rejects": []}
    for batch in source:
        out["positions"] += batch.positions.to_pylist()
        out["static"] += batch.static.to_pylist()
        out["rejects"] += batch.rejects.to_pylist()
    return {"format": source.format, "accounting": source.accounting, **out}


def decode_rows(header: str, rows: list[str], fmt: str = "noaa") -> CsvArchiveDecoder:
    decoder = CsvArchiveDecoder("t.csv", fmt)
    decoder.feed(enumerate([header.encode(), *(r.encode() for r in rows)], start=1))
    return decoder


@pytest.fixture(scope="module")
def dma() -> dict[str, object]:
    return decode_all(DMA)


def test_dma_fixture_is_detected_and_every_line_is_accounted(dma):
    acc = dma["accounting"]
    assert dma["format"] == "dma"
    assert acc.lines == 14
    assert acc.balanced
    assert (acc.decoded, acc.duplicates, acc.non_ais) == (7, 1, 1)
    assert acc.rejected == {
        "empty_line": 1,
        "bad_csv_row": 1,
        "bad_value": 1,
        "bad_timestamp": 1,
        "invalid_position": 1,
    }


def test_dma_dates_are_day_first(dma):
    times = [r["ts"] for r in dma["positions"]]
    assert times[0] == utc(2026, 11, 12, 23, 59, 58)
    assert times[1] == utc(2026, 11, 13, 0, 0, 1)


def test_dma_labels_become_ais_codes(dma):
    moored, _, class_b, fishing, ferry = dma["positions"]
    assert (moored["msg_type"], moored["status"], moored["heading"]) == (1, 5, 180)
    assert (class_b["msg_type"], class_b["mmsi"]) == (18, 219023456)
    assert fishing["status"] == 7
    assert (ferry["status"], ferry["heading"]) == (3, None)
    static = {(r["mmsi"], r["ts"]): r for r in dma["static"]}
    essen = static[(219000431, utc(2026, 11, 12, 23, 59, 58))]
    assert (essen["ship_type"], essen["imo"], essen["callsign"], essen["destination"]) == (
        70,
        9321483,
        "OXPH2",
        "DKAAR",
    )
    assert (essen["to_bow"], essen["to_stern"], essen["to_port"], essen["to_starboard"]) == (200, 50, 16, 16)
    assert static[(219023456, utc(2026, 11, 13, 0, 0, 2))]["ship_type"] == 37
    assert static[(211234560, utc(2026, 11, 13, 0, 0, 10))]["shipname"] == "FEHMARN, II"


def test_dma_row_without_position_keeps_its_static_fields(dma):
    nordic = [r for r in dma["static"] if r["mmsi"] == 220123000]
    assert [(r["shipname"], r["ship_type"]) for r in nordic] == [("NORDIC STAR", 80)]
    assert all(r["mmsi"] != 220123000 for r in dma["positions"])


def test_dma_base_station_row_is_counted_not_stored(dma):
    assert dma["accounting"].messages_by_type[4] == 1
    assert all(r["mmsi"] != 2190047 for r in dma["positions"] + dma["static"])


def test_dma_rejects_name_the_problem(dma):
    by_line = {r["line_no"]: (r["reason"], r["detail"]) for r in dma["rejects"]}
    assert by_line[10] == ("bad_csv_row", "9 columns, header has 26")
    assert by_line[11] == ("bad_value", "sog: not a number: 'fast'")
    assert by_line[12][0] == "bad_timestamp"
    assert by_line[4][0] == "duplicate"


def test_noaa_fixture_decodes_to_1000_positions(samples: Path):
    out = decode_all(samples / "aisdb" / "test_data_noaa_20230101.csv")
    acc = out["accounting"]
    assert out["format"] == "noaa"
    assert len(out["positions"]) == 1000
    assert (acc.lines, acc.decoded, acc.non_ais, acc.rejected_total) == (1001, 1000, 1, 0)
    first = out["positions"][0]
    assert first["ts"] == utc(2023, 1, 11)
    assert (first["mmsi"], first["lat"], first["lon"], first["heading"], first["course"]) == (
        367752440,
        43.07917,
        -70.75733,
        95,
        None,
    )
    msc = next(r for r in out["static"] if r["mmsi"] == 636021061)
    assert (msc["imo"], msc["callsign"], msc["shipname"], msc["ship_type"]) == (
        9307839,
        "5LCB4",
        "MSC NAISHA III",
        70,
    )


@pytest.mark.parametrize("header", [LEGACY, LATER])
def test_marine_cadastre_columns_are_found_by_name_in_any_order(header: str):
    values = {
        "mmsi": "416000001",
        "basedatetime": "2023-01-11T00:01:02",
        "lat": "24.5",
        "lon": "120.25",
        "sog": "12.0",
        "cog": "45.0",
        "heading": "44",
        "vesselname": "EVER GIVEN",
        "transceiverclass": "B",
    }
    aliases = {
        "base_date_time": "basedatetime",
        "latitude": "lat",
        "longitude": "lon",
        "vessel_name": "vesselname",
    }
    names = [aliases.get(n.lower(), n.lower()) for n in header.split(",")]
    names = ["transceiverclass" if n == "transceiver" else n for n in names]
    row = ",".join(values.get(n, "") for n in names)
    decoder = CsvArchiveDecoder("t.csv", "noaa")
    batch = decoder.feed([(1, header.encode()), (2, row.encode())])
    (position,) = batch.positions.to_pylist()
    assert (position["lat"], position["lon"], position["msg_type"]) == (24.5, 120.25, 18)
    assert position["ts"] == utc(2023, 1, 11, 0, 1, 2)
    assert batch.static.to_pylist()[0]["shipname"] == "EVER GIVEN"


def test_header_without_required_columns_names_them():
    with pytest.raises(HeaderError, match="LAT, LON"):
        read_header(b"MMSI,BaseDateTime,SOG", "noaa")


def test_csv_file_missing_required_columns_is_a_one_line_source_error(tmp_path: Path):
    path = tmp_path / "bad.csv"
    path.write_text("MMSI,BaseDateTime,SOG\n416000001,2023-01-11T00:00:00,1.0\n")
    with pytest.raises(SourceError, match="lacks required column") as err:
        open_decoder(path, "noaa", chunk_lines=10)
    assert "\n" not in str(err.value)


def test_empty_time_is_no_timestamp_unless_a_date_is_assumed():
    row = "416000001,,24.5,120.25,1,2,3,,,,,,,,,,A"
    assert decode_rows(LEGACY, [row]).accounting.rejected == {"no_timestamp": 1}
    decoder = CsvArchiveDecoder("t.csv", "noaa", assume_date=dt.date(2023, 1, 11))
    batch = decoder.feed([(1, LEGACY.encode()), (2, row.encode())])
    assert batch.positions.to_pylist()[0]["ts"] == utc(2023, 1, 11)
    assert decoder.accounting.assumed_time == 1


@pytest.mark.parametrize(
    ("row", "reason"),
    [
        ("416000001,2023-01-11T00:00:00,24.5", "bad_csv_row"),
        ('416000001,2023-01-11T00:00:00,24.5,120.25,1,2,3,"UNCLOSED,,,,,,,,,A', "bad_csv_row"),
        ("4160000011,2023-01-11T00:00:00,24.5,120.25,1,2,3,,,,,,,,,,A", "bad_value"),
        ("abc,2023-01-11T00:00:00,24.5,120.25,1,2,3,,,,,,,,,,A", "bad_value"),
        ("416000001,2023-01-11T00:00:00,north,120.25,1,2,3,,,,,,,,,,A", "bad_value"),
        ("416000001,2023-02-30T00:00:00,24.5,120.25,1,2,3,,,,,,,,,,A", "bad_timestamp"),
        ("416000001,1970-01-01T00:00:00,24.5,120.25,1,2,3,,,,,,,,,,A", "bad_timestamp"),
        ("416000001,2023-01-11T00:00:00,95.0,120.25,1,2,3,,,,,,,,,,A", "invalid_position"),
    ],
)
def test_bad_rows_are_rejected_with_a_reason(row: str, reason: str):
    decoder = decode_rows(LEGACY, [row])
    assert decoder.accounting.rejected == {reason: 1}
    assert decoder.accounting.balanced


def test_invalid_utf8_row_is_a_bad_csv_row():
    decoder = CsvArchiveDecoder("t.csv", "noaa")
    decoder.feed([(1, LEGACY.encode()), (2, b"416000001,\xff\xfe,24.5,120.25,1,2,3,,,,,,,,,,A")])
    assert decoder.accounting.rejected == {"bad_csv_row": 1}
