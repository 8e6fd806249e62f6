"""putuo_geo.coverage on a toy whose answers are on paper, and on the real geo/.

The toy (local metres, EPSG:32651 from the paper toy's origin): two banks 1 km long,
left y = 50 and right y = 0, x 0 -> 1000, joined by one 50 m bridge in the middle
(x = 500); the creek runs along y = 25 (chainage = x). Stations: A (100, 50) left,
confirmed; B (800, 50) left, indicative +-100 m; C (200, 0) right, indicative
+-50 m. At 6 km/h a minute is 100 m, so bands of 1, 2 and 3 min are 100, 200 and
300 m and "covered" (3 min) is 300 m.

Walking distance to the nearest station, on paper:

- left bank: 100 - x on [0, 100]; x - 100 up to 350 at x = 450; 800 - x down to 0
  at 800; x - 800 up to 200 at 1000 (via the bridge C is 300 + 50 + |x - 500|, never
  nearer);
- right bank: 200 - x on [0, 200], then x - 200 up to 800 at x = 1000 (via the
  bridge the left landing is 300 from A, so 350 + |x - 500|, never nearer).

Band lengths (m): <= 100: 400 left + 200 right; 100-200: 300 + 200; 200-300:
200 + 100; beyond: 100 + 500. Beyond 3 min: left 400-500 and right 500-1000.
"""

from __future__ import annotations

import csv
import io
import json
import math

import geopandas as gpd
import numpy as np
import pytest
from paper_toy import local_frame, lonlat
from shapely.geometry import LineString, Point, box

from putuo_geo import cli, config, coverage, i18n, layers
from putuo_geo.coverage import CandidateError, CoverageModel
from putuo_geo.errors import DataValidationError
from putuo_geo.network import RouteNetwork

MM = 1e-3
KMH = 6.0  # 100 m a minute
BANDS = (1.0, 2.0, 3.0)


def toy_frames() -> dict:
    route = local_frame(
        [{"id": "route-left", "bank": "left"}, {"id": "route-right", "bank": "right"}],
        [LineString([(0, 50), (1000, 50)]), LineString([(0, 0), (1000, 0)])],
    )
    bridges = local_frame(
        [{"id": "bridge-mid", "walkable": True}], [LineString([(500, 0), (500, 50)])]
    )
    creek = local_frame(
        [{"id": "creek", "from_chainage_m": 0.0}], [LineString([(0, 25), (1000, 25)])]
    )
    boundary = local_frame([{"id": "district"}], [box(-500, -500, 1500, 500)])
    stations = local_frame(
        [
            {"id": "A", "name_en": "A", "name_zh": "甲", "status": "confirmed", "accuracy_m": 10.0},
            {
                "id": "B",
                "name_en": "B",
                "name_zh": "乙",
                "status": "indicative",
                "accuracy_m": 100.0,
            },
            {
                "id": "C",
                "name_en": "C",
                "name_zh": "丙",
                "status": "indicative",
                "accuracy_m": 50.0,
            },
        ],
        [Point(100, 50), Point(800, 50), Point(200, 0)],
    )
    sites = local_frame(
        [
            {"id": "north-of-bridge", "name_en": "N", "name_zh": "北"},
            {"id": "too-far", "name_en": "F", "name_zh": "远"},
            {"id": "west-end", "name_en": "W", "name_zh": "西"},
        ],
        [Point(500, 80), Point(560, 80), Point(0, -20)],
    )
    return {
        "route": route,
        "bridges": bridges,
        "creek": creek,
        "boundary": boundary,
        "stations": stations,
        "sites": sites,
    }


@pytest.fixture(scope="module")
def two_banks():
    f = toy_frames()
    net = RouteNetwork.from_frames(f["route"], f["bridges"])
    model = CoverageModel.from_frames(net, f["route"], creek=f["creek"], boundary=f["boundary"])
    return model, model.stations(f["stations"]), f


def cover(model, sites, **kw):
    return model.coverage(sites, speed_kmh=KMH, minutes=3.0, band_minutes=BANDS, **kw)


# ------------------------------------------------------------------ the toy on paper


