"""Background traffic: the ordinary ships of a day in the strait.

Categories and their count at ``scale = 1`` (:data:`BACKGROUND`); each count is multiplied by
the scale and rounded.  Every ship has its own random stream (run seed, date, category, index),
so a larger scale keeps the ships of a smaller one and adds more.

* ``through``: merchant ships from the South China Sea, Luzon Strait or Bashi Channel to the
  East China Sea or Japan, or back, by the lane west of Penghu or the Penghu Channel; right-hand
  traffic (each ship keeps to starboard of the lane axis).  About half complete their passage
  within the day; the others are mid-voyage at 00:00 or still inside at 24:00.
* ``port_arrival`` / ``port_departure``: calls at the ports inside the strait, some waiting at
  the anchorage first.
* ``port_stay`` / ``anchored``: ships moored or at anchor all day.
* ``crossing``: cross-strait services (Xiamen-Kaohsiung, Xiamen-Taichung, Pingtan-Taichung
  fast ferry, Kaohsiung-Magong, Taipei-Fuzhou, Quanzhou-Taichung).
* ``coastal_cn`` / ``coastal_tw``: coasters along the Fujian and Taiwan coasts.
* ``fishing``: fishing vessels meandering at 2.6-5.5 kn on fishing grounds, mostly class B.
* ``tug`` / ``pleasure``: harbour tugs and pleasure craft.

Background ships never drift below 2 kn away from ports, so they never loiter; gate crossings
are kept at least :data:`MIDNIGHT_MARGIN_S` from 00:00 and 24:00 by shifting a ship's whole
schedule, so whether a passage falls inside the day never depends on interpolation.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import replace

import numpy as np
from shapely.geometry import Point

from mda.geo.fences import load_land
from mda.simulate import lanes
from mda.simulate.fleet import KINDS, Identity, Registry, pick_flag
from mda.simulate.geodesy import KNOT_MS, bearing_deg, destination, distance_m, offset_point
from mda.simulate.lanes import LonLat
from mda.simulate.motion import NAV_ANCHORED, NAV_FISHING, NAV_MOORED, NAV_UNDERWAY, Track, TrackBuilder
from mda.simulate.passages import gate_crossings
from mda.simulate.plan import HOUR, Day, PortVisit, ShipPlan

#: Gate crossings stay at least this far from 00:00 and 24:00 (seconds).
MIDNIGHT_MARGIN_S = 20 * 60.0
#: Harbour speed on legs that touch a berth, knots.
HARBOUR_SPEED_KN = 7.0

#: Background ships at scale 1, per category.
BACKGROUND: dict[str, int] = {
    "through": 50,
    "port_arrival": 20,
    "port_departure": 20,
    "port_stay": 12,
    "anchored": 16,
    "crossing": 12,
    "coastal_cn": 16,
    "coastal_tw": 10,
    "fishing": 50,
    "tug": 6,
    "pleasure": 6,
}
_CATEGORY_ID = {name: 100 + i for i, name in enumerate(BACKGROUND)}

SEA_EDGE_DESTINATIONS: dict[str, tuple[str, ...]] = {
    "ecs_north": ("SHANGHAI", "CN SHA", "NINGBO", "CNNGB", "QINGDAO", "BUSAN", "KR PUS", "TIANJIN", "DALIAN"),
    "okinawa": ("YOKOHAMA", "JP YOK", "TOKYO", "NAGOYA", "KOBE", "OSAKA", "NAHA", "JPUKB"),
    "zhejiang_coast": ("WENZHOU", "TAIZHOU", "NINGBO", "ZHOUSHAN"),
    "scs_hongkong": ("HONG KONG", "HKHKG", "SHENZHEN", "YANTIAN", "NANSHA", "CN SHK"),
    "scs_south": ("SINGAPORE", "SGSIN", "HO CHI MINH", "LAEM CHABANG", "PORT KLANG", "JAKARTA"),
    "bashi": ("LONG BEACH", "LOS ANGELES", "OAKLAND", "SEATTLE", "GUAM", "US LAX"),
    "luzon": ("MANILA", "PH MNL", "SUBIC BAY", "BATANGAS", "DAVAO"),
}
SEA_EDGES = tuple(SEA_EDGE_DESTINATIONS)

_INSIDE_PORT_WEIGHTS: dict[str, float] = {
    "Kaohsiung": 0.24,
    "Taichung": 0.18,
    "Xiamen": 0.20,
    "Taipei": 0.10,
    "Mailiao": 0.07,
    "Quanzhou": 0.07,
    "Putian": 0.05,
    "Anping": 0.04,
    "Pingtan": 0.02,
    "Magong": 0.03,
}


def choose(rng: np.random.Generator, weights: dict[str, float]) -> str:
    """Draw a key of ``weights`` with probability proportional to its value."""
    keys = list(weights)
    p = np.array([weights[k] for k in keys], dtype=np.float64)
    return keys[int(rng.choice(len(keys), p=p / p.sum()))]


def destination_text(rng: np.random.Generator, target: str) -> str:
    """AIS destination text for a sea edge or a port name, written the ways crews write it."""
    if target in SEA_EDGE_DESTINATIONS:
        options = SEA_EDGE_DESTINATIONS[target]
        return options[int(rng.integers(len(options)))]
    port = lanes.port_by_name(target)
    styles = (port.locode, f"{port.locode[:2]} {port.locode[2:]}", port.name.upper())
    return styles[int(rng.integers(len(styles)))]


def eta_tuple(t: float) -> tuple[int, int, int, int]:
    """AIS ETA (month, day, hour, minute) of a time (UTC unix seconds), rounded down to 15 min."""
    when = dt.datetime.fromtimestamp(t - t % 900, tz=dt.UTC)
    return when.month, when.day, when.hour, when.minute


def point_in_water(p: LonLat, clearance_m: float = 60.0) -> bool:
    """True when ``p`` (lon, lat degrees) is water about ``clearance_m`` metres or more from land."""
    return bool(load_land().distance(Point(p)) * 111_000.0 > clearance_m)


def jitter_point(rng: np.random.Generator, p: LonLat, radius_m: float, tries: int = 20) -> LonLat:
    """A random point within ``radius_m`` of ``p`` that is in water (``p`` itself as fallback)."""
    for _ in range(tries):
        r = radius_m * float(np.sqrt(rng.random()))
        a = float(rng.uniform(0, 2 * np.pi))
        q = offset_point(p[0], p[1], r * np.cos(a), r * np.sin(a))
        if point_in_water(q) and lanes.leg_in_water(p, q):
            return q
    return p


def berth_spot(rng: np.random.Generator, port: lanes.Port) -> LonLat:
    """Where a ship lies moored: within :data:`lanes.BERTH_RADIUS_M` of the berth point."""
    return jitter_point(rng, port.berth, lanes.BERTH_RADIUS_M)


def anchor_spot(rng: np.random.Generator, port: lanes.Port) -> LonLat:
    """Where a ship lies at anchor: within :data:`lanes.ANCHORAGE_RADIUS_M` of the anchorage."""
    return jitter_point(rng, port.anchorage, lanes.ANCHORAGE_RADIUS_M)


def route_coords(
    rng: np.random.Generator,
    nodes: tuple[str, ...],
    offset_m: float,
    start: LonLat | None = None,
    end: LonLat | None = None,
) -> list[LonLat]:
    """Waypoints of a route for one ship: sideways offset, own start/end points, in water.

    Sea-edge end points are moved up to 15 km at random so that ships do not all appear at
    one point; ``start``/``end`` (a berth or anchor spot) replace the end nodes when given.
    """
    coords = lanes.offset_route(nodes, offset_m)
    first = start if start is not None else coords[0]
    last = end if end is not None else coords[-1]
    if start is None and nodes[0] in SEA_EDGES:
        first = jitter_point(rng, coords[0], 15_000.0)
    if end is None and nodes[-1] in SEA_EDGES:
        last = jitter_point(rng, coords[-1], 15_000.0)
    out = [first, *coords[1:-1], last]
    if lanes.path_in_water(out):
        return out
    base = [lanes.node_lonlat(n) for n in nodes]
    out = [start if start is not None else base[0], *base[1:-1], end if end is not None else base[-1]]
    return out if lanes.path_in_water(out) else base


def leg_speeds(nodes: Sequence[str], speed_kn: float) -> list[float]:
    """Speed of each leg (knots): harbour speed on legs that touch a berth."""
    slow = [lanes.NODES[n].spread_m == 0.0 for n in nodes]
    return [
        min(speed_kn, HARBOUR_SPEED_KN) if (slow[i] or slow[i + 1]) else speed_kn
        for i in range(len(nodes) - 1)
    ]


def route_duration(coords: Sequence[LonLat], speeds: Sequence[float]) -> float:
    """Seconds to sail ``coords`` with one speed (knots) per leg."""
    return sum(
        distance_m(a, b) / (s * KNOT_MS) for a, b, s in zip(coords[:-1], coords[1:], speeds, strict=True)
    )


def sail_route(
    b: TrackBuilder, coords: Sequence[LonLat], speeds: Sequence[float], status: int = NAV_UNDERWAY
) -> None:
    """Sail the legs of ``coords`` (the builder is at ``coords[0]``)."""
    for p, s in zip(coords[1:], speeds, strict=True):
        b.sail([p], s, status)


def clear_of_midnight(plan: ShipPlan, day: Day) -> ShipPlan:
    """Shift a plan until its gate crossings are :data:`MIDNIGHT_MARGIN_S` away from 00:00/24:00."""
    for step in (0.0, 2400.0, -2400.0, 4800.0, -4800.0, 7200.0, -7200.0):
        shifted = plan.shifted(step) if step else plan
        times = [c.t for c in gate_crossings(shifted.track)]
        if all(
            abs(t - day.start) >= MIDNIGHT_MARGIN_S and abs(t - day.end) >= MIDNIGHT_MARGIN_S for t in times
        ):
            return shifted
    raise RuntimeError("could not keep gate crossings away from midnight")


def transponder(rng: np.random.Generator, ident: Identity) -> tuple[int, bool, bool]:
    """Per-ship transponder: (position message type, heading sensor, rate-of-turn indicator).

    Class B units send type 18 and rarely have a heading sensor; 15 % of class A units use
    ITDMA type 3 reports, the others SOTDMA type 1; 30 % have no rate-of-turn indicator.
    """
    if ident.ais_class == "B":
        return 18, bool(rng.random() < 0.3), False
    return (3 if rng.random() < 0.15 else 1), bool(rng.random() < 0.97), bool(rng.random() < 0.7)


def _plan(
    key: int,
    ident: Identity,
    role: str,
    track: Track,
    rng: np.random.Generator,
    visits: Sequence[PortVisit] = (),
) -> ShipPlan:
    position_type, heading_sensor, rot_sensor = transponder(rng, ident)
    return ShipPlan(
        key=key,
        identity=ident,
        role=role,
        track=track,
        port_visits=tuple(visits),
        position_type=position_type,
        heading_sensor=heading_sensor,
        rot_sensor=rot_sensor,
    )


def _merchant_kind(rng: np.random.Generator) -> str:
    return choose(rng, {"container": 0.33, "bulk": 0.25, "tanker": 0.24, "general": 0.12, "roro": 0.06})


# -- through traffic -----------------------------------------------------------------------


def through(day: Day, reg: Registry, key: int, northbound: bool) -> ShipPlan:
    """A merchant ship passing through the strait (see the module docstring)."""
    rng = day.rng(_CATEGORY_ID["through"], key)
    south = choose(rng, {"scs_hongkong": 0.35, "scs_south": 0.2, "bashi": 0.3, "luzon": 0.15})
    north = choose(rng, {"ecs_north": 0.6, "okinawa": 0.4})
    west_lane = south in ("scs_hongkong", "scs_south")
    if rng.random() < 0.2:
        west_lane = not west_lane
    via = ("w2", "w4") if west_lane else ("e2", "e4")
    origin, target = (south, north) if northbound else (north, south)
    nodes = lanes.route_nodes(origin, target, via if northbound else via[::-1])
    kind = _merchant_kind(rng)
    spec = KINDS[kind]
    speed = float(rng.uniform(*spec.speed_kn))
    coords = route_coords(rng, nodes, float(rng.normal(1500.0, 900.0)))
    speeds = leg_speeds(nodes, speed)
    b = TrackBuilder(0.0, coords[0])
    sail_route(b, coords, speeds)
    track = b.build()
    cross = gate_crossings(track)
    entry = next(c for c in cross if c.entering)
    exit_ = next(c for c in reversed(cross) if not c.entering)
    span = exit_.t - entry.t
    lo, hi = day.start + 0.75 * HOUR, day.end - 0.75 * HOUR - span
    if rng.random() < 0.55 and hi > lo:
        shift = float(rng.uniform(lo, hi)) - entry.t
    else:
        shift = float(rng.uniform(day.start - track.end + 2 * HOUR, day.end - 2 * HOUR))
    track = track.shifted(shift)
    ident = reg.make(
        rng,
        kind,
        pick_flag(rng),
        destination_text(rng, target),
        eta=eta_tuple(track.end + float(rng.uniform(12, 96)) * HOUR),
    )
    role = "through_northbound" if northbound else "through_southbound"
    return clear_of_midnight(_plan(key, ident, role, track, rng), day)


# -- port calls ------------------------------------------------------------------------------


def _split_tail(nodes: tuple[str, ...]) -> int:
    """Index of the last node before the berth approach (a node with positive spread)."""
    for i in range(len(nodes) - 2, -1, -1):
        if lanes.NODES[nodes[i]].spread_m > 0.0:
            return i
    return 0


def port_arrival(day: Day, reg: Registry, key: int) -> ShipPlan:
    """A merchant ship arriving at a port inside the strait, perhaps after waiting at anchor."""
    rng = day.rng(_CATEGORY_ID["port_arrival"], key)
    port = lanes.port_by_name(choose(rng, _INSIDE_PORT_WEIGHTS))
    if rng.random() < 0.7:
        origin = str(SEA_EDGES[int(rng.integers(len(SEA_EDGES)))])
        origin_port = None
    else:
        origin_port = lanes.port_by_name(
            choose(rng, {k: v for k, v in _INSIDE_PORT_WEIGHTS.items() if k != port.name})
        )
        origin = origin_port.node
    nodes = lanes.route_nodes(origin, port.node)
    kind = choose(rng, {"container": 0.35, "bulk": 0.2, "tanker": 0.2, "general": 0.25})
    spec = KINDS[kind]
    speed = float(rng.uniform(*spec.speed_kn))
    start = berth_spot(rng, origin_port) if origin_port else None
    coords = route_coords(
        rng, nodes, float(rng.normal(1200.0, 600.0)), start=start, end=berth_spot(rng, port)
    )
    speeds = leg_speeds(nodes, speed)
    i = _split_tail(nodes)
    anchor = anchor_spot(rng, port)
    wait = (
        float(rng.uniform(2, 8)) * HOUR
        if rng.random() < 0.35 and lanes.leg_in_water(coords[i], anchor)
        else 0.0
    )
    main, tail = coords[: i + 1], coords[i:]
    d_main = route_duration(main, speeds[:i])
    d_tail = route_duration(tail, speeds[i:])
    d_anchor = 2 * distance_m(coords[i], anchor) / (HARBOUR_SPEED_KN * KNOT_MS) if wait else 0.0
    t_berth = float(rng.uniform(day.start + 2 * HOUR, day.end - 1 * HOUR))
    t0 = t_berth - d_tail - wait - d_anchor - d_main
    visits: list[PortVisit] = []
    if origin_port:
        t_stay = min(t0, day.start) - HOUR
        b = TrackBuilder(t_stay, coords[0]).stay_until(t0, NAV_MOORED, float(rng.uniform(0, 360)))
        visits.append(PortVisit(origin_port.name, None, t0))
    else:
        b = TrackBuilder(t0, coords[0])
    sail_route(b, main, speeds[:i])
    if wait:
        b.sail([anchor], HARBOUR_SPEED_KN)
        t_anchor = b.now
        b.stay(wait, NAV_ANCHORED, float(rng.uniform(0, 360)))
        visits.append(PortVisit(port.name, t_anchor, b.now, kind="anchorage"))
        b.sail([coords[i]], HARBOUR_SPEED_KN)
    sail_route(b, tail, speeds[i:])
    visits.append(PortVisit(port.name, b.now, None))
    b.stay_until(max(day.end, b.now) + HOUR, NAV_MOORED, float(rng.uniform(0, 360)))
    ident = reg.make(rng, kind, pick_flag(rng), destination_text(rng, port.name), eta=eta_tuple(t_berth))
    return clear_of_midnight(_plan(key, ident, "port_arrival", b.build(), rng, visits), day)


def port_departure(day: Day, reg: Registry, key: int) -> ShipPlan:
    """A merchant ship leaving a port inside the strait for the open sea or another port."""
    rng = day.rng(_CATEGORY_ID["port_departure"], key)
    port = lanes.port_by_name(choose(rng, _INSIDE_PORT_WEIGHTS))
    dest_port: lanes.Port | None = None
    if rng.random() < 0.7:
        target = str(SEA_EDGES[int(rng.integers(len(SEA_EDGES)))])
        target_node = target
    else:
        dest_port = lanes.port_by_name(
            choose(rng, {k: v for k, v in _INSIDE_PORT_WEIGHTS.items() if k != port.name})
        )
        target, target_node = dest_port.name, dest_port.node
    nodes = lanes.route_nodes(port.node, target_node)
    kind = choose(rng, {"container": 0.35, "bulk": 0.2, "tanker": 0.2, "general": 0.25})
    speed = float(rng.uniform(*KINDS[kind].speed_kn))
    coords = route_coords(
        rng,
        nodes,
        float(rng.normal(1200.0, 600.0)),
        start=berth_spot(rng, port),
        end=berth_spot(rng, dest_port) if dest_port else None,
    )
    t_dep = float(rng.uniform(day.start + 0.5 * HOUR, day.end - 1.5 * HOUR))
    b = TrackBuilder(day.start - 2 * HOUR, coords[0]).stay_until(
        t_dep, NAV_MOORED, float(rng.uniform(0, 360))
    )
    visits = [PortVisit(port.name, None, t_dep)]
    sail_route(b, coords, leg_speeds(nodes, speed))
    if dest_port:
        visits.append(PortVisit(dest_port.name, b.now, None))
        b.stay_until(max(day.end, b.now) + HOUR, NAV_MOORED, float(rng.uniform(0, 360)))
    ident = reg.make(rng, kind, pick_flag(rng), destination_text(rng, target), eta=eta_tuple(b.now))
    return clear_of_midnight(_plan(key, ident, "port_departure", b.build(), rng, visits), day)


def port_stay(day: Day, reg: Registry, key: int) -> ShipPlan:
    """A ship moored all day."""
    rng = day.rng(_CATEGORY_ID["port_stay"], key)
    port = lanes.port_by_name(choose(rng, _INSIDE_PORT_WEIGHTS | {"Keelung": 0.08, "Fuzhou": 0.05}))
    spot = berth_spot(rng, port)
    b = TrackBuilder(day.start - HOUR, spot).stay_until(
        day.end + HOUR, NAV_MOORED, float(rng.uniform(0, 360))
    )
    kind = choose(rng, {"container": 0.3, "bulk": 0.2, "tanker": 0.2, "general": 0.3})
    country = port.country if rng.random() < 0.5 else pick_flag(rng)
    ident = reg.make(rng, kind, country, destination_text(rng, port.name))
    return _plan(key, ident, "port_stay", b.build(), rng, [PortVisit(port.name, None, None)])


def anchored(day: Day, reg: Registry, key: int) -> ShipPlan:
    """A ship at anchor all day at a port's anchorage."""
    rng = day.rng(_CATEGORY_ID["anchored"], key)
    port = lanes.port_by_name(choose(rng, _INSIDE_PORT_WEIGHTS))
    spot = anchor_spot(rng, port)
    b = TrackBuilder(day.start - HOUR, spot).stay_until(
        day.end + HOUR, NAV_ANCHORED, float(rng.uniform(0, 360))
    )
    kind = choose(rng, {"container": 0.2, "bulk": 0.35, "tanker": 0.3, "general": 0.15})
    ident = reg.make(rng, kind, pick_flag(rng), destination_text(rng, port.name))
    return _plan(key, ident, "anchored", b.build(), rng, [PortVisit(port.name, None, None, kind="anchorage")])


