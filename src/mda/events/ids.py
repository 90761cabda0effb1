"""Deterministic event ids."""

from __future__ import annotations

import hashlib


def event_id(mmsi: int, event_type: str, start_us: int, fence_version: str) -> str:
    """Return a stable id: the first 20 hex digits of SHA-256 over the identifying fields.

    Parameters
    ----------
    mmsi : int
        Vessel MMSI.
    event_type : str
        Detector name, e.g. ``"transit"``.
    start_us : int
        Event start, microseconds since the Unix epoch (UTC).
    fence_version : str
        Fence set version the event was computed with.
    """
    key = f"{mmsi}|{event_type}|{start_us}|{fence_version}".encode()
    return hashlib.sha256(key).hexdigest()[:20]
