"""Scenario ships: the behaviours the pipeline must detect, present at every scale.

All times are hours after 00:00 UTC of the simulated day; every event is placed well inside
the day (and, for loitering and encounters, inside the strait area and far from any port), so
its ground truth does not depend on interpolation details.

* two U-turns (enter by a gate and leave by the same gate), one from each end;
* three loiterers drifting below 2 kn for 3.5 h or more: a tanker waiting for orders, a
  research vessel east of the median line that then runs survey lines until midnight, and a
  fishing vessel (class B);
* three ships that switch their transponder off for 6 h or more: two during a transit (the
  transit still counts) and one on a cross-strait voyage;
* two encounters: a reefer with a fishing vessel alongside, and a ship-to-ship transfer between
  two tankers (both ships of each pair also loiter);
* three sparse reporters (one position every 30 min), two of them transiting so that their
  fixes straddle the gates;
* one MMSI used at the same time by a transiting container ship (class A) and a fishing vessel
  (class B) far away;
* warships (type 35: a US destroyer and a Canadian frigate transiting together, a PLA Navy and
  a ROC Navy patrol) and law-enforcement vessels (type 55: China Coast Guard near Kinmen, Taiwan
  Coast Guard off the west coast);
* a through ship named ``<SVG ONLOAD=ALERT(1)``, the nearest to an HTML injection the AIS
  6-bit alphabet can carry (no lower case, 20 characters).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import shapely

from mda.geo.fences import load_strait_area
from mda.simulate import lanes
from mda.simulate.fleet import Identity, Registry
from mda.simulate.geodesy import KNOT_MS, destination, distance_m, metres_per_degree
from mda.simulate.lanes import LonLat
from mda.simulate.motion import NAV_FISHING, NAV_MOORED, NAV_UNDERWAY, Track, TrackBuilder
from mda.simulate.passages import gate_crossings
from mda.simulate.plan import HOUR, Day, PortVisit, ShipPlan
from mda.simulate.traffic import (
    berth_spot,
    eta_tuple,
    leg_speeds,
    meander,
    route_coords,
    sail_route,
)

#: The hostile ship name (AIS 6-bit text, 20 characters).
HOSTILE_NAME = "<SVG ONLOAD=ALERT(1)"
#: Reporting interval of sparse reporters, seconds.
SPARSE_INTERVAL_S = 1800.0

_SCENARIO = 1


def _ground(name: str) -> lanes.FishingGround:
    return next(g for g in lanes.FISHING_GROUNDS if g.name == name)


def _check_inside(point: LonLat) -> None:
    if not shapely.contains_xy(load_strait_area(), point[0], point[1]):
        raise AssertionError(f"scenario point {point} is outside the strait area")
    if not lanes.point_clear_of_places(point, 15_000.0):
        raise AssertionError(f"scenario point {point} is too close to a port")


def _through_track(
    day: Day,
    rng: np.random.Generator,
    origin: str,
    target: str,
    via: tuple[str, ...],
    speed: float,
    entry_h: float,
    offset_m: float = 1500.0,
) -> Track:
    nodes = lanes.route_nodes(origin, target, via)
    coords = route_coords(rng, nodes, offset_m)
    b = TrackBuilder(0.0, coords[0])
    sail_route(b, coords, leg_speeds(nodes, speed))
    track = b.build()
    entry = next(c for c in gate_crossings(track) if c.entering)
    return track.shifted(day.at(entry_h) - entry.t)


def _sail_to_arrive(
    coords: Sequence[LonLat], speed: float, arrive: float, status: int = NAV_UNDERWAY
) -> TrackBuilder:
    """A builder that sails ``coords`` at ``speed`` knots arriving at the last point at ``arrive``."""
    probe = TrackBuilder(0.0, coords[0]).sail(coords[1:], speed, status)
    b = TrackBuilder(arrive - probe.now, coords[0])
    b.sail(coords[1:], speed, status)
    return b


def _beside(leader: Track, t: float, offset_m: tuple[float, float]) -> LonLat:
    """The point ``offset_m`` (east, north metres) from the leader's true position at ``t``."""
    lon, lat = leader.position(np.array([t]))
    mx, my = metres_per_degree(float(lat[0]))
    return float(lon[0]) + offset_m[0] / mx, float(lat[0]) + offset_m[1] / my


