"""putuo_geo.overview on the page toy (tests/paper_toy.py): every answer checked on paper."""

from __future__ import annotations

import paper_toy
import pytest

from putuo_geo import overview


@pytest.fixture(scope="module")
def atlas():
    return paper_toy.build_toy_atlas()


def test_figures(atlas):
    figs = overview.figures(atlas)
    paper = paper_toy.toy_summary()
    assert figs.route_length_m == pytest.approx(paper["route_length_m"], abs=0.01)
    assert figs.creek_length_m == pytest.approx(paper["creek_length_m"], abs=0.01)
    assert figs.park_areas_m2.tolist() == pytest.approx([paper["park_area_m2"]] * 3, abs=0.01)
    assert figs.zone_areas_m2.tolist() == pytest.approx(
        list(paper["zone_areas_m2"].values()), abs=0.1
    )
    assert (figs.stations_confirmed, figs.stations_indicative) == (2, 22)
    assert (figs.sites, figs.bridges) == (18, 10)


def test_km_posts_every_kilometre_on_the_creek(atlas):
    posts = overview.km_posts(atlas)
    assert posts["chainage_m"].tolist() == paper_toy.toy_summary()["km_posts_m"]
    assert posts["label"].tolist() == ["0 km", "1 km", "2 km", "3 km"]
    metric = posts.geometry.to_crs("EPSG:32651")
    assert metric.x.tolist() == pytest.approx(
        [paper_toy.X0 + c for c in (0, 1000, 2000, 3000)], abs=0.01
    )
    assert metric.y.tolist() == pytest.approx([paper_toy.Y0] * 4, abs=0.01)
    assert overview.km_posts(atlas, step_m=500)["chainage_m"].tolist()[:3] == [0, 500, 1000]


def _lonlat(x, y):
    import geopandas as gpd
    import shapely

    p = gpd.GeoSeries([shapely.Point(x, y)], crs="EPSG:32651").to_crs("EPSG:4326")[0]
    return (p.x, p.y)


def test_nearest_route_point_chainage_and_station(atlas):
    # 100 m north of the creek at chainage 1250: left bank is 70 m away, station 11
    # (chainage 1312.5, left bank) is sqrt(62.5^2 + 70^2) = 93.84 m away.
    found = overview.nearest(atlas, _lonlat(paper_toy.X0 + 1250, paper_toy.Y0 + 100))
    assert found.route_id == "route-left"
    assert found.route_distance_m == pytest.approx(70, abs=0.01)
    assert found.chainage_m == pytest.approx(1250, abs=0.01)
    assert found.station_id == "station-11"
    assert found.station_distance_m == pytest.approx((62.5**2 + 70**2) ** 0.5, abs=0.01)


def test_filter_sites_by_category_and_bilingual_name(atlas):
    sites = atlas.sites
    assert len(overview.filter_sites(sites)) == 18
    assert len(overview.filter_sites(sites, categories=["health", "transport"])) == 4
    assert len(overview.filter_sites(sites, categories=[])) == 0
    assert overview.filter_sites(sites, query="SITE 1")["id"].tolist() == [
        "site-01",
        *[f"site-{i}" for i in range(10, 18)],
    ]
    assert overview.filter_sites(sites, query="地点3")["id"].tolist() == ["site-03"]
    assert overview.filter_sites(sites, categories=["education"], query="site 7")[
        "id"
    ].tolist() == ["site-07"]


def test_category_counts_keep_order_and_zeros(atlas):
    counts = overview.category_counts(atlas.sites, categories=["health", "nowhere"])
    assert counts.to_dict() == {"health": 2, "nowhere": 0}


def test_station_table_in_route_order(atlas):
    shuffled = atlas.stations.sample(frac=1, random_state=1)
    table = overview.station_table(type(atlas)(**{**atlas.__dict__, "stations": shuffled}))
    assert table["number"].tolist() == list(range(1, 25))
    assert table["chainage_m"].is_monotonic_increasing
    assert set(table.columns) >= {"chainage_m", "bank", "status"}
