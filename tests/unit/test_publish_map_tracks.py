import datetime as dt

import pyarrow as pa

from mda import schemas
from mda.publish.maps import _drawn_fixes

T0 = dt.datetime(2026, 11, 24, tzinfo=dt.UTC)


def fixes(rows):
    return pa.table(
        {
            "event_id": [r[0] for r in rows],
            "ts": pa.array([T0 + dt.timedelta(minutes=r[1]) for r in rows], schemas.TS),
            "lon": [r[2] for r in rows],
            "lat": [r[3] for r in rows],
        }
    )


def test_every_fix_of_a_smooth_track_is_drawn_in_time_order():
    rows = [("a", m, 120.0 + 0.003 * m, 24.0) for m in range(10)]
    drawn = _drawn_fixes(fixes(rows))
    assert drawn["a"][:, 0].tolist() == [120.0 + 0.003 * m for m in range(10)]


def test_an_unreachable_fix_is_skipped_and_the_next_is_compared_with_the_last_drawn():
    rows = [("a", 0, 120.0, 24.0), ("a", 1, 121.0, 23.0), ("a", 2, 120.006, 24.0), ("a", 3, 120.009, 24.0)]
    drawn = _drawn_fixes(fixes(rows))
    assert drawn["a"][:, 0].tolist() == [120.0, 120.006, 120.009]


def test_transits_interleaved_in_the_input_are_kept_apart():
    rows = [("b", 0, 119.0, 23.0), ("a", 0, 120.0, 24.0), ("b", 1, 119.003, 23.0), ("a", 1, 120.003, 24.0)]
    drawn = _drawn_fixes(fixes(rows))
    assert drawn["a"][:, 0].tolist() == [120.0, 120.003]
    assert drawn["b"][:, 0].tolist() == [119.0, 119.003]
