"""Ground truth of a simulated day, computed from the true paths and what the feed received.

Time semantics: the day is the half-open UTC interval ``[date 00:00, date+1 00:00)``; every
timestamp is ISO 8601 UTC with a ``Z`` and whole seconds, rounded *down* (so an instant inside
the day stays inside it); intervals are half-open ``[start_ts, end_ts)``.

Transits and U-turns (:mod:`mda.simulate.passages`)
    From gate crossings of the true path: ``start_ts``/``end_ts`` are the true crossing times of
    the entry and exit gates.  ``transits`` lists those with both crossings inside the day;
    ``partial_transits`` those with at least one crossing outside it (informational).  An entry
    and exit with a port call in between is neither a transit nor a U-turn (the simulator does
    not generate such voyages; the rule only makes the truth explicit).
    ``sparse`` marks ships reporting every 30 min, ``dark_during`` ships whose transponder was
    off at some time between the two crossings.
Loitering
    Maximal periods when the true speed over ground is below 2 kn, the ship is inside the
    strait area (:func:`mda.geo.fences.load_strait_area`) and more than 4 km from every port and
    anchorage point (``ports`` in the truth file), lasting at least 2 h within the day.
    ``lon``/``lat`` are the mean true position.  Ships of an encounter loiter too.
Encounters
    Two ships both below 2 kn, more than 4 km from every port and anchorage, within 500 m of
    each other (true positions, checked every 10 s) for at least 2 h within the day.
Gaps
    For each MMSI, consecutive received position fixes at least 6 h apart: ``start_ts`` and
    ``end_ts`` are the tag-block receive times ``c`` of the first copies of the last fix before
    and the first fix after.  By construction these are exactly the transponder-off periods.
Port calls
    Planned stays at a port's berths or at its anchorage (``kind``): ``arrival_ts`` and
    ``departure_ts`` are when the true path enters and leaves the 4 km disc around the berth or
    anchorage point (``ports`` in the truth file); null when that happens outside the day (in
    port at 00:00 or still there at 24:00).  A ship that waits at anchor and then berths has two
    calls at the same port.
"""

from __future__ import annotations

import datetime as dt
import math
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt
import shapely

from mda.geo.fences import FENCE_VERSION, load_strait_area
from mda.simulate import lanes
from mda.simulate.geodesy import haversine_m
from mda.simulate.passages import gate_crossings, pair_passages
from mda.simulate.plan import Day, PortVisit, ShipPlan
from mda.simulate.receivers import STATIONS

FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]

#: Loitering and encounter speed threshold, knots.
SLOW_KN = 2.0
#: Shortest loitering period or encounter, seconds.
MIN_EVENT_S = 2 * 3600.0
#: Largest distance between the two ships of an encounter, metres.
ENCOUNTER_M = 500.0
#: Sampling step for loitering and encounters, seconds.
STEP_S = 10.0


