"""Turn metres, square metres and seconds into the text the page shows.

Everything in the package is metres (m, m2) until it reaches a person; this module is
the only place that converts to km, ha and km2 and rounds for display.

Travel times assume steady, everyday paces on a flat riverside path:

- walking  5 km/h (an unhurried adult walk; 1.39 m/s),
- running 10 km/h (a 6 min/km jog),
- cycling 15 km/h (a relaxed ride on a shared path).
"""

from __future__ import annotations

import math
from typing import Final

#: Everyday paces, km/h, in the order the page lists them.
SPEEDS_KMH: Final[dict[str, float]] = {"walk": 5.0, "run": 10.0, "cycle": 15.0}


def format_length(length_m: float) -> str:
    """``850 m`` under a kilometre, else ``12.34 km`` (two decimals)."""
    if not math.isfinite(length_m):
        return "–"
    if abs(length_m) < 1000:
        return f"{length_m:,.0f} m"
    return f"{length_m / 1000:,.2f} km"


def format_km(length_m: float, *, decimals: int = 2) -> str:
    """A length in km, e.g. ``format_km(21_480) == "21.48 km"``."""
    return f"{length_m / 1000:,.{decimals}f} km"


def format_ha(area_m2: float, *, decimals: int = 1) -> str:
    """An area in hectares (1 ha = 10,000 m²), e.g. ``36.4 ha``."""
    return f"{area_m2 / 10_000:,.{decimals}f} ha"


def format_km2(area_m2: float, *, decimals: int = 2) -> str:
    """An area in square kilometres, e.g. ``6.16 km²``."""
    return f"{area_m2 / 1_000_000:,.{decimals}f} km²"


def travel_seconds(length_m: float, *, speed_kmh: float) -> float:
    """Seconds to cover ``length_m`` metres at ``speed_kmh`` km/h."""
    if speed_kmh <= 0:
        msg = f"speed_kmh must be positive, got {speed_kmh}."
        raise ValueError(msg)
    return length_m / (speed_kmh * 1000 / 3600)


def travel_times(length_m: float) -> dict[str, float]:
    """Seconds to walk, run and cycle ``length_m`` metres at :data:`SPEEDS_KMH`."""
    return {mode: travel_seconds(length_m, speed_kmh=kmh) for mode, kmh in SPEEDS_KMH.items()}


def format_duration(seconds: float) -> str:
    """``45 s``, ``12 min`` or ``1 h 05 min``, rounded to the minute above one minute."""
    if not math.isfinite(seconds) or seconds < 0:
        return "–"
    if seconds < 60:
        return f"{seconds:.0f} s"
    minutes = round(seconds / 60)
    if minutes < 60:
        return f"{minutes} min"
    hours, rest = divmod(minutes, 60)
    return f"{hours} h {rest:02d} min"


def format_chainage(chainage_m: float | None, *, decimals: int = 2) -> str:
    """Chainage as a kilometre post, ``km 3.42`` (``decimals`` places); ``–`` when unknown."""
    if chainage_m is None or not math.isfinite(chainage_m):
        return "–"
    return f"km {chainage_m / 1000:.{decimals}f}"


def format_accuracy(accuracy_m: float | None) -> str:
    """Positional accuracy, ``± 30 m``; ``–`` when unknown."""
    if accuracy_m is None or not math.isfinite(accuracy_m):
        return "–"
    return f"± {accuracy_m:,.0f} m"


#: A length whose modelled part is at least this long is rounded (see
#: :func:`format_length_on`): half the rounding step, so even a modelled part wrong by
#: its whole length could not move the shown figure by a step.
MODELLED_ROUNDING_FROM_M = 50.0
#: The step a length partly measured on modelled stretches is rounded to, metres: the
#: finest accuracy any modelled creek section states (100 m; the others 150-500 m).
MODELLED_STEP_M = 100.0


def is_rounded(modelled_m: float) -> bool:
    """Whether a length with ``modelled_m`` metres on modelled stretches is rounded."""
    return modelled_m >= MODELLED_ROUNDING_FROM_M


def format_length_on(length_m: float, *, modelled_m: float = 0.0) -> str:
    """A length, as exact as the ground it was measured on.

    The rule (issue 16): a length with less than :data:`MODELLED_ROUNDING_FROM_M` on
    modelled stretches is shown as :func:`format_length` (``3.24 km``, ``850 m``);
    otherwise it is rounded to :data:`MODELLED_STEP_M` and marked ``≈`` (``≈ 3.2 km``,
    ``≈ 800 m``; halves round up), because a modelled course is only stated to within
    100-520 m and a length measured on it cannot be finer than the model. (A rounded
    length holds at least 50 modelled metres, so it is never rounded to 0.)
    """
    if not math.isfinite(length_m) or not is_rounded(modelled_m):
        return format_length(length_m)
    rounded = math.floor(length_m / MODELLED_STEP_M + 0.5) * MODELLED_STEP_M
    if rounded < 1000:
        return f"≈ {rounded:,.0f} m"
    return f"≈ {rounded / 1000:,.1f} km"
