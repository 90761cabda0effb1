"""Half-open UTC time intervals ``[start, end)`` that every run covers."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass


@dataclass(frozen=True, order=True)
class Interval:
    """A half-open UTC interval ``[start, end)``.

    Parameters
    ----------
    start, end : datetime
        Timezone-aware instants; converted to UTC.  ``start < end``.
    """

    start: dt.datetime
    end: dt.datetime

    def __post_init__(self) -> None:
        if self.start.tzinfo is None or self.end.tzinfo is None:
            raise ValueError("interval bounds must be timezone-aware")
        object.__setattr__(self, "start", self.start.astimezone(dt.UTC))
        object.__setattr__(self, "end", self.end.astimezone(dt.UTC))
        if not self.start < self.end:
            raise ValueError(f"empty interval: {self.start.isoformat()} >= {self.end.isoformat()}")

    @classmethod
    def for_day(cls, day: dt.date) -> Interval:
        """Return the UTC day ``[day 00:00, day+1 00:00)``."""
        start = dt.datetime(day.year, day.month, day.day, tzinfo=dt.UTC)
        return cls(start, start + dt.timedelta(days=1))

    @classmethod
    def covering_days(cls, first: dt.datetime, last: dt.datetime) -> Interval:
        """Return the whole UTC days that contain both instants ``first <= last``."""
        start = cls.for_day(first.astimezone(dt.UTC).date()).start
        end = cls.for_day(last.astimezone(dt.UTC).date()).end
        return cls(start, end)

    def padded(self, before: dt.timedelta, after: dt.timedelta = dt.timedelta(0)) -> Interval:
        """Return the interval widened by ``before`` and ``after``."""
        return Interval(self.start - before, self.end + after)

    def contains(self, instant: dt.datetime) -> bool:
        """Whether ``start <= instant < end``."""
        return self.start <= instant < self.end

    def days(self) -> list[dt.date]:
        """UTC dates that the interval touches."""
        out = []
        day = self.start.date()
        while dt.datetime(day.year, day.month, day.day, tzinfo=dt.UTC) < self.end:
            out.append(day)
            day += dt.timedelta(days=1)
        return out
