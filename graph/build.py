"""build(): articles -> claims -> graph -> Turtle file, with a summary of what happened.

The build runs in stages: read the article files (only those changed since the
last build), extract the new ones' claims (in worker processes, cached per
article), resolve names across all articles, render the parts of the articles
whose part changed (graph/update.py), check them against the shapes and write
the file, then bring the query store up to date.  What it keeps between runs
is behind one interface, `LastBuild` (graph/incremental.py,
docs/incremental.md).

One build at a time may write an output: a lock file beside it makes a second
one stop with a clear line.  The lock is a POSIX record lock (fcntl.lockf),
not flock: forked workers do not inherit it, so a build killed with -9 never
leaves it held by orphans.
"""

from __future__ import annotations

import fcntl
import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from bosch_kg.errors import BoschKGError, InputError, notice
from bosch_kg.extract.claims import ArticleClaims
from bosch_kg.extract.pipeline import extract_article
from bosch_kg.extract.read import check_article_names
from bosch_kg.graph import cache
from bosch_kg.graph.change import Change
from bosch_kg.graph.incremental import LastBuild
from bosch_kg.graph.names import Mentions
from bosch_kg.graph.parallel import in_workers
from bosch_kg.graph.query_store import StoreRefresh
from bosch_kg.graph.state import Inconsistent, Record
from bosch_kg.graph.store import atomic_writer, prefetch
from bosch_kg.graph.update import focus_turtles, graph_head, resolve, update, write_graph
from bosch_kg.graph.validate import check_build
from bosch_kg.outputs import OutputError, check_output

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
    """The article files of a folder, in a stable order.

    Every name with an article's ending is an article: one that is no readable file
    (a broken link, a folder, a FIFO) or whose name gives no id is refused, not
    skipped, so no article drops out of the graph unsaid.
    """
    if not folder.is_dir():
        raise InputError(folder, "no such folder of articles")
    files = [p for p in folder.iterdir() if p.suffix in ARTICLE_SUFFIXES]
    for path in files:
        if path.is_file() and not path.stem.strip():
            raise InputError(path, "the file name gives no article id; rename the file")
        if path.is_file():
            continue
        if path.is_symlink():
            why = f"a link to {os.readlink(path)}, which is no file"
        elif path.is_dir():
            why = "a folder, not an article file"
        else:
            why = "not a regular file (a device, FIFO or socket)"
        raise InputError(path, f"{why}; rename or move it")
    files.sort(key=lambda p: p.name)  # comparing Paths is ten times slower
    if not files:
        raise InputError(folder, f"no articles ({', '.join(ARTICLE_SUFFIXES)} files) here")
    return files


def lock_path(output: Path) -> Path:
    """The lock file a build of `output` holds: `<graph>.lock` beside it."""
    return output.with_name(output.name + ".lock")


@contextmanager
def build_lock(output: Path) -> Iterator[None]:
    """Hold the output's lock file for a build; refuse if another build holds it."""
    output.parent.mkdir(parents=True, exist_ok=True)
    lock = lock_path(output)
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


@dataclass(frozen=True)
class Extracted:
    """What a build keeps of an article's extraction: its claims as the cache stores them, the
    names they mention and the lines skipped as noise.  Made in the worker process, so the
    build's own process only writes them down."""

    payload: bytes
    mentions: Mentions
    skipped: tuple[str, ...]

    @classmethod
    def of(cls, claims: ArticleClaims) -> Extracted:
        skipped = tuple(f"{claims.meta.id}: {line}" for line in claims.skipped)
        return cls(cache.claims_payload(claims), Mentions.of(claims.claims), skipped)


def _extract(path: Path) -> Extracted:
    return Extracted.of(extract_article(path))