# -- port-to-port services -------------------------------------------------------------------

_CROSSINGS: tuple[tuple[str, str, tuple[str, ...], float], ...] = (
    ("Xiamen", "Kaohsiung", ("container", "general"), 0.25),
    ("Xiamen", "Taichung", ("general", "roro", "container"), 0.2),
    ("Pingtan", "Taichung", ("hsc",), 0.15),
    ("Kaohsiung", "Magong", ("passenger",), 0.15),
    ("Taipei", "Fuzhou", ("passenger", "hsc"), 0.15),
    ("Quanzhou", "Taichung", ("general",), 0.1),
)


def _port_to_port(
    day: Day,
    rng: np.random.Generator,
    a: lanes.Port,
    b_port: lanes.Port,
    speed: float,
    t_dep: float,
    round_trip: bool,
) -> tuple[Track, list[PortVisit]]:
    nodes = lanes.route_nodes(a.node, b_port.node)
    offset = float(rng.normal(600.0, 300.0))
    spot_a, spot_b = berth_spot(rng, a), berth_spot(rng, b_port)
    coords = route_coords(rng, nodes, offset, start=spot_a, end=spot_b)
    speeds = leg_speeds(nodes, speed)
    t_stay = min(t_dep, day.start) - HOUR
    b = TrackBuilder(t_stay, spot_a).stay_until(t_dep, NAV_MOORED, float(rng.uniform(0, 360)))
    visits = [PortVisit(a.name, None, t_dep)]
    sail_route(b, coords, speeds)
    t_arr = b.now
    if round_trip:
        turn = float(rng.uniform(1.5, 4.0)) * HOUR
        b.stay(turn, NAV_MOORED, float(rng.uniform(0, 360)))
        visits.append(PortVisit(b_port.name, t_arr, b.now))
        back = route_coords(rng, nodes[::-1], offset, start=spot_b, end=spot_a)
        sail_route(b, back, leg_speeds(nodes[::-1], speed))
        visits.append(PortVisit(a.name, b.now, None))
    else:
        visits.append(PortVisit(b_port.name, t_arr, None))
    b.stay_until(max(day.end, b.now) + HOUR, NAV_MOORED, float(rng.uniform(0, 360)))
    return b.build(), visits


