"""Shipping lanes, ports, anchorages and fishing grounds of the simulated strait.

The lane network is a small undirected graph whose nodes are named waypoints (lon, lat in
degrees, WGS84) and whose edges are straight legs in lon/lat.  Every edge stays in water
(Natural Earth 10 m land and minor islands, :func:`mda.geo.fences.load_land`); a unit test
checks each one.  Routes are shortest paths through the graph, optionally forced through
``via`` nodes (the through lanes west and east of Penghu, the Fujian and Taiwan coastal
lanes, the cross-strait lanes).

Vessels do not sail the centre line: :func:`offset_route` shifts the interior waypoints of a
route sideways by a per-vessel distance (metres, positive to starboard of the direction of
travel), clipped to each node's ``spread``, and falls back to smaller offsets when a shifted
leg would touch land.

Coordinates were chosen from charts and the public port positions (Natural Earth ports) and
moved where needed so that they lie in water in the Natural Earth 10 m land layer, which is
coarser than a chart: berths are placed at the harbour mouth as that layer draws it.
"""

from __future__ import annotations

import heapq
import itertools
from dataclasses import dataclass
from functools import cache

import numpy as np
import shapely
from shapely.geometry import LineString

from mda.geo.fences import load_gates, load_land
from mda.simulate.geodesy import distance_m, metres_per_degree

LonLat = tuple[float, float]


@dataclass(frozen=True)
class Node:
    """A lane waypoint.

    Attributes
    ----------
    lon, lat : float
        Position in degrees.
    spread_m : float
        Largest sideways offset a vessel may take at this node, metres.
    """

    lon: float
    lat: float
    spread_m: float


@dataclass(frozen=True)
class Port:
    """A port (or harbour) with its berth area, anchorage and lane access node.

    Attributes
    ----------
    name : str
        Display name, also used in the truth file.
    locode : str
        UN/LOCODE-style code used in AIS destinations.
    country : str
        ISO 3166 alpha-2 code of the country operating the port ("CN", "TW").
    berth : (float, float)
        Reference point of the berth area (lon, lat degrees); moored vessels lie within
        :data:`BERTH_RADIUS_M` of it.
    anchorage : (float, float)
        Reference point of the outer anchorage; anchored vessels lie within
        :data:`ANCHORAGE_RADIUS_M` of it.
    node : str
        Lane graph node of the berth (the graph reaches the berth through the approach).
    inside_strait : bool
        True when the port lies between the two gates.
    """

    name: str
    locode: str
    country: str
    berth: LonLat
    anchorage: LonLat
    node: str
    inside_strait: bool


#: Moored vessels lie within this distance of a port's berth point, metres.
BERTH_RADIUS_M = 350.0
#: Anchored vessels lie within this distance of an anchorage point, metres.
ANCHORAGE_RADIUS_M = 1500.0
#: Radius of the port areas used by the ground truth (port calls, loitering exclusion), metres.
PORT_AREA_RADIUS_M = 4000.0

# Open-sea spread, coastal spread and harbour-approach spread (metres).
_SEA, _LANE, _COAST, _APP = 4000.0, 3000.0, 1200.0, 300.0