def test_stations_join_their_bank_at_the_right_place(two_banks):
    model, st, _ = two_banks
    assert [(s.id, s.bank, s.status) for s in st] == [
        ("A", "left", "confirmed"),
        ("B", "left", "indicative"),
        ("C", "right", "indicative"),
    ]
    assert [s.chainage_m for s in st] == pytest.approx([100, 800, 200], abs=MM)
    assert [s.bank_m for s in st] == pytest.approx([100, 800, 200], abs=MM)
    assert [s.offset_m for s in st] == pytest.approx([0, 0, 0], abs=MM)
    assert model.route_length_m == pytest.approx(2000, abs=MM)


def test_bands_are_cut_exactly(two_banks):
    model, st, _ = two_banks
    fig = cover(model, st).figures()
    assert list(fig["bands"]) == ["le_1_min", "le_2_min", "le_3_min", "beyond_3_min"]
    assert fig["band_length_m"] == pytest.approx(
        {"le_1_min": 600, "le_2_min": 500, "le_3_min": 300, "beyond_3_min": 600}, abs=MM
    )
    assert fig["bands"] == pytest.approx(
        {"le_1_min": 0.3, "le_2_min": 0.25, "le_3_min": 0.15, "beyond_3_min": 0.3}, abs=1e-4
    )
    assert fig["covered_share"] == pytest.approx(0.7, abs=1e-4)
    assert fig["limit_m"] == pytest.approx(300)


def test_longest_gap_and_every_gap(two_banks):
    model, st, _ = two_banks
    fig = cover(model, st).figures()
    gap = fig["longest_gap"]
    assert gap["bank"] == "right"
    assert (gap["from_chainage_m"], gap["to_chainage_m"]) == pytest.approx((500, 1000), abs=0.1)
    assert gap["length_m"] == pytest.approx(500, abs=0.1)
    assert gap["mid_lonlat"] == pytest.approx(lonlat(750, 0), abs=1e-6)
    assert [(g["bank"], g["length_m"]) for g in fig["gaps"]] == [("right", 500), ("left", 100)]
    left = fig["gaps"][1]
    assert (left["from_chainage_m"], left["to_chainage_m"]) == pytest.approx((400, 500), abs=0.1)
    assert fig["max_walk"] == {"walk_m": 800.0, "minutes": 8.0, "bank": "right", "chainage_m": 1000}


def test_spacing_per_bank(two_banks):
    model, st, _ = two_banks
    fig = cover(model, st).figures()
    assert fig["spacing"] == {
        "left": [
            {
                "from_id": "A",
                "to_id": "B",
                "from_chainage_m": 100.0,
                "to_chainage_m": 800.0,
                "along_route_m": 700.0,
            }
        ],
        "right": [],
    }
    assert fig["largest_spacing"]["left"]["along_route_m"] == 700.0
    assert fig["largest_spacing"]["right"] is None


def test_band_pieces_for_the_map(two_banks):
    model, st, _ = two_banks
    frame = cover(model, st).bands_frame()
    assert frame.crs.to_epsg() == 4326
    assert set(frame["band"]) == set(coverage.band_labels(BANDS))
    per_band = frame.groupby("band")["length_m"].sum().to_dict()
    assert per_band == pytest.approx(
        {"le_1_min": 600, "le_2_min": 500, "le_3_min": 300, "beyond_3_min": 600}, abs=MM
    )
    # the right bank's far end: one piece over 300 m, 500 m long, ending 800 m away
    far = frame[(frame["bank"] == "right") & (frame["band"] == "beyond_3_min")]
    assert len(far) == 1
    assert far["length_m"].iloc[0] == pytest.approx(500, abs=MM)
    assert (far["walk_from_m"].iloc[0], far["walk_to_m"].iloc[0]) == pytest.approx((300, 800))


def test_reach_crosses_the_bridge(two_banks):
    model, st, f = two_banks
    c = st[2]  # right bank x = 200; 4 min = 400 m
    reach = model.reach(c, minutes=4.0, speed_kmh=KMH, sites=f["sites"])
    # right bank 0 -> 600, and 50 m either side of the left landing after 300 + 50
    assert reach.length_m == pytest.approx(600 + 100, abs=MM)
    assert reach.bridge_length_m == pytest.approx(50, abs=MM)
    fig = reach.figures()
    assert fig["bridges"] == ["bridge-mid"]
    assert fig["route_ids"] == ["route-left", "route-right"]
    left = reach.frame[reach.frame["id"] == "route-left"]
    assert left["length_m"].sum() == pytest.approx(100, abs=MM)
    # sites: west end 200 along + 20 off; north of the bridge 350 + 30; 'too far' 410 + 30
    assert list(reach.sites["id"]) == ["west-end", "north-of-bridge"]
    assert list(reach.sites["walk_m"]) == pytest.approx([220, 380], abs=MM)
    assert list(reach.sites["offset_m"]) == pytest.approx([20, 30], abs=MM)


