"""Arrow schemas shared by the stages, declared once.

Units live in field metadata (``unit``); times are UTC instants with microsecond precision.
Column names keep the AIS names (ITU-R M.1371) for decoded values and carry their unit for
derived values.
"""

from __future__ import annotations

from typing import Any

import pyarrow as pa

TS = pa.timestamp("us", tz="UTC")
#: Type of the transit ids of the drawn fixes (:func:`mda.store.read.read_transit_fixes`):
#: millions of fixes share a few thousand ids.
TRANSIT_FIX_ID = pa.dictionary(pa.int32(), pa.string())

#: The event tables, in the order runs write them (each has event_id, mmsi, start_ts, end_ts, closed_ts).
EVENT_TABLES = (
    "transits",
    "median_line_crossings",
    "zone_events",
    "loitering_events",
    "gap_events",
    "encounters",
    "port_calls",
    "identity_anomalies",
)


def _f(name: str, typ: pa.DataType, unit: str | None = None, doc: str = "") -> pa.Field[pa.DataType]:
    meta = {"doc": doc}
    if unit:
        meta["unit"] = unit
    return pa.field(name, typ, metadata=meta)


#: One decoded position report (types 1, 2, 3, 18, 19, 27) with a valid position.
POSITIONS = pa.schema(
    [
        _f("ts", TS, "UTC", "time the report was received (tag block c:, CSV or JSON time)"),
        _f("mmsi", pa.int32(), None, "Maritime Mobile Service Identity as transmitted"),
        _f("msg_type", pa.int8(), None, "AIS message type"),
        _f("lon", pa.float64(), "degree", "longitude WGS84"),
        _f("lat", pa.float64(), "degree", "latitude WGS84"),
        _f("speed", pa.float32(), "knot", "speed over ground; NULL when not available (102.3)"),
        _f("course", pa.float32(), "degree", "course over ground; NULL when not available (360)"),
        _f("heading", pa.int16(), "degree", "true heading; NULL when not available (511)"),
        _f("status", pa.int8(), None, "navigational status (class A); NULL for class B"),
        _f("station", pa.string(), None, "receiving station (tag block s:)"),
        _f("source", pa.string(), None, "input the line came from"),
        _f("line_no", pa.int64(), None, "1-based line number of the (first) sentence in its source"),
    ]
)

#: One decoded static/voyage report (types 5, 19, 24A/24B).
VESSEL_STATIC = pa.schema(
    [
        _f("ts", TS, "UTC", "time the report was received"),
        _f("mmsi", pa.int32()),
        _f("msg_type", pa.int8()),
        _f("part", pa.int8(), None, "24: part number (0 = A, 1 = B); NULL otherwise"),
        _f("imo", pa.int32(), None, "IMO number; NULL when 0"),
        _f("callsign", pa.string()),
        _f("shipname", pa.string(), None, "vessel name as transmitted (hostile text: escape when shown)"),
        _f("ship_type", pa.int16(), None, "AIS ship and cargo type code"),
        _f("to_bow", pa.int16(), "metre"),
        _f("to_stern", pa.int16(), "metre"),
        _f("to_port", pa.int16(), "metre"),
        _f("to_starboard", pa.int16(), "metre"),
        _f("draught", pa.float32(), "metre"),
        _f("destination", pa.string()),
        _f("source", pa.string()),
        _f("line_no", pa.int64()),
    ]
)

#: One input line that did not become a decoded message, with the reason.
REJECTS = pa.schema(
    [
        _f("ts", TS, "UTC", "receive time when known, else NULL"),
        _f("source", pa.string()),
        _f("line_no", pa.int64(), None, "1-based line number in the source"),
        _f("reason", pa.string(), None, "why the line was not decoded"),
        _f("detail", pa.string(), None, "decoder message, if any"),
        _f("raw", pa.string(), None, "the line as received (invalid UTF-8 replaced)"),
    ]
)

#: One strait transit: an ordered crossing of both gates.
TRANSITS = pa.schema(
    [
        _f("event_id", pa.string(), None, "deterministic id: hash of mmsi, type, start_ts, fence version"),
        _f("mmsi", pa.int32()),
        _f("direction", pa.string(), None, "northbound or southbound"),
        _f("entry_gate", pa.string()),
        _f("exit_gate", pa.string()),
        _f("start_ts", TS, "UTC", "interpolated crossing time of the entry gate"),
        _f("end_ts", TS, "UTC", "interpolated crossing time of the exit gate"),
        _f(
            "closed_ts",
            TS,
            "UTC",
            "first fix past the exit gate; the run whose interval contains it emits it",
        ),
        _f("duration_s", pa.float64(), "second"),
        _f("entry_lon", pa.float64(), "degree"),
        _f("entry_lat", pa.float64(), "degree"),
        _f("exit_lon", pa.float64(), "degree"),
        _f("exit_lat", pa.float64(), "degree"),
        _f(
            "distance_m", pa.float64(), "metre", "distance sailed between the gate crossings, along the fixes"
        ),
        _f("mean_speed_knots", pa.float64(), "knot", "distance_m / duration_s"),
        _f(
            "lane",
            pa.string(),
            None,
            "east or west of the median line for most of the fixes between the gates",
        ),
        _f(
            "median_line_crossings",
            pa.int32(),
            None,
            "times the path between the gates crossed the median line",
        ),
        _f("shipname", pa.string()),
        _f("ship_type", pa.int16()),
        _f("fence_version", pa.string()),
        _f("params_version", pa.string()),
    ]
)


