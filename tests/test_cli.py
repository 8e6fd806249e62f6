"""The putuo-geo command: via main(argv) and, for exit codes, via a subprocess."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from putuo_geo import cli, config, layers

ROOT = Path(__file__).resolve().parent.parent
MM = 1e-3


def run(argv, capsys):
    code = cli.main(argv)
    out, err = capsys.readouterr()
    return code, out, err


def test_stats_json(toy_dir, capsys):
    code, out, err = run(["stats", "--json", "--data", str(toy_dir)], capsys)
    assert (code, err) == (0, "")
    stats = json.loads(out)
    assert set(stats) == {"route_length_m", "creek_length_m", "stations", "parks", "zones"}
    assert stats["route_length_m"] == pytest.approx(2000, abs=MM)
    assert stats["creek_length_m"] == pytest.approx(1000, abs=MM)
    assert stats["stations"] == {"total": 3, "confirmed": 1, "indicative": 2}
    assert [set(p) for p in stats["parks"]] == [{"id", "name_en", "area_m2"}]
    assert stats["parks"][0]["id"] == "park-a"
    assert stats["parks"][0]["area_m2"] == pytest.approx(10_000, abs=MM)
    zones = {z["id"]: z["area_m2"] for z in stats["zones"]}
    assert zones == pytest.approx(
        {"one-belt": 250_000, "one-center": 700_000, "one-city": 500_000}, abs=MM
    )


def test_stats_human_units(toy_dir, capsys):
    code, out, _ = run(["stats", "--data", str(toy_dir)], capsys)
    assert code == 0
    assert "Route length   2.00 km" in out
    assert "3 (1 confirmed, 2 indicative)" in out
    assert "1.00 ha" in out
    assert "0.25 km²" in out


def test_stats_uses_the_environment(toy_dir, capsys, monkeypatch):
    monkeypatch.setenv(config.DATA_DIR_ENV, str(toy_dir))
    code, out, _ = run(["stats", "--json"], capsys)
    assert code == 0
    assert json.loads(out)["stations"]["total"] == 3


def test_measure_json(toy_dir, capsys):
    code, out, err = run(
        ["measure", "station-01", "Station 2", "--json", "--data", str(toy_dir)], capsys
    )
    assert (code, err) == (0, "")
    m = json.loads(out)
    assert set(m) == {"from", "to", "along_route_m", "straight_m", "path", "bridges"}
    keys = {"label", "id", "name_en", "name_zh", "lat", "lon", "offset_m", "chainage_m"}
    assert set(m["from"]) == keys
    assert set(m["to"]) == keys
    assert m["from"]["id"] == "station-01"
    assert m["to"]["label"] == "Station 2"
    assert m["along_route_m"] == pytest.approx(1050, abs=MM)
    assert m["straight_m"] == pytest.approx(50, abs=MM)
    assert m["from"]["chainage_m"] == pytest.approx(100, abs=MM)
    assert m["bridges"] == ["bridge-a"]
    assert m["path"]["type"] == "LineString"
    assert len(m["path"]["coordinates"]) >= 4


def test_measure_latlon_and_human_output(toy_dir, capsys):
    atlas = layers.load_atlas(toy_dir)
    mint = atlas.sites.geometry[atlas.sites["id"] == "site-mint"].iloc[0]
    code, out, _ = run(
        ["measure", f"{mint.y:.7f}, {mint.x:.7f}", "station-03", "--data", str(toy_dir)], capsys
    )
    assert code == 0
    # the mint is 30 m north of the left bank at x=300: 300 + 50 + 300 along, 30 m offset
    assert "joins the route 30 m away" in out
    assert "Along the route  0.65 km" in out
    assert "Bridges crossed  bridge-a" in out


def test_measure_unknown_place_exits_1(toy_dir, capsys):
    code, out, err = run(["measure", "nowhere", "station-01", "--data", str(toy_dir)], capsys)
    assert code == 1
    assert out == ""
    assert "No station, site, bridge or park is called 'nowhere'" in err


def test_measure_unreachable_exits_1(write_toy, capsys):
    def edit(c):
        for f in c["bridges"]["features"]:
            f["properties"]["walkable"] = False

    code, _, err = run(
        ["measure", "station-01", "station-02", "--data", str(write_toy(edit))], capsys
    )
    assert code == 1
    assert "not connected along the route" in err


def test_validate_ok(toy_dir, capsys):
    code, out, _ = run(["validate", str(toy_dir)], capsys)
    assert code == 0
    assert "valid" in out
    assert "3 stations" in out


def test_validate_lists_every_problem(write_toy, capsys):
    def edit(c):
        c["parks"]["features"][0]["properties"]["accuracy_m"] = "20"
        c["sites"]["features"][0]["geometry"] = None

    code, out, _ = run(["validate", str(write_toy(edit))], capsys)
    assert code == 1
    assert "2 problems" in out
    assert "parks.geojson: feature 'park-a'" in out
    assert "sites.geojson: feature 'site-mint' has no geometry" in out


def _with_events(folder: Path, edit=None) -> Path:
    """``folder`` with the project's ``events.geojson`` copied in (after ``edit(doc)``)."""
    doc = json.loads((config.PACKAGE_DATA_DIR / "events.geojson").read_text(encoding="utf-8"))
    if edit is not None:
        edit(doc)
    (folder / "events.geojson").write_text(json.dumps(doc), encoding="utf-8")
    return folder


