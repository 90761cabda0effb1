"""Live AIS collectors: long-running services that land raw lines in hourly files.

Collectors (TCP and UDP NMEA feeds, the aisstream.io WebSocket) write immutable, hourly,
zstd-compressed landing files with a JSON manifest per hour; the daily pipeline decodes them
later.  See :mod:`mda.sources.collect.landing` for the guarantees and
:mod:`mda.sources.collect.layout` for the file names.
"""

from __future__ import annotations

from mda.sources.collect.aisstream import (
    TAIWAN_STRAIT,
    AisstreamError,
    BoundingBox,
    Subscription,
    collect_aisstream,
    parse_bbox,
)
from mda.sources.collect.backoff import Backoff
from mda.sources.collect.errors import CollectError
from mda.sources.collect.landing import LandingWriter, recover_partials
from mda.sources.collect.layout import FeedKind, HourFiles, check_source
from mda.sources.collect.manifest import LandedFile, Manifest, find_landed, read_manifest
from mda.sources.collect.run import CollectRun, CollectSummary, Limits, run_collection
from mda.sources.collect.tcp import collect_tcp
from mda.sources.collect.udp import bind_udp, collect_udp

__all__ = [
    "TAIWAN_STRAIT",
    "AisstreamError",
    "Backoff",
    "BoundingBox",
    "CollectError",
    "CollectRun",
    "CollectSummary",
    "FeedKind",
    "HourFiles",
    "LandedFile",
    "LandingWriter",
    "Limits",
    "Manifest",
    "Subscription",
    "bind_udp",
    "check_source",
    "collect_aisstream",
    "collect_tcp",
    "collect_udp",
    "find_landed",
    "parse_bbox",
    "read_manifest",
    "recover_partials",
    "run_collection",
]
