"""putuo_geo.config: the data folder as a visitor may see it (never the server's path)."""

from __future__ import annotations

from putuo_geo import config


def test_the_project_folder_is_shown_relative_to_the_project():
    assert config.shown_dir(config.PACKAGE_DATA_DIR) == "geo"


def test_any_other_folder_by_its_last_name(tmp_path):
    folder = tmp_path / "srv" / "atlas-2026"
    assert config.shown_dir(folder) == "atlas-2026"
    assert str(tmp_path) not in config.shown_dir(folder)


def test_hide_dir_removes_the_absolute_path_from_a_message(tmp_path):
    folder = tmp_path / "data"
    folder.mkdir()
    message = f"[Errno 13] Permission denied: '{folder}/parks.geojson'"
    assert config.hide_dir(message, folder) == "[Errno 13] Permission denied: 'data/parks.geojson'"
    link = tmp_path / "link"
    link.symlink_to(folder)
    resolved = f"cannot read {folder.resolve()}/x"
    assert str(tmp_path) not in config.hide_dir(resolved, link)
