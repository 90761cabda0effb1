"""Reconnection delays: exponential, capped, with jitter."""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from dataclasses import dataclass

_MAX_EXPONENT = 60


@dataclass(frozen=True)
class Backoff:
    """Delays between reconnection attempts.

    The ``n``-th consecutive failure (``n`` = 0, 1, ...) waits
    ``min(max_s, initial_s * factor**n)`` scaled by a random factor in ``[0.5, 1)`` ("equal
    jitter"), so many collectors restarted together do not reconnect in step.  A collector
    starts counting again from 0 after a connection that stayed up for ``stable_s``.

    Attributes
    ----------
    initial_s : float
        First delay, in seconds, before jitter.
    max_s : float
        Largest delay, in seconds, before jitter.
    factor : float
        Growth per consecutive failure.
    stable_s : float
        A connection up at least this long, in seconds, resets the count.
    """

    initial_s: float = 1.0
    max_s: float = 60.0
    factor: float = 2.0
    stable_s: float = 30.0

    def __post_init__(self) -> None:
        if not (0 < self.initial_s <= self.max_s and self.factor >= 1 and self.stable_s >= 0):
            raise ValueError("backoff needs 0 < initial_s <= max_s, factor >= 1 and stable_s >= 0")

    def delay(self, failures: int, uniform: Callable[[], float] = random.random) -> float:
        """Seconds to wait after ``failures`` consecutive failures (0 for the first failure).

        Parameters
        ----------
        failures : int
            Consecutive failures before this one.
        uniform : callable
            Source of uniform numbers in ``[0, 1)`` (jitter only, not security).
        """
        base = min(self.max_s, self.initial_s * self.factor ** min(failures, _MAX_EXPONENT))
        return base * (0.5 + 0.5 * uniform())


class Reconnects:
    """Consecutive-failure count of one collector's reconnect loop.

    A failed attempt or a dropped connection counts as a failure; a connection that stayed up
    for ``backoff.stable_s`` seconds resets the count before its drop is counted.
    """

    def __init__(self, backoff: Backoff) -> None:
        self.backoff = backoff
        self.failures = 0
        self._up_since: float | None = None

    def connected(self) -> None:
        """Record that a connection is up (monotonic clock)."""
        self._up_since = time.monotonic()

    def disconnected(self) -> None:
        """Record that the connection dropped; a stable one resets the count."""
        if self._up_since is not None and time.monotonic() - self._up_since >= self.backoff.stable_s:
            self.failures = 0
        self._up_since = None

    def next_delay(self) -> float:
        """Seconds to wait before the next attempt, counting this failure."""
        delay = self.backoff.delay(self.failures)
        self.failures += 1
        return delay
