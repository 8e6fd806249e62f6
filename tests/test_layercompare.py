"""putuo_geo.layercompare: two builds of a layer compared by value (issue 20)."""

from __future__ import annotations

import json

from putuo_geo.layercompare import value_differences

#: Two features whose answers are checkable on paper: a point and a two-vertex line.
TOY = {
    "type": "FeatureCollection",
    "features": [
        {
            "type": "Feature",
            "properties": {"id": "st-1", "name_en": "Station 1", "length_m": 1234.5, "n": 3},
            "geometry": {"type": "Point", "coordinates": [121.421600, 31.238100]},
        },
        {
            "type": "Feature",
            "properties": {"id": "route-a", "name_en": "Path", "length_m": 95.7, "n": 2},
            "geometry": {
                "type": "LineString",
                "coordinates": [[121.400000, 31.200000], [121.401000, 31.200000]],
            },
        },
    ],
}


def _text(data: dict) -> str:
    return json.dumps(data, indent=2, ensure_ascii=False)


def _changed(path: tuple, value: object) -> str:
    data = json.loads(json.dumps(TOY))
    target = data
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value
    return _text(data)


def test_the_same_data_has_no_differences():
    assert value_differences(_text(TOY), _text(TOY), file_name="t.geojson") == []


def test_a_rounding_flip_in_the_last_digit_is_the_same_data():
    # A newer GEOS/PROJ rounding one coordinate the other way: 1e-6 deg (~0.1 m).
    flipped = _changed(("features", 1, "geometry", "coordinates", 1, 0), 121.401001)
    assert value_differences(_text(TOY), flipped, file_name="t.geojson") == []
    # A length rounded to 0.1 m from that geometry may flip by one step, too.
    longer = _changed(("features", 0, "properties", "length_m"), 1234.6)
    assert value_differences(_text(TOY), longer, file_name="t.geojson") == []


def test_a_vertex_moved_by_1e_5_degrees_is_a_difference():
    moved = _changed(("features", 1, "geometry", "coordinates", 1, 0), 121.40101)
    problems = value_differences(_text(TOY), moved, file_name="t.geojson")
    assert len(problems) == 1
    assert problems[0].startswith("t.geojson: features[1] (id route-a).geometry.coordinates[1][0]")
    assert "off by 1e-05 deg" in problems[0]


def test_a_changed_property_is_a_difference():
    renamed = _changed(("features", 0, "properties", "name_en"), "Station One")
    assert value_differences(_text(TOY), renamed, file_name="t.geojson") == [
        "t.geojson: features[0] (id st-1).properties.name_en is 'Station One', was 'Station 1'"
    ]
    # Two steps of the last decimal is a real change of a number, and integers are exact.
    assert value_differences(
        _text(TOY), _changed(("features", 0, "properties", "length_m"), 1234.7), file_name="t"
    )
    assert value_differences(
        _text(TOY), _changed(("features", 0, "properties", "n"), 4), file_name="t"
    )


def test_lost_added_and_reordered_features_and_keys_are_differences():
    data = json.loads(_text(TOY))
    lost = _text({**data, "features": data["features"][:1]})
    assert any(
        "has 1 items, was 2" in p for p in value_differences(_text(TOY), lost, file_name="t")
    )
    swapped = _text({**data, "features": data["features"][::-1]})
    assert value_differences(_text(TOY), swapped, file_name="t")[0] == (
        "t: features[0] (id st-1) is now features[0] (id route-a) (order or id changed)"
    )
    del data["features"][0]["properties"]["n"]
    problems = value_differences(_text(TOY), _text(data), file_name="t")
    assert problems == ["t: features[0] (id st-1).properties.n is missing"]


def test_a_lost_vertex_is_a_difference():
    shorter = _changed(("features", 1, "geometry", "coordinates"), [[121.4, 31.2]])
    problems = value_differences(_text(TOY), shorter, file_name="t")
    assert problems == ["t: features[1] (id route-a).geometry.coordinates has 1 items, was 2"]