NODES: dict[str, Node] = {
    # sea edges beyond the gates (where traffic enters or leaves the simulated area)
    "ecs_north": Node(122.30, 27.30, _SEA),
    "zhejiang_coast": Node(121.05, 27.15, _COAST),
    "okinawa": Node(123.40, 25.95, _SEA),
    "scs_hongkong": Node(116.60, 22.45, _SEA),
    "scs_south": Node(117.90, 21.00, _SEA),
    "bashi": Node(121.30, 20.85, _SEA),
    "luzon": Node(120.30, 20.60, _SEA),
    # north, beyond the gate
    "n_out_w": Node(120.70, 25.95, _SEA),
    "n_out_c": Node(120.40, 25.80, _LANE),
    "n_out_e": Node(121.20, 25.65, _LANE),
    "fugui_n": Node(121.58, 25.40, _COAST),
    "keelung_app": Node(121.78, 25.22, _APP),
    "matsu_e": Node(120.25, 26.25, _COAST),
    "fuzhou_off": Node(119.85, 26.05, _COAST),
    "minjiang_mouth": Node(119.72, 26.04, _APP),
    "pingtan_ne_out": Node(120.00, 25.65, _COAST),
    # west through lane (west of Penghu)
    "w_out": Node(117.90, 22.85, _SEA),
    "w1": Node(118.60, 23.25, _LANE),
    "w2": Node(119.05, 23.75, _LANE),
    "w3": Node(119.45, 24.35, _LANE),
    "w4": Node(119.95, 24.95, _LANE),
    "w5": Node(120.30, 25.30, _LANE),
    # south-west approach
    "s_mid_out": Node(118.90, 22.50, _SEA),
    "m1": Node(119.15, 23.05, _LANE),
    # east through lane (Penghu Channel)
    "eluanbi_sw": Node(120.60, 21.75, _COAST),
    "e_out": Node(120.05, 22.15, _LANE),
    "e1": Node(119.95, 22.60, _LANE),
    "e2": Node(119.88, 23.20, _LANE),
    "e3": Node(119.95, 23.90, _LANE),
    "e4": Node(120.25, 24.60, _LANE),
    "e5": Node(120.90, 25.22, _LANE),
    # Taiwan coastal lane
    "taipei_app": Node(121.30, 25.22, _APP),
    "hsinchu_off": Node(120.78, 24.92, _COAST),
    "taichung_app": Node(120.38, 24.30, _APP),
    "mailiao_app": Node(120.05, 23.82, _APP),
    "anping_app": Node(120.02, 23.00, _APP),
    "kaohsiung_app": Node(120.20, 22.50, _APP),
    "magong_app": Node(119.45, 23.50, _APP),
    "magong_inner": Node(119.48, 23.56, 0.0),
    "yunlin_off": Node(119.95, 23.45, _COAST),
    # Fujian coastal lane
    "pingtan_e_in": Node(120.00, 25.35, _COAST),
    "pingtan_s": Node(119.85, 25.20, _COAST),
    "putian_off": Node(119.35, 24.95, _COAST),
    "putian_app": Node(119.10, 24.98, _APP),
    "fujian_mid": Node(118.95, 24.60, _COAST),
    "quanzhou_app": Node(118.82, 24.78, _APP),
    "quanzhou_inner": Node(118.74, 24.825, 0.0),
    "xiamen_off": Node(118.40, 24.20, _COAST),
    "xiamen_app": Node(118.15, 24.33, _APP),
    "dongshan_in": Node(117.75, 23.60, _COAST),
    "dongshan_out": Node(117.40, 23.35, _COAST),
    "shantou_app": Node(116.85, 23.25, _APP),
    # cross-strait lanes
    "strait_xk": Node(118.90, 23.60, _LANE),
    "penghu_s": Node(119.55, 23.00, _LANE),
    "strait_xt": Node(119.20, 24.30, _LANE),
    # berths (one per port, see PORTS)
    "keelung": Node(121.745, 25.160, 0.0),
    "taipei": Node(121.365, 25.165, 0.0),
    "taichung": Node(120.470, 24.285, 0.0),
    "mailiao": Node(120.165, 23.790, 0.0),
    "anping": Node(120.140, 22.990, 0.0),
    "kaohsiung": Node(120.295, 22.550, 0.0),
    "magong": Node(119.545, 23.555, 0.0),
    "xiamen": Node(118.068, 24.448, 0.0),
    "quanzhou": Node(118.670, 24.830, 0.0),
    "putian": Node(119.050, 25.100, 0.0),
    "pingtan": Node(119.713, 25.410, 0.0),
    "fuzhou": Node(119.640, 26.030, 0.0),
    "shantou": Node(116.750, 23.335, 0.0),
}