def _event_fields(*extra: pa.Field[pa.DataType]) -> list[pa.Field[pa.DataType]]:
    return [
        _f("event_id", pa.string(), None, "deterministic: hash of mmsi, event type, start and fence version"),
        _f("mmsi", pa.int32()),
        _f("start_ts", TS, "UTC", "event start"),
        _f("end_ts", TS, "UTC", "event end"),
        _f(
            "closed_ts",
            TS,
            "UTC",
            "when the data proved the event over; the run whose interval has it emits it",
        ),
        *extra,
        _f("fence_version", pa.string()),
        _f("params_version", pa.string()),
    ]


#: Every crossing of the median line; start_ts == end_ts is the interpolated crossing time.
MEDIAN_LINE_CROSSINGS = pa.schema(
    _event_fields(
        _f("direction", pa.string(), None, "W->E (towards Taiwan) or E->W"),
        _f("lon", pa.float64(), "degree"),
        _f("lat", pa.float64(), "degree"),
    )
)

#: Slow movement (< 2 kn) for >= 2 h inside the strait, away from ports.
LOITERING_EVENTS = pa.schema(
    _event_fields(
        _f("duration_s", pa.float64(), "second"),
        _f("lon", pa.float64(), "degree", "median position"),
        _f("lat", pa.float64(), "degree", "median position"),
        _f("fixes", pa.int32()),
        _f("median_sog_knots", pa.float64(), "knot"),
    )
)

#: Silence of >= 6 h by a vessel underway in or near the strait.
GAP_EVENTS = pa.schema(
    _event_fields(
        _f("duration_s", pa.float64(), "second"),
        _f("start_lon", pa.float64(), "degree", "last fix before the gap"),
        _f("start_lat", pa.float64(), "degree"),
        _f("end_lon", pa.float64(), "degree", "first fix after the gap"),
        _f("end_lat", pa.float64(), "degree"),
        _f("distance_m", pa.float64(), "metre"),
        _f("implied_speed_knots", pa.float64(), "knot"),
    )
)

#: Two vessels within 500 m for >= 2 h, both slow, away from ports (one row per pair).
ENCOUNTERS = pa.schema(
    _event_fields(
        _f("other_mmsi", pa.int32()),
        _f("duration_s", pa.float64(), "second"),
        _f("lon", pa.float64(), "degree", "median position"),
        _f("lat", pa.float64(), "degree", "median position"),
        _f("median_distance_m", pa.float64(), "metre"),
    )
)

#: Entry into a port or anchorage area, a stop, and exit.
PORT_CALLS = pa.schema(
    _event_fields(
        _f("port", pa.string()),
        _f("country", pa.string(), None, "ISO 3166 alpha-2 of the port's country"),
        _f("duration_s", pa.float64(), "second"),
    )
)

#: A visit to restricted waters or an active exercise area.
ZONE_EVENTS = pa.schema(
    _event_fields(
        _f("zone_id", pa.string()),
        _f("zone_name", pa.string()),
        _f("zone_kind", pa.string(), None, "restricted_waters or exercise_area"),
        _f("approximate", pa.bool_(), None, "the zone's limit is an approximation, not official"),
        _f("dwell_s", pa.float64(), "second"),
        _f("entry_lon", pa.float64(), "degree"),
        _f("entry_lat", pa.float64(), "degree"),
    )
)

#: Shared MMSIs, identity swaps and several names per MMSI and day.
IDENTITY_ANOMALIES = pa.schema(
    _event_fields(
        _f("anomaly", pa.string(), None, "shared_mmsi, identity_swap or several_names"),
        _f("other_mmsi", pa.int32()),
        _f("detail", pa.string()),
    )
)


#: Who the vessel said it was, attached to every stored event (last report at or before end_ts).
VESSEL_FIELDS = (
    _f(
        "shipname",
        pa.string(),
        None,
        "name last reported at or before end_ts (hostile text: escape when shown)",
    ),
    _f("callsign", pa.string(), None, "call sign last reported at or before end_ts"),
    _f("imo", pa.int32(), None, "IMO number last reported at or before end_ts"),
    _f("ship_type", pa.int16(), None, "AIS ship and cargo type last reported at or before end_ts"),
    _f(
        "length_m",
        pa.int16(),
        "metre",
        "to_bow + to_stern last reported at or before end_ts; NULL if unknown",
    ),
    _f(
        "beam_m",
        pa.int16(),
        "metre",
        "to_port + to_starboard last reported at or before end_ts; NULL if unknown",
    ),
    _f("flag", pa.string(), None, "ISO 3166 alpha-2 of the MMSI MID (a claim; unreliable near Taiwan)"),
    _f("category", pa.string(), None, "ship category from ship_type (cargo, tanker, fishing, military, ...)"),
)


def with_vessel_fields(schema: pa.Schema) -> pa.Schema:
    """The stored form of an event schema: the detector's fields plus the missing vessel fields."""
    fields = list(schema)
    names = set(schema.names)
    return pa.schema(fields + [f for f in VESSEL_FIELDS if f.name not in names])


def event_table(columns: dict[str, Any], schema: pa.Schema) -> pa.Table:
    """Build an event table; integer columns for timestamp fields are UTC microseconds."""
    arrays = []
    for field in schema:
        values = columns[field.name]
        if field.type == TS:
            arrays.append(pa.array(values, pa.int64()).cast(TS))
        else:
            arrays.append(pa.array(values, field.type))
    return pa.Table.from_arrays(arrays, schema=schema)