def crossing(day: Day, reg: Registry, key: int) -> ShipPlan:
    """A cross-strait service between a Fujian and a Taiwan port (ferries inside the strait return)."""
    rng = day.rng(_CATEGORY_ID["crossing"], key)
    weights = np.array([c[3] for c in _CROSSINGS])
    pair = _CROSSINGS[int(rng.choice(len(_CROSSINGS), p=weights / weights.sum()))]
    a, b_port = lanes.port_by_name(pair[0]), lanes.port_by_name(pair[1])
    if rng.random() < 0.5:
        a, b_port = b_port, a
    kind = pair[2][int(rng.integers(len(pair[2])))]
    speed = float(rng.uniform(*KINDS[kind].speed_kn))
    ferry = kind in ("passenger", "hsc")
    t_dep = float(rng.uniform(day.start + (0.5 if ferry else -6.0) * HOUR, day.end - 3 * HOUR))
    if ferry:
        t_dep = min(t_dep, day.start + 10 * HOUR)
    # ferries between two ports of the strait return the same day; a round trip to a port
    # beyond a gate would enter and leave by the same gate around a port call
    round_trip = ferry and a.inside_strait and b_port.inside_strait
    track, visits = _port_to_port(day, rng, a, b_port, speed, t_dep, round_trip=round_trip)
    ident = reg.make(
        rng,
        kind,
        a.country if rng.random() < 0.8 else b_port.country,
        destination_text(rng, b_port.name),
        eta=eta_tuple(t_dep + 6 * HOUR),
    )
    return _plan(key, ident, "crossing", track, rng, visits)


