"""Decode aisstream.io JSON messages (one per line, as received) into the shared Arrow tables.

Shape (aisstream's ``AisStreamMessage``, OpenAPI models in ``aisstream/ais-message-models``)::

    {"MessageType": "PositionReport",
     "MetaData": {"MMSI": 244730610, "ShipName": "...", "latitude": 53.09, "longitude": 5.85,
                  "time_utc": "2026-04-25 09:47:25.26746452 +0000 UTC"},
     "Message": {"PositionReport": {"MessageID": 1, "UserID": 244730610, "Latitude": 53.09,
                                    "Longitude": 5.85, "Sog": 4.5, "Cog": 142.9,
                                    "TrueHeading": 511, "NavigationalStatus": 0, ...}}}

Mapping (aisstream names → pyais names, sentinels as for NMEA, see :mod:`mda.decode.rows`):

* ``PositionReport`` (types 1–3), ``StandardClassBPositionReport`` (18),
  ``ExtendedClassBPositionReport`` (19), ``LongRangeAisBroadcastMessage`` (27) → positions:
  ``Latitude``/``Longitude`` → lat/lon, ``Sog`` → speed, ``Cog`` → course, ``TrueHeading`` →
  heading, ``NavigationalStatus`` → status;
* ``ShipStaticData`` (5), ``ExtendedClassBPositionReport`` (19), ``StaticDataReport`` (24, part
  A when ``PartNumber`` is false, B when true) → vessel_static: ``ImoNumber`` → imo,
  ``CallSign`` → callsign, ``Name`` → shipname, ``Type``/``ShipType`` → ship_type,
  ``Dimension.A/B/C/D`` → to_bow/to_stern/to_port/to_starboard, ``MaximumStaticDraught`` →
  draught, ``Destination`` → destination;
* every other known message type is decoded but not stored, counted by its ``MessageID``.

The receive time is ``MetaData.time_utc`` (see :mod:`mda.decode.gotime`); the MMSI is the
message's ``UserID``.  Lines that are not JSON are rejected ``bad_json``; JSON that is not
aisstream's shape ``unexpected_json``; aisstream's ``{"error": ...}`` frames count as non-AIS;
``UnknownMessage`` and unknown type names ``unknown_type``; messages aisstream marks
``"Valid": false`` ``decode_error``.  Duplicates are the same message body (type and fields)
within ``dedup_window_s`` seconds.
"""

from __future__ import annotations

import json
from typing import Any

from mda.decode.batch import (
    MAX_LINE_BYTES,
    valid_ts,
)
from mda.decode.gotime import parse_go_time_us
from mda.decode.messages import row_from_tables
from mda.decode.row_decoder import RowDecoder
from mda.decode.rows import (
    POSITION_TYPES,
    STATIC_TYPES,
    has_static_values,
    position_row,
    static_row,
    valid_position,
)

#: aisstream message type names and the AIS message type each carries (types 1–3 use MessageID).
MESSAGE_TYPES: dict[str, int | None] = {
    "PositionReport": None,
    "BaseStationReport": 4,
    "ShipStaticData": 5,
    "AddressedBinaryMessage": 6,
    "BinaryAcknowledge": 7,
    "BinaryBroadcastMessage": 8,
    "StandardSearchAndRescueAircraftReport": 9,
    "CoordinatedUTCInquiry": 10,
    "AddressedSafetyMessage": 12,
    "SafetyBroadcastMessage": 14,
    "Interrogation": 15,
    "AssignedModeCommand": 16,
    "GnssBroadcastBinaryMessage": 17,
    "StandardClassBPositionReport": 18,
    "ExtendedClassBPositionReport": 19,
    "DataLinkManagementMessage": 20,
    "DataLinkManagementMessageData": 20,
    "AidsToNavigationReport": 21,
    "ChannelManagement": 22,
    "GroupAssignmentCommand": 23,
    "StaticDataReport": 24,
    "SingleSlotBinaryMessage": 25,
    "MultiSlotBinaryMessage": 26,
    "LongRangeAisBroadcastMessage": 27,
}

_MAX_MMSI = 2**30 - 1


class _UnexpectedShapeError(ValueError):
    """The JSON is not aisstream's shape."""


def _int(value: Any, what: str) -> int:
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    raise _UnexpectedShapeError(f"{what} is not an integer: {value!r:.40}")


def _dims(obj: Any) -> dict[str, Any]:
    if not isinstance(obj, dict):
        return {}
    return {
        "to_bow": obj.get("A"),
        "to_stern": obj.get("B"),
        "to_port": obj.get("C"),
        "to_starboard": obj.get("D"),
    }


def _static_values(name: str, body: dict[str, Any]) -> dict[str, Any] | None:
    if name == "ShipStaticData":
        return {
            "imo": body.get("ImoNumber"),
            "callsign": body.get("CallSign"),
            "shipname": body.get("Name"),
            "ship_type": body.get("Type"),
            "draught": body.get("MaximumStaticDraught"),
            "destination": body.get("Destination"),
            **_dims(body.get("Dimension")),
        }
    if name == "ExtendedClassBPositionReport":
        return {"shipname": body.get("Name"), "ship_type": body.get("Type"), **_dims(body.get("Dimension"))}
    if name == "StaticDataReport":
        part_b = body.get("PartNumber")
        if not isinstance(part_b, bool):
            raise _UnexpectedShapeError("StaticDataReport.PartNumber is not a boolean")
        if part_b:
            report = body.get("ReportB")
            if not isinstance(report, dict):
                raise _UnexpectedShapeError("StaticDataReport.ReportB is not an object")
            return {
                "partno": 1,
                "ship_type": report.get("ShipType"),
                "callsign": report.get("CallSign"),
                **_dims(report.get("Dimension")),
            }
        report = body.get("ReportA")
        if not isinstance(report, dict):
            raise _UnexpectedShapeError("StaticDataReport.ReportA is not an object")
        return {"partno": 0, "shipname": report.get("Name")}
    return None


