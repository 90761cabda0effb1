"""SQL statements shipped as files in ``mda/sql`` (one statement per file, values bound)."""

from __future__ import annotations

from functools import cache
from importlib import resources


@cache
def statement(name: str) -> str:
    """Return the text of ``mda/sql/<name>.sql`` (e.g. ``"store/select_transits"``)."""
    folder, _, stem = name.rpartition("/")
    ref = resources.files("mda.sql")
    for part in folder.split("/") if folder else []:
        ref = ref.joinpath(part)
    return ref.joinpath(f"{stem}.sql").read_text(encoding="utf-8")


def migrations() -> list[tuple[str, str]]:
    """Return ``(name, sql)`` of every migration in ``mda/sql/migrations``, in order."""
    folder = resources.files("mda.sql").joinpath("migrations")
    names = sorted(p.name for p in folder.iterdir() if p.name.endswith(".sql"))
    return [(n.removesuffix(".sql"), folder.joinpath(n).read_text(encoding="utf-8")) for n in names]