def test_reach_without_the_bridge_stays_on_its_bank():
    f = toy_frames()
    net = RouteNetwork.from_frames(f["route"], None)
    model = CoverageModel.from_frames(net, f["route"], creek=f["creek"])
    c = model.stations(f["stations"])[2]
    reach = model.reach(c, minutes=4.0, speed_kmh=KMH)
    assert reach.length_m == pytest.approx(600, abs=MM)
    assert reach.bridge_length_m == 0
    assert reach.sites.empty


def test_a_bank_without_stations_is_infinitely_far():
    f = toy_frames()
    net = RouteNetwork.from_frames(f["route"], None)  # no bridge
    model = CoverageModel.from_frames(net, f["route"], creek=f["creek"])
    only_left = model.stations(f["stations"].iloc[:2])
    fig = model.coverage(only_left, speed_kmh=KMH, minutes=3.0, band_minutes=BANDS).figures()
    assert fig["band_length_m"]["beyond_3_min"] == pytest.approx(100 + 1000, abs=MM)
    assert fig["longest_gap"]["length_m"] == pytest.approx(1000, abs=0.1)
    assert fig["max_walk"]["walk_m"] is None  # unreachable, not a number


def test_walk_m_at_points(two_banks):
    model, st, _ = two_banks
    got = model.walk_m(st, np.array([lonlat(450, 50), lonlat(1000, 0), lonlat(500, 60)]))
    assert got == pytest.approx([350, 800, 300], abs=MM)


# ------------------------------------------------------------------ what-if


def test_a_candidate_closes_the_right_bank_gap(two_banks):
    model, st, _ = two_banks
    cands = model.candidates([lonlat(750, -10)], existing=st, names_en=["New"])
    assert cands[0].offset_m == pytest.approx(10, abs=MM)
    assert cands[0].on_route_lonlat == pytest.approx(lonlat(750, 0), abs=1e-9)
    assert cands[0].bank == "right"
    assert cands[0].chainage_m == pytest.approx(750, abs=MM)
    what = model.compare(st, cands, speed_kmh=KMH, minutes=3.0)
    before, after = what.before.figures(), what.after.figures()
    assert before["covered_share"] == pytest.approx(0.7, abs=1e-4)
    # right bank: min(x - 200, |x - 750|) peaks at 275 m: nothing beyond 300 m is left
    assert after["covered_share"] == pytest.approx(0.95, abs=1e-4)
    assert after["longest_gap"]["bank"] == "left"
    assert after["longest_gap"]["length_m"] == pytest.approx(100, abs=0.1)
    (c,) = what.candidates
    assert c["splits"] is None  # no station downstream of it on the right bank
    assert [(g["bank"], g["length_m"], g["length_after_m"]) for g in c["closes"]] == [
        ("right", 500.0, 0.0)
    ]
    assert after["spacing"]["right"][0]["along_route_m"] == pytest.approx(550)


def test_a_candidate_between_two_stations_splits_their_spacing(two_banks):
    model, st, _ = two_banks
    cands = model.candidates([lonlat(450, 50)], existing=st)
    (c,) = model.compare(st, cands, speed_kmh=KMH, minutes=3.0).candidates
    assert c["splits"] == {
        "from_id": "A",
        "to_id": "B",
        "spacing_before_m": 700.0,
        "spacing_after_m": [350.0, 350.0],
    }
    # it also reaches over the bridge: 50 + 50 to the right landing, so the right bank's
    # gap 500-1000 shrinks to 700-1000 (min(x - 200, x - 500 + 100) > 300)
    assert [(g["bank"], g["length_after_m"]) for g in c["closes"]] == [
        ("left", 0.0),
        ("right", 300.0),
    ]