def coastal(day: Day, reg: Registry, key: int, side: str) -> ShipPlan:
    """A coaster along the Fujian (``side="cn"``) or Taiwan (``"tw"``) coast."""
    rng = day.rng(_CATEGORY_ID[f"coastal_{side}"], key)
    names = (
        ("Fuzhou", "Pingtan", "Putian", "Quanzhou", "Xiamen", "Shantou")
        if side == "cn"
        else ("Keelung", "Taipei", "Taichung", "Mailiao", "Anping", "Kaohsiung")
    )
    while True:
        i, j = rng.choice(len(names), 2, replace=False)
        a, b_port = lanes.port_by_name(names[int(i)]), lanes.port_by_name(names[int(j)])
        if distance_m(a.berth, b_port.berth) > 70_000.0:
            break
    kind = choose(rng, {"general": 0.6, "tanker": 0.25, "container": 0.15})
    speed = float(rng.uniform(9.0, 12.5))
    t_dep = float(rng.uniform(day.start - 8 * HOUR, day.end - 2 * HOUR))
    track, visits = _port_to_port(day, rng, a, b_port, speed, t_dep, round_trip=False)
    country = "CN" if side == "cn" else "TW"
    ident = reg.make(rng, kind, country, destination_text(rng, b_port.name), eta=eta_tuple(t_dep + 8 * HOUR))
    plan = _plan(key, ident, f"coastal_{side}", track, rng, visits)
    return clear_of_midnight(plan, day)


