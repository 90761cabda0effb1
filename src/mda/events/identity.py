"""Identity anomalies: one MMSI that is not one ship, or one ship that changes MMSI.

Three patterns (parameters ``[identity]``):

``shared_mmsi``
    One MMSI whose fixes alternate between tracks within a UTC day — positions no single ship
    could connect (the segmenter split them at an impossible speed, see
    :mod:`mda.tracks.segment`).  One event per MMSI and day, known at the day's end.
``identity_swap``
    One MMSI falls silent (no fix for ``swap_silence_s``) and another MMSI, silent for as long
    before, appears within ``swap_max_s`` seconds and ``swap_max_m`` metres — the pattern
    reported for the *Xing Shun 39* in 2025.  Known once the first MMSI's silence is proven.
``several_names``
    One MMSI announcing more than one name or IMO number within a UTC day, known at the
    day's end.

Every event is emitted by the run whose interval contains its ``closed_ts``, and only once the
data reach that time; ``closed_ts`` depends on the data alone, so processing a day hour by hour
gives the same events as processing it at once.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt
import pyarrow as pa
import pyarrow.compute as pc

from mda import schemas
from mda.events.ids import event_id
from mda.geo.distance import haversine_m
from mda.geo.fences import FENCE_VERSION
from mda.interval import Interval
from mda.tracks.arrays import TrackArrays

_US = 1_000_000
_DAY_US = 86_400 * _US


@dataclass(frozen=True)
class IdentityParams:
    """Identity thresholds: seconds and metres."""

    swap_max_s: float
    swap_max_m: float
    swap_silence_s: float


def _row(
    mmsi: int,
    anomaly: str,
    other: int | None,
    start: int,
    end: int,
    closed: int,
    detail: str,
    key: int,
    pv: str,
) -> dict[str, object]:
    return {
        "event_id": event_id(mmsi, f"identity:{anomaly}:{other or ''}", key, FENCE_VERSION),
        "mmsi": mmsi,
        "anomaly": anomaly,
        "other_mmsi": other,
        "start_ts": start,
        "end_ts": end,
        "closed_ts": closed,
        "detail": detail,
        "fence_version": FENCE_VERSION,
        "params_version": pv,
    }


def _shared_mmsi(tracks: TrackArrays, lo: int, hi: int, horizon_us: int, pv: str) -> list[dict[str, object]]:
    """MMSIs with two tracks interleaved in time within a UTC day; known at the day's end."""
    rows: list[dict[str, object]] = []
    if tracks.size < 2:
        return rows
    day = tracks.ts // _DAY_US
    # a fix whose neighbour in time (same MMSI and day) belongs to another track
    order = tracks.mmsi_time_order()  # also (mmsi, day, ts) order: days follow times
    m, d, t, k = tracks.mmsi[order], day[order], tracks.ts[order], tracks.track_id[order]
    switch = (m[1:] == m[:-1]) & (d[1:] == d[:-1]) & (k[1:] != k[:-1])
    if not switch.any():
        return rows
    idx = np.flatnonzero(switch)
    for (mmsi, dday), group in _groups(m[idx], d[idx]):
        closed = (int(dday) + 1) * _DAY_US - 1  # the day's last instant: its own run emits it
        if closed > horizon_us or not lo <= closed < hi:
            continue
        first, last = int(t[idx[group[0]]]), int(t[idx[group[-1]] + 1])
        tracks_seen = sorted({int(x) for x in k[(m == mmsi) & (d == dday)]})
        detail = f"{len(group)} switches between {len(tracks_seen)} tracks no single ship could connect"
        rows.append(
            _row(int(mmsi), "shared_mmsi", None, first, last, closed, detail, int(dday) * _DAY_US, pv)
        )
    return rows


def _groups(a: np.ndarray, b: np.ndarray) -> list[tuple[tuple[int, int], list[int]]]:
    """Positions of equal consecutive (a, b) pairs, in order."""
    out: list[tuple[tuple[int, int], list[int]]] = []
    for i, key in enumerate(zip(a.tolist(), b.tolist(), strict=True)):
        if out and out[-1][0] == key:
            out[-1][1].append(i)
        else:
            out.append((key, [i]))
    return out


