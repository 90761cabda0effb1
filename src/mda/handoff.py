"""Objects of several megabytes handed between processes through a file instead of a pipe.

A worker's result travels back to the caller pickled through a pipe of 64 KiB: about 125
reads per 8 MB result, each allocating a buffer for the whole remainder, then copied into
the message and again into the arrays: 20 ms of CPU per 8 MB, both sides together.
Written to a file and mapped back, the same bytes cost about 4 ms.  :func:`dump` pickles
the object with its array buffers out of band (pickle protocol 5) and writes them after the
pickle, each aligned; :func:`load` maps the file copy-on-write, rebuilds the object with its
NumPy and Arrow arrays as views of the mapping (the written pages themselves, neither
copied nor zero-filled again), and deletes the file, whose pages go when the last view does.

File layout (little-endian): the pickle's length and the number of buffers (two unsigned
64-bit integers), each buffer's length (one each), the pickle, then each buffer starting
at a multiple of :data:`ALIGN` bytes from the start of the file.
"""

from __future__ import annotations

import mmap
import os
import pickle
import struct
from pathlib import Path
from typing import Any

__all__ = ["ALIGN", "dump", "load"]

#: Alignment in bytes of each buffer in the file (and in the block it is read into).
ALIGN = 64

_COUNTS = struct.Struct("<QQ")


def _aligned(offset: int) -> int:
    return -(-offset // ALIGN) * ALIGN


def dump(obj: Any, path: Path) -> None:
    """Write ``obj`` to ``path`` for :func:`load` (see the module docstring for the layout)."""
    buffers: list[pickle.PickleBuffer] = []
    head = pickle.dumps(obj, protocol=5, buffer_callback=buffers.append)
    raws = [buffer.raw() for buffer in buffers]
    sizes = struct.pack(f"<{len(raws)}Q", *(raw.nbytes for raw in raws))
    at = _COUNTS.size + len(sizes) + len(head)
    with path.open("wb") as out:
        out.write(_COUNTS.pack(len(head), len(raws)))
        out.write(sizes)
        out.write(head)
        for raw in raws:
            start = _aligned(at)
            out.write(bytes(start - at))
            out.write(raw)
            at = start + raw.nbytes


def load(path: Path) -> Any:
    """The object :func:`dump` wrote to ``path``; the file is deleted.

    Its arrays are writable views of a private copy-on-write mapping of the whole file, which
    stays in memory while any of them does (writing to one copies only the pages written).

    Raises
    ------
    EOFError
        When the file is shorter than its layout says (a write cut short).
    """
    with path.open("rb", buffering=0) as handle:
        got = os.fstat(handle.fileno()).st_size
        block = mmap.mmap(handle.fileno(), got, access=mmap.ACCESS_COPY) if got else bytearray()
    view = memoryview(block)
    path.unlink()
    if got < _COUNTS.size:
        raise EOFError(f"{path}: {got} bytes, shorter than the handoff header")
    head_size, count = _COUNTS.unpack_from(block)
    at = _COUNTS.size + 8 * count
    if got < at:
        raise EOFError(f"{path}: {got} bytes, shorter than the sizes of its {count} buffers")
    sizes = struct.unpack_from(f"<{count}Q", block, _COUNTS.size)
    head = view[at : at + head_size]
    at += head_size
    buffers = []
    for size in sizes:
        start = _aligned(at)
        buffers.append(view[start : start + size])
        at = start + size
    if got < at:
        raise EOFError(f"{path}: {got} bytes, its pickle and buffers need {at}")
    return pickle.loads(head, buffers=buffers)  # noqa: S301 - written by our own worker, in a private folder
