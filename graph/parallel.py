"""Extraction in worker processes: articles are independent, so they spread over the cores.

The graph is assembled once, in the parent, because names are merged across
articles; only the per-article work (reading, matching rules) runs here.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from bosch_kg.extract.claims import ArticleClaims

#: Below this many articles, starting worker processes costs more than it saves.
MIN_PARALLEL = 16

Extractor = Callable[[Path], ArticleClaims]


def default_workers() -> int:
    """One worker per core this process may use."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def extract_many(
    paths: list[Path], extractor: Extractor, workers: int | None = None
) -> Iterator[ArticleClaims]:
    """Each article's claims, in the order of `paths`, extracted by `workers` processes."""
    workers = workers or default_workers()
    if workers == 1 or len(paths) < MIN_PARALLEL:
        yield from map(extractor, paths)
        return
    chunk = max(1, min(32, len(paths) // (workers * 8)))
    # fork: the workers start at once with the rules already loaded, not re-imported
    context = multiprocessing.get_context("fork")
    with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
        yield from pool.map(extractor, paths, chunksize=chunk)
