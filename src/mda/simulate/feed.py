"""Output records of the feed: encoded lines of a batch of ships, and the noise lines.

Position reports of a whole batch are encoded at once with the vectorised encoder
(:func:`mda.simulate.nmea.encode_position_payloads`) and written as fixed-width rows per
receiving station.  Noise added per time bucket, each counted in the truth's line accounting:

* empty payloads ``!AIVDM,1,1,,B,,0*25`` behind a normal tag block (:data:`EMPTY_SHARE`);
* non-AIS NMEA from the receivers themselves: ``$GPGGA`` fixes and Gatehouse ``$PGHP``
  timestamps, without tag blocks (:data:`NON_AIS_SHARE`).

Corrupted checksums and out-of-order lines are decided per copy in :mod:`mda.simulate.emit`.
"""

from __future__ import annotations

import numpy as np

from mda.simulate.emit import CORRUPT, Emission
from mda.simulate.nmea import (
    concat_reports,
    corrupt_payload_chars,
    empty_payload_line,
    encode_position_payloads,
    gpgga_line,
    pghp_line,
    single_sentence_lines,
)
from mda.simulate.plan import Day
from mda.simulate.receivers import STATIONS
from mda.simulate.spool import EMPTY_PAYLOAD, NO_TAG, NON_AIS, Records, concat_records

#: Expected share of empty-payload lines among the records of a bucket.
EMPTY_SHARE = 0.0006
#: Expected share of non-AIS lines among the records of a bucket.
NON_AIS_SHARE = 0.0004

_FEED_STREAM = 11
_NOISE_STREAM = 13


def records_of(emissions: list[Emission], day: Day, batch: int) -> Records:
    """Encode the received copies of a batch of ships into output records."""
    parts: list[Records] = []
    reports = concat_reports([e.reports for e in emissions])
    if len(reports):
        payload = encode_position_payloads(reports)
        channel = np.concatenate([e.channel for e in emissions])
        offsets = np.cumsum([0] + [len(e.reports) for e in emissions[:-1]])
        tx = np.concatenate([e.copy_tx + off for e, off in zip(emissions, offsets, strict=True)])
        station = np.concatenate([e.copy_station for e in emissions])
        rx_ms = np.concatenate([e.copy_rx_ms for e in emissions])
        kind = np.concatenate([e.copy_kind for e in emissions])
        delay = np.concatenate([e.copy_delay_ms for e in emissions])
        rng = day.rng(_FEED_STREAM, batch)
        for j, st in enumerate(STATIONS):
            sel = np.flatnonzero(station == j)
            if sel.size == 0:
                continue
            c = rx_ms[sel] // 1000
            rows = single_sentence_lines(st.code, c, channel[tx[sel]], payload[tx[sel]])
            bad = np.flatnonzero(kind[sel] == CORRUPT)
            if bad.size:
                sub = rows[bad]
                corrupt_payload_chars(sub, st.code, rng)
                rows[bad] = sub
            n = sel.size
            parts.append(
                Records(
                    key=rx_ms[sel] + delay[sel],
                    c=c,
                    kind=kind[sel],
                    lines=np.ones(n, dtype=np.int64),
                    length=np.full(n, rows.shape[1], dtype=np.int64),
                    blob=rows.reshape(-1),
                )
            )
    texts = [t for e in emissions for t in e.static_text]
    if texts:
        s_rx = np.concatenate([e.static_rx_ms for e in emissions])
        parts.append(
            Records(
                key=s_rx,
                c=s_rx // 1000,
                kind=np.concatenate([e.static_kind for e in emissions]),
                lines=np.concatenate([e.static_lines for e in emissions]),
                length=np.array([len(t) for t in texts], dtype=np.int64),
                blob=np.frombuffer(b"".join(texts), dtype=np.uint8).copy(),
            )
        )
    return concat_records(parts)


def noise_records(day: Day, bucket: int, n_records: int, start_ms: int, end_ms: int) -> Records:
    """Noise lines for one time bucket ``[start_ms, end_ms)`` holding ``n_records`` records."""
    rng = day.rng(_NOISE_STREAM, bucket)
    n_empty = int(rng.binomial(n_records, EMPTY_SHARE))
    n_other = int(rng.binomial(n_records, NON_AIS_SHARE))
    keys = np.sort(rng.integers(start_ms, end_ms, n_empty + n_other))
    is_empty = np.zeros(keys.size, dtype=bool)
    is_empty[rng.permutation(keys.size)[:n_empty]] = True
    texts: list[bytes] = []
    c = np.full(keys.size, NO_TAG, dtype=np.int64)
    for i, key in enumerate(keys.tolist()):
        st = STATIONS[int(rng.integers(len(STATIONS)))]
        if is_empty[i]:
            c[i] = key // 1000
            texts.append((empty_payload_line(st.code, key // 1000) + "\n").encode("ascii"))
        elif rng.random() < 0.6:
            texts.append((gpgga_line(rng, key / 1000.0, st.lon, st.lat) + "\n").encode("ascii"))
        else:
            mmsi = int(rng.integers(200_000_000, 775_999_999))
            texts.append((pghp_line(rng, key / 1000.0, mmsi) + "\n").encode("ascii"))
    n = keys.size
    return Records(
        key=keys.astype(np.int64),
        c=c,
        kind=np.where(is_empty, EMPTY_PAYLOAD, NON_AIS).astype(np.int64),
        lines=np.ones(n, dtype=np.int64),
        length=np.array([len(t) for t in texts], dtype=np.int64),
        blob=np.frombuffer(b"".join(texts), dtype=np.uint8).copy(),
    )
