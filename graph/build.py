"""build(): articles -> claims -> graph -> Turtle file, with a summary of what happened.

Extraction runs per article, in worker processes, and is cached per article
by content hash.  Names are then resolved once across all the claims, and each
article's part of the graph is rendered (or taken from the cache) and checked
against the shapes before the file is written (graph/parts.py).  One build
at a time may write an output: a lock file beside it makes a second one stop
with a clear line.  The lock is a POSIX record lock (fcntl.lockf), not flock:
forked workers do not inherit it, so a build killed with -9 never leaves it
held by orphans.
"""

from __future__ import annotations

import fcntl
import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from bosch_kg.errors import BoschKGError, InputError
from bosch_kg.extract.claims import ArticleClaims
from bosch_kg.extract.pipeline import extract_article
from bosch_kg.graph import cache, parts
from bosch_kg.graph.parallel import extract_many
from bosch_kg.graph.query_store import is_current, update_store, write_store
from bosch_kg.graph.store import atomic_writer, file_digest
from bosch_kg.graph.validate import check_build

#: The file endings read as articles.
ARTICLE_SUFFIXES = (".txt", ".md")

#: Extracted claims are committed to the cache this often.
COMMIT_EVERY = 200

#: Called with (articles done, articles in all) as extraction goes.
Progress = Callable[[int, int], None]

_ENTITY_CLASSES = ("Series", "Person", "Character", "Role", "Franchise", "Network", "Review")


@dataclass
class BuildReport:
    """What a build read, made and skipped."""

    output: Path
    articles: int
    claims: int
    facts: int
    triples: int
    entities: dict[str, int]
    skipped: list[str] = field(default_factory=list)
    changed: bool = True
    #: articles read and extracted anew (the others came from the cache)
    extracted: int = 0


def article_files(folder: Path) -> list[Path]:
    """The article files of a folder, in a stable order."""
    if not folder.is_dir():
        raise InputError(folder, "no such folder of articles")
    files = sorted(p for p in folder.iterdir() if p.suffix in ARTICLE_SUFFIXES and p.is_file())
    if not files:
        raise InputError(folder, f"no articles ({', '.join(ARTICLE_SUFFIXES)} files) here")
    return files


@contextmanager
def build_lock(output: Path) -> Iterator[None]:
    """Hold the output's lock file for a build; refuse if another build holds it."""
    output.parent.mkdir(parents=True, exist_ok=True)
    lock = output.with_name(output.name + ".lock")
    fd = os.open(lock, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        try:
            fcntl.lockf(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            raise BoschKGError(
                f"{output}: another build is writing this graph (it holds {lock}); "
                "run again when it has finished"
            ) from None
        yield
    finally:
        os.close(fd)  # closing releases the lock; the file stays for the next build


def extract_folder(
    files: list[Path],
    entries: cache.Cache,
    workers: int | None = None,
    progress: Progress | None = None,
) -> tuple[list[ArticleClaims], list[str], int]:
    """Claims of every article, from the cache where the article is unchanged.

    Returns the claims and the cache keys (both in file order), and how many
    articles were extracted anew.  The first bad article stops the build.
    """
    keys = [cache.article_key(path.read_bytes(), path.name) for path in files]
    found = [cache.load_claims(entries, key) for key in keys]
    missing = [i for i, claims in enumerate(found) if claims is None]
    done = len(files) - len(missing)
    if progress:
        progress(done, len(files))
    fresh = extract_many([files[i] for i in missing], extract_article, workers)
    for i, claims in zip(missing, fresh, strict=True):
        cache.store_claims(entries, keys[i], claims)
        found[i] = claims
        done += 1
        if done % COMMIT_EVERY == 0:  # a build killed now keeps what it extracted
            entries.commit()
        if progress:
            progress(done, len(files))
    entries.commit()
    return [c for c in found if c is not None], keys, len(missing)


def build(
    articles: Path,
    output: Path,
    *,
    workers: int | None = None,
    progress: Progress | None = None,
) -> BuildReport:
    """Build the graph of a folder of articles and write it to `output` (Turtle)."""
    files = article_files(articles)
    with build_lock(output), cache.Cache(cache.cache_path(output)) as entries:
        for stale in output.parent.glob(f".{output.name}.*.tmp"):  # left by a killed build
            stale.unlink(missing_ok=True)
        extracted, keys, fresh = extract_folder(files, entries, workers, progress)
        graph = parts.parted_graph(extracted, keys, entries, workers)
        report = BuildReport(
            output=output,
            articles=len(extracted),
            claims=sum(len(a.claims) for a in extracted),
            facts=graph.facts,
            triples=len(graph),
            entities=graph.count((*_ENTITY_CLASSES, "Article")),
            skipped=[f"{a.meta.id}: {line}" for a in extracted for line in a.skipped],
            extracted=fresh,
        )
        del extracted  # the claims are in the graph now: free their memory for what follows
        report.changed = not output.is_file() or file_digest(output) != graph.digest()
        store_was_current = is_current(output)
        if report.changed:  # a graph that breaks the shapes never replaces the last good one
            check_build(graph.turtle(evidence=False), graph.checks, graph.focus)
            with atomic_writer(output) as out:
                out.writelines(graph.chunks())
        entries.commit()  # the parts rendered anew are cached only once validated
        if not is_current(output):  # queries open the store instead of parsing the Turtle
            contents = graph.contents()
            if not (store_was_current and update_store(output, contents)):
                write_store(output, contents)
        entries.keep_only(set(keys))
    return report
