"""Objects handed over through a file come back equal, as writable aligned views, and the file goes."""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pytest

from mda import handoff


def sample() -> dict[str, object]:
    return {
        "ints": np.arange(1001, dtype=np.int64),
        "floats": np.linspace(0.0, 1.0, 333, dtype=np.float64),
        "bytes": np.frombuffer(b"odd length", dtype=np.uint8).copy(),
        "empty": np.zeros(0, dtype=np.int32),
        "matrix": np.arange(12, dtype=np.uint64).reshape(4, 3),
        "strided": np.arange(20, dtype=np.int16)[::3],  # not contiguous: pickled in line
        "text": pa.array(["a", None, "ccc"]),
        "scalar": 7,
    }


def test_an_object_comes_back_equal_and_its_file_is_deleted(tmp_path):
    path = tmp_path / "piece.pickle"
    handoff.dump(sample(), path)
    back = handoff.load(path)
    want = sample()
    assert not path.exists()
    assert back.keys() == want.keys()
    for name in ("ints", "floats", "bytes", "empty", "matrix", "strided"):
        assert back[name].dtype == want[name].dtype
        assert np.array_equal(back[name], want[name])
    assert back["text"].equals(want["text"])
    assert back["scalar"] == 7


def test_arrays_come_back_aligned_and_writable(tmp_path):
    path = tmp_path / "piece.pickle"
    handoff.dump(sample(), path)
    back = handoff.load(path)
    for name in ("ints", "floats", "bytes", "matrix"):
        assert back[name].flags.aligned
        assert back[name].flags.writeable
    back["ints"][0] = -5  # a view of the block read, not of the file
    assert back["ints"][0] == -5


def test_buffers_start_at_aligned_offsets_of_the_file(tmp_path):
    path = tmp_path / "piece.pickle"
    handoff.dump({"a": np.full(3, 0x1111, dtype=np.int16), "b": np.full(5, -1, dtype=np.int64)}, path)
    data = path.read_bytes()
    a, b = np.full(3, 0x1111, dtype=np.int16).tobytes(), np.full(5, -1, dtype=np.int64).tobytes()
    assert data.index(a) % handoff.ALIGN == 0
    assert data.index(b) % handoff.ALIGN == 0


@pytest.mark.parametrize("keep", [0, 10, 20, 300, -1])
def test_a_file_cut_short_is_a_one_line_error_naming_it(tmp_path, keep):
    path = tmp_path / "piece.pickle"
    handoff.dump(sample(), path)
    data = path.read_bytes()
    path.write_bytes(data[:keep])
    with pytest.raises(EOFError, match=r"piece\.pickle: .* bytes") as caught:
        handoff.load(path)
    assert "\n" not in str(caught.value)
