"""What a build keeps between runs, behind one interface: the cache and the record of the
last good build, open for one build.

The cache entries (graph/cache.py) hold each article's claims and rendered part;
the record (graph/state.py) describes the graph file the last good build wrote.
Both live in one SQLite file and one transaction, so a build that fails or is
killed leaves them describing the last good graph.  docs/incremental.md says
what is kept, keyed by what, and made anew when.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO

from bosch_kg.graph import cache, parts
from bosch_kg.graph.state import Record


class LastBuild:
    """The cache and the record of the last good build of one graph file, for one build."""

    def __init__(self, entries: cache.Cache, spool: BinaryIO, graph: Path) -> None:
        """Check the record (`Inconsistent` if it does not check out) and forget it if other
        code renders parts now."""
        self.entries = entries
        self.record = Record(entries)
        #: the sections rendered in this build, end to end
        self.spool = spool
        if self.record.renderer() != parts.renderer_version():
            self.record.clear()
            self.record.set_renderer(parts.renderer_version())
        #: whether the graph file is written whole: the record does not describe it (a first
        #: build, or a graph deleted, edited or copied since), so no section can be copied
        self.whole_file = not self.record.describes(graph)

    @classmethod
    @contextmanager
    def open(cls, graph: Path) -> Iterator[LastBuild]:
        """The last build of `graph`; what this build changes is kept only by `commit` (and by
        a clean exit), never by a build that fails."""
        with (
            cache.Cache(cache.cache_path(graph)) as entries,
            # unnamed (O_TMPFILE): gone with the build, even one killed with -9
            tempfile.TemporaryFile(dir=graph.parent) as spool,
        ):
            yield cls(entries, spool, graph)

    def keys(self, files: list[Path]) -> dict[str, Path]:
        """The cache key of each article file (only files changed since are read)."""
        return self.record.files.keys(files)

    def new(self, articles: dict[str, Path]) -> dict[str, Path]:
        """The articles (cache key -> file) the last good graph does not hold."""
        built = self.record.articles.built()
        return {key: path for key, path in articles.items() if key not in built}

    def commit(self) -> None:
        """Keep what the build changed: call it once the new graph is written."""
        self.entries.commit()

    def keep_only(self, articles: dict[str, Path]) -> None:
        """Drop the entries of articles no longer read (gone, or changed since)."""
        self.entries.keep_only(set(articles))
