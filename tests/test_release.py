"""One version: the package's, the project file's and the CHANGELOG's newest entry."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import putuo_geo

ROOT = Path(__file__).resolve().parents[1]


def test_the_package_the_project_file_and_the_changelog_name_one_version():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    newest = re.search(
        r"^## (\d+\.\d+\.\d+) — (\d{4}-\d{2}-\d{2})$",
        (ROOT / "CHANGELOG.md").read_text(encoding="utf-8"),
        flags=re.M,
    )
    assert newest is not None, "CHANGELOG.md: no '## X.Y.Z — YYYY-MM-DD' entry"
    assert project["project"]["version"] == putuo_geo.__version__ == newest.group(1)