#: Lane chains; consecutive names are graph edges.
CHAINS: tuple[tuple[str, ...], ...] = (
    # west through lane and its southern approaches
    ("scs_hongkong", "w_out", "w1", "w2", "w3", "w4", "w5", "n_out_w", "ecs_north"),
    ("scs_south", "s_mid_out", "m1", "w2"),
    ("luzon", "s_mid_out"),
    ("w_out", "s_mid_out"),
    # east through lane (Penghu Channel)
    ("bashi", "eluanbi_sw", "e_out", "e1", "e2", "e3", "e4", "e5", "n_out_e", "okinawa"),
    ("n_out_e", "ecs_north"),
    ("luzon", "e_out"),
    ("e_out", "s_mid_out"),
    # Taiwan coastal lane
    ("keelung", "keelung_app", "fugui_n", "taipei_app", "taipei"),
    ("fugui_n", "n_out_e"),
    ("keelung_app", "okinawa"),
    (
        "taipei_app",
        "hsinchu_off",
        "taichung_app",
        "mailiao_app",
        "yunlin_off",
        "anping_app",
        "kaohsiung_app",
        "eluanbi_sw",
    ),
    ("taichung_app", "taichung"),
    ("mailiao_app", "mailiao"),
    ("anping_app", "anping"),
    ("kaohsiung_app", "kaohsiung"),
    ("kaohsiung_app", "e_out"),
    ("kaohsiung_app", "magong_app", "magong_inner", "magong"),
    # Fujian coastal lane
    (
        "zhejiang_coast",
        "matsu_e",
        "fuzhou_off",
        "pingtan_ne_out",
        "pingtan_e_in",
        "pingtan_s",
        "putian_off",
        "fujian_mid",
        "xiamen_off",
        "dongshan_in",
        "dongshan_out",
        "shantou_app",
        "scs_hongkong",
    ),
    ("fuzhou_off", "minjiang_mouth", "fuzhou"),
    ("putian_off", "putian_app", "putian"),
    ("fujian_mid", "quanzhou_app", "quanzhou_inner", "quanzhou"),
    ("xiamen_off", "xiamen_app", "xiamen"),
    ("shantou_app", "shantou"),
    ("pingtan_s", "pingtan"),
    # cross-strait lanes
    ("xiamen_off", "strait_xk", "penghu_s", "kaohsiung_app"),
    ("xiamen_off", "strait_xt", "taichung_app"),
    ("pingtan_s", "taichung_app"),
    ("taipei_app", "n_out_c", "fuzhou_off"),
    # connectors between the through lanes and the coasts
    ("w1", "xiamen_off"),
    ("w3", "fujian_mid"),
    ("w4", "putian_off"),
    ("w5", "pingtan_e_in"),
    ("e1", "kaohsiung_app"),
    ("e2", "anping_app"),
    ("e3", "mailiao_app"),
    ("e4", "taichung_app"),
    ("e5", "taipei_app"),
    ("n_out_w", "n_out_c"),
    ("w5", "n_out_e"),
    ("taipei_app", "w5"),
    ("e1", "penghu_s"),
)

#: Route-finding cost added per gate crossed, metres (so routes never leave and re-enter).
GATE_PENALTY_M = 300_000.0
#: Route-finding cost of passing through a harbour approach on the way elsewhere, metres.
APPROACH_PENALTY_M = 40_000.0
#: Route-finding cost factor of legs between two coastal or approach nodes.
COASTAL_FACTOR = 1.2

PORTS: tuple[Port, ...] = (
    Port("Keelung", "TWKEL", "TW", (121.745, 25.160), (121.80, 25.25), "keelung", False),
    Port("Taipei", "TWTPE", "TW", (121.365, 25.165), (121.28, 25.25), "taipei", True),
    Port("Taichung", "TWTXG", "TW", (120.470, 24.285), (120.36, 24.32), "taichung", True),
    Port("Mailiao", "TWMLI", "TW", (120.165, 23.790), (120.06, 23.80), "mailiao", True),
    Port("Anping", "TWTNN", "TW", (120.140, 22.990), (120.05, 23.02), "anping", True),
    Port("Kaohsiung", "TWKHH", "TW", (120.295, 22.550), (120.20, 22.52), "kaohsiung", True),
    Port("Magong", "TWMZG", "TW", (119.545, 23.555), (119.43, 23.52), "magong", True),
    Port("Xiamen", "CNXMN", "CN", (118.068, 24.448), (118.17, 24.30), "xiamen", True),
    Port("Quanzhou", "CNQZH", "CN", (118.670, 24.830), (118.84, 24.74), "quanzhou", True),
    Port("Putian", "CNPUT", "CN", (119.050, 25.100), (119.14, 24.95), "putian", True),
    Port("Pingtan", "CNPTJ", "CN", (119.713, 25.410), (119.82, 25.22), "pingtan", True),
    Port("Fuzhou", "CNFOC", "CN", (119.640, 26.030), (119.82, 26.03), "fuzhou", False),
    Port("Shantou", "CNSWA", "CN", (116.750, 23.335), (116.87, 23.23), "shantou", False),
)


