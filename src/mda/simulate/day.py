"""Simulate one day of AIS traffic in the Taiwan Strait: raw NMEA plus its ground truth.

Steps: plan the ships (:mod:`mda.simulate.scenarios` and :mod:`mda.simulate.traffic`), let
each ship transmit and the shore stations receive (:mod:`mda.simulate.emit`), encode batches
of ships into lines (:mod:`mda.simulate.feed`), spool them by receive time
(:mod:`mda.simulate.spool`) and write the ground truth (:mod:`mda.simulate.truth`).

Everything is a function of (date, seed, scale): the same arguments give byte-identical files.
Memory stays bounded at large scales: ships are processed in batches and lines are spooled to
time buckets on disk before the final sorted write.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import tempfile
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from mda.simulate.emit import emit
from mda.simulate.feed import noise_records, records_of
from mda.simulate.fleet import Registry
from mda.simulate.nmea import static_payloads
from mda.simulate.plan import Day, ShipPlan
from mda.simulate.scenarios import scenarios
from mda.simulate.spool import Records, Spool
from mda.simulate.traffic import background
from mda.simulate.truth import ShipSummary, build_truth

#: Ships encoded together.
BATCH_SHIPS = 48


@dataclass(frozen=True)
class SimulationResult:
    """Files and counts of a simulated day.

    Attributes
    ----------
    nmea_path : Path
        Raw NMEA file ``ais-YYYY-MM-DD.nmea``.
    truth_path : Path
        Ground truth ``truth-YYYY-MM-DD.json``.
    lines : int
        Lines in the NMEA file.
    messages : int
        Distinct AIS messages in the file (a two-sentence type 5 counts once).
    vessels : int
        Ships with at least one message in the file (two ships sharing an MMSI count twice).
    transits : int
        Complete transits inside the day in the ground truth.
    """

    nmea_path: Path
    truth_path: Path
    lines: int
    messages: int
    vessels: int
    transits: int


def plan_day(day: Day) -> list[ShipPlan]:
    """Every ship of the day: the scenario ships first, then the background traffic."""
    reg = Registry()
    return scenarios(day, reg) + background(day, reg)


def simulate_day(
    date: dt.date,
    seed: int,
    out_dir: Path,
    scale: float = 1.0,
    progress: Callable[[str], None] | None = None,
) -> SimulationResult:
    """Simulate the UTC day ``[date 00:00, date+1 00:00)`` and write its NMEA and truth files.

    Parameters
    ----------
    date : datetime.date
        The UTC day.
    seed : int
        Run seed; with ``date`` and ``scale`` it fixes every byte of the output.
    out_dir : Path
        Folder for ``ais-YYYY-MM-DD.nmea`` and ``truth-YYYY-MM-DD.json`` (created if needed).
    scale : float, default 1.0
        Multiplier of the background traffic (scenario ships are always present).  Scale 1 is
        about 0.5 million lines; a 20-million-message day needs a scale of about 55.
    progress : callable, optional
        Receives short progress messages.

    Returns
    -------
    SimulationResult
    """
    if not math.isfinite(scale) or scale < 0:
        raise ValueError("scale must be a non-negative number")
    say = progress or (lambda _msg: None)
    day = Day(date, int(seed), float(scale))
    plans = plan_day(day)
    say(f"planned {len(plans):,} ships")
    out_dir.mkdir(parents=True, exist_ok=True)
    nmea_path = out_dir / f"ais-{date.isoformat()}.nmea"
    truth_path = out_dir / f"truth-{date.isoformat()}.json"
    per_mmsi = Counter(p.identity.mmsi for p in plans)
    summaries: list[ShipSummary] = []
    heard: list[ShipPlan] = []
    messages: Counter[int] = Counter()
    with tempfile.TemporaryDirectory(dir=out_dir, prefix=".simulate-") as tmp:
        buckets = 24 * max(1, math.ceil(scale / 8))
        spool = Spool(Path(tmp), int(day.start) * 1000, int(day.end) * 1000, buckets)
        for b, first in enumerate(range(0, len(plans), BATCH_SHIPS)):
            batch = plans[first : first + BATCH_SHIPS]
            emissions = [emit(plan, day, static_payloads(plan.identity)) for plan in batch]
            records: Records = records_of(emissions, day, b)
            spool.add(records)
            for e in emissions:
                shared = per_mmsi[e.plan.identity.mmsi] > 1
                if e.messages:
                    heard.append(e.plan)
                    summaries.append(ShipSummary(e.gaps(), e.fix_c if shared else None))
                messages.update(e.messages)
            if (b + 1) % 20 == 0:
                say(f"transmitted {first + len(batch):,}/{len(plans):,} ships")
        part = Path(tmp) / nmea_path.name
        with part.open("wb") as fh:
            stats = spool.drain(fh, lambda i, n, lo, hi: noise_records(day, i, n, lo, hi), say)
        part.replace(nmea_path)
    # the truth describes the ships that appear in the file
    truth = build_truth(day, heard, summaries, stats.as_dict(), dict(messages), nmea_path.name)
    part_truth = truth_path.with_name(truth_path.name + ".part")
    part_truth.write_text(json.dumps(truth, indent=1) + "\n", encoding="utf-8")
    part_truth.replace(truth_path)
    say(f"wrote {stats.total:,} lines, {len(truth['transits'])} transits")
    return SimulationResult(
        nmea_path=nmea_path,
        truth_path=truth_path,
        lines=stats.total,
        messages=sum(messages.values()),
        vessels=len(heard),
        transits=len(truth["transits"]),
    )
