"""putuo_geo.exports: downloads read back identical (ids, names, 6-decimal coordinates)."""

from __future__ import annotations

import io
import json
import re

import geopandas as gpd
import gpxpy
import pandas as pd
import paper_toy
import pyogrio
import pytest
import shapely
from page_support import page_data_dir, skip_reason

from putuo_geo import assets, exports, i18n, layers, mapview, network, overview, typedtext


@pytest.fixture(scope="module")
def atlas():
    if skip_reason() is not None:
        pytest.skip(skip_reason() or "")
    return layers.load_atlas(page_data_dir())


def _xy6(geom: shapely.Geometry) -> list[tuple[float, float]]:
    return [(round(x, 6), round(y, 6)) for x, y, *_ in shapely.get_coordinates(geom)]


def test_sites_geojson_round_trip(atlas):
    data = exports.sites_geojson(atlas.sites)
    back = pyogrio.read_dataframe(io.BytesIO(data))
    assert back.crs.to_epsg() == 4326
    assert back["id"].tolist() == atlas.sites["id"].tolist()
    assert back["name_en"].tolist() == atlas.sites["name_en"].tolist()
    assert back["name_zh"].tolist() == atlas.sites["name_zh"].tolist()
    assert [_xy6(g) for g in back.geometry] == [_xy6(g) for g in atlas.sites.geometry]
    assert back["category"].tolist() == atlas.sites["category"].tolist()
    assert gpd.read_file(io.BytesIO(data))["id"].tolist() == atlas.sites["id"].tolist()


def test_sites_csv_round_trip(atlas):
    back = pd.read_csv(io.BytesIO(exports.sites_csv(atlas.sites)), encoding="utf-8-sig")
    assert tuple(back.columns) == exports.SITE_CSV_COLUMNS
    assert back["id"].tolist() == atlas.sites["id"].tolist()
    assert back["name_en"].tolist() == atlas.sites["name_en"].tolist()
    assert back["name_zh"].tolist() == atlas.sites["name_zh"].tolist()
    assert back["lon"].round(6).tolist() == atlas.sites.geometry.x.round(6).tolist()
    assert back["lat"].round(6).tolist() == atlas.sites.geometry.y.round(6).tolist()


def test_csv_neutralises_spreadsheet_formulas():
    sites = paper_toy.build_toy_atlas().sites.iloc[:6].copy()
    hostile = ['=HYPERLINK("http://x")', "+1+2", "-3", "@SUM(A1)", "\tTab", "\rCR"]
    sites["name_en"] = hostile
    back = pd.read_csv(
        io.BytesIO(exports.sites_csv(sites)), encoding="utf-8-sig", keep_default_na=False
    )
    assert back["name_en"].tolist() == ["'" + h for h in hostile]
    assert back["lon"].dtype.kind == "f"  # numbers stay numbers
    assert exports.neutralise_formula(-3.5) == -3.5
    assert exports.neutralise_formula("Mengqing = garden") == "Mengqing = garden"


#: What a spreadsheet strips or folds before it looks for a formula (issue 23 §6).
HIDDEN_FORMULAS: tuple[str, ...] = (
    " =1+1",
    "\u00a0=1+1",
    "\ufeff=1+1",
    "＝1+1",
    "\n=1+1",
    "\u200b=1+1",
    "  \u200b\u00a0＋cmd",
    "－2+3",
    "＠SUM(A1)",
    "\u3000=1",  # an ideographic space
)


@pytest.mark.parametrize("text", HIDDEN_FORMULAS, ids=repr)
def test_a_formula_behind_what_a_spreadsheet_strips_is_neutralised(text):
    assert exports.neutralise_formula(text) == "'" + text
    assert exports.restore_formula_text(exports.neutralise_formula(text)) == text


@pytest.mark.parametrize("text", ["Mengqing = garden", "'quoted", "M50", "  plain", "'"])
def test_plain_text_is_neither_neutralised_nor_restored(text):
    assert exports.neutralise_formula(text) == text
    assert exports.restore_formula_text(text) == text


def test_a_csv_the_page_exported_uploads_back_with_the_same_names():
    from putuo_geo import uploads

    sites = paper_toy.build_toy_atlas().sites.iloc[:6].copy()
    names = ["-5 Degrees Bar", "=HYPERLINK(1)", "+86 Tea", "@home", " ＝sum", "Plain"]
    sites["name_en"] = names
    layer = uploads.read_upload(exports.sites_csv(sites), file_name="putuo_sites.csv")
    # Uploaded names are read as typed (NFKC: "＝" is "="), and nothing else changes.
    assert layer.frame["name_en"].tolist() == [typedtext.normalise(n).strip() for n in names]


