"""putuo_geo.tables: every map fact as a table, headers and values in the page's language."""

from __future__ import annotations

import paper_toy
import pytest
import shapely

from putuo_geo import i18n, overview, tables
from putuo_geo.network import Endpoint, Measurement


@pytest.fixture(scope="module")
def atlas():
    return paper_toy.build_toy_atlas()


@pytest.mark.parametrize("lang", i18n.LANGUAGES)
def test_every_layer_has_a_table_with_translated_headers(atlas, lang):
    figs = overview.figures(atlas)
    built = {
        "sites": tables.sites(atlas.sites, lang),
        "stations": tables.stations(atlas, lang),
        "bridges": tables.bridges(atlas, lang),
        "parks": tables.parks(atlas, figs, lang),
        "zones": tables.zones(atlas, figs, lang),
    }
    assert {k: len(v) for k, v in built.items()} == {
        "sites": len(atlas.sites),
        "stations": len(atlas.stations),
        "bridges": len(atlas.bridges),
        "parks": len(atlas.parks),
        "zones": len(atlas.zones),
    }
    headers = {str(c) for frame in built.values() for c in frame.columns}
    catalogue = {texts[lang] for texts in i18n.CATALOGUE.values()}
    assert headers <= catalogue


def test_station_table_in_chinese(atlas):
    table = tables.stations(atlas, "zh")
    first = overview.station_table(atlas).iloc[0]
    assert table["名称"].iloc[0] == first["name_zh"]
    assert table["名称（英文）"].iloc[0] == first["name_en"]
    assert table["里程（公里）"].iloc[0] == round(first["chainage_m"] / 1000, 2)
    assert set(table["河岸"]) <= {"左岸", "右岸"}
    assert set(table["状态"]) <= {"已证实", "示意"}


def test_area_tables_use_the_measured_areas(atlas):
    figs = overview.figures(atlas)
    parks = tables.parks(atlas, figs, "en")
    assert parks["Area (ha)"].tolist() == (figs.park_areas_m2 / 10_000).round(2).tolist()
    zones = tables.zones(atlas, figs, "en")
    assert zones["Area (km²)"].tolist() == (figs.zone_areas_m2 / 1_000_000).round(2).tolist()


def test_crossed_bridges_in_crossing_order(atlas):
    ids = atlas.bridges["id"].tolist()
    end = Endpoint("a", None, "A", "甲", (121.38, 31.24), (121.38, 31.24), 0.0, None)
    measured = Measurement(
        start=end,
        end=end,
        along_route_m=1.0,
        straight_m=1.0,
        path=shapely.LineString([(121.38, 31.24), (121.39, 31.24)]),
        bridges=[ids[2], ids[0]],
    )
    table = tables.crossed_bridges(measured, atlas, "en")
    assert table["#"].tolist() == [1, 2]
    names = atlas.bridges.set_index("id")["name_en"]
    assert table["Name"].tolist() == [names[ids[2]], names[ids[0]]]