def iso(t: float | None) -> str | None:
    """ISO 8601 UTC with ``Z``, whole seconds rounded down; None stays None."""
    if t is None:
        return None
    return dt.datetime.fromtimestamp(math.floor(t), tz=dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


@dataclass(frozen=True)
class ShipSummary:
    """What the truth needs from a ship's emission.

    Attributes
    ----------
    gaps : list of (int, int)
        Fix gaps of 6 h or more (receive times, UTC unix seconds).
    fix_c : ndarray of int64 or None
        All first-copy fix times, kept only for MMSIs shared by several ships.
    """

    gaps: list[tuple[int, int]]
    fix_c: npt.NDArray[np.int64] | None


def _place_arrays() -> tuple[FloatArray, FloatArray]:
    pl = lanes.places()
    return np.array([p.lon for p in pl]), np.array([p.lat for p in pl])


def away_from_places(lon: FloatArray, lat: FloatArray) -> BoolArray:
    """True where a position is more than the port-area radius from every port and anchorage."""
    plon, plat = _place_arrays()
    ok = np.ones(lon.shape, dtype=bool)
    for x, y in zip(plon, plat, strict=True):
        ok &= haversine_m(lon, lat, np.full_like(lon, x), np.full_like(lat, y)) > lanes.PORT_AREA_RADIUS_M
    return ok


def _runs(mask: BoolArray) -> list[tuple[int, int]]:
    """Index ranges ``[a, b)`` of consecutive True values."""
    if mask.size == 0:
        return []
    d = np.diff(np.r_[0, mask.astype(np.int8), 0])
    return list(zip(np.flatnonzero(d == 1).tolist(), np.flatnonzero(d == -1).tolist(), strict=True))


def slow_windows(plan: ShipPlan, day: Day, in_area: bool) -> list[tuple[float, float]]:
    """Periods within the day when the ship is slow, away from places (and inside the area).

    Returns half-open ``[start, end)`` periods of at least :data:`MIN_EVENT_S` (UTC unix seconds).
    """
    track = plan.track
    out: list[tuple[float, float]] = []
    for a, b in _runs(track.sog_kn < SLOW_KN):
        t0, t1 = max(float(track.t[a]), day.start), min(float(track.t[b]), day.end)
        if t1 - t0 < MIN_EVENT_S:
            continue
        # still segments near a port are the common case: test their knots first
        lon_k, lat_k = track.lon[a : b + 1], track.lat[a : b + 1]
        if not away_from_places(lon_k, lat_k).any():
            continue
        times = np.arange(t0, t1, STEP_S, dtype=np.float64)
        lon, lat = track.position(times)
        mask = away_from_places(lon, lat)
        if in_area:
            mask &= shapely.contains_xy(load_strait_area(), lon, lat)
        for i, j in _runs(mask):
            start = float(times[i])
            end = t1 if j == times.size else float(times[j - 1]) + STEP_S
            if end - start >= MIN_EVENT_S:
                out.append((start, end))
    return out


def loitering(plans: Sequence[ShipPlan], day: Day) -> list[dict[str, Any]]:
    """Loitering events (see the module docstring)."""
    out = []
    for plan in plans:
        for start, end in slow_windows(plan, day, in_area=True):
            lon, lat = plan.track.position(np.arange(start, end, STEP_S, dtype=np.float64))
            out.append(
                {
                    "mmsi": plan.identity.mmsi,
                    "start_ts": iso(start),
                    "end_ts": iso(end),
                    "lon": round(float(lon.mean()), 5),
                    "lat": round(float(lat.mean()), 5),
                }
            )
    return sorted(out, key=lambda e: (e["start_ts"], e["mmsi"]))


def encounters(plans: Sequence[ShipPlan], day: Day) -> list[dict[str, Any]]:
    """Encounter events (see the module docstring)."""
    windows = [(p, w) for p in plans for w in slow_windows(p, day, in_area=False)]
    out = []
    for i, (pa, wa) in enumerate(windows):
        for pb, wb in windows[i + 1 :]:
            if pa.key == pb.key:
                continue
            t0, t1 = max(wa[0], wb[0]), min(wa[1], wb[1])
            if t1 - t0 < MIN_EVENT_S:
                continue
            times = np.arange(t0, t1, STEP_S, dtype=np.float64)
            lon_a, lat_a = pa.track.position(times)
            lon_b, lat_b = pb.track.position(times)
            close = haversine_m(lon_a, lat_a, lon_b, lat_b) <= ENCOUNTER_M
            for a, b in _runs(close):
                start = float(times[a])
                end = t1 if b == times.size else float(times[b - 1]) + STEP_S
                if end - start >= MIN_EVENT_S:
                    ma, mb = sorted((pa.identity.mmsi, pb.identity.mmsi))
                    out.append({"mmsi_a": ma, "mmsi_b": mb, "start_ts": iso(start), "end_ts": iso(end)})
    return sorted(out, key=lambda e: (e["start_ts"], e["mmsi_a"]))


def _leave_time(plan: ShipPlan, centre: tuple[float, float], t_from: float, forward: bool) -> float | None:
    """First time after (or last before) ``t_from`` when the path is outside the place's disc.

    The path is sampled every 5 s, an hour at a time, and the crossing of the disc's edge is
    interpolated linearly between the two samples around it.  None if the path never leaves.
    """
    track = plan.track
    limit = track.end if forward else track.start
    span = abs(limit - t_from)
    step, chunk = 5.0, 720
    sign = 1.0 if forward else -1.0
    done = 0.0
    prev: tuple[float, float] | None = None
    while done <= span:
        offsets = done + step * np.arange(chunk, dtype=np.float64)
        offsets = offsets[offsets <= span]
        if offsets.size == 0:
            break
        times = t_from + sign * offsets
        lon, lat = track.position(times)
        d = haversine_m(lon, lat, np.full_like(lon, centre[0]), np.full_like(lat, centre[1]))
        outside = np.flatnonzero(d > lanes.PORT_AREA_RADIUS_M)
        if outside.size:
            k = int(outside[0])
            before = prev if k == 0 else (float(times[k - 1]), float(d[k - 1]))
            if before is None:
                return float(times[0])
            f = (lanes.PORT_AREA_RADIUS_M - before[1]) / (float(d[k]) - before[1])
            return before[0] + f * (float(times[k]) - before[0])
        prev = (float(times[-1]), float(d[-1]))
        done = float(offsets[-1]) + step
    return None


def port_calls(plans: Sequence[ShipPlan], day: Day) -> list[dict[str, Any]]:
    """Port calls (see the module docstring)."""
    by_name = {(p.name, p.kind): p for p in lanes.places()}
    out = []
    for plan in plans:
        for visit in plan.port_visits:
            place = by_name[(visit.port, visit.kind)]
            centre = (place.lon, place.lat)
            arrival = None if visit.start is None else _leave_time(plan, centre, visit.start, forward=False)
            departure = None if visit.end is None else _leave_time(plan, centre, visit.end, forward=True)
            lo = arrival if arrival is not None else -math.inf
            hi = departure if departure is not None else math.inf
            if hi <= day.start or lo >= day.end or plan.track.end <= day.start or plan.track.start >= day.end:
                continue
            out.append(
                {
                    "mmsi": plan.identity.mmsi,
                    "port": visit.port,
                    "kind": visit.kind,
                    "arrival_ts": iso(arrival) if arrival is not None and arrival >= day.start else None,
                    "departure_ts": iso(departure) if departure is not None and departure < day.end else None,
                }
            )
    return sorted(out, key=lambda e: (e["mmsi"], e["arrival_ts"] or "", e["port"], e["kind"]))


def _stays_between(visit: PortVisit, t0: float, t1: float) -> bool:
    start = -math.inf if visit.start is None else visit.start
    end = math.inf if visit.end is None else visit.end
    return start < t1 and end > t0


def passages(
    plans: Sequence[ShipPlan], day: Day
) -> tuple[list[dict[str, Any]], list[dict[str, Any]], list[dict[str, Any]]]:
    """(transits, partial_transits, u_turns) from the true paths."""
    transits, partial, u_turns = [], [], []
    for plan in plans:
        if plan.track.end <= day.start or plan.track.start >= day.end:
            continue
        for p in pair_passages(gate_crossings(plan.track)):
            if any(_stays_between(v, p.entry.t, p.exit.t) for v in plan.port_visits):
                continue  # a port call in the strait between entry and exit: listed in port_calls
            inside = day.start <= p.entry.t < day.end and day.start <= p.exit.t < day.end
            if p.kind == "u_turn":
                if inside:
                    u_turns.append(
                        {
                            "mmsi": plan.identity.mmsi,
                            "gate": p.entry.gate,
                            "entry_ts": iso(p.entry.t),
                            "exit_ts": iso(p.exit.t),
                        }
                    )
                continue
            row = {
                "mmsi": plan.identity.mmsi,
                "direction": p.direction,
                "entry_gate": p.entry.gate,
                "exit_gate": p.exit.gate,
                "start_ts": iso(p.entry.t),
                "end_ts": iso(p.exit.t),
                "sparse": plan.sparse_interval_s is not None,
                "dark_during": any(a < p.exit.t and b > p.entry.t for a, b in plan.dark),
            }
            overlaps = p.exit.t >= day.start and p.entry.t < day.end
            if inside:
                transits.append(row)
            elif overlaps:
                partial.append(row)
    key = lambda e: (e.get("start_ts") or e.get("entry_ts"), e["mmsi"])  # noqa: E731
    return sorted(transits, key=key), sorted(partial, key=key), sorted(u_turns, key=key)


def gaps(plans: Sequence[ShipPlan], summaries: Sequence[ShipSummary]) -> list[dict[str, Any]]:
    """Reception gaps of 6 h or more per MMSI (see the module docstring)."""
    from mda.simulate.emit import fix_gaps

    shared: dict[int, list[npt.NDArray[np.int64]]] = defaultdict(list)
    out: list[dict[str, Any]] = []
    for plan, s in zip(plans, summaries, strict=True):
        if s.fix_c is not None:
            shared[plan.identity.mmsi].append(s.fix_c)
            continue
        out.extend({"mmsi": plan.identity.mmsi, "start_ts": iso(a), "end_ts": iso(b)} for a, b in s.gaps)
    for mmsi, parts in shared.items():
        merged = np.sort(np.concatenate(parts))
        out.extend({"mmsi": mmsi, "start_ts": iso(a), "end_ts": iso(b)} for a, b in fix_gaps(merged))
    return sorted(out, key=lambda e: (e["start_ts"], e["mmsi"]))


def build_truth(
    day: Day,
    plans: Sequence[ShipPlan],
    summaries: Sequence[ShipSummary],
    lines: dict[str, int],
    messages: dict[int, int],
    nmea_file: str,
) -> dict[str, Any]:
    """The ground-truth document (see the module docstring for every definition)."""
    transits, partial, u_turns = passages(plans, day)
    by_mmsi: dict[int, list[ShipPlan]] = defaultdict(list)
    for plan in plans:
        by_mmsi[plan.identity.mmsi].append(plan)
    shared = [
        {"mmsi": m, "roles": [p.role for p in ps], "names": [p.identity.name for p in ps]}
        for m, ps in sorted(by_mmsi.items())
        if len(ps) > 1
    ]
    # names a careless HTML page would interpret (the vessels list gives their MMSIs)
    hostile = sorted({p.identity.name for p in plans if any(ch in p.identity.name for ch in "<>\"'&")})
    return {
        "date": day.date.isoformat(),
        "seed": day.seed,
        "scale": day.scale,
        "fence_version": FENCE_VERSION,
        "nmea_file": nmea_file,
        "day_start": iso(day.start),
        "day_end": iso(day.end),
        "lines": lines,
        "messages_by_type": {str(k): messages[k] for k in sorted(messages)},
        "vessels": [
            {
                "mmsi": p.identity.mmsi,
                "name": p.identity.name,
                "callsign": p.identity.callsign,
                "imo": p.identity.imo,
                "ship_type": p.identity.ship_type,
                "ais_class": p.identity.ais_class,
                "flag": p.identity.flag,
                "role": p.role,
                "report_interval_note": p.report_interval_note,
            }
            for p in plans
        ],
        "transits": transits,
        "partial_transits": partial,
        "u_turns": u_turns,
        "loitering": loitering(plans, day),
        "gaps": gaps(plans, summaries),
        "encounters": encounters(plans, day),
        "port_calls": port_calls(plans, day),
        "shared_mmsi": shared,
        "hostile_names": hostile,
        "ports": [
            {
                "port": p.name,
                "kind": p.kind,
                "lon": p.lon,
                "lat": p.lat,
                "radius_m": lanes.PORT_AREA_RADIUS_M,
                "inside_strait": p.inside_strait,
            }
            for p in lanes.places()
        ],
        "stations": [{"code": s.code, "lon": s.lon, "lat": s.lat} for s in STATIONS],
        "definitions": {
            "time": "UTC, ISO 8601 with Z, whole seconds rounded down; intervals half-open [start, end)",
            "lines": "total = ais_sentences + bad_checksum + empty_payload + non_ais; duplicates are "
            "valid copies of a transmission already received by another station (part of "
            "ais_sentences); out_of_order counts lines whose tag-block c is earlier than the "
            "largest c before them; bad_checksum lines are always extra copies",
            "messages_by_type": "distinct messages present in the file (a two-sentence type 5 is one "
            "message; type 24 parts A and B are one message each)",
            "transits": "entry and exit gate crossings of the true path, both inside the day",
            "loitering": "true SOG < 2 kn for >= 2 h inside the strait area, > 4 km from every "
            "port and anchorage point",
            "gaps": "consecutive received position fixes of an MMSI >= 6 h apart (tag-block times)",
            "encounters": "both ships < 2 kn, > 4 km from ports, within 500 m for >= 2 h",
            "port_calls": "entering and leaving the 4 km disc around a port's berth or anchorage "
            "point (kind); null when outside the day",
        },
    }
