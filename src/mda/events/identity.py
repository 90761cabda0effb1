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
from dataclasses import dataclass, field

import numpy as np
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
    order = np.lexsort((tracks.ts, day, tracks.mmsi))
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


def _identity_swaps(
    tracks: TrackArrays,
    params: IdentityParams,
    lo: int,
    hi: int,
    horizon_us: int,
    window_start_us: int,
    pv: str,
) -> list[dict[str, object]]:
    """One MMSI falls silent and another appears next to it within minutes."""
    rows: list[dict[str, object]] = []
    if tracks.size < 2:
        return rows
    silence = int(params.swap_silence_s * _US)
    order = np.lexsort((tracks.ts, tracks.mmsi))
    m, t = tracks.mmsi[order], tracks.ts[order]
    lon, lat = tracks.lon[order], tracks.lat[order]
    same_next = np.concatenate((m[1:] == m[:-1], [False]))
    same_prev = np.concatenate(([False], m[1:] == m[:-1]))
    next_t = np.concatenate((t[1:], [np.iinfo(np.int64).max]))
    prev_t = np.concatenate(([np.iinfo(np.int64).min], t[:-1]))
    # the feed itself must be alive around the silences: other vessels' fixes bound them
    data_start, data_end = int(t.min()), int(t.max())
    # falls silent: no fix of the same MMSI for `silence` after, while the feed kept reporting
    quiet_after = np.where(same_next, next_t - t >= silence, t + silence <= data_end)
    stops = np.flatnonzero(quiet_after & (t + silence <= horizon_us))
    # appears: no fix of the same MMSI for `silence` before, while the feed was reporting
    appears = np.where(same_prev, t - prev_t >= silence, t - silence >= max(window_start_us, data_start))
    starts = np.flatnonzero(appears)
    starts = starts[np.argsort(t[starts], kind="stable")]
    start_t = t[starts]
    for e in stops.tolist():
        k0 = int(np.searchsorted(start_t, t[e], side="left"))
        k1 = int(np.searchsorted(start_t, t[e] + int(params.swap_max_s * _US), side="right"))
        for s_idx in starts[k0:k1].tolist():
            if m[s_idx] == m[e]:
                continue
            d = float(
                haversine_m(lon[e : e + 1], lat[e : e + 1], lon[s_idx : s_idx + 1], lat[s_idx : s_idx + 1])[0]
            )
            closed = max(int(t[e]) + silence, int(t[s_idx]))
            if d <= params.swap_max_m and lo <= closed < hi:
                detail = f"{int(m[e])} fell silent; {int(m[s_idx])} appeared {d:.0f} m away"
                rows.append(
                    _row(
                        int(m[e]),
                        "identity_swap",
                        int(m[s_idx]),
                        int(t[e]),
                        int(t[s_idx]),
                        closed,
                        detail,
                        int(t[e]),
                        pv,
                    )
                )
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
    rows += _identity_swaps(tracks, params, lo, hi, horizon, w0, params_version)
    rows += _several_names(static, lo, hi, horizon, params_version)
    if not rows:
        return schemas.IDENTITY_ANOMALIES.empty_table()
    columns = {name: [r[name] for r in rows] for name in schemas.IDENTITY_ANOMALIES.names}
    return schemas.event_table(dict(columns), schemas.IDENTITY_ANOMALIES)


@dataclass
class _DayIdentity:
    names: set[str] = field(default_factory=set)
    imos: set[int] = field(default_factory=set)
    first: int = 2**62
    last: int = -(2**62)


def _several_names(static: pa.Table, lo: int, hi: int, horizon_us: int, pv: str) -> list[dict[str, object]]:
    """MMSIs announcing more than one name or IMO within a UTC day; known at the day's end."""
    if static.num_rows == 0:
        return []
    ts = pc.cast(static["ts"], pa.int64()).to_numpy(zero_copy_only=False).tolist()
    mmsi = static["mmsi"].to_numpy(zero_copy_only=False).tolist()
    seen: dict[tuple[int, int], _DayIdentity] = {}
    for t, m, name, imo in zip(
        ts, mmsi, static["shipname"].to_pylist(), static["imo"].to_pylist(), strict=True
    ):
        entry = seen.setdefault((m, t // _DAY_US), _DayIdentity())
        if name:
            entry.names.add(str(name))
        if imo:
            entry.imos.add(int(imo))
        entry.first, entry.last = min(entry.first, t), max(entry.last, t)
    rows = []
    for (m, day), e in sorted(seen.items()):
        closed = (day + 1) * _DAY_US - 1  # the day's last instant: its own run emits it
        if (len(e.names) > 1 or len(e.imos) > 1) and closed <= horizon_us and lo <= closed < hi:
            day_str = dt.datetime.fromtimestamp(day * 86_400, dt.UTC).date().isoformat()
            detail = f"{day_str}: names {sorted(e.names)}; IMOs {sorted(e.imos)}"
            rows.append(_row(m, "several_names", None, e.first, e.last, closed, detail, day * _DAY_US, pv))
    return rows