class AisstreamDecoder(RowDecoder):
    """Stateful decoder for one file of aisstream.io JSON lines; feed chunks in file order.

    Parameters
    ----------
    source : str
        Name recorded with every row (usually the input file name).
    dedup_window_s : float or None
        Seconds within which an identical message body counts as a duplicate; None keeps all.
    assume_date : datetime.date, optional
        Give messages without ``time_utc`` 00:00:00 UTC of this date instead of rejecting them.
    with_messages : bool
        Also return one :data:`mda.decode.messages.MESSAGES` row per kept message.
    """

    def _line(self, line_no: int, raw: bytes) -> None:
        reject = self._rejector.reject
        if len(raw) > MAX_LINE_BYTES:
            self._rejector.too_long(line_no, raw)
            return
        if not raw.strip():
            reject(line_no, raw, "empty_line")
            return
        try:
            obj = json.loads(raw)
        except (ValueError, RecursionError) as exc:
            reject(line_no, raw, "bad_json", str(exc)[:200] or type(exc).__name__)
            return
        try:
            self._message(line_no, raw, obj)
        except _UnexpectedShapeError as exc:
            reject(line_no, raw, "unexpected_json", str(exc))

    def _message(self, line_no: int, raw: bytes, obj: Any) -> None:
        reject = self._rejector.reject
        if not isinstance(obj, dict):
            raise _UnexpectedShapeError(f"a JSON {type(obj).__name__}, not an object")
        if "MessageType" not in obj and "error" in obj:
            reject(line_no, raw, "not_ais", "aisstream error frame")
            return
        name, message, meta = obj.get("MessageType"), obj.get("Message"), obj.get("MetaData")
        if not isinstance(name, str) or not isinstance(message, dict) or not isinstance(meta, dict):
            raise _UnexpectedShapeError("not an aisstream message (MessageType, Message, MetaData)")
        body = message.get(name)
        if not isinstance(body, dict):
            raise _UnexpectedShapeError(f"Message has no {name[:40]!r} object")
        if name not in MESSAGE_TYPES:
            reject(line_no, raw, "unknown_type", f"aisstream message type {name[:40]!r}")
            return
        time_utc = meta.get("time_utc")
        ts_us = parse_go_time_us(time_utc) if isinstance(time_utc, str) else None
        assumed = False
        if time_utc is None:
            if self.assume_ts_us is None:
                reject(line_no, raw, "no_timestamp", "MetaData has no time_utc")
                return
            ts_us, assumed = self.assume_ts_us, True
        elif ts_us is None or not valid_ts(ts_us):
            reject(line_no, raw, "bad_timestamp", f"time_utc {str(time_utc)[:60]!r}")
            return
        reject_ts = None if assumed else ts_us
        if body.get("Valid") is False:
            reject(line_no, raw, "decode_error", "aisstream marks the message not valid", reject_ts)
            return
        msg_type = MESSAGE_TYPES[name] or _int(body.get("MessageID"), "MessageID")
        mmsi = _int(body.get("UserID", meta.get("MMSI")), "UserID")
        if not 0 <= mmsi <= _MAX_MMSI or not 1 <= msg_type <= 27:
            raise _UnexpectedShapeError(f"UserID {mmsi} or MessageID {msg_type} out of range")
        static_values = _static_values(name, body)
        is_position = msg_type in POSITION_TYPES
        lat, lon = body.get("Latitude"), body.get("Longitude")
        position_ok = is_position and valid_position(lat, lon)
        if is_position and not position_ok and static_values is None:
            reject(line_no, raw, "invalid_position", f"lat={lat!r:.20} lon={lon!r:.20}", reject_ts)
            return
        if not assumed and self._is_duplicate(
            name + json.dumps(body, sort_keys=True, separators=(",", ":")), ts_us
        ):
            reject(line_no, raw, "duplicate", "same message already decoded", ts_us)
            return
        self.accounting.decoded += 1
        self.accounting.assumed_time += int(assumed)
        self.accounting.messages_by_type[msg_type] += 1
        common = {"ts": ts_us, "mmsi": mmsi, "msg_type": msg_type, "source": self.source, "line_no": line_no}
        position = None
        if position_ok:
            position = position_row(
                common,
                lon=lon,
                lat=lat,
                speed=body.get("Sog"),
                course=body.get("Cog"),
                heading=body.get("TrueHeading"),
                status=body.get("NavigationalStatus"),
                station=None,
            )
            self._positions.append(position)
        static = None
        if static_values is not None and msg_type in STATIC_TYPES:
            static = static_row(common, static_values)
            if has_static_values(static) or msg_type != 19:
                self._static.append(static)
        if self._messages is not None:
            self._messages.append(row_from_tables(common, position, static))
