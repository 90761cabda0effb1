"""Time-bucketed spool: write lines in receive-time order with bounded memory.

Records (one line, or the two lines of a two-sentence message) arrive ship by ship with a sort
key (receive time in UTC unix milliseconds, plus an extra delay for the few lines written out
of order).  They are appended to one temporary file per time bucket; at the end each bucket is
loaded, noise lines are mixed in, the bucket is sorted (stable, so ties keep their arrival
order and the output is deterministic) and streamed to the output file.  Memory is bounded by
the largest bucket, not by the day.

Line accounting (every line of the output is counted once):

``total = ais_sentences + bad_checksum + empty_payload + non_ais``

where ``duplicates`` (valid second and later copies of a transmission) is a subset of
``ais_sentences`` and ``out_of_order`` counts lines, of any kind, whose tag-block time ``c`` is
earlier than the largest ``c`` of the lines before them.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

import numpy as np
import numpy.typing as npt

from mda.simulate.emit import CORRUPT, DUPLICATE, FIRST

IntArray = npt.NDArray[np.int64]
U8Array = npt.NDArray[np.uint8]

#: Record kinds added by the spool itself.
EMPTY_PAYLOAD, NON_AIS = 3, 4
#: Receive time value of records without a tag block.
NO_TAG = -1

_HEADER = np.dtype(np.int64)


@dataclass
class Records:
    """A batch of output records.

    Attributes
    ----------
    key : ndarray of int64
        Sort key, UTC unix milliseconds.
    c : ndarray of int64
        Tag-block receive time (UTC unix seconds), :data:`NO_TAG` if none.
    kind : ndarray of int64
        FIRST, DUPLICATE, CORRUPT, EMPTY_PAYLOAD or NON_AIS.
    lines : ndarray of int64
        Lines in the record.
    length : ndarray of int64
        Bytes of the record (newlines included).
    blob : ndarray of uint8
        The records' bytes, concatenated in order.
    """

    key: IntArray
    c: IntArray
    kind: IntArray
    lines: IntArray
    length: IntArray
    blob: U8Array

    def __len__(self) -> int:
        return int(self.key.size)

    def take(self, index: IntArray) -> Records:
        """The records at ``index``, bytes gathered in that order."""
        return Records(
            self.key[index],
            self.c[index],
            self.kind[index],
            self.lines[index],
            self.length[index],
            gather(self.blob, self.starts()[index], self.length[index]),
        )

    def starts(self) -> IntArray:
        """Byte offset of each record in ``blob``."""
        return np.cumsum(self.length) - self.length


def gather(blob: U8Array, starts: IntArray, lengths: IntArray) -> U8Array:
    """Concatenate ``blob[starts[i] : starts[i] + lengths[i]]`` for every ``i``."""
    total = int(lengths.sum())
    if total == 0:
        return np.zeros(0, dtype=np.uint8)
    out_starts = np.cumsum(lengths) - lengths
    idx = np.repeat(starts - out_starts, lengths) + np.arange(total, dtype=np.int64)
    return np.asarray(blob[idx], dtype=np.uint8)


def concat_records(parts: list[Records]) -> Records:
    """Concatenate record batches."""
    if not parts:
        z = np.zeros(0, dtype=np.int64)
        return Records(z, z, z, z, z, np.zeros(0, dtype=np.uint8))
    return Records(
        np.concatenate([p.key for p in parts]),
        np.concatenate([p.c for p in parts]),
        np.concatenate([p.kind for p in parts]),
        np.concatenate([p.lines for p in parts]),
        np.concatenate([p.length for p in parts]),
        np.concatenate([p.blob for p in parts]),
    )


@dataclass
class LineStats:
    """Counts of the lines written (see the module docstring for the identities)."""

    total: int = 0
    ais_sentences: int = 0
    duplicates: int = 0
    bad_checksum: int = 0
    empty_payload: int = 0
    non_ais: int = 0
    out_of_order: int = 0

    def as_dict(self) -> dict[str, int]:
        """The counts in the truth-file order."""
        return {
            "total": self.total,
            "ais_sentences": self.ais_sentences,
            "duplicates": self.duplicates,
            "bad_checksum": self.bad_checksum,
            "empty_payload": self.empty_payload,
            "non_ais": self.non_ais,
            "out_of_order": self.out_of_order,
        }


NoiseMaker = Callable[[int, int, int, int], Records]
"""``noise(bucket, n_records, start_ms, end_ms)`` returns noise records for a bucket."""


@dataclass
class Spool:
    """Temporary per-bucket files under ``directory`` covering ``[start_ms, end_ms)``."""

    directory: Path
    start_ms: int
    end_ms: int
    buckets: int
    _paths: list[Path] = field(default_factory=list)

    def __post_init__(self) -> None:
        self._paths = [self.directory / f"bucket-{i:04d}.bin" for i in range(self.buckets)]
        for p in self._paths:
            p.write_bytes(b"")

    def _bucket_of(self, key: IntArray) -> IntArray:
        width = (self.end_ms - self.start_ms) / self.buckets
        return np.clip(((key - self.start_ms) / width).astype(np.int64), 0, self.buckets - 1)

    def add(self, rec: Records) -> None:
        """Append records to their buckets."""
        if len(rec) == 0:
            return
        bucket = self._bucket_of(rec.key)
        order = np.argsort(bucket, kind="stable")
        sorted_b = bucket[order]
        cuts = np.flatnonzero(np.r_[True, sorted_b[1:] != sorted_b[:-1], True])
        for a, b in itertools.pairwise(cuts):
            part = rec.take(order[a:b])
            with self._paths[int(sorted_b[a])].open("ab") as fh:
                _write_frame(fh, part)

    def drain(
        self, out: BinaryIO, noise: NoiseMaker, progress: Callable[[str], None] | None = None
    ) -> LineStats:
        """Write every bucket in order to ``out``; return the line counts."""
        stats = LineStats()
        running_max = -1
        width = (self.end_ms - self.start_ms) // self.buckets
        for i, path in enumerate(self._paths):
            rec = _read_frames(path)
            lo = self.start_ms + i * width
            hi = self.end_ms if i == self.buckets - 1 else lo + width
            rec = concat_records([rec, noise(i, len(rec), lo, hi)])
            starts = rec.starts()
            order = np.argsort(rec.key, kind="stable")
            c, kind, lines, length, starts = (
                rec.c[order],
                rec.kind[order],
                rec.lines[order],
                rec.length[order],
                starts[order],
            )
            # out-of-order lines: tag time earlier than the latest tag time before them
            tagged = c != NO_TAG
            seen = np.maximum.accumulate(np.where(tagged, c, -1)) if c.size else c
            prev_max = np.maximum(np.r_[-1, seen[:-1]], running_max) if c.size else c
            late = tagged & (c < prev_max)
            if c.size:
                running_max = max(running_max, int(seen[-1]))
            stats.out_of_order += int(lines[late].sum())
            stats.total += int(lines.sum())
            stats.ais_sentences += int(lines[(kind == FIRST) | (kind == DUPLICATE)].sum())
            stats.duplicates += int(lines[kind == DUPLICATE].sum())
            stats.bad_checksum += int(lines[kind == CORRUPT].sum())
            stats.empty_payload += int(lines[kind == EMPTY_PAYLOAD].sum())
            stats.non_ais += int(lines[kind == NON_AIS].sum())
            step = 400_000
            for a in range(0, c.size, step):
                b = min(a + step, c.size)
                out.write(gather(rec.blob, starts[a:b], length[a:b]).tobytes())
            path.unlink()
            if progress is not None and (i + 1) % max(1, self.buckets // 8) == 0:
                progress(f"wrote {stats.total:,} lines ({i + 1}/{self.buckets} buckets)")
        return stats


def _write_frame(fh: BinaryIO, rec: Records) -> None:
    n = len(rec)
    fh.write(np.array([n, rec.blob.size], dtype=_HEADER).tobytes())
    for arr in (rec.key, rec.c, rec.kind, rec.lines, rec.length):
        fh.write(arr.astype(np.int64).tobytes())
    fh.write(rec.blob.tobytes())


def _read_frames(path: Path) -> Records:
    data = path.read_bytes()
    parts: list[Records] = []
    pos = 0
    while pos < len(data):
        n, nbytes = np.frombuffer(data, dtype=_HEADER, count=2, offset=pos)
        n, nbytes = int(n), int(nbytes)
        pos += 16
        cols = []
        for _ in range(5):
            cols.append(np.frombuffer(data, dtype=np.int64, count=n, offset=pos).copy())
            pos += 8 * n
        blob = np.frombuffer(data, dtype=np.uint8, count=nbytes, offset=pos).copy()
        pos += nbytes
        parts.append(Records(cols[0], cols[1], cols[2], cols[3], cols[4], blob))
    return concat_records(parts)
