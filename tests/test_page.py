"""The page's state without Streamlit: places, clicks, upload, link, language switch.

The session state is a plain ``dict`` here; the paper toy's stations stand at known
points (``station-01`` at local (100, 50) m, ``station-03`` at (900, 0) m).
"""

from __future__ import annotations

import hashlib
import os

import geopandas as gpd
import pytest
from paper_toy import lonlat
from shapely.geometry import Point

from putuo_geo import (
    datum,
    display,
    errors,
    i18n,
    layers,
    network,
    overview,
    page,
    permalink,
    uploads,
)


@pytest.fixture
def atlas(toy_dir):
    return layers.load_atlas(toy_dir)


# ---------------------------------------------------------------- places


def test_places_are_stations_in_route_order_then_sites(atlas):
    choices = page.place_choices(atlas, lang="en")
    keys = list(choices)
    stations = [k for k in keys if k.startswith("station:")]
    assert stations == ["station:station-01", "station:station-02", "station:station-03"]
    assert keys[: len(stations)] == stations
    assert {k.split(":", 1)[1] for k in keys[len(stations) :]} == set(atlas.sites["id"])
    assert choices["station:station-03"].lonlat == pytest.approx(lonlat(900, 0), abs=1e-9)


def test_place_labels_follow_the_language_but_keys_do_not(atlas):
    en = page.place_choices(atlas, lang="en")
    zh = page.place_choices(atlas, lang="zh")
    assert list(en) == list(zh)
    row = atlas.stations.set_index("id").loc["station-01"]
    assert row["name_en"] in en["station:station-01"].label
    assert row["name_zh"] in zh["station:station-01"].label


def test_session_places_list_uploads_then_points():
    frame = gpd.GeoDataFrame(
        {"id": ["u1"], "name_en": ["Mine"], "name_zh": [""]},
        geometry=[Point(121.40, 31.24)],
        crs="EPSG:4326",
    )
    points = {"to": {"lonlat": (121.41, 31.23), "origin": "click"}}
    choices = page.session_choices(lang="en", user_frame=frame, points=points)
    assert list(choices) == ["upload:u1", "point:to"]
    assert "Mine" in choices["upload:u1"].label
    assert choices["point:to"].lonlat == (121.41, 31.23)
    assert "31.23000" in choices["point:to"].label  # lat shown first, 5 decimals


def test_ends_default_to_first_and_last_station_and_fall_back_when_gone():
    keys = ["station:a", "station:b", "station:c", "site:x"]
    state: dict = {}
    page.settle_ends(state, keys)
    assert (state["measure_from"], state["measure_to"]) == ("station:a", "station:c")
    state["measure_to"] = "point:to"  # a point from a session that has gone
    page.settle_ends(state, keys)
    assert state["measure_to"] == "station:a"


# ---------------------------------------------------------------- clicks


def _click(lon: float, lat: float) -> dict:
    return {"last_clicked": {"lng": lon, "lat": lat}}


def test_a_click_in_nearest_mode_only_reports_the_point():
    state: dict = {"click_mode": "nearest", "points": {}}
    assert page.take_map_return(state, _click(121.4, 31.2)) == (121.4, 31.2)
    assert state["points"] == {}
    assert "measure_from" not in state


def test_clicks_in_from_to_mode_fill_from_then_to_then_from():
    state: dict = {"click_mode": "from_to", "points": {}}
    page.take_map_return(state, _click(121.40, 31.20))
    assert state["measure_from"] == "point:from"
    assert state["points"]["from"] == {"lonlat": (121.40, 31.20), "origin": "click"}
    page.take_map_return(state, _click(121.40, 31.20))  # a rerun: the same click again
    assert "measure_to" not in state
    page.take_map_return(state, _click(121.41, 31.21))
    assert state["measure_to"] == "point:to"
    page.take_map_return(state, _click(121.42, 31.22))
    assert state["points"]["from"]["lonlat"] == (121.42, 31.22)
    assert state["next_click"] == "to"


def test_clicks_and_view_on_gcj02_tiles_come_back_as_wgs84():
    wgs = (121.40, 31.24)
    gcj = datum.convert_point(wgs, src="wgs84", dst="gcj02")
    state: dict = {"shown_datum": "gcj02", "click_mode": "nearest"}
    returned = {**_click(*gcj), "center": {"lng": gcj[0], "lat": gcj[1]}, "zoom": 15}
    click = page.take_map_return(state, returned)
    assert click == pytest.approx(wgs, abs=1e-6)  # ~0.1 m
    assert state["view"][0] == pytest.approx(wgs, abs=1e-6)
    assert state["view"][1] == 15


