"""putuo_geo.checks: the warning tier (osmnx's "should" rules) beside the problems."""

from __future__ import annotations

from paper_toy import to_lonlat
from shapely.geometry import LineString, mapping

from putuo_geo import checks, cli, errors, layers


def _half_bridge(c):
    # bridge-a cut short: from the right bank (y = 0) to mid-creek, it reaches one bank.
    for f in c["bridges"]["features"]:
        if f["properties"]["id"] == "bridge-a":
            f["geometry"] = mapping(to_lonlat(LineString([(600, 0), (600, 10)])))


def test_a_valid_toy_has_no_warnings(toy_dir):
    report = checks.check_dir(toy_dir)
    assert report.ok
    assert report.warnings == ()


def test_an_unlinked_bridge_is_a_warning_not_dropped(write_toy):
    folder = write_toy(_half_bridge)
    report = checks.check_dir(folder)
    assert report.ok  # the page still works
    (warning,) = report.warnings
    assert isinstance(warning, errors.Problem)
    assert warning.key == "warning.unlinked_bridge"
    assert "bridge 'bridge-a' does not reach the route on both banks" in warning
    assert "桥梁 “bridge-a” 未在两岸都连上步道" in warning.text("zh")
    assert checks.warnings(layers.load_atlas(folder)) == list(report.warnings)


def test_cli_validate_prints_warnings_and_exits_0(write_toy, capsys):
    code = cli.main(["validate", str(write_toy(_half_bridge))])
    out, err = capsys.readouterr()
    assert (code, err) == (0, "")
    assert "valid" in out
    assert "1 warning:\n  - bridges.geojson: bridge 'bridge-a' does not reach" in out


def test_problems_come_without_warnings(write_toy):
    def edit(c):
        _half_bridge(c)
        c["sites"]["features"][0]["geometry"] = None

    report = checks.check_dir(write_toy(edit))
    assert not report.ok
    assert report.warnings == ()
    assert any("has no geometry" in p for p in report.problems)