# -- fishing and small craft -----------------------------------------------------------------


def meander(
    b: TrackBuilder,
    rng: np.random.Generator,
    ground: lanes.FishingGround,
    t_end: float,
    speed_kn: tuple[float, float] = (2.6, 5.5),
    status: int = NAV_FISHING,
) -> None:
    """Fish inside ``ground`` until ``t_end``: legs of 15-45 min on wandering headings.

    Each leg must end inside the ground and stay in water; after a few refused headings the
    vessel heads back towards the centre of the ground.
    """
    centre = ((ground.lon_min + ground.lon_max) / 2, (ground.lat_min + ground.lat_max) / 2)
    heading = float(rng.uniform(0, 360))
    while b.now < t_end - 1.0:
        dur = float(rng.uniform(15, 45)) * 60.0
        speed = float(rng.uniform(*speed_kn))
        here = b.here
        target = centre
        for attempt in range(10):
            if attempt < 6:
                h = heading + float(rng.normal(0, 50))
            else:
                h = float(
                    bearing_deg(
                        np.array(here[0]), np.array(here[1]), np.array(centre[0]), np.array(centre[1])
                    )
                )
                h += float(rng.normal(0, 25))
            q = destination(here[0], here[1], h, speed * KNOT_MS * dur)
            inside = ground.contains(q)
            if inside and lanes.leg_in_water(here, q):
                target, heading = q, h
                break
        if distance_m(here, target) < 200.0:
            target = destination(here[0], here[1], float(rng.uniform(0, 360)), 1000.0)
        b.sail_until([target], speed, t_end, status)