def test_the_view_carries_over_when_language_or_basemap_changes():
    state: dict = {"view": ((121.4, 31.2), 15)}
    page.carry_view(state, lang="en", basemap_key="osm", draw_datum="wgs84")
    assert "view_apply" not in state  # the first map: nothing to carry
    page.carry_view(state, lang="zh", basemap_key="osm", draw_datum="wgs84")
    assert state["view_apply"] == ((121.4, 31.2), 15)


# ---------------------------------------------------------------- upload

CSV = b"name,lat,lon\nCafe,31.24,121.40\n"


def test_upload_key_is_name_content_digest_and_datum():
    key = page.upload_key(("a.csv", CSV), datum_name="wgs84")
    assert key == ("a.csv", hashlib.sha256(CSV).hexdigest(), "wgs84")
    assert page.upload_key(("a.csv", CSV + b" "), datum_name="wgs84") != key
    assert page.upload_key(("a.csv", CSV), datum_name="gcj02") != key


def test_an_upload_is_parsed_once_per_key(monkeypatch):
    calls = []
    real = uploads.read_upload

    def counting(data, **kwargs):
        calls.append(kwargs["datum_name"])
        return real(data, **kwargs)

    monkeypatch.setattr(uploads, "read_upload", counting)
    state: dict = {"upload_source": ("a.csv", CSV)}
    layer, problems = page.current_upload(state)
    assert problems == []
    assert layer is not None
    assert len(layer.frame) == 1
    page.current_upload(state)
    assert calls == ["wgs84"]
    state["upload_datum"] = "gcj02"
    page.current_upload(state)
    assert calls == ["wgs84", "gcj02"]


def test_a_bad_upload_gives_its_problems():
    state: dict = {"upload_source": ("bad.csv", b"name,lat,lon\nCafe,north,121.40\n")}
    layer, problems = page.current_upload(state)
    assert layer is None
    assert problems
    assert all(isinstance(p, str) for p in problems)
    assert isinstance(state["upload_result"], errors.DataValidationError)


def test_no_upload_no_layer():
    assert page.current_upload({}) == (None, [])


# ---------------------------------------------------------------- permalink


def test_a_link_is_restored_once_and_written_back_the_same(atlas):
    params = {
        "lang": "zh",
        "base": "none",
        "cat": "-",
        "from": "station:station-03",
        "to": "31.240000,121.400000",
        "c": "31.236000,121.410000",
        "z": "16",
    }
    state: dict = {"link": permalink.decode(params)}
    places = page.place_choices(atlas, lang="en")
    page.restore_link(state, basemaps=["osm", "none"], categories=["park"], place_keys=places)
    assert state["basemap_key"] == "none"
    assert state["categories"] == []
    assert state["measure_from"] == "station:station-03"
    assert state["measure_to"] == "point:to"
    assert state["points"]["to"] == {"lonlat": (121.4, 31.24), "origin": "point"}
    assert state["view_apply"] == ((121.41, 31.236), 16)
    state["basemap_key"] = "osm"  # the user changes it: a rerun must not restore again
    page.restore_link(state, basemaps=["osm", "none"], categories=["park"], place_keys=places)
    assert state["basemap_key"] == "osm"
    state["basemap_key"] = "none"
    state["lang"] = "zh"
    assert page.link_params(state, categories=["park"]) == params


def test_a_link_names_what_it_could_not_restore(atlas):
    state: dict = {"link": permalink.decode({"from": "station:gone", "base": "nope"})}
    restored = page.restore_link(
        state, basemaps=["osm"], categories=[], place_keys=page.place_choices(atlas, lang="en")
    )
    assert "measure_from" not in state
    assert "basemap_key" not in state
    assert len(restored.problems) == 2


def test_all_categories_are_left_out_of_the_url():
    state: dict = {
        "points": {},
        "lang": "en",
        "basemap_key": "osm",
        "categories": ["a", "b"],
        "query": "  ",
        "measure_from": "station:x",
        "measure_to": "site:y",
    }
    params = page.link_params(state, categories=["a", "b"])
    assert params == {"lang": "en", "base": "osm", "from": "station:x", "to": "site:y"}


# ---------------------------------------------------------------- language switch


def test_relabel_rewrites_every_labelled_value_it_holds():
    class Recording(dict):
        written: list[str]

        def __setitem__(self, key, value):
            self.written.append(key)
            super().__setitem__(key, value)

    state = Recording(basemap_key="amap", categories=["culture_heritage"], query="x")
    state.written = []
    page.relabel(state)
    assert state.written == ["categories", "basemap_key"]  # set by the script, not the browser
    assert state == {"basemap_key": "amap", "categories": ["culture_heritage"], "query": "x"}