def test_bad_candidates_are_all_named_in_one_error(two_banks):
    model, st, _ = two_banks
    rows = ["row 1", "row 2", "row 3", "row 4", "row 5"]
    points = [
        lonlat(3000, 25),  # outside the district
        lonlat(300, 400),  # 350 m from the left bank
        lonlat(100, 55),  # on station A
        lonlat(600, -5),  # fine
        lonlat(605, 5),  # 5 m from row 4's route point
    ]
    with pytest.raises(CandidateError) as info:
        model.candidates(points, existing=st, rows=rows)
    err = info.value
    assert isinstance(err, DataValidationError)
    assert [key for key, _ in err.issues] == [
        "planner.problem.outside",
        "planner.problem.off_route",
        "planner.problem.duplicate",
        "planner.problem.duplicate",
    ]
    text = str(err)
    assert "row 1 (" in text
    assert "outside Putuo" in text
    assert "row 2 (" in text
    assert "350 m from the route (at most 150 m)" in text
    assert "row 3 (" in text
    assert "of A along the route" in text
    assert "row 5 (" in text
    assert "of row 4 along the route" in text
    assert "row 4 (" not in text
    zh = err.messages("zh")
    assert "在普陀区以外" in zh[0]
    assert all(i18n.is_key(key) and key in i18n.CATALOGUE for key, _ in err.issues)


def test_not_a_lonlat_is_refused(two_banks):
    model, st, _ = two_banks
    with pytest.raises(CandidateError, match="candidate 1: not a longitude/latitude"):
        model.candidates([(math.nan, 31.0)], existing=st)


def test_candidates_csv_is_in_the_stations_csv_format(two_banks):
    model, st, _ = two_banks
    cands = model.candidates([lonlat(750, -10)], existing=st, names_en=["New"])
    text = model.stations_csv(cands, date="2026-12-02")
    lines = text.splitlines()
    header = (config.PACKAGE_DATA_DIR / "inputs" / "stations.csv").read_text(encoding="utf-8")
    assert lines[0] == header.splitlines()[0]
    (row,) = csv.DictReader(io.StringIO(text))
    assert row["anchor"] == "candidate-1"
    assert (row["bank"], row["method"], row["status"]) == ("right", "point", "indicative")
    assert (float(row["lon"]), float(row["lat"])) == pytest.approx(lonlat(750, 0), abs=1e-6)
    assert row["accuracy_m"] == "10"
    assert "2026-12-02" in row["source"]
    assert "10 m away" in row["source"]


# ------------------------------------------------------------------ honesty


def test_sensitivity_moves_indicative_stations_by_their_accuracy(two_banks):
    model, st, _ = two_banks
    ranges = model.sensitivity(st, speed_kmh=KMH, minutes=3.0)
    # B +-100 and C +-50 alone; they are on different banks, so no pairs
    assert (ranges["scenarios"], ranges["moved"]) == (4, 2)
    # C at 150: right gap 450-1000; at 250: 550-1000. B at 900: left 400-600 (200).
    assert ranges["longest_gap_m"] == {"value": 500.0, "min": 450.0, "max": 550.0}
    assert ranges["largest_spacing_m"]["left"] == {"value": 700.0, "min": 600.0, "max": 800.0}
    assert ranges["covered_share"]["value"] == pytest.approx(0.7)


# ------------------------------------------------------------------ the real geo/


@pytest.fixture(scope="module")
def real():
    atlas = layers.load_atlas()
    model = CoverageModel.from_atlas(atlas)
    return atlas, model, model.stations(atlas.stations)


def test_real_every_route_sample_has_a_finite_distance(real):
    atlas, model, st = real
    route = atlas.route.to_crs(config.METRIC_CRS)
    samples = []
    for line in route.geometry:
        for d in np.arange(0, line.length, 20.0):
            samples.append(line.interpolate(d))
    pts = gpd.GeoSeries(samples, crs=config.METRIC_CRS).to_crs(config.WEB_CRS)
    walk = model.walk_m(st, np.column_stack([pts.x, pts.y]))
    assert len(walk) >= route.length.sum() / 20.0  # one sample per 20 m at least
    assert np.isfinite(walk).all()
    cov = model.coverage(st)
    assert np.isfinite(np.concatenate([cov.pieces.w0, cov.pieces.w1])).all()
    assert sum(cov.figures()["bands"].values()) == pytest.approx(1, abs=1e-3)
    assert cov.pieces.length_m.sum() == pytest.approx(model.route_length_m, abs=0.01)


