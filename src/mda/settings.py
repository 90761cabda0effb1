"""Runtime settings: the only place that reads ``MDA_*`` environment variables.

Variables
---------
MDA_GEODATA
    Folder holding the versioned fence sets (default: the ``geodata/`` shipped with mda).
MDA_CHUNK_LINES
    Lines read per chunk when ingesting raw files (default 200000).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Settings:
    """Settings resolved from the environment.

    Attributes
    ----------
    geodata_dir : Path or None
        Override for the fence folder; ``None`` means the packaged ``geodata/``.
    chunk_lines : int
        Raw lines decoded per chunk; bounds the decoder's memory.
    """

    geodata_dir: Path | None = None
    chunk_lines: int = 200_000


def load_settings() -> Settings:
    """Build :class:`Settings` from ``MDA_*`` environment variables."""
    geodata = os.environ.get("MDA_GEODATA")
    chunk = os.environ.get("MDA_CHUNK_LINES")
    return Settings(
        geodata_dir=Path(geodata) if geodata else None,
        chunk_lines=int(chunk) if chunk else Settings.chunk_lines,
    )