def test_validate_checks_the_standalone_events_layer(toy_dir, capsys):
    assert run(["validate", str(_with_events(toy_dir))], capsys)[0] == 0
    names: list[str] = []

    def edit(doc):
        second = doc["features"][1]
        names.append(second["properties"]["id"])
        second["geometry"] = None
        second["properties"]["accuracy_m"] = "lots"

    code, out, _ = run(["validate", str(_with_events(toy_dir, edit))], capsys)
    assert code == 1
    assert "2 problems" in out
    assert f"events.geojson: feature '{names[0]}' has no geometry" in out
    assert out.count(f"events.geojson: feature '{names[0]}'") == 2
    (toy_dir / "events.geojson").write_text("{", encoding="utf-8")
    code, out, _ = run(["validate", str(toy_dir)], capsys)
    assert code == 1
    assert "events.geojson" in out


def test_stats_on_bad_data_exits_1(tmp_path, capsys):
    code, _, err = run(["stats", "--data", str(tmp_path / "nothing")], capsys)
    assert code == 1
    assert "the data folder does not exist" in err


def test_unexpected_error_exits_2(toy_dir, capsys, monkeypatch):
    def boom(*args, **kwargs):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(layers, "validate_dir", boom)
    code, _, err = run(["validate", str(toy_dir)], capsys)
    assert code == 2
    assert "unexpected error (RuntimeError): disk on fire" in err


def _subprocess(*args: str, env_data: Path | None = None) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    env.pop(config.DATA_DIR_ENV, None)
    if env_data is not None:
        env[config.DATA_DIR_ENV] = str(env_data)
    return subprocess.run(
        [sys.executable, "-m", "putuo_geo.cli", *args],
        capture_output=True,
        text=True,
        env=env,
        check=False,
        timeout=120,
    )


def test_subprocess_exit_codes(toy_dir, write_toy):
    ok = _subprocess("validate", str(toy_dir))
    assert ok.returncode == 0, ok.stderr
    bad = _subprocess("validate", str(write_toy(lambda c: c["zones"].update(features="x"))))
    assert bad.returncode == 1
    assert "zones.geojson: the FeatureCollection has no 'features' list." in bad.stdout
    assert "Traceback" not in bad.stdout + bad.stderr
    usage = _subprocess("frobnicate")
    assert usage.returncode == 1  # bad input; 2 is kept for bugs
    assert "Traceback" not in usage.stderr


def test_subprocess_measure_json_from_environment(toy_dir):
    done = _subprocess("measure", "station-01", "station-03", "--json", env_data=toy_dir)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["along_route_m"] == pytest.approx(500 + 50 + 300, abs=MM)


@pytest.mark.parametrize(
    "argv",
    [
        ["measure", "0,0", "station-01"],
        ["measure", "station-01", "-33.5,151"],
        ["measure", "-31.2,121.4", "station-01"],  # argparse took it for an option
        ["measure", "-31.2, 121.4", "station-01", "--json"],
        ["measure", "39.909 116.397", "station-01"],
    ],
)
def test_points_outside_shanghai_exit_1_like_typed_coordinates(toy_dir, capsys, argv):
    code, out, err = run([*argv, "--data", str(toy_dir)], capsys)
    assert (code, out) == (1, "")
    assert "This point lies outside Shanghai; check the numbers and the coordinate system." in err
    assert "required" not in err


@pytest.mark.parametrize(
    ("argv", "words"),
    [
        (["measure", "station-01"], "the following arguments are required: TO"),
        (["measure", "--bogus", "a", "b"], "unrecognized arguments: --bogus"),
        (["frobnicate"], "invalid choice"),
    ],
)
def test_usage_errors_exit_1(capsys, argv, words):
    with pytest.raises(SystemExit) as info:
        cli.main(argv)
    assert info.value.code == 1
    assert words in capsys.readouterr().err


