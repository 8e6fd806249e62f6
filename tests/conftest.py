"""Fixtures for the library tests; the toy itself is described in ``paper_toy``."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from paper_toy import (
    Collections,
    project_package,
    toy_collections,
    toy_package,
    write_dir,
)


@pytest.fixture
def toy() -> tuple[Collections, dict[str, Any]]:
    """Fresh toy collections and their datapackage (mutate freely)."""
    collections = toy_collections(project_package())
    return collections, toy_package(project_package(), collections)


@pytest.fixture
def toy_dir(tmp_path: Path, toy: tuple[Collections, dict[str, Any]]) -> Path:
    """A valid toy data folder."""
    collections, package = toy
    return write_dir(tmp_path / "toy", collections, package)


@pytest.fixture
def write_toy(
    tmp_path: Path, toy: tuple[Collections, dict[str, Any]]
) -> Callable[[Callable[[Collections], None]], Path]:
    """Write the toy folder after ``edit(collections)`` has broken it on purpose."""

    def _write(edit: Callable[[Collections], None]) -> Path:
        collections, package = toy
        edit(collections)
        return write_dir(tmp_path / "bad", collections, package)

    return _write