@dataclass(frozen=True)
class FishingGround:
    """A fishing ground: the ellipse inscribed in a lon/lat box (degrees) of open water."""

    name: str
    lon_min: float
    lon_max: float
    lat_min: float
    lat_max: float

    def contains(self, p: LonLat) -> bool:
        """True when ``p`` lies in the ellipse inscribed in the box (where the vessels fish)."""
        cx, cy = (self.lon_min + self.lon_max) / 2, (self.lat_min + self.lat_max) / 2
        rx, ry = (self.lon_max - self.lon_min) / 2, (self.lat_max - self.lat_min) / 2
        return ((p[0] - cx) / rx) ** 2 + ((p[1] - cy) / ry) ** 2 <= 1.0

    def random_point(self, rng: np.random.Generator) -> LonLat:
        """A uniformly random point of the ground's ellipse."""
        while True:
            p = (
                float(rng.uniform(self.lon_min, self.lon_max)),
                float(rng.uniform(self.lat_min, self.lat_max)),
            )
            if self.contains(p):
                return p


FISHING_GROUNDS: tuple[FishingGround, ...] = (
    FishingGround("Pingtan-Putian coast", 119.52, 119.92, 24.80, 25.15),
    FishingGround("Taiwan Bank north", 118.55, 119.05, 23.30, 23.65),
    FishingGround("Changhua bank", 119.85, 120.20, 23.95, 24.30),
    FishingGround("Penghu north", 119.35, 119.75, 23.78, 24.02),
    FishingGround("Xiamen-Kinmen south", 118.25, 118.70, 23.95, 24.20),
    FishingGround("Matsu offshore", 120.30, 120.80, 25.85, 26.20),
    FishingGround("South of the Taiwan Bank", 118.10, 118.60, 22.45, 22.80),
)


@dataclass(frozen=True)
class Place:
    """A port's berth area or its anchorage, as the ground truth names them.

    Attributes
    ----------
    name : str
        Port name.
    kind : {"berth", "anchorage"}
        What the place is.
    lon, lat : float
        Reference point, degrees; the place is the disc of :data:`PORT_AREA_RADIUS_M` around it.
    inside_strait : bool
        True when the place lies between the two gates.
    """

    name: str
    kind: str
    lon: float
    lat: float
    inside_strait: bool


def places() -> tuple[Place, ...]:
    """Every port berth area and anchorage."""
    out: list[Place] = []
    for p in PORTS:
        out.append(Place(p.name, "berth", p.berth[0], p.berth[1], p.inside_strait))
        out.append(Place(p.name, "anchorage", p.anchorage[0], p.anchorage[1], p.inside_strait))
    return tuple(out)


def point_clear_of_places(point: LonLat, distance: float) -> bool:
    """True when ``point`` is more than ``distance`` metres from every port and anchorage point."""
    return all(distance_m(point, (p.lon, p.lat)) > distance for p in places())


def port_by_name(name: str) -> Port:
    """Return the :class:`Port` called ``name``."""
    for port in PORTS:
        if port.name == name:
            return port
    raise KeyError(name)


def approach_node(port: Port) -> str:
    """The first lane node with a positive spread on the way out of ``port``'s berth."""
    seen = {port.node}
    frontier = [port.node]
    while frontier:
        name = frontier.pop(0)
        for nxt, _ in _graph()[name]:
            if nxt in seen:
                continue
            if NODES[nxt].spread_m > 0.0:
                return nxt
            seen.add(nxt)
            frontier.append(nxt)
    raise ValueError(f"{port.name} has no approach")


def edges() -> list[tuple[str, str]]:
    """Return every lane edge once, as (node, node) name pairs in chain order."""
    seen: set[frozenset[str]] = set()
    out: list[tuple[str, str]] = []
    for chain in CHAINS:
        for a, b in itertools.pairwise(chain):
            key = frozenset((a, b))
            if key not in seen:
                seen.add(key)
                out.append((a, b))
    return out


def node_lonlat(name: str) -> LonLat:
    """Return a node's (lon, lat) in degrees."""
    node = NODES[name]
    return node.lon, node.lat


@cache
def _graph() -> dict[str, list[tuple[str, float]]]:
    graph: dict[str, list[tuple[str, float]]] = {name: [] for name in NODES}
    for a, b in edges():
        w = distance_m(node_lonlat(a), node_lonlat(b))
        if max(NODES[a].spread_m, NODES[b].spread_m) <= _COAST:
            w *= COASTAL_FACTOR
        w += GATE_PENALTY_M * gate_crossings_of_edge(a, b)
        graph[a].append((b, w))
        graph[b].append((a, w))
    return graph


