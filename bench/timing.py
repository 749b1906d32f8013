"""Median timing of repeated runs."""

from __future__ import annotations

import gc
import statistics
import time
from collections.abc import Callable


def median_seconds(fn: Callable[[], object], repeats: int = 5) -> float:
    """Median wall time of `repeats` calls, after one warm-up call; GC paused while timing."""
    fn()
    samples = []
    for _ in range(repeats):
        gc.collect()
        gc.disable()
        try:
            start = time.perf_counter()
            fn()
            samples.append(time.perf_counter() - start)
        finally:
            gc.enable()
    return statistics.median(samples)


def report(name: str, measured: float, floor: float, target: float) -> bool:
    ratio = measured / floor
    verdict = "ok" if ratio <= target else "SLOW"
    print(
        f"{name}: {measured:.3f} s (floor {floor:.3f} s, ratio {ratio:.2f}, "
        f"target <= {target}) {verdict}"
    )
    return ratio <= target
