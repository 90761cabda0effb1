"""The pure part of decoding a buffer of NMEA lines, which worker processes do ahead.

A buffer is split into lines, its fast-path lines are recognised and decoded
(:func:`mda.decode.fast.scan_buffer`), and its fast messages are grouped by payload for the
resolution of duplicates (:class:`PayloadGroups`).  None of it depends on anything but the
buffer's bytes, so buffers can be scanned in worker processes (:mod:`mda.workers`) while the
decoder, which holds the state across buffers (duplicates, fragments, accounting), takes them
in file order (:class:`mda.decode.nmea.NmeaDecoder`).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from mda.decode.fast import FastScan, scan_buffer, split_buffer
from mda.decode.seen import KEY_WORDS, hash_words

__all__ = ["RANK_BITS", "PayloadGroups", "ScannedChunk", "group_payloads", "payload_words", "scan_chunk"]

I64 = npt.NDArray[np.int64]
U64 = npt.NDArray[np.uint64]

#: Chunks up to this many fast rows group them with one unstable sort (see :class:`PayloadGroups`).
RANK_BITS = 20


@dataclass(frozen=True)
class PayloadGroups:
    """A chunk's fast messages (position rows, then static rows) grouped by payload.

    Rows are grouped by payload (exact bytes), in file order within a payload.  Each payload
    is hashed (:func:`mda.decode.seen.hash_words`); the rows are sorted once by the hash's
    high bits with the row's rank in file order in the low :data:`RANK_BITS` bits, so equal
    payloads come together in file order.  The grouping is then checked word by word; should
    two different payloads ever share the high hash bits, the rows are grouped by an exact
    sort of their words instead (``exact``).

    Attributes
    ----------
    hashes : ndarray of uint64
        Each row's payload hash.
    exact : bool
        True when the rows were grouped by their words (``sorted_high`` is then empty).
    order : ndarray of int64
        Rows in group order: by payload, then file order.
    sorted_high : ndarray of uint64
        The high hash bits of the rows in ``order``.
    group : ndarray of int64
        The group of each position in ``order``.
    bounds : ndarray of int64
        The rows of group ``g`` are at positions ``bounds[g]:bounds[g + 1]`` of ``order``.
    """

    hashes: U64
    exact: bool
    order: I64
    sorted_high: U64
    group: I64
    bounds: I64


def payload_words(scan: FastScan, rows: I64) -> U64:
    """The payloads of fast ``rows`` (position rows, then static rows) as zero-padded words.

    Returns an array of shape ``(rows.size, KEY_WORDS)`` (:data:`mda.decode.seen.KEY_WORDS`).
    """
    found, static = scan.positions.keys, scan.static.keys
    n_positions = len(scan.positions)
    out = np.zeros((rows.size, KEY_WORDS), dtype=np.uint64)
    is_pos = rows < n_positions
    pos, other = np.flatnonzero(is_pos), np.flatnonzero(~is_pos)
    out[pos, : found.shape[1]] = np.take(found, rows[pos], axis=0)
    out[other] = np.take(static, rows[other] - n_positions, axis=0)
    return out


def group_payloads(scan: FastScan) -> PayloadGroups:
    """Group the fast messages of ``scan`` by payload (see :class:`PayloadGroups`)."""
    found, static = scan.positions, scan.static
    pos = np.concatenate([found.pos, static.pos])
    size = int(pos.size)
    hashes = np.concatenate([hash_words(found.keys), hash_words(static.keys)])
    by_pos = np.argsort(pos, kind="stable")
    exact = size >= 1 << RANK_BITS
    sorted_high = np.zeros(0, dtype=np.uint64)
    if not exact:
        rank_mask = np.uint64((1 << RANK_BITS) - 1)
        high = hashes[by_pos] & ~rank_mask
        sort = np.argsort(high | np.arange(size, dtype=np.uint64))
        order = by_pos[sort]
        sorted_high = high[sort]
        new = np.ones(size, dtype=np.bool_)
        new[1:] = sorted_high[1:] != sorted_high[:-1]
        same = np.flatnonzero(~new)
        if same.size:
            pairs = payload_words(scan, order[same]) != payload_words(scan, order[same - 1])
            exact = bool(pairs.any())
    if exact:
        # exact grouping: sort by the words (last word least significant), then file order
        sorted_high = np.zeros(0, dtype=np.uint64)
        words = payload_words(scan, by_pos)
        by_words = np.lexsort([words[:, k] for k in range(KEY_WORDS - 1, -1, -1)])
        order = by_pos[by_words]
        sorted_words = words[by_words]
        new = np.ones(size, dtype=np.bool_)
        new[1:] = (sorted_words[1:] != sorted_words[:-1]).any(axis=1)
    starts = np.flatnonzero(new)
    group = np.cumsum(new, dtype=np.int64) - 1
    bounds = np.append(starts, size).astype(np.int64)
    return PayloadGroups(hashes, exact, order, sorted_high, group, bounds)


@dataclass(frozen=True)
class ScannedChunk:
    """A buffer of whole lines split, scanned and grouped (:func:`scan_chunk`), without its bytes.

    Attributes
    ----------
    starts, ends : ndarray of int64
        Each line's content ``[start, end)`` in :func:`mda.decode.fast.pad_buffer` of the
        buffer (carriage returns before the line feed left out).
    scan : FastScan
        What the fast path recognised and decoded among the lines.
    groups : PayloadGroups
        The fast messages of ``scan`` grouped by payload.
    """

    starts: I64
    ends: I64
    scan: FastScan
    groups: PayloadGroups


def scan_chunk(data: bytes) -> ScannedChunk:
    """Split a buffer of whole lines, scan it and group its fast messages by payload.

    The same as :func:`mda.decode.fast.split_buffer` (``strip_cr=True``), then
    :func:`mda.decode.fast.scan_buffer` and :func:`group_payloads`; depends on nothing but
    ``data``.
    """
    _, buf, starts, ends = split_buffer(data, strip_cr=True)
    scan = scan_buffer(buf, starts, ends)
    return ScannedChunk(starts, ends, scan, group_payloads(scan))
