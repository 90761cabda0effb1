import numpy as np
import pytest
from shapely.geometry import Point

from mda.geo.fences import load_gates, load_land, load_port_points, load_strait_area, load_zones
from mda.geo.ops import inside


def test_every_gate_end_lies_on_land():
    land = load_land()
    for gate in load_gates():
        assert land.contains(Point(gate.coords[0]))
        assert land.contains(Point(gate.coords[-1]))


@pytest.mark.parametrize(
    ("lon", "lat", "expected"),
    [
        (120.0, 24.0, True),  # mid-strait
        (120.35, 22.2, True),  # just inside the south gate, off Kaohsiung
        (120.5, 25.2, True),  # just inside the north gate
        (119.0, 22.6, False),  # South China Sea, beyond the south gate
        (121.0, 25.8, False),  # East China Sea, beyond the north gate
        (120.7, 23.5, False),  # on Taiwan
    ],
)
def test_strait_area_spans_the_water_between_the_gates(lon, lat, expected):
    area = load_strait_area()
    assert bool(inside(area, np.array([lon]), np.array([lat]))[0]) is expected


def test_port_points_lie_in_water():
    land = load_land()
    ports = load_port_points()
    assert not any(land.contains(Point(x, y)) for x, y in zip(ports.lon, ports.lat, strict=True))


def test_exercise_areas_carry_validity_and_restricted_waters_are_marked_approximate():
    zones = {z.zone_id: z for z in load_zones()}
    assert zones["tw_12nm"].approximate
    assert zones["kinmen_prohibited"].approximate
    exercises = [z for z in zones.values() if z.kind == "exercise_area"]
    assert len(exercises) == 11
    assert all(
        z.valid_from is not None and z.valid_to is not None and z.valid_from < z.valid_to for z in exercises
    )


def test_fences_validate_passes_on_the_shipped_geodata():
    from mda.geo.catalogue import validate_fences

    assert validate_fences() == []


def test_a_changed_fence_file_fails_validation(tmp_path, monkeypatch):
    import shutil

    from mda.geo import fences
    from mda.geo.catalogue import validate_fences

    root = tmp_path / "geodata"
    shutil.copytree(fences.geodata_root(), root)
    gates = root / "strait" / "v1" / "gates.geojson"
    gates.write_text(gates.read_text().replace("121.56", "121.57"))
    monkeypatch.setenv("MDA_GEODATA", str(root))
    for loader in (fences.load_gates, fences.load_land):
        loader.cache_clear()
    try:
        problems = validate_fences()
    finally:
        for loader in (fences.load_gates, fences.load_land):
            loader.cache_clear()
    assert any("checksum differs" in p for p in problems)


def test_user_zone_files_load_with_a_content_versioned_fence(tmp_path):
    from mda.geo.fences import load_user_zones

    (tmp_path / "watch.geojson").write_text(
        '{"type": "FeatureCollection", "features": [{"type": "Feature", "properties": {"zone_id": "w1",'
        ' "name": "Watch box", "valid_from": "2026-11-24T00:00:00+00:00"}, "geometry": {"type": "Polygon",'
        ' "coordinates": [[[119.5, 24.0], [119.8, 24.0], [119.8, 24.3], [119.5, 24.3], [119.5, 24.0]]]}}]}'
    )
    (zone,) = load_user_zones(tmp_path)
    assert zone.zone_id == "w1"
    assert zone.kind == "watch_area"
    assert zone.fence_version.startswith("user/watch.geojson@")
    assert zone.valid_from is not None


def test_user_zone_file_without_zone_id_fails_validation(tmp_path):
    from mda.geo.catalogue import validate_fences

    (tmp_path / "bad.geojson").write_text(
        '{"type": "FeatureCollection", "features": [{"type": "Feature",'
        ' "properties": {}, "geometry": {"type": "Point", "coordinates": [1, 2]}}]}'
    )
    problems = validate_fences(tmp_path)
    assert any("zone_id" in p for p in problems)
