"""Wall time (and optionally memory) spent in each stage of a run, for run records and benchmarks.

Stages are named by what they do: ``decode`` (read the inputs, decode, stage the rows),
``store`` (copy the staged interval into the store, write events and the run record,
publish the snapshot), ``tracks`` (read each MMSI bucket of the window, segment it),
``geofence`` (strait, approach-area and port-distance tests of every fix), ``events`` (the
detectors, the rules between vessels and vessel attributes) and ``publish`` (maps,
statistics, report).  A stage entered several times (once per bucket) adds up.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

#: Called with ``"start"`` when a stage begins and ``"end"`` when it ends; the value returned at
#: the end (e.g. the peak resident memory in MB since the start) is kept per stage, largest wins.
Probe = Callable[[str], float]


@dataclass
class StageTimes:
    """Seconds per stage, in the order stages were first entered.

    Attributes
    ----------
    seconds : dict of str to float
        Wall-clock seconds (monotonic clock) per stage, summed over its entries.
    probed : dict of str to float
        The largest value the probe returned at the end of each stage (empty without a probe).
    probe : callable, optional
        See :data:`Probe`.
    """

    seconds: dict[str, float] = field(default_factory=dict)
    probed: dict[str, float] = field(default_factory=dict)
    probe: Probe | None = None

    @contextmanager
    def stage(self, name: str) -> Iterator[None]:
        """Time the block as (part of) stage ``name``."""
        if self.probe is not None:
            self.probe("start")
        started = time.perf_counter()
        try:
            yield
        finally:
            self.seconds[name] = self.seconds.get(name, 0.0) + time.perf_counter() - started
            if self.probe is not None:
                value = self.probe("end")
                self.probed[name] = max(value, self.probed.get(name, value))

    @contextmanager
    def shared(self) -> Iterator[dict[str, float]]:
        """Time a block whose work is spread over stages and processes, charged in proportion.

        The block records, in the dictionary it is given, the seconds each stage took in it,
        wherever they ran (worker processes' seconds add up beyond the wall time); on exit the
        block's wall time is shared among those stages in proportion, so the stages still add
        up to the run's wall time.  The probe, if any, runs once around the whole block and
        its value is kept for every stage named.
        """
        if self.probe is not None:
            self.probe("start")
        spent: dict[str, float] = {}
        started = time.perf_counter()
        try:
            yield spent
        finally:
            wall = time.perf_counter() - started
            total = sum(spent.values())
            for name, value in spent.items():
                share = wall * value / total if total > 0 else wall / len(spent)
                self.seconds[name] = self.seconds.get(name, 0.0) + share
            if self.probe is not None:
                value = self.probe("end")
                for name in spent:
                    self.probed[name] = max(value, self.probed.get(name, value))
