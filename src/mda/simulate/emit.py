"""From a ship plan to the copies of its transmissions that reach the feed.

For one ship: build the report schedule (:mod:`mda.simulate.motion`), drop reports outside
the day ``[start, end)`` and while the transponder is off, sample the true path at each report,
derive the broadcast values (speed and course with sensor noise, 0.1 kn / 0.1 degree
resolution; positions with about 2.5 m GNSS noise), draw which stations hear each report
(:mod:`mda.simulate.receivers`) and when.

Copies are classified for the line accounting of the ground truth: the earliest-received copy
of a transmission is its *first* copy; every other copy is a *duplicate*.  A small share of
duplicate copies of position reports are corrupted later (a payload character changes, the
checksum no longer matches), so no fix the ground truth relies on is ever lost.  A small share
of position reports heard by a single station is delayed by 3-8 s in the output order (lines
out of order).  Copies received at or after the end of the day are dropped (they belong to the
next day's file).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from mda.simulate.motion import (
    NAV_ANCHORED,
    STATIC_INTERVAL_S,
    class_a_interval_s,
    class_b_interval_s,
    in_any,
    periodic,
    segment_schedule,
)
from mda.simulate.nmea import PositionReports, StaticPayloads, tag_block
from mda.simulate.plan import Day, ShipPlan
from mda.simulate.receivers import STATIONS, receive, reception_probability

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]
U8Array = npt.NDArray[np.uint8]

#: Record kinds (line accounting).
FIRST, DUPLICATE, CORRUPT = 0, 1, 2
#: Share of duplicate position copies whose payload gets corrupted.
CORRUPT_SHARE = 0.012
#: Share of single-copy position reports written a few seconds late.
LATE_SHARE = 0.002
#: Gaps between consecutive received fixes of at least this length are reported (seconds).
GAP_MIN_S = 6 * 3600.0

_EMIT_STREAM = 7


@dataclass
class Emission:
    """What the feed receives from one ship.

    Attributes
    ----------
    plan : ShipPlan
        The ship.
    reports : PositionReports
        Heard position reports, one per transmission, in time order.
    channel : ndarray of uint8
        Radio channel of each heard report (``ord("A")`` or ``ord("B")``).
    copy_tx, copy_station : ndarray of int64
        For each received copy of a position report: index into ``reports`` and station.
    copy_rx_ms : ndarray of int64
        Receive time of each copy, UTC unix milliseconds.
    copy_kind : ndarray of int64
        :data:`FIRST`, :data:`DUPLICATE` or :data:`CORRUPT`.
    copy_delay_ms : ndarray of int64
        Extra delay in the output order, milliseconds (0 for most copies).
    static_text : list of bytes
        Each received copy of a static message: its line(s), tag-blocked, newline-terminated.
    static_rx_ms, static_kind, static_lines : ndarray of int64
        Receive time (ms), kind and number of lines of each static copy.
    messages : dict of int to int
        Distinct messages present in the output, by AIS message type.
    fix_c : ndarray of int64
        Receive time (UTC unix seconds, tag block ``c``) of the first copy of every heard
        position report, sorted.
    """

    plan: ShipPlan
    reports: PositionReports
    channel: U8Array
    copy_tx: IntArray
    copy_station: IntArray
    copy_rx_ms: IntArray
    copy_kind: IntArray
    copy_delay_ms: IntArray
    static_text: list[bytes]
    static_rx_ms: IntArray
    static_kind: IntArray
    static_lines: IntArray
    messages: dict[int, int]
    fix_c: IntArray

    def gaps(self) -> list[tuple[int, int]]:
        """(last fix before, first fix after) of every gap of :data:`GAP_MIN_S` or more, seconds."""
        return fix_gaps(self.fix_c)


def fix_gaps(fix_c: IntArray) -> list[tuple[int, int]]:
    """Pairs of consecutive receive times (UTC unix seconds) at least :data:`GAP_MIN_S` apart."""
    if fix_c.size < 2:
        return []
    d = np.diff(fix_c)
    idx = np.flatnonzero(d >= GAP_MIN_S)
    return [(int(fix_c[i]), int(fix_c[i + 1])) for i in idx]


def _schedule(plan: ShipPlan, rng: np.random.Generator) -> tuple[FloatArray, IntArray]:
    track = plan.track
    if plan.sparse_interval_s is not None:
        times = periodic(track.start, track.end, plan.sparse_interval_s, rng)
        return times, track.segment_at(times)
    if plan.identity.ais_class == "A":
        interval = class_a_interval_s(track.status, track.sog_kn)
    else:
        interval = class_b_interval_s(track.sog_kn)
    return segment_schedule(track.t, interval, rng)


def _reported(plan: ShipPlan, times: FloatArray, seg: IntArray, rng: np.random.Generator) -> PositionReports:
    track = plan.track
    ident = plan.identity
    n = times.size
    lon, lat = track.position(times)
    moving = track.moving[seg]
    sog_true = track.sog_kn[seg]
    cog_true = track.cog_deg[seg]
    status = track.status[seg]
    # GNSS noise, about 2.5 m
    noise = np.clip(rng.normal(0.0, 2.5, (2, n)), -7.0, 7.0)
    lat_r = lat + noise[1] / 110_574.0
    lon_r = lon + noise[0] / (111_320.0 * np.cos(np.radians(lat)))
    anchored = status == NAV_ANCHORED
    still_sog = np.where(anchored, rng.uniform(0.0, 0.25, n), np.where(rng.random(n) < 0.1, 0.1, 0.0))
    sog = np.where(moving, np.clip(sog_true + rng.normal(0.0, 0.06, n), 0.0, 102.2), still_sog)
    sog = np.round(sog, 1)
    spread = np.where(sog_true >= 2.0, 0.6, 12.0)
    cog = np.where(moving, cog_true + rng.normal(0.0, 1.0, n) * spread, rng.uniform(0.0, 360.0, n))
    cog = np.round(np.mod(cog, 360.0), 1)
    cog = np.where(cog >= 360.0, 0.0, cog)
    bias = float(rng.normal(0.0, 2.0))
    heading = np.where(
        moving,
        np.rint(cog_true + bias + rng.normal(0.0, 1.0, n)),
        np.rint(cog_true + rng.normal(0.0, 3.0, n)),
    )
    heading = np.mod(heading, 360).astype(np.int64)
    if not plan.heading_sensor:
        heading = np.full(n, 511, dtype=np.int64)
    msg_type = np.full(n, plan.position_type, dtype=np.int64)
    if plan.position_type == 1:
        msg_type[rng.random(n) < 0.005] = 2
    ones = np.ones(n, dtype=np.int64)
    zeros = np.zeros(n, dtype=np.int64)
    class_b = plan.position_type == 18
    return PositionReports(
        msg_type=msg_type,
        mmsi=np.full(n, ident.mmsi, dtype=np.int64),
        status=zeros if class_b else status.astype(np.int64),
        turn=np.full(n, 0.0 if plan.rot_sensor else -128.0),
        speed=sog,
        accuracy=ones * int(rng.random() < 0.6),
        lon=lon_r,
        lat=lat_r,
        course=cog,
        heading=heading,
        second=np.floor(times).astype(np.int64) % 60,
        maneuver=zeros,
        raim=ones * int(rng.random() < 0.3),
        radio=np.full(n, 393222, dtype=np.int64) if class_b else rng.integers(0, 1 << 19, n),
        cs=ones if class_b else zeros,
        display=zeros,
        dsc=ones if class_b else zeros,
        band=ones if class_b else zeros,
        msg22=ones if class_b else zeros,
        assigned=zeros,
    )


def emit(plan: ShipPlan, day: Day, statics: StaticPayloads) -> Emission:
    """Everything the feed receives from ``plan`` during ``day`` (see the module docstring)."""
    rng = day.rng(_EMIT_STREAM, plan.key)
    track = plan.track
    times, seg = _schedule(plan, rng)
    keep = (times >= day.start) & (times < day.end) & ~in_any(times, plan.dark)
    times, seg = times[keep], seg[keep]
    # static messages
    period = STATIC_INTERVAL_S if plan.sparse_interval_s is None else 4 * plan.sparse_interval_s
    st_times = periodic(track.start, track.end, period, rng)
    st_index = np.zeros(st_times.size, dtype=np.int64)
    if statics.msg_type == 24:
        part_b = st_times + rng.uniform(0.5, 3.0, st_times.size)
        st_times = np.concatenate([st_times, part_b])
        st_index = np.concatenate([st_index, np.ones(part_b.size, dtype=np.int64)])
        order = np.argsort(st_times, kind="stable")
        st_times, st_index = st_times[order], st_index[order]
    keep = (st_times >= day.start) & (st_times < day.end) & ~in_any(st_times, plan.dark)
    keep &= st_times < track.end
    st_times, st_index = st_times[keep], st_index[keep]
    # reception of every transmission, positions first
    all_times = np.concatenate([times, st_times])
    lon, lat = track.position(all_times)
    prob = reception_probability(lon, lat)
    is_pos = np.zeros(all_times.size, dtype=bool)
    is_pos[: times.size] = True
    edges: list[float] = []
    for a, b in plan.dark:
        before = times[times < a]
        after = times[times >= b]
        if before.size:
            edges.append(float(before[-1]))
        if after.size:
            edges.append(float(after[0]))
    heard = receive(all_times, prob, is_pos, rng, plan.sparse_interval_s is not None, np.array(edges))
    tx, station = np.nonzero(heard)
    rx = all_times[tx] + rng.uniform(0.05, 2.0, tx.size)
    rx_ms = np.floor(rx * 1000.0).astype(np.int64)
    ok = rx_ms // 1000 < int(day.end)
    tx, station, rx_ms = tx[ok], station[ok], rx_ms[ok]
    # first copy of each transmission: earliest receive time (ties: lower station index)
    order = np.lexsort((station, rx_ms, tx))
    tx, station, rx_ms = tx[order], station[order], rx_ms[order]
    first = np.r_[True, tx[1:] != tx[:-1]] if tx.size else np.zeros(0, dtype=bool)
    kind = np.where(first, FIRST, DUPLICATE).astype(np.int64)
    pos_copy = tx < times.size

    # position reports: heard transmissions only
    heard_tx = np.unique(tx[pos_copy])
    reports = _reported(plan, times, seg, rng).take(heard_tx)
    channel = np.where(heard_tx % 2 == 0, ord("A"), ord("B")).astype(np.uint8)
    remap = np.full(times.size, -1, dtype=np.int64)
    remap[heard_tx] = np.arange(heard_tx.size)
    p_tx = remap[tx[pos_copy]]
    p_station = station[pos_copy].astype(np.int64)
    p_rx = rx_ms[pos_copy]
    p_kind = kind[pos_copy]
    p_kind = np.where((p_kind == DUPLICATE) & (rng.random(p_kind.size) < CORRUPT_SHARE), CORRUPT, p_kind)
    copies = np.bincount(p_tx, minlength=heard_tx.size)
    single = copies[p_tx] == 1
    late = single & (rng.random(p_tx.size) < LATE_SHARE)
    p_delay = np.where(late, rng.integers(3000, 8000, p_tx.size), 0).astype(np.int64)
    fix_c = np.sort(p_rx[p_kind == FIRST] // 1000)

    # static messages: text per copy
    s_sel = np.flatnonzero(~pos_copy)
    texts: list[bytes] = []
    s_lines = np.zeros(s_sel.size, dtype=np.int64)
    for out_i, i in enumerate(s_sel):
        k = int(tx[i]) - times.size
        c = int(rx_ms[i] // 1000)
        code = STATIONS[int(station[i])].code
        sentences = statics.sentences(int(st_index[k]), "A" if k % 2 == 0 else "B", k % 10)
        tb = tag_block(code, c)
        texts.append("".join(f"{tb}{s}\n" for s in sentences).encode("ascii"))
        s_lines[out_i] = len(sentences)
    s_kind = kind[s_sel]
    messages: dict[int, int] = {}
    for t, n in zip(*np.unique(reports.msg_type, return_counts=True), strict=True):
        messages[int(t)] = int(n)
    n_static = int(np.count_nonzero(s_kind == FIRST))
    if n_static:
        messages[statics.msg_type] = messages.get(statics.msg_type, 0) + n_static
    return Emission(
        plan=plan,
        reports=reports,
        channel=channel,
        copy_tx=p_tx,
        copy_station=p_station,
        copy_rx_ms=p_rx,
        copy_kind=p_kind,
        copy_delay_ms=p_delay,
        static_text=texts,
        static_rx_ms=rx_ms[s_sel],
        static_kind=s_kind,
        static_lines=s_lines,
        messages=messages,
        fix_c=fix_c,
    )
