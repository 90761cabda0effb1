"""Raw line files (NMEA or any other line format), plain or compressed, as numbered byte lines.

The reading itself lives in :mod:`mda.sources.lines` and :mod:`mda.sources.compressed`; this
module keeps the names callers import from it.
"""

from __future__ import annotations

from mda.sources.errors import SourceError, TruncatedInputError
from mda.sources.lines import check_readable, read_line_chunks

__all__ = ["SourceError", "TruncatedInputError", "check_readable", "read_line_chunks"]