@pytest.mark.parametrize("speed_kmh", [5.0, 4.0])
def test_real_a_candidate_in_the_longest_gap_shortens_it(real, speed_kmh):
    _atlas, model, st = real
    # at 5 min (417 m / 333 m) today's layout leaves gaps (at 15 min it leaves none);
    # put a candidate in the middle of the longest, along its bank
    before = model.coverage(st, minutes=5.0, speed_kmh=speed_kmh).figures()
    gap = before["longest_gap"]
    assert gap["length_m"] > 0
    cands = model.candidates([tuple(gap["mid_lonlat"])], existing=st)
    what = model.compare(st, cands, minutes=5.0, speed_kmh=speed_kmh)
    after = what.after.figures()
    assert after["covered_share"] >= before["covered_share"]
    (c,) = what.candidates
    closed = [g for g in c["closes"] if g["from_chainage_m"] == gap["from_chainage_m"]]
    assert closed
    assert closed[0]["length_after_m"] < gap["length_m"]


def test_real_any_candidate_never_lowers_coverage(real):
    atlas, model, st = real
    route = atlas.route.to_crs(config.METRIC_CRS).geometry.to_numpy()
    rng = np.random.default_rng(14)
    for _ in range(6):
        line = route[rng.integers(len(route))]
        pt = line.interpolate(rng.uniform(0, line.length))
        lonlat_pt = gpd.GeoSeries([pt], crs=config.METRIC_CRS).to_crs(config.WEB_CRS).iloc[0]
        try:
            cands = model.candidates([(lonlat_pt.x, lonlat_pt.y)], existing=st)
        except CandidateError:
            continue  # on a station: nothing to add
        what = model.compare(st, cands, minutes=5.0)
        before, after = what.before.summary(), what.after.summary()
        assert after["covered_share"] >= before["covered_share"] - 1e-12
        assert after["longest_gap_m"] <= before["longest_gap_m"] + 1e-9
        assert after["max_walk_m"] <= before["max_walk_m"] + 1e-9
        cum_before = np.cumsum(list(before["bands"].values()))
        cum_after = np.cumsum(list(after["bands"].values()))
        assert (cum_after >= cum_before - 1e-12).all()


def test_real_stations_and_figures(real):
    atlas, model, st = real
    assert len(st) == len(atlas.stations)
    assert max(s.offset_m for s in st) < 1.0  # the stations are built on the route
    fig = model.coverage(st).figures()
    assert set(fig["spacing"]) == set(atlas.route["bank"])
    assert fig["stations"] == len(st)


# ------------------------------------------------------------------ the command


def test_cli_coverage_json(toy_dir, capsys):
    # the paper toy (tests/paper_toy.py): stations (100, 50) left, (100, 0) and (900, 0)
    # right, one bridge at x = 600. At 6 km/h and 5 min (500 m) the left bank beyond
    # x = 750 is over 500 m away: 350 to the left landing from station 3, + x - 600.
    code = cli.main(
        ["coverage", "--json", "--minutes", "5", "--speed-kmh", "6", "--data", str(toy_dir)]
    )
    out, err = capsys.readouterr()
    assert (code, err) == (0, "")
    fig = json.loads(out)
    assert {"bands", "longest_gap", "spacing", "covered_share"} <= set(fig)
    gap = fig["longest_gap"]
    assert gap["bank"] == "left"
    assert (gap["from_chainage_m"], gap["to_chainage_m"]) == pytest.approx((750, 1000), abs=0.1)
    assert gap["length_m"] == pytest.approx(250, abs=0.1)
    assert fig["covered_share"] == pytest.approx(0.875, abs=1e-4)
    assert fig["spacing"]["left"] == []
    assert [g["along_route_m"] for g in fig["spacing"]["right"]] == [800.0]
    assert fig["indicative_stations"] == 2