def extract(
    last: LastBuild,
    articles: dict[str, Path],
    workers: int | None = None,
    progress: Progress | None = None,
) -> tuple[dict[str, Mentions], list[str], int]:
    """The names each article new to the graph mentions (cache key -> file), extracting
    those whose claims are not cached.

    Returns the mentions by key, the skipped lines, and how many articles were
    extracted anew.  The claims go to the cache, committed every few hundred
    articles, so a build killed now keeps what it extracted.  The first bad
    article stops the build.
    """
    files = last.new(articles)
    mentions, skipped = {}, []
    missing = []
    for key in files:
        claims = cache.load_claims(last.entries, key)
        if claims is None:
            missing.append(key)
        else:
            mentions[key] = Mentions.of(claims.claims)
            skipped += [f"{claims.meta.id}: {line}" for line in claims.skipped]
    done, total = len(articles) - len(missing), len(articles)
    if progress:
        progress(done, total)
    fresh = in_workers(_extract, [files[key] for key in missing], workers)
    for key, extracted in zip(missing, fresh, strict=True):
        last.entries.write(key, "claims", extracted.payload)
        mentions[key] = extracted.mentions
        skipped += extracted.skipped
        done += 1
        if done % COMMIT_EVERY == 0:
            last.commit()
        if progress:
            progress(done, total)
    last.commit()
    return mentions, skipped, len(missing)


def build(
    articles: Path,
    output: Path,
    *,
    workers: int | None = None,
    progress: Progress | None = None,
) -> BuildReport:
    """Build the graph of a folder of articles and write it to `output` (Turtle).

    The articles are checked first, then the output (never an input, never inside the
    articles folder, never anything but a regular file), before anything is written.
    A cache that does not check out is dropped, and the graph built from the articles.
    """
    files = article_files(articles)
    check_article_names(files)
    check_output(output, articles=articles, make_folders=True)
    _check_kept_files(output)
    prefetch(output)  # read from disk while names are resolved and articles rendered
    with build_lock(output):
        for stale in output.parent.glob(f".{output.name}.*.tmp"):  # left by a killed build
            stale.unlink(missing_ok=True)
        try:
            return _build(files, output, workers, progress)
        except Inconsistent as problem:
            entries = cache.cache_path(output)
            notice(f"Cache {entries} is inconsistent ({problem}): rebuilt from the articles.")
            cache.remove(entries)
            return _build(files, output, workers, progress)


def _check_kept_files(output: Path) -> None:
    """Refuse to build beside a cache or lock path that is not a file: it is the user's to
    move (a folder may hold anything), and no rebuild can put the file there."""
    entries = cache.cache_path(output)
    sidecars = [entries.with_name(entries.name + end) for end in cache.SIDECARS]
    for path in (lock_path(output), entries, *sidecars):
        if path.exists() and not path.is_file():
            raise OutputError(
                path,
                "the build keeps a file of its own here, but this is not a regular file "
                "(a folder, device, FIFO or socket); move it away and build again",
            )


def _build(
    files: list[Path], output: Path, workers: int | None, progress: Progress | None
) -> BuildReport:
    """The build's stages: read, extract, resolve, render, check and write, load the store.
    `Inconsistent` if the cache does not check out (before anything is committed or written)."""
    with LastBuild.open(output) as last:
        articles = last.keys(files)
        mentions, skipped, extracted = extract(last, articles, workers, progress)
        plan = resolve(last.record, articles, mentions)
        store = StoreRefresh(output, graph_head(), whole_file=last.whole_file)
        try:
            change = update(last, articles, plan, workers, store.add)
            store.plan(change)
            written = change.changed or last.whole_file
            if written:
                _check_and_write(change, last.record, output, store)
            else:  # a store loaded anew reads the graph file as it is
                store.load_file(output, change)
            last.commit()  # the parts and the record are kept only once the graph is written
            # the store last (its loader compacts it while SQLite commits): killed now, it is
            # not current for the new graph, and the next build makes it anew
            store.finish(change, written)
        except BaseException:
            store.abandon()
            raise
        last.keep_only(articles)
    return BuildReport(
        output=output,
        articles=len(articles),
        claims=change.claims,
        facts=change.facts,
        triples=change.triples,
        entities={t: change.types[f"bkg:{t}"] for t in (*_ENTITY_CLASSES, "Article")},
        skipped=skipped,
        changed=written,
        extracted=extracted + change.extracted,
    )


def _check_and_write(change: Change, record: Record, output: Path, store: StoreRefresh) -> None:
    """Write the graph beside `output`, check it, and only then move it into place: a graph
    that breaks the shapes is never written.

    A store loaded anew takes the shared section while the file is written, and
    the rest of the new file in the background while the shapes run.
    """
    store.add_shared(record.shared.blocks())
    with atomic_writer(output) as out:
        write_graph(change, record, out, output)
        store.load_file(Path(out.name), change)
        check_build(focus_turtles(change, record.shared), change.checks)
    record.set_graph(output)
