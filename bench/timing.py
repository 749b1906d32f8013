"""Median timing of repeated runs."""

from __future__ import annotations

import gc
import statistics
import time
from collections.abc import Callable


def _timed(fn: Callable[[], object]) -> float:
    """One run's wall time with the garbage collector on, as in a user's process; collected
    first, so that one run's garbage is not charged to the next."""
    gc.collect()
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def paired_medians(
    floor: Callable[[], object], measured: Callable[[], object], rounds: int = 5
) -> tuple[float, float]:
    """Median wall times of `floor` and `measured`, run in alternating pairs.

    On a shared machine the load drifts over a run; timing the two side by side, and
    swapping which goes first each round, lets the drift fall on both alike.
    """
    floor()
    measured()
    floor_samples: list[float] = []
    measured_samples: list[float] = []
    for round_ in range(rounds):
        if round_ % 2:
            measured_samples.append(_timed(measured))
            floor_samples.append(_timed(floor))
        else:
            floor_samples.append(_timed(floor))
            measured_samples.append(_timed(measured))
    return statistics.median(floor_samples), statistics.median(measured_samples)


def report(name: str, measured: float, floor: float, target: float) -> bool:
    ratio = measured / floor
    verdict = "ok" if ratio <= target else "SLOW"
    print(
        f"{name}: {measured:.3f} s (floor {floor:.3f} s, ratio {ratio:.2f}, "
        f"target <= {target}) {verdict}"
    )
    return ratio <= target
