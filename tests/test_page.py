"""The page's state without Streamlit: places, clicks, upload, link, language switch.

The session state is a plain ``dict`` here; the paper toy's stations stand at known
points (``station-01`` at local (100, 50) m, ``station-03`` at (900, 0) m).
"""

from __future__ import annotations

import dataclasses
import hashlib
import os
import re

import geopandas as gpd
import pytest
from paper_toy import lonlat
from shapely.geometry import Point

from putuo_geo import (
    datum,
    display,
    errors,
    exports,
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


def _unescaped(markdown: str) -> str:
    """The text escaped Markdown shows."""
    return re.sub(r"\\(.)", r"\1", markdown)


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
    # a station says where it is: its number, its km and the named feature it is by
    near = overview.station_nearby(atlas).loc["station-01"]
    assert near["distance_m"] <= page.BY_M
    row = atlas.stations.set_index("id").loc["station-01"]
    km = f"km {row['chainage_m'] / 1000:.1f}"
    assert en["station:station-01"].label == f"No. 1 · {km} · by {near['name_en']}"
    assert zh["station:station-01"].label == f"1 号驿站 · {km} · 近{near['name_zh']}"


def test_a_station_is_by_a_bridge_before_a_nearer_park_or_site(atlas):
    nearby = overview.station_nearby(atlas)
    assert list(nearby.index) == list(atlas.stations["id"])
    bridges = set(atlas.bridges["name_en"])
    close = nearby[nearby["distance_m"] <= overview.NEARBY_M]
    # every station with a bridge within 600 m names a bridge
    assert set(close["name_en"]) <= bridges | set(atlas.parks["name_en"]) | set(
        atlas.sites["name_en"]
    )
    assert (nearby["distance_m"] >= 0).all()


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


def test_ends_default_to_none_and_fall_back_to_none_when_gone():
    # Issue 24: nothing is measured (or drawn) until the user asks.
    keys = ["station:a", "station:b", "station:c", "site:x"]
    state: dict = {}
    page.settle_ends(state, keys)
    assert (state["measure_from"], state["measure_to"]) == (None, None)
    page.set_end(state, "from", "station:b")
    page.set_end(state, "to", "point:to")  # a point from a session that has gone
    page.settle_ends(state, keys)
    assert (state["measure_from"], state["measure_to"]) == ("station:b", None)


def test_the_kept_ends_win_over_a_select_that_lost_its_value():
    # A tap adds its point to the selects' options (a new widget to Streamlit); a run
    # that starts before the browser has it hands back the old select's value.
    keys = ["station:a", "point:from"]
    state: dict = {}
    page.set_end(state, "from", "point:from")
    state["measure_from"] = "station:a"  # what the stale widget brought back
    page.settle_ends(state, keys)
    assert state["measure_from"] == "point:from"
    state["measure_from"] = "station:a"  # ... but a pick in the select itself counts
    page.end_chosen(state, "from")
    page.settle_ends(state, keys)
    assert state["measure_from"] == "station:a"


# ---------------------------------------------------------------- clicks


def _click(lon: float, lat: float) -> dict:
    return {"last_clicked": {"lng": lon, "lat": lat}}


def test_a_click_in_nearest_mode_only_reports_the_point():
    state: dict = {"click_mode": "nearest", "points": {}}
    assert page.take_map_return(state, _click(121.4, 31.2)) == (121.4, 31.2)
    assert state["points"] == {}
    assert "measure_from" not in state


def test_while_measuring_a_plain_click_sets_nothing_and_shows_no_nearest_point():
    # The map sends taps as messages while measuring (test_measuring.py); a click that
    # still arrives as a plain click (an old value) neither measures nor marks a point.
    state: dict = {"click_mode": "from_to", "points": {}}
    assert page.take_map_return(state, _click(121.40, 31.20)) is None
    assert state["points"] == {}
    assert "measure_from" not in state


@pytest.mark.parametrize("mode", page.CLICK_MODES)
def test_a_click_outside_shanghai_is_refused_like_typed_coordinates(mode):
    state: dict = {"click_mode": mode, "points": {}}
    assert page.take_map_return(state, _click(0.0, 0.0)) is None
    assert state["points"] == {}
    assert "measure_from" not in state
    assert state["click_problem"].key == "coords.problem.outside_shanghai"
    notes = page.notices(state, lang="zh")
    assert notes == [page.Notice("warning", i18n.tr("coords.problem.outside_shanghai", "zh"))]
    page.take_map_return(state, _click(121.40, 31.24))  # the next click inside: accepted
    assert state["click_problem"] is None


class _NoWarnings:
    unlinked_bridges = ()


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


def test_a_kept_upload_is_named_only_while_the_uploader_shows_none():
    state: dict = {"upload_source": ("a.csv", CSV), "upload_file": object()}
    assert page.kept_upload_name(state) is None  # the uploader shows it itself
    del state["upload_file"]  # the box was closed: its uploader is gone
    assert page.kept_upload_name(state) == "a.csv"
    page.drop_upload(state)
    assert page.kept_upload_name(state) is None
    assert page.current_upload(state) == (None, [])
    assert page.kept_upload_name({}) is None


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
    places |= page.session_choices(lang="en", points=state["points"])
    assert page.link_params(state, categories=["park"], places=places) == params


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
    places = {k: page.Choice(k, (121.4, 31.2)) for k in ("station:x", "site:y")}
    params = page.link_params(state, categories=["a", "b"], places=places)
    assert params == {"lang": "en", "base": "osm", "from": "station:x", "to": "site:y"}


def test_an_uploaded_end_is_written_as_lat_lon_and_restored_in_a_new_session(atlas):
    frame = gpd.GeoDataFrame(
        {"id": ["u1"], "name_en": ["Mine"], "name_zh": [""]},
        geometry=[Point(121.401234, 31.241234)],
        crs="EPSG:4326",
    )
    places = page.place_choices(atlas, lang="en") | page.session_choices(
        lang="en", user_frame=frame
    )
    state: dict = {
        "lang": "en",
        "basemap_key": "osm",
        "measure_from": "upload:u1",
        "measure_to": "station:station-01",
    }
    params = page.link_params(state, categories=[], places=places)
    assert params["from"] == "31.241234,121.401234"  # lat,lon: any session can read it
    assert params["to"] == "station:station-01"  # stations and sites stay keys
    fresh: dict = {"link": permalink.decode(params)}  # a new session: no upload there
    restored = page.restore_link(
        fresh, basemaps=["osm"], categories=[], place_keys=page.place_choices(atlas, lang="en")
    )
    assert restored.problems == ()
    assert fresh["measure_from"] == "point:from"
    assert fresh["points"]["from"]["lonlat"] == (121.401234, 31.241234)


def test_no_end_chosen_leaves_from_and_to_out_of_the_link():
    state = {"lang": "en", "basemap_key": "osm", "measure_from": None, "measure_to": None}
    assert page.link_params(state, categories=[], places={}) == {"lang": "en", "base": "osm"}


def test_the_share_box_shows_the_address_bar_and_escapes_the_servers_link():
    # Issue 24 §5: the map's view lives in the address bar (the server never hears of a
    # pan), so the box reads it there; the server's link is the fallback, escaped.
    html = page.share_html('http://x/?q="><script>alert(1)</script>', lang="zh")
    assert "<script>alert(1)" not in html
    assert "&quot;&gt;&lt;script&gt;" in html
    assert "window.parent.location" in html
    assert i18n.tr("share.copy", "zh") in html
    assert html.count("<script>") == 1  # only the box's own


def test_the_planner_round_trips_through_the_link(atlas):
    state: dict = {
        "lang": "en",
        "basemap_key": "osm",
        page.PLANNER_KEY: True,
        page.PLANNER_SPEED_KEY: 4.0,
        page.PLANNER_MINUTES_KEY: 20,
        page.PLANNER_REACH_KEY: "st-05",
        page.PLANNER_CANDIDATES_KEY: [
            {"lonlat": (121.41, 31.24), "name_en": "", "name_zh": "", "row": None}
        ],
    }
    params = page.link_params(state, categories=[], places={})
    assert {k: params[k] for k in ("plan", "speed", "min", "reach", "cand")} == {
        "plan": "1",
        "speed": "4",
        "min": "20",
        "reach": "st-05",
        "cand": "31.240000,121.410000",
    }
    fresh: dict = {"link": permalink.decode(params)}
    restored = page.restore_link(
        fresh,
        basemaps=["osm"],
        categories=[],
        place_keys=[],
        speeds_kmh=[5.0, 4.0],
        minutes=[5, 10, 15, 20],
        station_ids=["st-05"],
    )
    assert restored.problems == ()
    assert fresh[page.PLANNER_KEY] is True
    assert fresh["click_mode"] == page.CANDIDATE_MODE  # as switching it on does
    assert fresh[page.PLANNER_CANDIDATES_KEY] == state[page.PLANNER_CANDIDATES_KEY]
    fresh |= {"lang": "en", "basemap_key": "osm"}  # the page's widgets hold these
    assert page.link_params(fresh, categories=[], places={}) == params


def test_a_link_notice_lists_what_was_dropped_in_the_pages_language(atlas):
    link = permalink.decode({"z": "inf", "from": "0,0", "base": "nope"})
    state: dict = {"link": link}
    places = page.place_choices(atlas, lang="en")
    page.restore_link(state, basemaps=["osm"], categories=[], place_keys=places)
    (note,) = page.notices(state, lang="en")
    kind, text = note.kind, note.text
    assert kind == "info"
    assert note.folded is None  # shown open: it explains what the visitor sees
    assert text.startswith(i18n.tr("link.notice", "en"))
    assert text.count("\n- ") == 3  # zoom, a point outside Shanghai, the basemap
    assert all(f"{name}=" in _unescaped(text) for name in ("z", "from", "base"))
    (note,) = page.notices(state, lang="zh")
    zh = note.text
    assert zh.startswith(i18n.tr("link.notice", "zh"))
    assert zh.count("\n- ") == 3
    assert i18n.tr("link.notice", "en") not in zh


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


def test_unlinked_bridges_are_noted_about_the_data_not_above_the_map(atlas):
    class Net:
        unlinked_bridges = ("b-1", "b_2*")

    assert page.notices({}, lang="en") == []  # not for every visitor (issue 24)
    text = page.data_notes(atlas, routes=Net(), lang="en")  # type: ignore[arg-type]
    assert text is not None
    assert text.startswith(i18n.tr("warning.header", "en", count=2))
    assert text.count("- ") == 2
    assert r"b\_2\*" in text  # ids from data are escaped Markdown
    zh = page.data_notes(atlas, routes=Net(), lang="zh")  # type: ignore[arg-type]
    assert zh is not None
    assert "- " + i18n.tr("warning.unlinked_bridge", "zh", id="b-1") in _unescaped(zh)
    Net.unlinked_bridges = ()
    assert page.data_notes(atlas, routes=Net(), lang="en") is None  # type: ignore[arg-type]


def test_error_panels_translate_cap_and_hide_the_server_path(tmp_path):
    folder = tmp_path / "secret" / "atlas-2026"
    bad = [errors.Problem("upload.problem.no_name", where=f"a.csv: row {i}") for i in range(40)]
    text = page.error_panel(errors.DataValidationError(bad), folder, lang="zh")
    assert text.count("\n- ") == 31  # 30 problems, then how many more
    assert "10" in text.splitlines()[-1]
    assert str(tmp_path) not in text
    assert "atlas-2026" in text
    assert i18n.tr("upload.problem.no_name", "zh", where="a.csv: row 0") in _unescaped(text)
    oops = page.error_panel(OSError(f"cannot read {folder}/sites.geojson"), folder, lang="en")
    assert str(tmp_path) not in oops
    assert "atlas-2026/sites.geojson" in _unescaped(oops)
    assert str(tmp_path) not in page.table_note(folder, lang="en")


def test_five_thousand_bad_upload_rows_give_31_bullets():
    rows = "".join(f"Cafe{i},north,121.40\n" for i in range(5000))
    state: dict = {"upload_source": ("bad.csv", ("name,lat,lon\n" + rows).encode())}
    _, problems = page.current_upload(state)
    assert len(problems) >= 5000
    text = page.problems_markdown("header", problems, lang="en")
    assert text.count("\n- ") == 31
    assert f"{len(problems) - 30:,}" in _unescaped(text.splitlines()[-1])


def test_route_errors_reach_the_page_in_its_language(atlas):
    class Net:
        def measure(self, a, b):
            raise errors.RouteError(
                errors.Problem("route.problem.not_connected", start="A", end="B", a="r1", b="r2")
            )

    choices = {"x": page.Choice("X", (121.4, 31.2)), "y": page.Choice("Y", (121.41, 31.2))}
    _, why = page.measure(Net(), choices, ("x", "y"), lang="zh")  # type: ignore[arg-type]
    detail = i18n.tr("route.problem.not_connected", "zh", start="A", end="B", a="r1", b="r2")
    assert why == i18n.tr("measure.failed", "zh", detail=detail)


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


def _text(data: str | bytes) -> str:
    return data.decode("utf-8-sig") if isinstance(data, bytes) else data


def test_the_sites_exports_and_table_carry_uploaded_sites(atlas):
    frame = uploads.read_upload(CSV, file_name="mine.csv", datum_name="wgs84").frame
    listed = exports.merge_sites(atlas.sites, frame)
    offered = {
        d.file_name: _text(d.data())
        for d in page.downloads(
            atlas, sites=listed, measurement=None, end_labels=("", ""), lang="en"
        )
    }
    assert "Cafe" in offered["putuo_sites.csv"]
    assert "uploaded" in offered["putuo_sites.csv"]
    assert '"Cafe"' in offered["putuo_sites.geojson"]
    figs = overview.figures(atlas)
    (table,) = page.tab_tables(0, atlas, sites=listed, figs=figs, lang="zh")
    assert len(table.frame) == len(atlas.sites) + 1
    assert "Cafe" in _text(table.csv.data())
    assert i18n.tr("value.status.uploaded", "zh") in table.frame.to_string()


# ---------------------------------------------------------------- doubt (issue 16 §3)


def _left_bank_modelled(atlas, accuracy_m: float = 300.0):
    """The paper toy with its left bank path (y = 50, x 0 -> 1000) modelled."""
    route = atlas.route.copy()
    route.loc[route["id"] == "route-left", ["status", "accuracy_m"]] = ("indicative", accuracy_m)
    return dataclasses.replace(atlas, route=route)


def test_the_figures_say_how_much_of_the_route_is_confirmed(atlas):
    # two 1000 m bank paths, one modelled: 1.00 km each, 50 % each
    text = page.route_doubt_text(_left_bank_modelled(atlas), lang="en")
    assert text == (
        "Of the route, 1.00 km (50.0 %) is confirmed and 1.00 km (50.0 %) modelled: "
        "drawn dashed, placed to within ± 300 m."
    )
    zh = page.route_doubt_text(_left_bank_modelled(atlas), lang="zh")
    assert zh == (
        "步道中 1.00 km（50.0%）位置已证实，1.00 km（50.0%）为推测："
        "图上以虚线表示，位置误差最多 ± 300 米。"
    )
    route = atlas.route.assign(status="confirmed")
    confirmed = page.route_doubt_text(dataclasses.replace(atlas, route=route), lang="en")
    assert confirmed == "The whole route (2.00 km) is confirmed."


def test_a_measurement_on_modelled_ground_says_so_and_is_rounded(atlas):
    # station-01 (100, 50) on the left bank -> bridge-a at x = 600 -> a point at (920, 0)
    # on the right bank: 500 m on the left bank, 50 m across (25 m nearer each bank),
    # 320 m on the right: 870 m along, 525 m of them on the modelled left bank (60.3 %).
    modelled = _left_bank_modelled(atlas)
    routes = network.RouteNetwork.from_atlas(modelled)
    choices = page.place_choices(modelled, lang="en")
    point = {"to": {"lonlat": lonlat(920.0, 0.0), "origin": "typed"}}
    choices |= page.session_choices(lang="en", points=point)
    m, _ = page.measure(routes, choices, ("station:station-01", "point:to"), lang="en")
    assert m is not None
    assert m.along_route_m == pytest.approx(870.0)
    d = page.measurement_doubt(modelled, m)
    assert d.modelled_m == pytest.approx(525.0, abs=5.0)  # 5 m steps (doubt.STEP_M)
    assert d.modelled_share == pytest.approx(525 / 870, abs=0.01)
    rows = dict(page.measurement_figures(m, lang="en", path_doubt=d))
    assert rows["Along the route"] == "≈ 900 m"
    assert rows["Straight line"] == display.format_length(m.straight_m)  # place to place
    assert rows["Walk (5 km/h)"] == display.format_duration(m.total_m / (5 / 3.6))
    note = page.measurement_note(m, lang="en", path_doubt=d)
    assert "60 % of this path (≈ 500 m) runs on modelled stretches" in note
    assert "± 300 m" in note
    assert "rounded to 100 m" in note
    zh = page.measurement_note(m, lang="zh", path_doubt=d)
    assert "此路径有 60%（≈ 500 m）经过推测路段，位置误差最多 ± 300 米。" in zh
    assert "取整到 100 米" in zh


def test_a_measurement_on_confirmed_ground_is_as_exact_as_before(atlas):
    routes = network.RouteNetwork.from_atlas(atlas)
    choices = page.place_choices(atlas, lang="en")
    m, _ = page.measure(routes, choices, ("station:station-01", "station:station-03"), lang="en")
    assert m is not None
    d = page.measurement_doubt(atlas, m)
    assert d.modelled_m == 0.0
    assert page.measurement_figures(m, lang="en", path_doubt=d) == page.measurement_figures(
        m, lang="en"
    )
    assert page.measurement_note(m, lang="en", path_doubt=d) == page.measurement_note(m, lang="en")
    assert "modelled" not in page.measurement_note(m, lang="en", path_doubt=d)


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
    places = choices | {"station:st-02": page.Choice("St 2", (121.43, 31.25))}
    params = page.link_params(state, categories=[], places=places)
    assert "from" not in params
    assert params["to"] == "station:st-02"
    state["share_here"] = True
    assert page.link_params(state, categories=[], places=places)["from"] == "31.240000,121.420000"


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


def test_sidebar_values_give_a_first_run_the_widgets_defaults():
    state: dict = {}
    held = page.sidebar_values(
        state,
        categories=["a", "b"],
        place_keys=["site:x", "station:1", "station:2"],
        basemap_keys=["osm", "none"],
    )
    assert held == page.SidebarValues(
        categories=["a", "b"], query="", from_key=None, to_key=None, basemap_key="osm"
    )
    assert state["measure_from"] is None  # the widgets drawn later read the same keys


def test_sidebar_values_keep_what_is_still_offered():
    state = {
        "categories": ["b", "gone"],
        "query": "park",
        "measure_from": "site:x",
        "measure_to": "point:gone",
        "basemap_key": "retired",
    }
    held = page.sidebar_values(
        state, categories=["a", "b"], place_keys=["site:x", "station:1"], basemap_keys=["osm"]
    )
    assert held.categories == ["b"]
    assert held.query == "park"
    assert (held.from_key, held.to_key) == ("site:x", None)  # a gone end: none
    assert held.basemap_key == state["basemap_key"] == "osm"


def test_a_language_switch_keeps_every_lazy_section_and_planner_control():
    # Issue 23 §6: Events on the creek, Your layer and Enter coordinates closed; the
    # planner's speed showed no choice and its reach select stayed English for a run.
    from putuo_geo import planner_page

    assert {page.UPLOAD_OPEN_KEY, page.EVENTS_OPEN_KEY, "coords_open"} <= set(page.OPEN_KEYS)
    assert {planner_page.SPEED_KEY, planner_page.REACH_KEY} == set(page.PLANNER_LABELLED_KEYS)
    written: list[str] = []

    class Recording(dict):
        def __setitem__(self, key, value):
            written.append(key)
            super().__setitem__(key, value)

    state = Recording(upload_open=True, coords_open=True, events_open=True, planner_speed=4.0)
    state["planner_reach"] = "st-01"
    written.clear()
    page.relabel(state)
    assert set(written) == {
        "upload_open",
        "coords_open",
        "events_open",
        *page.PLANNER_LABELLED_KEYS,
    }
    assert state["planner_speed"] == 4.0


def test_a_crafted_tab_label_is_refused_with_one_log_line(caplog):
    state = {"table_tab": "nope", "table_tab_index": 2}
    page.remember_tab(state, ["a", "b", "c"])
    assert state["table_tab_index"] == 2
    assert [r.getMessage() for r in caplog.records] == ["refused table tab: 'nope'"]


def test_ordinary_map_values_log_nothing(caplog):
    state: dict = {"click_mode": "nearest"}  # measuring shows no clicked point (issue 24)
    returned = {
        "last_clicked": {"lat": 31.2381, "lng": 121.4216},
        "last_object_clicked": None,
        "center": {"lat": 31.24, "lng": 121.42},
        "zoom": 15,
    }
    assert page.take_map_return(state, returned) == pytest.approx((121.4216, 31.2381))
    assert state["view"] == ((121.42, 31.24), 15)
    assert page.take_map_return(state, None) is None
    assert caplog.records == []


@pytest.mark.parametrize(
    "clicked",
    [{"lat": "31.2381", "lng": 121.4216}, {"lat": None}, {"lat": [31.2], "lng": 121.4}, "x", 5],
)
def test_a_crafted_click_is_refused_with_one_log_line(clicked, caplog):
    state: dict = {"click_mode": "from_to"}
    assert page.take_map_return(state, {"last_clicked": clicked}) is None
    assert "points" not in state
    assert [r.getMessage().split(":")[0] for r in caplog.records] == ["refused map click"]


def test_a_large_upload_is_drawn_and_offered_in_part_and_the_page_says_so():
    """The largest accepted upload sent 7.8-14 MB a run (issue 23): the map draws the
    first MAX_UPLOAD_DRAWN sites, FROM/TO offers the first MAX_UPLOAD_CHOICES, and a
    notice says so in the page's language."""
    n = 5000
    frame = gpd.GeoDataFrame(
        {"id": [f"u{i}" for i in range(n)], "name_en": ["Mine"] * n, "name_zh": [""] * n},
        geometry=[Point(121.40, 31.24)] * n,
        crs="EPSG:4326",
    )
    assert len(page.upload_on_map(frame)) == page.MAX_UPLOAD_DRAWN == 500
    assert page.upload_on_map(frame)["id"].iloc[-1] == "u499"
    choices = page.session_choices(lang="en", user_frame=frame)
    assert len(choices) == page.MAX_UPLOAD_CHOICES == 100
    assert list(choices)[-1] == "upload:u99"
    en = page.upload_cap_notice(n, lang="en")
    assert en is not None
    assert en.kind == "info"
    assert en.text.startswith("Your layer has 5,000 sites: the map draws the first 500")
    assert "FROM/TO offers the first 100, with names cut to 80 characters" in en.text
    zh = page.upload_cap_notice(n, lang="zh")
    assert zh is not None
    assert "5,000 个地点" in zh.text
    assert "前 500 个" in zh.text
    assert page.upload_cap_notice(100, lang="en") is None  # all drawn, all offered
    assert page.upload_cap_notice(100, longest_name=80, lang="en") is None
    assert page.upload_cap_notice(3, longest_name=81, lang="en") is not None  # names cut
    small = page.upload_cap_notice(101, lang="en")
    assert small is not None
    assert "draws the first 101" in small.text  # never more than the file holds
    assert "offers the first 100" in small.text


def test_long_uploaded_names_are_cut_on_the_map_and_in_the_choices_only():
    long_en, long_zh = "Cafe " + "x" * 495, "咖啡" + "长" * 300
    frame = gpd.GeoDataFrame(
        {"id": ["u1"], "name_en": [long_en], "name_zh": [long_zh]},
        geometry=[Point(121.40, 31.24)],
        crs="EPSG:4326",
    )
    drawn = page.upload_on_map(frame)
    assert drawn["name_en"].iloc[0] == long_en[:79] + "…"
    assert len(drawn["name_zh"].iloc[0]) == page.MAX_SHOWN_NAME_CHARS == 80
    assert frame["name_en"].iloc[0] == long_en  # the layer itself (table, downloads) whole
    (choice,) = page.session_choices(lang="zh", user_frame=frame).values()
    assert long_zh[:79] + "…" in choice.label
    assert len(choice.label) < 200