# ---------------------------------------------------------------- what the page shows


def test_the_measurement_figures_are_the_library_numbers(atlas):
    routes = network.RouteNetwork.from_atlas(atlas)
    choices = page.place_choices(atlas, lang="en")
    ends = ("station:station-01", "station:station-03")
    m, error = page.measure(routes, choices, ends, lang="en")
    assert error == ""
    assert m is not None
    rows = dict(page.measurement_figures(m, lang="en"))
    assert rows["Along the route"] == display.format_length(m.along_route_m)
    assert len(rows) == 2 + len(display.SPEEDS_KMH)
    same, why = page.measure(routes, choices, (ends[0], ends[0]), lang="zh")
    assert same is None
    assert why == i18n.tr("measure.same_place", "zh")


def test_unlinked_bridges_become_a_warning():
    class Net:
        unlinked_bridges = ("b-1", "b_2*")

    text = page.unlinked_warning(Net(), lang="en")  # type: ignore[arg-type]
    assert text is not None
    assert "2" in text
    assert r"b\_2\*" in text  # ids from data are escaped Markdown
    Net.unlinked_bridges = ()
    assert page.unlinked_warning(Net(), lang="en") is None  # type: ignore[arg-type]


def test_each_tab_has_its_tables_and_csv(atlas):
    figs = overview.figures(atlas)
    names = [
        [t.file_name for t in page.tab_tables(i, atlas, sites=atlas.sites, figs=figs, lang="en")]
        for i in range(4)
    ]
    assert names == [
        ["putuo_sites_table.csv"],
        ["putuo_stations.csv"],
        ["putuo_bridges.csv"],
        ["putuo_parks.csv", "putuo_zones.csv"],
    ]
    (stations,) = page.tab_tables(1, atlas, sites=atlas.sites, figs=figs, lang="en")
    assert len(stations.frame) == len(atlas.stations)
    assert stations.csv.data()  # made on demand


def test_downloads_offer_the_path_only_with_a_measurement(atlas):
    offered = page.downloads(
        atlas, sites=atlas.sites, measurement=None, end_labels=("", ""), lang="en"
    )
    assert [d.file_name for d in offered] == [
        "putuo_sites.geojson",
        "putuo_sites.csv",
        "putuo_route.gpx",
    ]


def test_categories_follow_the_palette_then_the_rest():
    assert page.category_order({"z": 1, "b": 2, "a": 3}, palette=["a", "b", "c"]) == ["a", "b", "z"]


def test_data_signature_changes_when_a_layer_is_edited(tmp_path):
    assert page.data_signature(tmp_path / "absent") == ()
    (tmp_path / "sites.geojson").write_text("{}")
    first = page.data_signature(tmp_path)
    assert [name for name, _ in first] == ["sites.geojson"]
    (tmp_path / "sites.geojson").write_text('{"a": 1}')
    os.utime(tmp_path / "sites.geojson", ns=(0, first[0][1] + 1))
    assert page.data_signature(tmp_path) != first


def test_a_label_from_the_other_language_is_put_back_to_the_last_key():
    options = {"basemap_key": ["osm", "amap"], "categories": ["park", "temple"]}
    state: dict = {"basemap_key": "amap", "categories": ["temple"]}
    page.keep_choices(state, options)
    # a rerun that started while the browser still showed the Chinese labels
    state.update(basemap_key="高德地图（GCJ-02）", categories=["寺庙 (3)"])
    page.keep_choices(state, options)
    assert state == {
        "basemap_key": "amap",
        "categories": ["temple"],
        "kept_choices": {"basemap_key": "amap", "categories": ["temple"]},
    }
    state["categories"] = []  # choosing none is a choice
    page.keep_choices(state, options)
    assert state["categories"] == []


def test_a_kept_value_no_longer_offered_is_not_put_back():
    state: dict = {"measure_from": "upload:a"}
    page.keep_choices(state, {"measure_from": ["upload:a", "station:x"]})
    state["measure_from"] = "Uploaded: A"
    page.keep_choices(state, {"measure_from": ["station:x"]})  # the upload is gone
    assert state["measure_from"] == "Uploaded: A"  # settle_ends then picks a station


def test_every_labelled_widget_has_its_options():
    options = page.labelled_options(
        categories=["a"], place_keys=["station:x"], basemap_keys=["osm"]
    )
    assert set(options) == set(page.LABELLED_KEYS)


# ---------------------------------------------------------------- where am I (issue 13)