def fishing(day: Day, reg: Registry, key: int) -> ShipPlan:
    """A fishing vessel working a fishing ground all day."""
    rng = day.rng(_CATEGORY_ID["fishing"], key)
    ground = lanes.FISHING_GROUNDS[int(rng.integers(len(lanes.FISHING_GROUNDS)))]
    tw_share = {"Changhua bank": 0.8, "Penghu north": 0.7, "Taiwan Bank north": 0.4}.get(ground.name, 0.1)
    country = "TW" if rng.random() < tw_share else "CN"
    start = ground.random_point(rng)
    b = TrackBuilder(day.start - float(rng.uniform(0.5, 3.0)) * HOUR, start)
    ident = reg.make(rng, "fishing", country, "FISHING GROUND" if rng.random() < 0.3 else "")
    status = NAV_FISHING if ident.ais_class == "A" else NAV_UNDERWAY
    meander(b, rng, ground, day.end + float(rng.uniform(0.5, 3.0)) * HOUR, status=status)
    return _plan(key, ident, "fishing", b.build(), rng)


def tug(day: Day, reg: Registry, key: int) -> ShipPlan:
    """A harbour tug shifting between berths within 2.5 km of its port's berth point."""
    rng = day.rng(_CATEGORY_ID["tug"], key)
    port = lanes.port_by_name(
        choose(rng, {"Kaohsiung": 0.35, "Taichung": 0.25, "Xiamen": 0.25, "Taipei": 0.15})
    )
    spot = berth_spot(rng, port)
    b = TrackBuilder(day.start - HOUR, spot)
    while b.now < day.end + HOUR:
        b.stay(float(rng.uniform(1.0, 3.5)) * HOUR, NAV_MOORED, float(rng.uniform(0, 360)))
        job = jitter_point(rng, port.berth, 2500.0)
        if lanes.leg_in_water(b.here, job):
            b.sail([job], float(rng.uniform(4.0, 7.0)))
            b.stay(float(rng.uniform(0.3, 1.0)) * HOUR, NAV_MOORED, float(rng.uniform(0, 360)))
            if lanes.leg_in_water(b.here, spot):
                b.sail([spot], float(rng.uniform(4.0, 7.0)))
    ident = reg.make(rng, "tug", port.country, port.name.upper())
    return _plan(key, ident, "tug", b.build(), rng, [PortVisit(port.name, None, None)])


