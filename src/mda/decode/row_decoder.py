"""Shared machinery of the one-message-per-line decoders (aisstream JSON lines, CSV archives).

Each line is decoded on its own (no multi-line state), so a subclass only implements
``_line(line_no, raw)``; this base keeps the accounting, the rejects, the output columns and
the duplicate window: an identical message (same key) received again within
``dedup_window_s`` seconds is a duplicate reception, counted and kept in ``rejects``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Hashable, Iterable

from mda import schemas
from mda.decode.batch import US_PER_S, Accounting, Columns, DecodedBatch, Rejector, midnight_us
from mda.decode.messages import MESSAGES


class RowDecoder:
    """Base of the line-per-message decoders; feed chunks of ``(line_no, raw_line)`` in order.

    Parameters
    ----------
    source : str
        Name recorded with every row (usually the input file name).
    dedup_window_s : float or None
        Seconds within which an identical message counts as a duplicate; None keeps all.
    assume_date : datetime.date, optional
        Give messages without a time 00:00:00 UTC of this date instead of rejecting them.
    with_messages : bool
        Also return one :data:`mda.decode.messages.MESSAGES` row per kept message.
    """

    def __init__(
        self,
        source: str,
        *,
        dedup_window_s: float | None = 30.0,
        assume_date: dt.date | None = None,
        with_messages: bool = False,
    ) -> None:
        self.source = source
        self.dedup_window_us = None if dedup_window_s is None else int(dedup_window_s * US_PER_S)
        self.assume_ts_us = None if assume_date is None else midnight_us(assume_date)
        self.accounting = Accounting()
        self._rejector = Rejector(source, self.accounting)
        self._seen: dict[Hashable, int] = {}
        self._max_ts_us = 0
        self._positions = Columns(schemas.POSITIONS)
        self._static = Columns(schemas.VESSEL_STATIC)
        self._messages = Columns(MESSAGES) if with_messages else None

    def feed(self, lines: Iterable[tuple[int, bytes]]) -> DecodedBatch:
        """Decode a chunk of ``(line_no, raw_line)`` pairs."""
        for line_no, raw in lines:
            self.accounting.lines += 1
            self._line(line_no, raw)
        if self.dedup_window_us is not None and len(self._seen) > 100_000:
            horizon = self._max_ts_us - 2 * self.dedup_window_us
            self._seen = {k: v for k, v in self._seen.items() if v >= horizon}
        return self._take()

    def finish(self) -> DecodedBatch:
        """The final batch (nothing is pending between lines)."""
        return self._take()

    def _line(self, line_no: int, raw: bytes) -> None:
        raise NotImplementedError

    def _is_duplicate(self, key: Hashable, ts_us: int) -> bool:
        """Whether ``key`` was kept within the window before ``ts_us``; if not, remember it."""
        if self.dedup_window_us is None:
            return False
        previous = self._seen.get(key)
        if previous is not None and abs(ts_us - previous) <= self.dedup_window_us:
            return True
        self._seen[key] = ts_us
        self._max_ts_us = max(self._max_ts_us, ts_us)
        return False

    def _take(self) -> DecodedBatch:
        return DecodedBatch(
            self._positions.take(),
            self._static.take(),
            self._rejector.rows.take(),
            None if self._messages is None else self._messages.take(),
        )
