import datetime as dt

import pytest

from mda import schemas
from mda.store.stage import Stage, StageError

from builders import T0, fix, positions


def test_staged_rows_read_back_in_order_and_are_counted(tmp_path):
    stage = Stage(tmp_path)
    first = positions([fix(1, m, 120.0 + 0.001 * m, 24.0) for m in range(5)])
    second = positions([fix(2, m, 121.0, 23.0) for m in range(3)])
    stage.append("positions", first)
    stage.append("positions", second)
    stage.append("rejects", schemas.REJECTS.empty_table())
    stage.seal()
    back = stage.read("positions")
    assert back["mmsi"].to_pylist() == [1] * 5 + [2] * 3
    assert back["lon"].to_pylist() == first["lon"].to_pylist() + second["lon"].to_pylist()
    assert stage.rows == {"positions": 8, "vessel_static": 0, "rejects": 0}
    stage.remove()


def test_days_lists_each_utc_day_holding_a_position_once(tmp_path):
    stage = Stage(tmp_path)
    rows = [fix(1, 0, 120.0, 24.0), fix(1, 60 * 24 * 2 + 5, 120.0, 24.0), fix(2, 30, 120.0, 24.0)]
    stage.append("positions", positions(rows))
    day0 = (T0 - dt.datetime(1970, 1, 1, tzinfo=dt.UTC)).days
    assert stage.days() == [day0, day0 + 2]
    stage.remove()


def test_removing_the_stage_deletes_its_folder(tmp_path):
    stage = Stage(tmp_path)
    stage.append("positions", positions([fix(1, 0, 120.0, 24.0)]))
    folder = stage.files["positions"].parent
    assert folder.is_dir()
    stage.remove()
    assert not folder.exists()
    assert list(tmp_path.iterdir()) == []


def test_a_sealed_stage_refuses_more_rows(tmp_path):
    stage = Stage(tmp_path)
    stage.seal()
    with pytest.raises(StageError, match="sealed"):
        stage.append("positions", positions([fix(1, 0, 120.0, 24.0)]))
    stage.remove()


def test_a_missing_folder_is_created(tmp_path):
    stage = Stage(tmp_path / "new" / "folder")
    assert stage.files["positions"].parent.parent == tmp_path / "new" / "folder"
    stage.remove()


def test_a_folder_that_cannot_be_made_is_a_one_line_error(tmp_path):
    (tmp_path / "file").write_text("not a folder")
    with pytest.raises(StageError, match="cannot create a staging folder"):
        Stage(tmp_path / "file" / "folder")