def _follow(b: TrackBuilder, leader: Track, t_leave: float, offset_m: tuple[float, float]) -> None:
    """Keep station ``offset_m`` from the leader from now (the builder is beside it) until ``t_leave``."""
    inner = leader.t[(leader.t > b.now + 1.0) & (leader.t < t_leave - 1.0)]
    for t in inner:
        b.knot(float(t), _beside(leader, float(t), offset_m))
    b.knot(t_leave, _beside(leader, t_leave, offset_m))


def _reversed_meander(
    rng: np.random.Generator, ground: lanes.FishingGround, end: LonLat, t_end: float, duration_s: float
) -> TrackBuilder:
    """A builder whose fishing meander ends at ``end`` at ``t_end`` (a meander run backwards)."""
    fwd = TrackBuilder(0.0, end)
    meander(fwd, rng, ground, duration_s)
    track = fwd.build()
    times = t_end - track.t[::-1]
    lon, lat = track.lon[::-1], track.lat[::-1]
    b = TrackBuilder(float(times[0]), (float(lon[0]), float(lat[0])))
    for t, x, y in zip(times[1:], lon[1:], lat[1:], strict=True):
        b.knot(float(t), (float(x), float(y)), NAV_FISHING)
    return b


def _plan(
    key: int,
    ident: Identity,
    role: str,
    track: Track,
    *,
    dark: tuple[tuple[float, float], ...] = (),
    port_visits: tuple[PortVisit, ...] = (),
    sparse_interval_s: float | None = None,
) -> ShipPlan:
    return ShipPlan(
        key=key,
        identity=ident,
        role=role,
        track=track,
        sparse_interval_s=sparse_interval_s,
        dark=dark,
        port_visits=port_visits,
        position_type=18 if ident.ais_class == "B" else 1,
        heading_sensor=ident.ais_class == "A",
        rot_sensor=ident.kind != "fishing",
    )


