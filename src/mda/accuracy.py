"""Score detected events against the simulator's ground truth.

Matching rule: a detected event matches a true one when the MMSI is the same (for encounters,
the same unordered pair), the direction agrees where there is one, and the time intervals
overlap; each true event matches at most one detection (greedy, in time order).  Precision,
recall and F1 follow; for transits the gate-time errors of the matched pairs are reported too.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

Event = dict[str, Any]


@dataclass(frozen=True)
class Score:
    """Agreement of detections with the ground truth for one event kind.

    Attributes
    ----------
    true, detected, matched : int
        Counts of true events, detections and matched pairs.
    time_errors_s : list of float
        For matched pairs, absolute start and end time differences in seconds.
    missed, spurious : list of dict
        True events without a detection, detections without a true event.
    """

    true: int
    detected: int
    matched: int
    time_errors_s: list[float]
    missed: list[Event]
    spurious: list[Event]

    @property
    def precision(self) -> float:
        """Matched share of detections (1 when nothing was detected and nothing was true)."""
        return self.matched / self.detected if self.detected else float(self.true == 0)

    @property
    def recall(self) -> float:
        """Detected share of true events (1 when nothing was true)."""
        return self.matched / self.true if self.true else 1.0

    @property
    def f1(self) -> float:
        """Harmonic mean of precision and recall."""
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    @property
    def median_time_error_s(self) -> float | None:
        """Median absolute start/end error of matched pairs, seconds."""
        errors = sorted(self.time_errors_s)
        return errors[len(errors) // 2] if errors else None


def parse_ts(value: Any) -> dt.datetime:
    """An ISO 8601 string (``Z`` allowed) or datetime as an aware UTC datetime."""
    if isinstance(value, dt.datetime):
        return value.astimezone(dt.UTC)
    return dt.datetime.fromisoformat(str(value).replace("Z", "+00:00")).astimezone(dt.UTC)


def score(
    truth: Sequence[Event],
    detected: Sequence[Event],
    key: Callable[[Event], object],
    start: str = "start_ts",
    end: str = "end_ts",
    truth_start: str | None = None,
    truth_end: str | None = None,
    slack: dt.timedelta = dt.timedelta(0),
) -> Score:
    """Match ``detected`` to ``truth`` by ``key`` and overlapping time.

    Parameters
    ----------
    truth, detected : sequences of dict
        Events with start/end times (ISO strings or datetimes).
    key : callable
        Identity of an event (e.g. ``(mmsi, direction)``); equal keys may match.
    start, end : str
        Time fields of the detections; ``truth_start``/``truth_end`` of the truth (default
        the same names).
    slack : timedelta
        Intervals closer than this still count as overlapping (point-like events).
    """
    ts_, te_ = truth_start or start, truth_end or end
    remaining = sorted(detected, key=lambda e: parse_ts(e[start]))
    used = [False] * len(remaining)
    matched, errors, missed = 0, [], []
    for t in sorted(truth, key=lambda e: parse_ts(e[ts_])):
        t0, t1 = parse_ts(t[ts_]), parse_ts(t[te_] if t.get(te_) is not None else t[ts_])
        hit = None
        for i, d in enumerate(remaining):
            if used[i] or key(d) != key(t):
                continue
            d0, d1 = parse_ts(d[start]), parse_ts(d[end])
            if d0 <= t1 + slack and t0 <= d1 + slack:
                hit = i
                break
        if hit is None:
            missed.append(t)
            continue
        used[hit] = True
        matched += 1
        d = remaining[hit]
        errors.append(abs((parse_ts(d[start]) - t0).total_seconds()))
        errors.append(abs((parse_ts(d[end]) - t1).total_seconds()))
    spurious = [d for i, d in enumerate(remaining) if not used[i]]
    return Score(len(truth), len(detected), matched, errors, missed, spurious)