@dataclass(frozen=True)
class SwapEnds:
    """Where MMSIs may fall silent or appear: the inputs of the identity-swap rule.

    Gathered per set of vessels (:func:`swap_ends`) and joined (:meth:`join`), so the rule
    never needs every fix of the window at once.

    Attributes
    ----------
    stop_mmsi, stop_t, stop_lon, stop_lat : ndarray
        Fixes followed by a silence of the same MMSI of at least ``swap_silence_s``, or the
        MMSI's last fix (``stop_last``), which is silent only if the feed reports on for
        ``swap_silence_s`` after it.  Times UTC microseconds; degrees WGS84.
    start_mmsi, start_t, start_lon, start_lat : ndarray
        Fixes preceded by such a silence, or the MMSI's first fix (``start_first``).
    t_min, t_max : int
        First and last fix time of the vessels (UTC microseconds); the feed's span.
    fixes : int
        Fixes the ends were taken from.
    """

    stop_mmsi: npt.NDArray[np.int64]
    stop_t: npt.NDArray[np.int64]
    stop_lon: npt.NDArray[np.float64]
    stop_lat: npt.NDArray[np.float64]
    stop_last: npt.NDArray[np.bool_]
    start_mmsi: npt.NDArray[np.int64]
    start_t: npt.NDArray[np.int64]
    start_lon: npt.NDArray[np.float64]
    start_lat: npt.NDArray[np.float64]
    start_first: npt.NDArray[np.bool_]
    t_min: int
    t_max: int
    fixes: int

    @staticmethod
    def join(parts: list[SwapEnds]) -> SwapEnds:
        """The ends of several disjoint sets of vessels together."""
        parts = [p for p in parts if p.fixes] or parts[:1]
        cat = {
            name: np.concatenate([getattr(p, name) for p in parts])
            for name in [
                "stop_mmsi",
                "stop_t",
                "stop_lon",
                "stop_lat",
                "stop_last",
                "start_mmsi",
                "start_t",
                "start_lon",
                "start_lat",
                "start_first",
            ]
        }
        return SwapEnds(
            **cat,
            t_min=min(p.t_min for p in parts),
            t_max=max(p.t_max for p in parts),
            fixes=sum(p.fixes for p in parts),
        )


def swap_ends(tracks: TrackArrays, params: IdentityParams) -> SwapEnds:
    """The candidate silences and appearances of the vessels in ``tracks``."""
    silence = int(params.swap_silence_s * _US)
    order = tracks.mmsi_time_order()
    m, t = tracks.mmsi[order], tracks.ts[order]
    lon, lat = tracks.lon[order], tracks.lat[order]
    same = m[1:] == m[:-1]
    step = t[1:] - t[:-1]
    same_next = np.concatenate((same, [False]))[: t.size]
    same_prev = np.concatenate(([False], same))[: t.size]
    gap_after = np.concatenate((step, [0]))[: t.size]
    gap_before = np.concatenate(([0], step))[: t.size]
    stop = ~same_next | (gap_after >= silence)
    start = ~same_prev | (gap_before >= silence)
    return SwapEnds(
        stop_mmsi=m[stop],
        stop_t=t[stop],
        stop_lon=lon[stop],
        stop_lat=lat[stop],
        stop_last=~same_next[stop],
        start_mmsi=m[start],
        start_t=t[start],
        start_lon=lon[start],
        start_lat=lat[start],
        start_first=~same_prev[start],
        t_min=int(t.min()) if t.size else 2**62,
        t_max=int(t.max()) if t.size else -(2**62),
        fixes=int(t.size),
    )


def identity_swaps(
    ends: SwapEnds,
    params: IdentityParams,
    lo: int,
    hi: int,
    horizon_us: int,
    window_start_us: int,
    pv: str,
) -> list[dict[str, object]]:
    """One MMSI falls silent and another appears next to it within minutes.

    ``lo, hi`` bound ``closed_ts`` (the emitting interval), ``horizon_us`` is the data horizon
    and ``window_start_us`` the start of the data read, all UTC microseconds.
    """
    rows: list[dict[str, object]] = []
    if ends.fixes < 2:
        return rows
    silence = int(params.swap_silence_s * _US)
    # the feed itself must be alive around the silences: other vessels' fixes bound them
    quiet_after = ~ends.stop_last | (ends.stop_t + silence <= ends.t_max)
    stops = np.flatnonzero(quiet_after & (ends.stop_t + silence <= horizon_us))
    appears = ~ends.start_first | (ends.start_t - silence >= max(window_start_us, ends.t_min))
    starts = np.flatnonzero(appears)
    starts = starts[np.lexsort((ends.start_mmsi[starts], ends.start_t[starts]))]
    start_t = ends.start_t[starts]
    sm, st, slon, slat = ends.start_mmsi, ends.start_t, ends.start_lon, ends.start_lat
    for e in stops.tolist():
        te, me = int(ends.stop_t[e]), int(ends.stop_mmsi[e])
        k0 = int(np.searchsorted(start_t, te, side="left"))
        k1 = int(np.searchsorted(start_t, te + int(params.swap_max_s * _US), side="right"))
        for s_idx in starts[k0:k1].tolist():
            if sm[s_idx] == me:
                continue
            d = float(
                haversine_m(
                    ends.stop_lon[e : e + 1],
                    ends.stop_lat[e : e + 1],
                    slon[s_idx : s_idx + 1],
                    slat[s_idx : s_idx + 1],
                )[0]
            )
            closed = max(te + silence, int(st[s_idx]))
            if d <= params.swap_max_m and lo <= closed < hi:
                other = int(sm[s_idx])
                detail = f"{me} fell silent; {other} appeared {d:.0f} m away"
                rows.append(_row(me, "identity_swap", other, te, int(st[s_idx]), closed, detail, te, pv))
    return rows


