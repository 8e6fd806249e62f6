"""Shared by the map page's tests: which data folder the page shows, and whether it is ready.

The page tests run against whatever ``$PUTUO_GEO_DATA`` (else ``geo/``) holds and take
every expected number from ``putuo_geo``, never from a hard-coded figure.
"""

from __future__ import annotations

from pathlib import Path

from putuo_geo import config, network

#: Screenshots, logs and measured timings (gitignored).
ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts"


def page_data_dir() -> Path:
    """The folder the page will load (same rule as the app)."""
    return config.data_dir()


def missing_layers(folder: Path | None = None) -> list[str]:
    """Layer files the folder lacks (the data branch adds them to ``geo/``)."""
    folder = folder or page_data_dir()
    return [n for n in config.LAYER_NAMES if not (folder / f"{n}.geojson").is_file()]


def network_ready() -> bool:
    """Whether ``putuo_geo.network.RouteNetwork`` (the library branch) is there."""
    return hasattr(network, "RouteNetwork")


def skip_reason() -> str | None:
    """Why the page cannot be tested yet, or ``None``."""
    missing = missing_layers()
    if missing:
        return f"{page_data_dir()} lacks layers {missing} (data branch not merged)"
    if not network_ready():
        return "putuo_geo.network.RouteNetwork missing (library branch not merged)"
    return None