@cache
def _shortest(origin: str, destination: str) -> tuple[str, ...]:
    graph = _graph()
    dist = {origin: 0.0}
    prev: dict[str, str] = {}
    heap: list[tuple[float, str]] = [(0.0, origin)]
    while heap:
        d, name = heapq.heappop(heap)
        if name == destination:
            break
        if d > dist.get(name, float("inf")):
            continue
        for nxt, w in graph[name]:
            nd = d + w
            if nxt != destination and NODES[nxt].spread_m <= _APP:
                nd += APPROACH_PENALTY_M
            if nd < dist.get(nxt, float("inf")):
                dist[nxt] = nd
                prev[nxt] = name
                heapq.heappush(heap, (nd, nxt))
    if destination not in dist:
        raise ValueError(f"no lane from {origin} to {destination}")
    path = [destination]
    while path[-1] != origin:
        path.append(prev[path[-1]])
    return tuple(reversed(path))


def route_nodes(origin: str, destination: str, via: tuple[str, ...] = ()) -> tuple[str, ...]:
    """Cheapest chain of lane nodes from ``origin`` to ``destination`` through ``via`` in order.

    The cost is the leg length, times :data:`COASTAL_FACTOR` along the coasts, plus
    :data:`GATE_PENALTY_M` per gate crossed and :data:`APPROACH_PENALTY_M` per harbour approach
    passed through, so that routes keep to the main lanes, never leave the strait to re-enter
    it, and enter harbour approaches only to call there.
    """
    stops = (origin, *via, destination)
    out: list[str] = [origin]
    for a, b in itertools.pairwise(stops):
        out.extend(_shortest(a, b)[1:])
    return tuple(out)


def leg_in_water(a: LonLat, b: LonLat) -> bool:
    """True when the straight lon/lat leg from ``a`` to ``b`` does not touch land."""
    return not bool(load_land().intersects(LineString([a, b])))


def path_in_water(coords: list[LonLat]) -> bool:
    """True when no leg of the polyline ``coords`` (lon, lat degrees) touches land."""
    if len(coords) < 2:
        return not bool(shapely.contains_xy(load_land(), coords[0][0], coords[0][1]))
    return not bool(load_land().intersects(LineString(coords)))


def offset_route(names: tuple[str, ...], offset_m: float) -> list[LonLat]:
    """Coordinates of a route shifted sideways, kept in water.

    Parameters
    ----------
    names : tuple of str
        Lane nodes in order of travel.
    offset_m : float
        Sideways shift in metres, positive to starboard (right of the direction of travel).
        Each interior node moves by the shift clipped to its ``spread_m``; the end nodes do not
        move.  If the shifted route touches land the shift is halved until it does not (the
        unshifted route is in water by construction).

    Returns
    -------
    list of (float, float)
        Waypoints (lon, lat) in degrees.
    """
    base = [node_lonlat(n) for n in names]
    if len(base) < 3 or offset_m == 0.0:
        return base
    for factor in (1.0, 0.5, 0.25, 0.1):
        coords = [base[0]]
        for i in range(1, len(base) - 1):
            node = NODES[names[i]]
            shift = float(np.clip(offset_m * factor, -node.spread_m, node.spread_m))
            (x0, y0), (x1, y1), (x2, y2) = base[i - 1], base[i], base[i + 1]
            mx, my = metres_per_degree(y1)
            # direction of travel through the node: mean of the incoming and outgoing legs
            dx = (x1 - x0) * mx / max(distance_m(base[i - 1], base[i]), 1.0) + (x2 - x1) * mx / max(
                distance_m(base[i], base[i + 1]), 1.0
            )
            dy = (y1 - y0) * my / max(distance_m(base[i - 1], base[i]), 1.0) + (y2 - y1) * my / max(
                distance_m(base[i], base[i + 1]), 1.0
            )
            norm = float(np.hypot(dx, dy)) or 1.0
            # starboard is the direction of travel turned 90 degrees clockwise: (dy, -dx)
            coords.append((x1 + shift * dy / norm / mx, y1 - shift * dx / norm / my))
        coords.append(base[-1])
        if path_in_water(coords):
            return coords
    return base


def crosses_gate(a: LonLat, b: LonLat) -> bool:
    """True when the straight leg from ``a`` to ``b`` (lon, lat degrees) meets a strait gate."""
    leg = LineString([a, b])
    return any(bool(leg.intersects(g.line)) for g in load_gates())


def gate_crossings_of_edge(a: str, b: str) -> int:
    """Number of strait gates the lane edge ``a``-``b`` crosses (0, 1 or 2)."""
    leg = LineString([node_lonlat(a), node_lonlat(b)])
    return sum(bool(leg.intersects(g.line)) for g in load_gates())