def _here_return(lon: float, lat: float) -> dict:
    from putuo_geo import mapcontrols

    return {
        "last_object_clicked": {"lat": lat, "lng": lon},
        "last_object_clicked_tooltip": mapcontrols.HERE_TAG,
    }


def test_a_located_position_is_kept_and_converted_from_the_drawn_datum():
    state: dict = {}
    assert page.take_position(state, None) is None
    assert page.take_position(state, _here_return(121.42, 31.24)) == (121.42, 31.24)
    # a later click on a station replaces the map's return value, not the position
    later = {"last_object_clicked": {"lat": 31.0, "lng": 121.0}, "last_object_clicked_tooltip": "x"}
    assert page.take_position(state, later) == (121.42, 31.24)
    # drawn on GCJ-02 tiles: the map reports GCJ-02, the page keeps WGS-84
    gcj = datum.convert_point((121.42, 31.24), src="wgs84", dst="gcj02")
    state = {"shown_datum": "gcj02"}
    lon, lat = page.take_position(state, _here_return(*gcj))
    assert lon == pytest.approx(121.42, abs=1e-6)
    assert lat == pytest.approx(31.24, abs=1e-6)


def test_measure_from_here_sets_from_and_stays_out_of_the_link_unless_asked():
    state: dict = {"here": (121.42, 31.24), "lang": "en", "basemap_key": "osm"}
    state["measure_to"] = "station:st-02"
    page.measure_from_here(state)
    assert state["measure_from"] == "point:from"
    assert state["points"]["from"] == {"lonlat": (121.42, 31.24), "origin": "here"}
    choices = page.session_choices(lang="zh", points=state["points"])
    assert choices["point:from"].label == "我的位置（31.24000, 121.42000）"
    params = page.link_params(state, categories=[])
    assert "from" not in params
    assert params["to"] == "station:st-02"
    state["share_here"] = True
    assert page.link_params(state, categories=[])["from"] == "31.240000,121.420000"


def test_measure_from_here_without_a_position_does_nothing():
    state: dict = {}
    page.measure_from_here(state)
    assert state == {}


def _ahead(kind: str, name_en: str, name_zh: str, along_m: float):
    from putuo_geo import whereami

    landmark = whereami.Landmark(kind, "id", name_en, name_zh, "left", (121.4, 31.2), 0.0)
    return whereami.Ahead(landmark, along_m)


def test_where_lines_name_the_next_station_and_bridge_each_way_with_distances():
    from putuo_geo import whereami

    w = whereami.WhereAmI(
        lonlat=(121.4, 31.2),
        on_route_lonlat=(121.4, 31.2),
        distance_m=12.4,
        chainage_m=2350.0,
        bank="left",
        route_id="r",
        upstream_station=_ahead("station", "St *2*", "二号站", 135.0),
        downstream_station=None,
        upstream_bridge=_ahead("bridge", "A Bridge", "甲桥", 1500.0),
        downstream_bridge=_ahead("bridge", "B Bridge", "乙桥", 40.0),
    )
    en = page.where_lines(w, lang="en")
    assert en[0] == (
        f"Nearest route point: {display.format_length(12.4)} away, at "
        f"{display.format_km(2350.0)} on the {i18n.value('bank', 'left', 'en')}."
    )
    assert en[1] == (
        f"**Upstream**: Next station: St \\*2\\*, {display.format_length(135.0)} along the"
        f" route; Next bridge: A Bridge, {display.format_length(1500.0)} along the route"
    )
    assert en[2].startswith("**Downstream**: No further station on this bank; Next bridge: B")
    zh = page.where_lines(w, lang="zh")
    assert "二号站" in zh[1]
    assert "St" not in zh[1]  # one name, in the page's language
    assert zh[2].startswith("**下游方向**: 本岸此方向没有驿站")


def test_figure_strip_is_one_line_of_the_headline_figures(atlas):
    figs = overview.figures(atlas)
    strip = page.figure_strip(figs, shown=3, lang="en")
    assert "\n" not in strip
    for name, value in page.headline(figs, shown=3, lang="en"):
        assert f"{name} **{value}**" in strip


def test_rows_markdown_lists_rows_escaped():
    import pandas as pd

    frame = pd.DataFrame({"No.": [1, 2], "Name": ["A *b*", None]})
    assert page.rows_markdown(frame) == "- 1 · A \\*b\\*\n- 2 · "


def test_a_language_switch_keeps_the_open_sections_open():
    state = {"lang": "zh", "tables_open": True, "export_open": False}
    page.relabel(state)
    assert state["tables_open"] is True
    assert state["export_open"] is False
