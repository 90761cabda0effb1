"""Errors raised by the live collectors."""

from __future__ import annotations

from mda.sources.errors import SourceError


class CollectError(SourceError):
    """A collector cannot start or continue; the message is one line for the user.

    It is a :class:`~mda.sources.errors.SourceError`, so the ``mda`` command reports it as a
    one-line error with exit status 1.
    """
