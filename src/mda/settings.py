"""Runtime settings: the only place that reads ``MDA_*`` environment variables.

Variables
---------
MDA_GEODATA
    Folder holding the versioned fence sets (default: the ``geodata/`` shipped with mda).
MDA_CHUNK_LINES
    Lines read per chunk when ingesting raw files (default 200000).
MDA_AISSTREAM_API_KEY
    API key of aisstream.io for ``mda collect aisstream`` (no default; never logged or printed).
MDA_AISSTREAM_URL
    WebSocket endpoint of aisstream.io (default ``wss://stream.aisstream.io/v0/stream``).
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

AISSTREAM_URL = "wss://stream.aisstream.io/v0/stream"


@dataclass(frozen=True)
class Settings:
    """Settings resolved from the environment.

    Attributes
    ----------
    geodata_dir : Path or None
        Override for the fence folder; ``None`` means the packaged ``geodata/``.
    chunk_lines : int
        Raw lines decoded per chunk; bounds the decoder's memory.
    aisstream_api_key : str or None
        aisstream.io API key, ``None`` when unset.  Excluded from ``repr`` so that printing the
        settings never reveals it.
    aisstream_url : str
        WebSocket URL of the aisstream.io stream.
    """

    geodata_dir: Path | None = None
    chunk_lines: int = 200_000
    aisstream_api_key: str | None = field(default=None, repr=False)
    aisstream_url: str = AISSTREAM_URL


def load_settings() -> Settings:
    """Build :class:`Settings` from ``MDA_*`` environment variables."""
    geodata = os.environ.get("MDA_GEODATA")
    chunk = os.environ.get("MDA_CHUNK_LINES")
    key = os.environ.get("MDA_AISSTREAM_API_KEY", "").strip()
    url = os.environ.get("MDA_AISSTREAM_URL", "").strip()
    return Settings(
        geodata_dir=Path(geodata) if geodata else None,
        chunk_lines=int(chunk) if chunk else Settings.chunk_lines,
        aisstream_api_key=key or None,
        aisstream_url=url or AISSTREAM_URL,
    )