def test_a_layer_that_is_a_symlink_loop_or_folder_exits_1(toy_dir, capsys):
    (toy_dir / "parks.geojson").unlink()
    (toy_dir / "parks.geojson").symlink_to(toy_dir / "parks.geojson")
    (toy_dir / "zones.geojson").unlink()
    (toy_dir / "zones.geojson").mkdir()
    code, out, _ = run(["validate", str(toy_dir)], capsys)
    assert code == 1
    assert "parks.geojson: is a symbolic link that loops in toy, not a file." in out
    assert "zones.geojson: is a folder in toy, not a file." in out
    assert "missing" not in out


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("[" * 100_000, "nested too deeply"),
        ('{"type": "FeatureCollection", "n": ' + "9" * 5000 + ', "features": []}', "too long"),
    ],
)
def test_pathological_json_exits_1_not_2(toy_dir, capsys, text, words):
    (toy_dir / "sites.geojson").write_text(text, encoding="utf-8")
    code, out, err = run(["validate", str(toy_dir)], capsys)
    assert (code, err) == (1, "")
    assert words in out


def test_a_data_folder_that_is_a_symlink_loop_exits_1(tmp_path, capsys):
    (tmp_path / "loop").symlink_to(tmp_path / "loop")
    for argv in (["stats", "--data"], ["validate"], ["measure", "a", "b", "--data"]):
        code, _, err = run([*argv, str(tmp_path / "loop")], capsys)
        assert code == 1, (argv, err)
        assert "unexpected" not in err


# ------------------------------------------------------------------ issue 23 §5


def test_coverage_extra_that_is_not_a_regular_file_exits_1_unread(toy_dir, tmp_path, capsys):
    fifo = tmp_path / "candidates.csv"
    os.mkfifo(fifo)  # reading it would block forever
    for extra, kind in ((fifo, "named pipe"), (Path("/dev/zero"), "device")):
        code, out, err = run(["coverage", "--extra", str(extra), "--data", str(toy_dir)], capsys)
        assert (code, out) == (1, "")
        assert kind in err
        assert "Traceback" not in err


def test_coverage_extra_over_the_upload_limit_exits_1(toy_dir, tmp_path, capsys):
    from putuo_geo import uploads

    big = tmp_path / "big.csv"
    big.write_bytes(b"name,lon,lat\n" + b"x" * uploads.MAX_UPLOAD_BYTES)
    code, out, err = run(["coverage", "--extra", str(big), "--data", str(toy_dir)], capsys)
    assert (code, out) == (1, "")
    assert "over 5 MB" in err


@pytest.mark.parametrize(
    "words",
    [
        ["--minutes", "1e308", "--speed-kmh", "1e308"],
        ["--minutes", "1e-320"],
        ["--minutes", "inf"],
        ["--speed-kmh", "nan"],
        ["--minutes", "0"],
        ["--speed-kmh", "-5"],
        ["--minutes", "100000"],
    ],
)
def test_coverage_numbers_out_of_range_are_usage_errors(toy_dir, capsys, words):
    with pytest.raises(SystemExit) as info:
        cli.main(["coverage", "--json", *words, "--data", str(toy_dir)])
    assert info.value.code == 1
    assert "is not a number from" in capsys.readouterr().err


def test_coverage_at_the_largest_numbers_prints_strict_json(toy_dir, capsys):
    argv = ["coverage", "--json", "--minutes", "1440", "--speed-kmh", "５０"]
    code, out, err = run([*argv, "--data", str(toy_dir)], capsys)
    assert (code, err) == (0, "")
    json.loads(out, parse_constant=lambda c: pytest.fail(f"{c} is not JSON"))


@pytest.mark.parametrize("env", [{"PYTHONIOENCODING": "ascii"}, {"LANG": "C", "LC_ALL": "C"}])
def test_an_ascii_only_stdout_is_no_error(env):
    full = {**os.environ, "PYTHONPATH": str(ROOT), **env}
    full.pop(config.DATA_DIR_ENV, None)
    full.pop("PYTHONUTF8", None)
    for args in (["stats", "--json"], ["stats"], ["events"], ["events", "--json"]):
        done = subprocess.run(
            [sys.executable, "-X", "utf8=0", "-m", "putuo_geo.cli", *args],
            capture_output=True,
            text=True,
            encoding="utf-8",
            env=full,
            check=False,
            timeout=120,
        )
        assert done.returncode == 0, (args, done.stderr)
        if "--json" in args:
            json.loads(done.stdout)
