"""Gate crossings of true paths and their pairing into transits and U-turns.

A crossing is where a track segment meets a gate polyline
(:func:`mda.geo.crossings.segment_crossings`); because true paths are linear in time between
knots, its time is exact.  It is an *entry* when the ship moves to the gate's inside side
(the strait) and an *exit* otherwise.

Pairing walks a ship's crossings in time order: an entry followed by the next exit through
the other gate within :data:`MAX_TRANSIT_S` is a transit (south to north is northbound); an
entry followed by an exit through the same gate is a U-turn.  An exit with no earlier entry
(the ship started inside, e.g. left a port in the strait) and an entry with no later exit (it
stays inside, e.g. calls at a port) are not passages.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from mda.geo.crossings import segment_crossings
from mda.geo.fences import load_gates
from mda.simulate.motion import Track

#: Longest time between entry and exit for a transit, seconds (72 h).
MAX_TRANSIT_S = 72 * 3600.0


@dataclass(frozen=True)
class GateCrossing:
    """One crossing of a gate by a true path.

    Attributes
    ----------
    t : float
        Time, UTC unix seconds.
    gate : {"north", "south"}
        Which gate.
    entering : bool
        True when the ship moves into the strait.
    lon, lat : float
        Where, degrees.
    """

    t: float
    gate: str
    entering: bool
    lon: float
    lat: float


@dataclass(frozen=True)
class Passage:
    """An entry paired with the following exit.

    Attributes
    ----------
    kind : {"transit", "u_turn"}
        Transit (other gate, within 72 h) or U-turn (same gate).
    entry, exit : GateCrossing
        The two crossings.
    """

    kind: str
    entry: GateCrossing
    exit: GateCrossing

    @property
    def direction(self) -> str:
        """``"northbound"`` (south gate to north gate) or ``"southbound"``; U-turns use the gate."""
        if self.kind == "u_turn":
            return f"u_turn_{self.entry.gate}"
        return "northbound" if self.entry.gate == "south" else "southbound"


def gate_crossings(track: Track) -> list[GateCrossing]:
    """Every gate crossing of a true path, in time order."""
    out: list[GateCrossing] = []
    valid = np.ones(track.t.size - 1, dtype=bool)
    for gate in load_gates():
        c = segment_crossings(track.lon, track.lat, valid, gate.coords)
        times = track.t[c.seg_index] + c.frac * (track.t[c.seg_index + 1] - track.t[c.seg_index])
        for k in range(c.seg_index.size):
            entering = bool(c.sign[k] == 1) if gate.inside_side == "left" else bool(c.sign[k] == -1)
            out.append(GateCrossing(float(times[k]), gate.name, entering, float(c.lon[k]), float(c.lat[k])))
    out.sort(key=lambda g: g.t)
    return out


def pair_passages(crossings: list[GateCrossing]) -> list[Passage]:
    """Pair entries with exits (see the module docstring)."""
    out: list[Passage] = []
    open_entry: GateCrossing | None = None
    for c in crossings:
        if c.entering:
            open_entry = c
            continue
        if open_entry is not None:
            if c.gate == open_entry.gate:
                out.append(Passage("u_turn", open_entry, c))
            elif c.t - open_entry.t <= MAX_TRANSIT_S:
                out.append(Passage("transit", open_entry, c))
        open_entry = None
    return out