def scenarios(day: Day, reg: Registry) -> list[ShipPlan]:
    """Every scenario ship of the day (independent of the scale)."""
    plans: list[ShipPlan] = []
    key = iter(range(1, 1000))

    def rng() -> tuple[int, np.random.Generator]:
        k = next(key)
        return k, day.rng(_SCENARIO, k)

    # -- U-turns ---------------------------------------------------------------------------
    k, r = rng()
    out = lanes.offset_route(("scs_hongkong", "w_out", "w1", "w2", "w3"), 1500.0)[:-1]
    back = lanes.offset_route(("w3", "w2", "w1", "w_out", "scs_hongkong"), 1500.0)[1:]
    turn = destination(out[-1][0], out[-1][1], 20.0, 18_000.0)
    coords = [*out, turn, *back]
    b = TrackBuilder(0.0, coords[0]).sail(coords[1:], 15.0)
    track = b.build()
    entry = next(c for c in gate_crossings(track) if c.entering)
    track = track.shifted(day.at(2.5) - entry.t)
    ident = reg.make(r, "container", "HK", "NINGBO", eta=eta_tuple(day.at(40)))
    plans.append(_plan(k, ident, "u_turn", track))

    k, r = rng()
    out = lanes.offset_route(("ecs_north", "n_out_w", "w5", "w4", "w3"), 1500.0)[:-1]
    back = lanes.offset_route(("w3", "w4", "w5", "n_out_w", "ecs_north"), 1500.0)[1:]
    turn = destination(out[-1][0], out[-1][1], 215.0, 15_000.0)
    coords = [*out, turn, *back]
    track = TrackBuilder(0.0, coords[0]).sail(coords[1:], 12.5).build()
    entry = next(c for c in gate_crossings(track) if c.entering)
    track = track.shifted(day.at(12.0) - entry.t)
    ident = reg.make(r, "tanker", "FR", "SHANGHAI", eta=eta_tuple(day.at(50)))
    plans.append(_plan(k, ident, "u_turn", track))

    # -- loiterers -------------------------------------------------------------------------
    k, r = rng()
    p1 = (119.80, 24.50)
    _check_inside(p1)
    xiamen = lanes.port_by_name("Xiamen")
    nodes = lanes.route_nodes("xiamen", "strait_xt")
    coords = [*route_coords(r, nodes, 800.0, start=berth_spot(r, xiamen)), p1]
    probe = TrackBuilder(0.0, coords[0])
    sail_route(probe, coords, [*leg_speeds(nodes, 12.0), 12.0])
    t_dep = day.at(5.0) - probe.now
    b = TrackBuilder(min(t_dep, day.start) - HOUR, coords[0]).stay_until(t_dep, NAV_MOORED, 200.0)
    sail_route(b, coords, [*leg_speeds(nodes, 12.0), 12.0])
    b.drift(r, 5.5 * HOUR, (0.3, 1.2))
    onward = lanes.offset_route(("w4", "w5", "n_out_w", "ecs_north"), 1500.0)
    b.sail(onward, 12.0)
    ident = reg.make(r, "tanker", "LR", "FOR ORDERS", eta=eta_tuple(day.at(30)))
    plans.append(_plan(k, ident, "loitering", b.build(), port_visits=(PortVisit("Xiamen", None, t_dep),)))

    k, r = rng()
    p2 = (120.30, 24.95)
    _check_inside(p2)
    coords = [*lanes.offset_route(("ecs_north", "n_out_w", "w5"), 1500.0), p2]
    b = _sail_to_arrive(coords, 11.0, day.at(8.0))
    b.drift(r, 6.5 * HOUR, (0.2, 0.9))
    survey_lines = [
        (p2[0] + dx, p2[1] + dy)
        for dx, dy in (
            (-0.12, -0.10),
            (0.12, -0.07),
            (-0.12, -0.04),
            (0.12, -0.01),
            (-0.12, 0.02),
            (0.12, 0.05),
            (-0.12, 0.08),
            (0.12, 0.11),
        )
    ]
    while b.now < day.end + HOUR:
        b.sail(survey_lines, 5.0)
        survey_lines = survey_lines[::-1]
    ident = reg.make(r, "research", "CN", "SURVEY", name="XIANG YANG HONG 18")
    plans.append(_plan(k, ident, "loitering_research", b.build()))

    k, r = rng()
    p3 = (119.55, 24.65)
    _check_inside(p3)
    ground = _ground("Pingtan-Putian coast")
    start = (119.60, 24.95)
    b = TrackBuilder(day.start - 2 * HOUR, start)
    meander(b, r, ground, day.at(12.0), status=NAV_UNDERWAY)
    b.sail([p3], 8.0)
    b.drift(r, 3.5 * HOUR, (0.2, 1.0))
    b.sail([(119.60, 24.90)], 8.0)
    meander(b, r, ground, day.end + 2 * HOUR, status=NAV_UNDERWAY)
    ident = reg.make(r, "fishing", "CN", "", ais_class="B")
    plans.append(_plan(k, ident, "loitering_fishing", b.build()))

    # -- dark ships ------------------------------------------------------------------------
    k, r = rng()
    track = _through_track(day, r, "bashi", "okinawa", ("e2", "e4"), 15.0, 2.0)
    ident = reg.make(r, "container", "GB", "YOKOHAMA", eta=eta_tuple(day.at(60)))
    plans.append(_plan(k, ident, "dark_transit", track, dark=((day.at(5.5), day.at(12.5)),)))

    k, r = rng()
    track = _through_track(day, r, "ecs_north", "scs_south", ("w4", "w2"), 12.5, 6.0)
    ident = reg.make(r, "bulk", "MT", "SINGAPORE", eta=eta_tuple(day.at(100)))
    plans.append(_plan(k, ident, "dark_transit", track, dark=((day.at(9.0), day.at(15.5)),)))

    k, r = rng()
    kaohsiung = lanes.port_by_name("Kaohsiung")
    nodes = lanes.route_nodes("xiamen", "kaohsiung")
    coords = route_coords(r, nodes, 800.0, start=berth_spot(r, xiamen), end=berth_spot(r, kaohsiung))
    t_dep = day.at(2.0)
    b = TrackBuilder(day.start - HOUR, coords[0]).stay_until(t_dep, NAV_MOORED, 120.0)
    sail_route(b, coords, leg_speeds(nodes, 11.0))
    t_arr = b.now
    b.stay_until(day.end + HOUR, NAV_MOORED, 300.0)
    ident = reg.make(r, "general", "CN", "TW KHH", eta=eta_tuple(t_arr))
    visits = (PortVisit("Xiamen", None, t_dep), PortVisit("Kaohsiung", t_arr, None))
    plans.append(
        _plan(k, ident, "dark_crossing", b.build(), dark=((day.at(5.0), day.at(11.33)),), port_visits=visits)
    )

    # -- encounters ------------------------------------------------------------------------
    k, r = rng()
    q1 = (119.85, 24.12)
    _check_inside(q1)
    coords = [*lanes.offset_route(("scs_south", "s_mid_out", "m1", "w2"), 1500.0), q1]
    b = _sail_to_arrive(coords, 13.0, day.at(8.5))
    b.drift(r, 4.5 * HOUR, (0.2, 0.7))
    b.sail(lanes.offset_route(("e4", "e5", "n_out_e", "okinawa"), 1500.0), 13.0)
    reefer = b.build()
    ident = reg.make(r, "reefer", "CN", "FISHING GROUND", name="ZHONG YU LENG 8")
    plans.append(_plan(k, ident, "encounter", reefer))

    k, r = rng()
    penghu = _ground("Penghu north")
    t_join, t_leave = day.at(8.0 + 50 / 60), day.at(12.0 + 40 / 60)
    s_point = (119.55, 23.92)
    join = _beside(reefer, t_join, (110.0, 90.0))
    approach_s = distance_m(s_point, join) / (8.0 * KNOT_MS)
    b = _reversed_meander(r, penghu, s_point, t_join - approach_s, 8.0 * HOUR)
    b.sail([join], 8.0)
    _follow(b, reefer, t_leave, (110.0, 90.0))
    b.sail([(119.60, 23.90)], 8.0)
    meander(b, r, penghu, day.end + 2 * HOUR)
    ident = reg.make(r, "fishing", "CN", "", ais_class="A")
    plans.append(_plan(k, ident, "encounter", b.build()))

    k, r = rng()
    q2 = (120.60, 25.10)
    _check_inside(q2)
    coords = [*lanes.offset_route(("bashi", "eluanbi_sw", "e_out", "e1", "e2", "e3", "e4"), 1500.0), q2]
    b = _sail_to_arrive(coords, 12.0, day.at(13.0))
    b.drift(r, 6.0 * HOUR, (0.2, 0.6))
    b.sail(lanes.offset_route(("e5", "n_out_e", "ecs_north"), 1500.0), 12.0)
    tanker_a = b.build()
    ident = reg.make(r, "tanker", "PA", "FOR ORDERS")
    plans.append(_plan(k, ident, "encounter", tanker_a))

    k, r = rng()
    t_join, t_leave = day.at(14.0), day.at(18.5)
    coords = [
        *lanes.offset_route(("ecs_north", "n_out_w", "w5"), 1500.0),
        _beside(tanker_a, t_join, (-60.0, 35.0)),
    ]
    b = _sail_to_arrive(coords, 12.5, t_join)
    _follow(b, tanker_a, t_leave, (-60.0, 35.0))
    b.sail(lanes.offset_route(("w5", "n_out_w", "ecs_north"), 1500.0), 12.5)
    ident = reg.make(r, "tanker", "SG", "NINGBO")
    plans.append(_plan(k, ident, "encounter", b.build()))

    # -- sparse reporters ------------------------------------------------------------------
    k, r = rng()
    track = _through_track(day, r, "scs_hongkong", "ecs_north", ("w2", "w4"), 12.5, 3.0)
    ident = reg.make(r, "bulk", "AU", "QINGDAO", eta=eta_tuple(day.at(48)))
    plans.append(_plan(k, ident, "sparse_transit", track, sparse_interval_s=SPARSE_INTERVAL_S))

    k, r = rng()
    track = _through_track(day, r, "okinawa", "bashi", ("e4", "e2"), 17.0, 8.0)
    ident = reg.make(r, "roro", "JP", "LOS ANGELES", eta=eta_tuple(day.at(300)))
    plans.append(_plan(k, ident, "sparse_transit", track, sparse_interval_s=SPARSE_INTERVAL_S))

    k, r = rng()
    b = TrackBuilder(day.start - 2 * HOUR, (119.5, 23.85))
    meander(b, r, penghu, day.end + 2 * HOUR)
    ident = reg.make(r, "fishing", "TW", "", ais_class="A")
    plans.append(_plan(k, ident, "sparse_fishing", b.build(), sparse_interval_s=SPARSE_INTERVAL_S))

    # -- one MMSI, two ships ---------------------------------------------------------------
    k, r = rng()
    track = _through_track(day, r, "ecs_north", "luzon", ("e4", "e2"), 15.5, 4.0)
    ident = reg.make(r, "container", "CN", "MANILA", eta=eta_tuple(day.at(36)))
    plans.append(_plan(k, ident, "shared_mmsi_transit", track))
    shared_mmsi = ident.mmsi

    k, r = rng()
    kinmen_s = _ground("Xiamen-Kinmen south")
    b = TrackBuilder(day.start - 2 * HOUR, (118.45, 24.05))
    meander(b, r, kinmen_s, day.end + 2 * HOUR, status=NAV_UNDERWAY)
    ident = reg.make(r, "fishing", "CN", "", ais_class="B", mmsi=shared_mmsi)
    plans.append(_plan(k, ident, "shared_mmsi_fishing", b.build()))

    # -- warships and law enforcement ------------------------------------------------------
    k, r = rng()
    track = _through_track(day, r, "bashi", "okinawa", ("e2", "e4"), 16.0, 1.5, offset_m=0.0)
    ident = reg.make(r, "military", "US", "", name="USS RALPH JOHNSON")
    plans.append(_plan(k, ident, "military_transit", track))

    k, r = rng()
    track = _through_track(day, r, "bashi", "okinawa", ("e2", "e4"), 16.0, 1.5 + 20 / 60, offset_m=-1500.0)
    ident = reg.make(r, "military", "CA", "", name="HMCS OTTAWA")
    plans.append(_plan(k, ident, "military_transit", track))

    k, r = rng()
    loop = [(119.90, 24.30), (120.30, 24.75), (120.10, 25.15), (119.70, 24.80)]
    b = TrackBuilder(day.start - HOUR, loop[-1])
    while b.now < day.end + HOUR:
        b.sail(loop, 12.0)
    ident = reg.make(r, "military", "CN", "", name="PLA NAVY 571", mmsi=None)
    plans.append(_plan(k, ident, "military_patrol", b.build()))

    k, r = rng()
    loop = [(119.85, 23.00), (119.95, 23.60), (120.00, 24.00), (119.80, 23.40)]
    b = TrackBuilder(day.start - HOUR, loop[-1])
    while b.now < day.end + HOUR:
        b.sail(loop, 14.0)
    ident = reg.make(r, "military", "TW", "", name="ROCS KANG DING")
    plans.append(_plan(k, ident, "military_patrol", b.build()))

    k, r = rng()
    loop = [(118.25, 24.28), (118.55, 24.30), (118.62, 24.18), (118.30, 24.15)]
    b = TrackBuilder(day.start - HOUR, loop[-1])
    while b.now < day.end + HOUR:
        b.sail(loop, 10.0)
    ident = reg.make(r, "law", "CN", "", name="HAIJING 2302")
    plans.append(_plan(k, ident, "law_enforcement_patrol", b.build()))

    k, r = rng()
    loop = [(120.25, 24.45), (119.95, 23.75), (120.15, 24.10)]
    b = TrackBuilder(day.start - HOUR, loop[-1])
    while b.now < day.end + HOUR:
        b.sail(loop, 11.0)
    ident = reg.make(r, "law", "TW", "", name="CGA TAINAN")
    plans.append(_plan(k, ident, "law_enforcement_patrol", b.build()))

    # -- hostile name ----------------------------------------------------------------------
    k, r = rng()
    track = _through_track(day, r, "scs_hongkong", "ecs_north", ("w2", "w4"), 16.0, 5.0)
    ident = reg.make(r, "container", "MH", "BUSAN", eta=eta_tuple(day.at(40)), name=HOSTILE_NAME)
    plans.append(_plan(k, ident, "hostile_name_transit", track))

    for plan in plans:
        if not lanes.path_in_water(list(zip(plan.track.lon.tolist(), plan.track.lat.tolist(), strict=True))):
            raise AssertionError(f"scenario ship {plan.role} {plan.identity.name} touches land")
    return plans