def detect_identity_anomalies(
    tracks: TrackArrays,
    static: pa.Table,
    params: IdentityParams,
    window: Interval,
    emit: Interval,
    params_version: str,
) -> pa.Table:
    """Identity anomalies whose ``closed_ts`` lies in ``emit`` (see module docstring).

    Parameters
    ----------
    window : Interval
        The span of data read (UTC); its end is the data horizon.
    """
    lo, hi = int(emit.start.timestamp() * _US), int(emit.end.timestamp() * _US)
    w0, horizon = int(window.start.timestamp() * _US), int(window.end.timestamp() * _US)
    rows = _shared_mmsi(tracks, lo, hi, horizon, params_version)
    rows += identity_swaps(swap_ends(tracks, params), params, lo, hi, horizon, w0, params_version)
    rows += _several_names(static, lo, hi, horizon, params_version)
    return identity_table(rows)


def shared_mmsi_rows(
    tracks: TrackArrays, window: Interval, emit: Interval, pv: str
) -> list[dict[str, object]]:
    """The ``shared_mmsi`` anomalies of ``tracks`` (whole MMSIs) closed inside ``emit``."""
    lo, hi = int(emit.start.timestamp() * _US), int(emit.end.timestamp() * _US)
    return _shared_mmsi(tracks, lo, hi, int(window.end.timestamp() * _US), pv)


def cross_vessel_rows(
    ends: SwapEnds, static: pa.Table, params: IdentityParams, window: Interval, emit: Interval, pv: str
) -> list[dict[str, object]]:
    """The ``identity_swap`` and ``several_names`` anomalies closed inside ``emit``."""
    lo, hi = int(emit.start.timestamp() * _US), int(emit.end.timestamp() * _US)
    w0, horizon = int(window.start.timestamp() * _US), int(window.end.timestamp() * _US)
    rows = identity_swaps(ends, params, lo, hi, horizon, w0, pv)
    return rows + _several_names(static, lo, hi, horizon, pv)


def identity_table(rows: list[dict[str, object]]) -> pa.Table:
    """Anomaly rows (as the rules build them) as a table of :data:`mda.schemas.IDENTITY_ANOMALIES`."""
    if not rows:
        return schemas.IDENTITY_ANOMALIES.empty_table()
    columns = {name: [r[name] for r in rows] for name in schemas.IDENTITY_ANOMALIES.names}
    return schemas.event_table(dict(columns), schemas.IDENTITY_ANOMALIES)


def _several_names(static: pa.Table, lo: int, hi: int, horizon_us: int, pv: str) -> list[dict[str, object]]:
    """MMSIs announcing more than one name or IMO within a UTC day; known at the day's end.

    Names count when not empty, IMO numbers when not 0; the distinct values are counted per
    MMSI and day in Arrow, and only the days found with several are listed in Python.
    """
    if static.num_rows == 0:
        return []
    ts = pc.cast(static["ts"], pa.int64()).to_numpy(zero_copy_only=False)
    day = ts // _DAY_US
    closed = (day + 1) * _DAY_US - 1  # the day's last instant: its own run emits it
    keep = (closed <= horizon_us) & (closed >= lo) & (closed < hi)
    if not keep.any():
        return []
    name = static["shipname"].combine_chunks().cast(pa.string())
    imo = static["imo"].combine_chunks().cast(pa.int64())
    columns: dict[str, Any] = {
        "mmsi": static["mmsi"].combine_chunks().cast(pa.int64()),
        "day": pa.array(day),
        "ts": pa.array(ts),
        "name": pc.if_else(pc.equal(name, pa.scalar("")), pa.scalar(None, pa.string()), name),
        "imo": pc.if_else(pc.equal(imo, pa.scalar(0, pa.int64())), pa.scalar(None, pa.int64()), imo),
    }
    rows = pa.table(columns).filter(pa.array(keep))
    per_day = rows.group_by(["mmsi", "day"]).aggregate(
        [("name", "count_distinct"), ("imo", "count_distinct"), ("ts", "min"), ("ts", "max")]
    )
    several = per_day.filter(
        pc.or_(
            pc.greater(per_day["name_count_distinct"], pa.scalar(1, pa.int64())),
            pc.greater(per_day["imo_count_distinct"], pa.scalar(1, pa.int64())),
        )
    )
    out = []
    for r in sorted(several.to_pylist(), key=lambda r: (r["mmsi"], r["day"])):
        m, d = int(r["mmsi"]), int(r["day"])
        mask = pc.and_(pc.equal(rows["mmsi"], pa.scalar(m)), pc.equal(rows["day"], pa.scalar(d)))
        day_rows = rows.filter(mask)
        names = sorted({str(v) for v in day_rows["name"].drop_null().to_pylist()})
        imos = sorted({int(v or 0) for v in day_rows["imo"].drop_null().to_pylist()})
        day_str = dt.datetime.fromtimestamp(d * 86_400, dt.UTC).date().isoformat()
        detail = f"{day_str}: names {names}; IMOs {imos}"
        first, last = int(r["ts_min"] or 0), int(r["ts_max"] or 0)  # never null: rows have times
        out.append(
            _row(m, "several_names", None, first, last, (d + 1) * _DAY_US - 1, detail, d * _DAY_US, pv)
        )
    return out
