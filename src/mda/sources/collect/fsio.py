"""Durable file operations for landing files: complete writes, fsync, no-replace publishing."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any


def write_all(fd: int, data: bytes) -> None:
    """Write all of ``data`` to the file descriptor ``fd`` (``os.write`` may write less)."""
    view = memoryview(data)
    while view:
        written = os.write(fd, view)
        view = view[written:]


def fsync_dir(folder: Path) -> None:
    """Flush a folder's entries (created, renamed or removed files) to disk."""
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def publish(tmp: Path, final: Path) -> None:
    """Give the complete, fsynced file ``tmp`` its final name ``final``, atomically.

    ``final`` is never replaced: if it exists, ``FileExistsError`` is raised and ``tmp`` stays.
    A hard link plus unlink makes the name appear atomically without ever overwriting.
    """
    os.link(tmp, final)
    tmp.unlink()
    fsync_dir(final.parent)


def write_json_atomic(path: Path, obj: dict[str, Any], *, replace: bool = False) -> None:
    """Write ``obj`` as indented JSON to ``path`` through a fsynced temporary file.

    Parameters
    ----------
    path : Path
        Destination file.
    obj : dict
        JSON-serialisable object.
    replace : bool
        Replace an existing ``path`` atomically; if false, an existing ``path`` raises
        ``FileExistsError`` and is left unchanged.
    """
    tmp = path.with_name(path.name + ".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
    try:
        write_all(fd, (json.dumps(obj, indent=2) + "\n").encode("utf-8"))
        os.fsync(fd)
    finally:
        os.close(fd)
    if replace:
        tmp.replace(path)
        fsync_dir(path.parent)
    else:
        try:
            publish(tmp, path)
        finally:
            tmp.unlink(missing_ok=True)
