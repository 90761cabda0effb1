import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from mda.params import load_params
from mda.tracks.segment import fix_order, segment_tracks

from builders import fix, positions

PARAMS = load_params().tracks


def tracks_of(rows):
    t = segment_tracks(positions(rows), PARAMS)
    return list(zip(t["mmsi"].to_pylist(), t["track_id"].to_pylist(), t["lon"].to_pylist(), strict=True))


def test_one_ship_is_one_track_sorted_by_time():
    rows = [fix(1, m, 120.0 + 0.002 * m, 24.0) for m in (3, 1, 2, 0)]
    out = tracks_of(rows)
    assert [t for _, t, _ in out] == [0, 0, 0, 0]
    assert [lon for _, _, lon in out] == sorted(lon for _, _, lon in out)


def test_two_ships_sharing_an_mmsi_become_two_tracks():
    rows = []
    for m in range(20):
        rows.append(fix(7, m, 120.0 + 0.003 * m, 24.0))  # ~10 kn eastward
        rows.append(fix(7, m + 0.5, 121.0 - 0.003 * m, 23.0))  # 130 km away
    out = tracks_of(rows)
    by_track = {}
    for _, track, lon in out:
        by_track.setdefault(track, []).append(lon)
    assert len(by_track) == 2
    assert all(lon < 120.5 for lon in by_track[0])
    assert all(lon > 120.5 for lon in by_track[1])


def test_forty_ships_sharing_an_mmsi_each_keep_their_own_track():
    # more ships than the one-by-one comparison handles: the later fixes are compared in NumPy
    ships = 40
    rows = []
    for m in range(6):
        for k in range(ships):
            rows.append(fix(9, m + k / 100, 118.0 + 0.1 * k + 0.003 * m, 22.0 + 0.1 * k))
    out = segment_tracks(positions(rows), PARAMS)
    ship_of_row = np.round((out["lat"].to_numpy() - 22.0) / 0.1).astype(int)
    track = out["track_id"].to_numpy()
    assert len(set(track.tolist())) == ships
    assert all(len(set(ship_of_row[track == t].tolist())) == 1 for t in range(ships))
    assert sorted(track[ship_of_row == 0].tolist()) == [0] * 6  # the first ship opened track 0


def test_repeated_fix_is_dropped():
    rows = [fix(1, 0, 120.0, 24.0), fix(1, 0, 120.0, 24.0), fix(1, 1, 120.001, 24.0)]
    assert len(tracks_of(rows)) == 2


def test_silence_longer_than_three_days_starts_a_new_track():
    rows = [fix(1, 0, 120.0, 24.0), fix(1, 60 * 24 * 3 + 1, 120.0, 24.0)]
    assert [t for _, t, _ in tracks_of(rows)] == [0, 1]


def test_gps_jitter_while_anchored_does_not_split():
    rows = [fix(1, s / 60, 120.0 + (0.003 if s % 2 else 0.0), 24.0, speed=0.1) for s in range(10)]
    assert {t for _, t, _ in tracks_of(rows)} == {0}


def test_presorted_and_shuffled_input_give_the_same_tracks():
    rows = [fix(7, m, 120.0 + 0.003 * m, 24.0) for m in range(20)]
    rows += [fix(7, m + 0.5, 121.0 - 0.003 * m, 23.0) for m in range(20)]
    rows += [fix(3, m, 119.5, 23.5 + 0.001 * m) for m in range(5)]
    table = positions(rows)
    presorted = table.sort_by([("mmsi", "ascending"), ("ts", "ascending"), ("lon", "ascending")])
    shuffled = table.take(list(reversed(range(table.num_rows))))
    assert segment_tracks(presorted, PARAMS).equals(segment_tracks(shuffled, PARAMS))


small_ints = st.integers(min_value=0, max_value=3)


@given(
    st.lists(
        st.tuples(small_ints, small_ints, st.one_of(small_ints, st.just(-1)), small_ints),
        min_size=1,
        max_size=200,
    )
)
def test_fix_order_is_the_four_key_lexsort_including_ties_and_missing_places(rows):
    mmsi, ts, lon, lat = (np.array(column, dtype=np.int64) for column in zip(*rows, strict=True))
    lon_f = np.where(lon < 0, np.nan, lon).astype(np.float64)
    lat_f = lat.astype(np.float64)
    expected = np.lexsort((lat_f, lon_f, ts, mmsi))
    assert fix_order(mmsi, ts, lon_f, lat_f).tolist() == expected.tolist()
