"""Errors of the input sources; each message is one line for the user."""

from __future__ import annotations


class SourceError(Exception):
    """An input cannot be opened or read; the message is one line for the user."""


class TruncatedInputError(SourceError):
    """A compressed input ended early or is corrupt after some data.

    Raised only after every line read before the damage was yielded and decoded, so a caller
    that catches it keeps those rows and a balanced accounting of them.
    """