def test_cli_coverage_with_extra_candidates(toy_dir, tmp_path, capsys):
    extra = tmp_path / "proposals.csv"
    lon, lat = lonlat(900, 60)
    extra.write_text(f"name,lon,lat\nEast end,{lon},{lat}\n", encoding="utf-8")
    argv = ["coverage", "--json", "--minutes", "5", "--speed-kmh", "6"]
    code = cli.main([*argv, "--extra", str(extra), "--data", str(toy_dir)])
    out, err = capsys.readouterr()
    assert (code, err) == (0, "")
    fig = json.loads(out)
    assert fig["candidates"][0]["name_en"] == "East end"
    assert fig["candidates"][0]["offset_m"] == pytest.approx(10, abs=0.1)
    assert fig["before"]["longest_gap"]["length_m"] == pytest.approx(250, abs=0.1)
    assert fig["longest_gap"]["length_m"] == 0
    assert fig["covered_share"] == 1.0
    code = cli.main(["coverage", "--extra", str(extra), "--data", str(toy_dir)])
    out, _ = capsys.readouterr()
    assert code == 0
    assert "East end: left bank" in out


def test_cli_coverage_bad_extra_names_the_row(toy_dir, tmp_path, capsys):
    extra = tmp_path / "bad.csv"
    far = lonlat(300, 400)
    dup = lonlat(100, 52)
    extra.write_text(
        f"name,lon,lat\nFar,{far[0]},{far[1]}\nTwin,{dup[0]},{dup[1]}\n", encoding="utf-8"
    )
    code = cli.main(["coverage", "--extra", str(extra), "--data", str(toy_dir)])
    out, err = capsys.readouterr()
    assert code == 1
    assert out == ""
    assert "bad.csv: row 1 (Far)" in err
    assert "from the route" in err
    assert "bad.csv: row 2 (Twin)" in err
    assert "station-01" in err
    assert "Traceback" not in err


# ------------------------------------------------------------------ page text


def test_describe_in_both_languages(two_banks):
    model, st, _ = two_banks
    fig = cover(model, st).figures()
    ranges = model.sensitivity(st, speed_kmh=KMH, minutes=3.0)
    en = coverage.describe(fig, ranges, "en")
    assert en[0].startswith("**2 of 3 station positions are indicative**")
    # B moved to 900 opens the left bank 400-600 (65%); B at 700 reaches the right
    # landing in 250 m, so the right bank is covered up to 550 (77.5%)
    assert en[1] == "Route within 3 min of a station: 70.0% (range 65.0% to 77.5%)"
    assert en[2] == (
        "Longest stretch over 3 min: 500 m on the right bank, chainage km 0.50 to km 1.00 "
        "(range 450 m to 550 m)"
    )
    assert "Largest spacing on the left bank: 700 m (range 600 m to 800 m) (A to B)" in en
    assert en[-1].startswith("Ranges: each indicative station moved")
    zh = coverage.describe(fig, None, "zh")
    assert zh[0].startswith("**3 个驿站中有 2 个为示意位置**")
    assert "超过 3 分钟的最长路段：右岸" in zh[2]
    assert coverage.band_legend("en")[0] == "≤ 5 min to a station"


def test_describe_candidate_escapes_its_name(two_banks):
    model, st, _ = two_banks
    cands = model.candidates([lonlat(450, 50)], existing=st, names_en=["*Bold* [x](y)"])
    (c,) = model.compare(st, cands, speed_kmh=KMH, minutes=3.0).candidates
    text = coverage.describe_candidate(c, 3.0, "en")
    assert text.startswith(r"\*Bold\* \[x\]\(y\): left bank, chainage km 0.45, 0 m from")
    assert "splits 700 m between A and B into 350 m + 350 m" in text
    assert "closes a stretch over 3 min: 100 m → 0 m" in text
    assert coverage.site_by_id(st, "B").id == "B"
    with pytest.raises(KeyError, match="No station has the id"):
        coverage.site_by_id(st, "nope")


def test_candidates_csv_neutralises_formulas(two_banks):
    model, st, _ = two_banks
    cands = model.candidates([lonlat(750, -10)], existing=st, names_en=["=HYPERLINK(1)"])
    (row,) = csv.DictReader(io.StringIO(model.stations_csv(cands)))
    assert row["name_en"] == "'=HYPERLINK(1)"


@pytest.mark.parametrize("bad", ["0", "-3", "nan", "fast"])
def test_cli_coverage_refuses_a_bad_speed(toy_dir, capsys, bad):
    with pytest.raises(SystemExit) as info:
        cli.main(["coverage", "--speed-kmh", bad, "--data", str(toy_dir)])
    assert info.value.code == 1  # bad input, not a bug
    assert "is not a number from 0.5 to 50" in capsys.readouterr().err
