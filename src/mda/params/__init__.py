"""Versioned detector and track parameters (``mda/params/<version>.toml``)."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import cache
from importlib import resources

from mda.events.encounters import EncounterParams
from mda.events.gaps import GapParams
from mda.events.identity import IdentityParams
from mda.events.loitering import LoiteringParams
from mda.events.port_calls import PortCallParams
from mda.events.zones import ZoneParams

#: Version of the parameter file in use; recorded with every event and run.
PARAMS_VERSION = "v1"


@dataclass(frozen=True)
class TrackParams:
    """Track segmentation thresholds.

    Attributes
    ----------
    max_speed_knots : float
        Implied speed (knots) above which two fixes cannot come from one ship.
    jitter_m : float
        Jumps shorter than this (metres) are GPS noise whatever the time between fixes.
    max_silence_s : float
        Silence (seconds) after which a new track starts.
    """

    max_speed_knots: float
    jitter_m: float
    max_silence_s: float


@dataclass(frozen=True)
class TransitParams:
    """Transit thresholds.

    Attributes
    ----------
    max_duration_s : float
        Longest time (seconds) from entry-gate to exit-gate crossing.
    """

    max_duration_s: float


@dataclass(frozen=True)
class WindowParams:
    """How much data a run reads before its interval.

    Attributes
    ----------
    pad_s : float
        Seconds read before the interval start.
    """

    pad_s: float


@dataclass(frozen=True)
class Params:
    """All thresholds of one parameter version."""

    version: str
    tracks: TrackParams
    transits: TransitParams
    loitering: LoiteringParams
    gaps: GapParams
    encounters: EncounterParams
    port_calls: PortCallParams
    zones: ZoneParams
    identity: IdentityParams
    window: WindowParams


@cache
def load_params(version: str = PARAMS_VERSION) -> Params:
    """Read ``mda/params/<version>.toml``."""
    text = resources.files("mda.params").joinpath(f"{version}.toml").read_text(encoding="utf-8")
    raw = tomllib.loads(text)

    def section(name: str) -> dict[str, float]:
        return {k: float(v) for k, v in raw[name].items()}

    return Params(
        version=version,
        tracks=TrackParams(**section("tracks")),
        transits=TransitParams(**section("transits")),
        loitering=LoiteringParams(**section("loitering")),
        gaps=GapParams(**section("gaps")),
        encounters=EncounterParams(**section("encounters")),
        port_calls=PortCallParams(**section("port_calls")),
        zones=ZoneParams(**section("zones")),
        identity=IdentityParams(**section("identity")),
        window=WindowParams(**section("window")),
    )