def test_table_csv_neutralises_text_cells_and_keeps_numbers():
    table = pd.DataFrame(
        {"Name": ["=1+1", "Mengqing", "名字"], "Length (m)": [-5, 10, 20]}, index=[7, 8, 9]
    )
    data = exports.table_csv(table)
    assert data.startswith("\ufeff".encode())  # BOM: spreadsheets read the Chinese as UTF-8
    back = pd.read_csv(io.BytesIO(data), encoding="utf-8-sig")
    assert back["Name"].tolist() == ["'=1+1", "Mengqing", "名字"]
    assert back["Length (m)"].tolist() == [-5, 10, 20]  # numbers are not formulas
    assert table["Name"].iloc[0] == "=1+1"  # the page's own table is left as it is


def test_streamlit_s_raw_table_download_is_off():
    import tomllib

    config_toml = tomllib.loads(
        (assets.PROJECT_ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8")
    )
    assert config_toml["client"]["disableDataExport"] is True


def test_route_gpx_round_trip(atlas):
    text = exports.route_gpx(
        atlas.route,
        atlas.stations,
        name="route",
        label=lambda en, zh: i18n.name(en, zh, "zh"),
    )
    gpx = gpxpy.parse(text)
    assert [t.description for t in gpx.tracks] == atlas.route["id"].tolist()
    for track, geom in zip(gpx.tracks, atlas.route.geometry, strict=True):
        points = [(p.longitude, p.latitude) for s in track.segments for p in s.points]
        assert points == _xy6(geom)
    ordered = overview.station_table(atlas)
    assert [w.comment for w in gpx.waypoints] == ordered["id"].tolist()
    assert [w.name for w in gpx.waypoints] == [
        i18n.name(en, zh, "zh")
        for en, zh in zip(ordered["name_en"], ordered["name_zh"], strict=True)
    ]
    by_id = atlas.stations.set_index("id").geometry
    assert [(w.longitude, w.latitude) for w in gpx.waypoints] == [
        _xy6(by_id[i])[0] for i in ordered["id"]
    ]


def test_measurement_gpx_round_trip(atlas):
    table = overview.station_table(atlas)
    by_id = atlas.stations.set_index("id").geometry
    a, b = by_id[table["id"].iloc[1]], by_id[table["id"].iloc[6]]
    measured = network.RouteNetwork.from_atlas(atlas).measure((a.x, a.y), (b.x, b.y))
    gpx = gpxpy.parse(
        exports.measurement_gpx(measured, name="测距 A → B", from_name="甲 <A>", to_name="B & C")
    )
    assert gpx.name == "测距 A → B"
    (track,) = gpx.tracks
    points = [(p.longitude, p.latitude) for p in track.segments[0].points]
    assert points[0] == _xy6(shapely.Point(measured.start.lonlat))[0]
    assert points[-1] == _xy6(shapely.Point(measured.end.lonlat))[0]
    assert [w.name for w in gpx.waypoints] == ["甲 <A>", "B & C"]
    assert [w.comment for w in gpx.waypoints] == [measured.start.id, measured.end.id]
    # its length (geodesic, gpxpy) agrees with the measured total (EPSG:32651) to 0.5 %
    assert track.length_2d() == pytest.approx(measured.total_m, rel=0.005)


def _vendor_ready() -> bool:
    return not assets.missing_files()


@pytest.mark.skipif(not _vendor_ready(), reason="static/vendor not installed (make assets)")
def test_standalone_html_inlines_every_asset():
    toy = paper_toy.build_toy_atlas()
    m = mapview.build_map(toy, km_posts=overview.km_posts(toy), lang="zh")
    mapview.sites_layer(toy.sites, lang="zh").add_to(m)
    mapview.layer_control().add_to(m)
    exports.set_view(m, center_latlon=(31.2432, 121.385), zoom=15)
    page = exports.standalone_html(m)
    assert not re.search(r"""<(script|link)[^>]+(src|href)=["'][^"'#]""", page)
    assert "/app/static" not in page
    assert "L.map(" in page
    assert "setView([31.2432, 121.385], 15, {animate: false})" in page
    assert 'url("data:image/png;base64,' in page  # leaflet.css images inlined


def test_standalone_html_has_a_title_and_a_language():
    m = mapview.build_map(paper_toy.build_toy_atlas(), lang="zh")
    page = exports.standalone_html(m, title="半马苏河 <地图>", lang="zh-CN")
    assert page.count("<title>") == 1
    assert "<title>半马苏河 &lt;地图&gt;</title>" in page  # escaped
    assert page.index("<title>") < page.index("</head>")
    assert '<html lang="zh-CN">' in page


def test_standalone_html_names_missing_assets(tmp_path):
    m = mapview.build_map(paper_toy.build_toy_atlas())
    with pytest.raises(FileNotFoundError, match=r"putuo-map\.js.*make assets"):
        exports.standalone_html(m, vendor_dir=tmp_path)


#: Names no export may choke on: every C0 control, DEL, C1, XML's non-characters,
#: markup, a CDATA end and a formula.
HOSTILE_NAMES = (
    "".join(chr(c) for c in range(32)) + "tab\there",
    "\x7f\x85\x9f DEL and C1",
    "non-char \ufffe\uffff",
    "]]> <x/> & \"'",
    '=HYPERLINK("http://x")',
)


def _hostile(frame: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    out = frame.copy()
    for i, name in enumerate(HOSTILE_NAMES[: len(out)]):
        out.loc[out.index[i], "name_en"] = name
        out.loc[out.index[i], "source"] = name
    return out


def test_every_export_is_well_formed_whatever_the_names(atlas):
    import csv
    import json
    import xml.etree.ElementTree as ET

    stations = _hostile(atlas.stations)
    gpx = exports.route_gpx(atlas.route, stations, name=HOSTILE_NAMES[0], label=lambda en, zh: en)
    root = ET.fromstring(gpx)  # raises on any character XML 1.0 forbids
    assert root.tag.endswith("gpx")
    assert "tabhere" in gpx.replace("\t", "")
    table = overview.station_table(atlas)
    by_id = atlas.stations.set_index("id").geometry
    a, b = by_id[table["id"].iloc[1]], by_id[table["id"].iloc[6]]
    measured = network.RouteNetwork.from_atlas(atlas).measure((a.x, a.y), (b.x, b.y))
    for name in HOSTILE_NAMES:
        ET.fromstring(exports.measurement_gpx(measured, name=name, from_name=name, to_name=name))

    sites = _hostile(atlas.sites)
    doc = json.loads(exports.sites_geojson(sites))
    assert doc["features"][3]["properties"]["name_en"] == HOSTILE_NAMES[3]
    text = exports.sites_csv(sites).decode("utf-8-sig")
    assert not exports.CSV_CONTROLS.search(text)
    rows = list(csv.reader(io.StringIO(text, newline="")))
    assert len(rows) == len(sites) + 1
    assert all(len(r) == len(exports.SITE_CSV_COLUMNS) for r in rows)


def test_merge_sites_puts_uploaded_sites_in_every_export(atlas):
    from putuo_geo import tables, uploads

    layer = uploads.read_upload(
        b"name,name_zh,lon,lat,category\nProposal A,\xe6\x96\xb9\xe6\xa1\x88,121.4216,31.2381,"
        b"transport\n=cmd,,121.43,31.24,\n",
        file_name="plan.csv",
    )
    shown = atlas.sites.head(3)
    merged = exports.merge_sites(shown, layer.frame)
    assert len(merged) == 5
    assert merged["id"].tolist()[-2:] == ["upload-1", "upload-2"]
    assert merged["status"].tolist()[-2:] == ["uploaded", "uploaded"]
    assert merged["accuracy_m"].iloc[-2:].isna().all()
    back = pyogrio.read_dataframe(io.BytesIO(exports.sites_geojson(merged)))
    assert back["id"].tolist() == merged["id"].tolist()
    csv_text = exports.sites_csv(merged).decode("utf-8-sig")
    assert "Proposal A" in csv_text
    assert "'=cmd" in csv_text  # formula neutralised
    table = tables.sites(merged, "en")
    assert "Proposal A" in table["Name"].tolist()
    assert exports.merge_sites(shown, None)["id"].tolist() == shown["id"].tolist()


# ------------------------------------------------ the OpenStreetMap credit (issue 21)

ODBL = "https://opendatacommons.org/licenses/odbl/1-0/"


def test_every_export_carries_the_openstreetmap_credit(atlas):
    """ODbL 1.0: the atlas's creek is OpenStreetMap data and every layer along it is
    derived from it, so each file a user downloads names the credit and the licence."""
    credit = "© OpenStreetMap contributors, ODbL 1.0 (" + ODBL + ")"
    assert credit == exports.OSM_ATTRIBUTION
    doc = json.loads(exports.sites_geojson(atlas.sites))
    assert (doc["attribution"], doc["license"]) == (credit, "ODbL-1.0")
    for data in (exports.sites_csv(atlas.sites), exports.table_csv(pd.DataFrame({"a": [1, 2]}))):
        back = pd.read_csv(io.BytesIO(data), encoding="utf-8-sig")
        assert back.columns[-1] == "attribution"
        assert set(back["attribution"]) == {credit}
    route = exports.route_gpx(atlas.route, atlas.stations, name="r", label=lambda en, zh: en)
    course = exports.course_gpx([(121.4, 31.2), (121.41, 31.21)], name="c")
    for text in (route, course):
        gpx = gpxpy.parse(text)
        assert gpx.copyright_author == "OpenStreetMap contributors"
        assert gpx.copyright_license == ODBL
        assert credit in gpx.description


@pytest.mark.skipif(not _vendor_ready(), reason="static/vendor not installed (make assets)")
def test_the_offline_html_credits_openstreetmap(atlas):
    page = exports.standalone_html(mapview.build_map(atlas, basemap=mapview.NO_TILES, lang="zh"))
    assert '<meta name="copyright" content="Data: © OpenStreetMap contributors, ODbL 1.0' in page
    assert "OpenStreetMap 贡献者" in page  # the attribution control
    assert ODBL in page
