"""Resolving ids, names and lat,lon against the toy atlas."""

from __future__ import annotations

import pytest
import shapely
from paper_toy import lonlat, to_lonlat
from shapely.geometry import box

from putuo_geo import layers
from putuo_geo.errors import PlaceNotFoundError
from putuo_geo.places import Place, parse_latlon, place_index, resolve_place


@pytest.fixture
def atlas(toy_dir):
    return layers.load_atlas(toy_dir)


@pytest.mark.parametrize(
    ("text", "fid"),
    [
        ("station-01", "station-01"),
        ("STATION-01", "station-01"),  # ids are case-insensitive
        ("Global Harbor", "site-harbor"),
        ("global harbor", "site-harbor"),
        ("环球港", "site-harbor"),
        ("  Wuning Road Bridge ", "bridge-a"),
        ("mint", "site-mint"),  # unique substring
        ("造币", "site-mint"),
        ("changfeng", "park-a"),
        ("Station 3", "station-03"),  # exact beats the substring "Station"
    ],
)
def test_resolves_ids_and_names(atlas, text, fid):
    place = resolve_place(text, atlas)
    assert isinstance(place, Place)
    assert place.id == fid
    assert place.label == text.strip()


def test_station_point_and_names(atlas):
    place = resolve_place("station-01", atlas)
    assert place.layer == "stations"
    assert (place.name_en, place.name_zh) == ("Station 1", "驿站1")
    assert place.lonlat == pytest.approx(lonlat(100, 50), abs=1e-12)


def test_park_stands_inside_its_polygon(atlas):
    place = resolve_place("park-a", atlas)
    polygon = to_lonlat(box(100, 100, 200, 200))
    assert polygon.contains(shapely.Point(place.lonlat))


def test_line_bridge_stands_at_its_midpoint(atlas):
    place = resolve_place("bridge-a", atlas)
    assert place.lonlat == pytest.approx(lonlat(600, 25), abs=1e-9)


@pytest.mark.parametrize("text", ["31.2386,121.4216", "31.2386, 121.4216", " 31.2386 ,121.4216 "])
def test_latlon_text(atlas, text):
    place = resolve_place(text, atlas)
    assert place.lonlat == (121.4216, 31.2386)
    assert place.id is None
    assert place.layer is None


def test_latlon_out_of_range_hints_at_the_order():
    with pytest.raises(PlaceNotFoundError, match=r"latitude comes first"):
        parse_latlon("121.4216, 31.2386")
    with pytest.raises(PlaceNotFoundError, match="not a valid lat,lon"):
        parse_latlon("95, 200")
    assert parse_latlon("31.2386 121.4216") == (121.4216, 31.2386)
    assert parse_latlon("Station 1") is None


@pytest.mark.parametrize("text", ["0,0", "-33.5, 151", "39.909,116.397"])
def test_latlon_outside_shanghai_is_refused_like_typed_coordinates(text):
    # Measured in UTM 51N, 0,0 came out 18,211 km from Putuo (truly 12,963 km).
    with pytest.raises(PlaceNotFoundError, match="outside Shanghai"):
        parse_latlon(text)


@pytest.mark.parametrize("text", ["nan,nan", "inf,121.4", "1e999,121.4", "9" * 400 + ",1"])
def test_latlon_non_finite_is_not_a_point(text):
    assert parse_latlon(text) is None


def test_ambiguous_substring_lists_the_candidates(atlas):
    with pytest.raises(PlaceNotFoundError, match="matches 3 places") as info:
        resolve_place("station", atlas)
    for fid in ("station-01", "station-02", "station-03"):
        assert fid in str(info.value)


def test_ambiguous_exact_name(atlas, write_toy):
    def edit(c):
        for f in c["sites"]["features"]:
            f["properties"]["name_en"] = "Twin"

    twin = layers.load_atlas(write_toy(edit))
    with pytest.raises(PlaceNotFoundError, match=r"ambiguous.*site-mint.*site-harbor"):
        resolve_place("twin", twin)


def test_unknown_suggests_close_names(atlas):
    with pytest.raises(PlaceNotFoundError, match="Did you mean: site-mint") as info:
        resolve_place("Shanghai Mint Musem", atlas)
    assert "No station, site, bridge or park" in str(info.value)
    with pytest.raises(PlaceNotFoundError, match="Give an id, a name, or lat,lon"):
        resolve_place("zzzz", atlas)


def test_empty_text(atlas):
    with pytest.raises(PlaceNotFoundError, match="Empty place"):
        resolve_place("   ", atlas)


def test_layers_can_be_narrowed(atlas):
    with pytest.raises(PlaceNotFoundError):
        resolve_place("park-a", atlas, layers=("stations",))


def test_place_index(atlas):
    index = place_index(atlas)
    assert list(index.columns) == ["layer", "id", "name_en", "name_zh", "lon", "lat"]
    assert index["layer"].tolist() == ["stations"] * 3 + ["sites"] * 2 + ["bridges"] * 2 + ["parks"]
    assert index.set_index("id").loc["bridge-b", ["lon", "lat"]].tolist() == pytest.approx(
        list(lonlat(200, 25)), abs=1e-9
    )
