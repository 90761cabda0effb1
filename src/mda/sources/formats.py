"""Names of the input formats every reader and command agrees on (no heavy imports here)."""

from __future__ import annotations

#: ``nmea`` raw NMEA 0183, ``aisstream`` aisstream.io JSON lines, ``noaa`` MarineCadastre CSV,
#: ``dma`` Danish Maritime Authority CSV.
FORMATS = ("nmea", "aisstream", "noaa", "dma")
