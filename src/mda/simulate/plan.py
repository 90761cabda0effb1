"""What one simulated ship does during the day: identity, true path and transponder behaviour."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace

import numpy as np

from mda.simulate.fleet import Identity
from mda.simulate.motion import Track

HOUR = 3600.0


@dataclass(frozen=True)
class Day:
    """The simulated day and its random streams.

    Attributes
    ----------
    date : datetime.date
        The UTC day; the simulation covers the half-open interval ``[start, end)``.
    seed : int
        Run seed.
    scale : float
        Multiplier of the background traffic.
    """

    date: dt.date
    seed: int
    scale: float

    @property
    def start(self) -> float:
        """00:00 UTC of the day, unix seconds."""
        return dt.datetime(self.date.year, self.date.month, self.date.day, tzinfo=dt.UTC).timestamp()

    @property
    def end(self) -> float:
        """00:00 UTC of the next day, unix seconds (excluded from the day)."""
        return self.start + 24 * HOUR

    def at(self, hours: float) -> float:
        """Unix seconds ``hours`` after 00:00 UTC of the day."""
        return self.start + hours * HOUR

    def rng(self, *key: int) -> np.random.Generator:
        """An independent random stream for ``key`` (the same for the same seed, date and key)."""
        return np.random.default_rng([self.seed, self.date.toordinal(), *key])


@dataclass(frozen=True)
class PortVisit:
    """A planned stay at a berth or an anchorage.

    Attributes
    ----------
    port : str
        Port name (see :data:`mda.simulate.lanes.PORTS`).
    start, end : float or None
        When the ship lies still there, UTC unix seconds; ``None`` when the stay began before
        the track starts or lasts beyond its end.
    kind : {"berth", "anchorage"}
        Moored at the port's berths or at anchor at its outer anchorage.
    """

    port: str
    start: float | None
    end: float | None
    kind: str = "berth"


@dataclass(frozen=True)
class ShipPlan:
    """One ship of the simulated day.

    Attributes
    ----------
    key : int
        Unique index; seeds the ship's random stream together with the run seed.
    identity : Identity
        What the transponder broadcasts.
    role : str
        Why the ship is in the scenario (``"through"``, ``"port_arrival"``, ``"dark"``...).
    track : Track
        The true path.
    sparse_interval_s : float or None
        When set, the transponder reports only at this interval (seconds) whatever the speed.
    dark : tuple of (float, float)
        Half-open periods ``[start, end)`` (UTC unix seconds) with the transponder off.
    port_visits : tuple of PortVisit
        Planned stays (for the ground truth).
    position_type : int
        AIS message type of the position reports: 1 (SOTDMA), 3 (ITDMA) or 18 (class B).
    heading_sensor : bool
        False when the transponder reports heading 511 (not available).
    rot_sensor : bool
        False when the transponder reports rate of turn -128 (no turn indicator).
    """

    key: int
    identity: Identity
    role: str
    track: Track
    sparse_interval_s: float | None = None
    dark: tuple[tuple[float, float], ...] = ()
    port_visits: tuple[PortVisit, ...] = ()
    position_type: int = 1
    heading_sensor: bool = True
    rot_sensor: bool = True

    def shifted(self, seconds: float) -> ShipPlan:
        """The same plan ``seconds`` later."""
        return replace(
            self,
            track=self.track.shifted(seconds),
            dark=tuple((a + seconds, b + seconds) for a, b in self.dark),
            port_visits=tuple(
                replace(
                    v,
                    start=None if v.start is None else v.start + seconds,
                    end=None if v.end is None else v.end + seconds,
                )
                for v in self.port_visits
            ),
        )

    @property
    def report_interval_note(self) -> str:
        """Human-readable reporting behaviour for the truth file."""
        if self.sparse_interval_s is not None:
            note = f"sparse: every {self.sparse_interval_s / 60:.0f} min whatever the speed"
        elif self.identity.ais_class == "A":
            note = (
                f"class A type {self.position_type}: 10 s below 14 kn, 6 s 14-23 kn, 2 s above 23 kn, "
                "3 min at anchor or moored; type 5 every 6 min"
            )
        else:
            note = "class B type 18: 30 s above 2 kn, 3 min at or below; type 24 A/B every 6 min"
        if self.dark:
            note += f"; transponder off for {len(self.dark)} period(s) of 6 h or more"
        return note