def pleasure(day: Day, reg: Registry, key: int) -> ShipPlan:
    """A pleasure craft on a day trip out of a marina and back."""
    rng = day.rng(_CATEGORY_ID["pleasure"], key)
    port = lanes.port_by_name(choose(rng, {"Kaohsiung": 0.35, "Anping": 0.2, "Xiamen": 0.3, "Taipei": 0.15}))
    spot = berth_spot(rng, port)
    nodes = lanes.route_nodes(port.node, lanes.approach_node(port))
    out = route_coords(rng, nodes, 0.0, start=spot)
    t_dep = day.at(float(rng.uniform(0.0, 3.0)))
    b = TrackBuilder(day.start - HOUR, spot).stay_until(t_dep, NAV_MOORED, float(rng.uniform(0, 360)))
    speed = float(rng.uniform(6.0, 12.0))
    sail_route(b, out, [min(speed, HARBOUR_SPEED_KN)] * (len(out) - 1))
    t_back = b.now + float(rng.uniform(2.0, 5.0)) * HOUR
    for _ in range(16):
        if b.now >= t_back:
            break
        q = jitter_point(rng, b.here, 6000.0)
        if (
            distance_m(q, b.here) > 500.0
            and distance_m(q, port.berth) > 5000.0
            and lanes.leg_in_water(b.here, q)
            and lanes.leg_in_water(q, out[-1])
            and not lanes.crosses_gate(b.here, q)
            and not lanes.crosses_gate(q, out[-1])
        ):
            b.sail([q], speed)
    back = [b.here, *out[::-1]]
    sail_route(b, back, [speed] + [min(speed, HARBOUR_SPEED_KN)] * (len(back) - 2))
    t_home = b.now
    b.stay_until(max(day.end, b.now) + HOUR, NAV_MOORED, float(rng.uniform(0, 360)))
    ident = reg.make(rng, "pleasure", port.country, port.name.upper())
    visits = [PortVisit(port.name, None, t_dep), PortVisit(port.name, t_home, None)]
    return _plan(key, ident, "pleasure", b.build(), rng, visits)


Builder = Callable[[Day, Registry, int], ShipPlan]


def background(day: Day, reg: Registry) -> list[ShipPlan]:
    """All background ships of the day at ``day.scale``."""
    builders: dict[str, Builder] = {
        "through": lambda d, r, k: through(d, r, k, northbound=(k % 2 == 0)),
        "port_arrival": port_arrival,
        "port_departure": port_departure,
        "port_stay": port_stay,
        "anchored": anchored,
        "crossing": crossing,
        "coastal_cn": lambda d, r, k: coastal(d, r, k, "cn"),
        "coastal_tw": lambda d, r, k: coastal(d, r, k, "tw"),
        "fishing": fishing,
        "tug": tug,
        "pleasure": pleasure,
    }
    plans: list[ShipPlan] = []
    for name, base in BACKGROUND.items():
        count = round(base * day.scale)
        for k in range(count):
            plan = builders[name](day, reg, k)
            plans.append(replace(plan, key=_CATEGORY_ID[name] * 1_000_000 + k))
    return plans
