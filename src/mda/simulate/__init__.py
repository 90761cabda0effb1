"""A deterministic simulated day of AIS traffic in the Taiwan Strait, with its ground truth.

``simulate_day(date, seed, out_dir, scale=1.0)`` writes ``ais-YYYY-MM-DD.nmea`` (raw NMEA 0183
``!AIVDM`` sentences behind NMEA 4.0 tag blocks, as a shore network delivers them, noise
included) and ``truth-YYYY-MM-DD.json`` (what really happened: transits, U-turns, loitering,
gaps, encounters, port calls, line accounting).  See :mod:`mda.simulate.day`.
"""

from mda.simulate.day import SimulationResult, simulate_day

__all__ = ["SimulationResult", "simulate_day"]
